//! The dev console's command language: one command per line, words split like
//! a POSIX shell (quotes group words), `#` starts a comment.

/// One console command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevCommand {
    /// Run a transaction; `commit` is true for submit, false for evaluate.
    Call {
        /// Submit (endorse and commit) or evaluate (endorse only).
        commit: bool,
        /// `[Contract:]Function`.
        function: String,
        /// Arguments as text.
        args: Vec<String>,
    },
    /// Send an INIT message (for chaincode defined with --init-required).
    Init {
        /// Function and arguments; may be empty.
        args: Vec<String>,
    },
    /// Transient data for the next call only.
    Transient(Vec<(String, String)>),
    /// Call as this identity from now on (created on first use).
    As {
        /// Common name of the user.
        user: String,
        /// Its MSP id.
        msp: String,
        /// Fabric CA attributes of a new identity.
        attrs: Vec<(String, String)>,
    },
    /// Show the calling identity.
    WhoAmI,
    /// List world-state keys and values, optionally under a prefix (already
    /// resolved: a composite prefix holds its U+0000 separators).
    State(Option<String>),
    /// Show one world-state key (resolved, as for `State`).
    Get(String),
    /// Show the history of a key, newest first.
    History(String),
    /// List a private collection.
    Private {
        /// Collection name.
        collection: String,
        /// Optional key prefix.
        prefix: Option<String>,
    },
    /// Show the signature of one transaction, or list them all.
    Describe(Option<String>),
    /// List the events committed transactions emitted.
    Events,
    /// Print the contract metadata.
    Metadata,
    /// Empty the ledger: only with `--yes`, otherwise say what it would do.
    Reset {
        /// `reset --yes`: the user confirmed.
        confirmed: bool,
    },
    /// Show the command list.
    Help,
    /// Leave the console.
    Quit,
    /// A blank or comment line.
    Nothing,
}

/// A script or console line: a command (or why it is not one), possibly
/// marked (`!` in front) as expected to fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line began with `!`: the command must fail (a mistake in the line
    /// counts), and its failure does not fail the script (its success does).
    pub expect_failure: bool,
    /// The command, or why the line is not one.
    pub command: Result<DevCommand, String>,
}

/// The commands, for completion (aliases included).
pub const COMMANDS: &[&str] = &[
    "submit",
    "invoke",
    "evaluate",
    "query",
    "init",
    "transient",
    "as",
    "whoami",
    "state",
    "keys",
    "get",
    "history",
    "private",
    "tx",
    "describe",
    "events",
    "metadata",
    "reset",
    "help",
    "quit",
    "exit",
];

/// The commands whose next word is a transaction name.
pub const TAKES_TRANSACTION: &[&str] = &["submit", "invoke", "evaluate", "query", "tx", "describe"];

/// The console's help text.
pub const HELP: &str = "\
commands:
  submit <[Contract:]Function> [args...]   run a transaction and commit its writes (alias: invoke)
  evaluate <[Contract:]Function> [args...] run a transaction without committing (alias: query)
  init [Function] [args...]                send INIT (chaincode defined with --init-required)
  transient <key>=<value>...               transient data for the next call only
  as <user>[@<MSP>] [attr=value...]        call as this identity (created on first use)
  whoami                                   show the calling identity
  tx [Function]                            show a transaction's signature (no name: list them; alias: describe)
  state [prefix]                           list world-state keys and values
  state <objectType> [attr...]             list the composite keys of an object type
  get <key>                                show one key
  get <objectType> <attr>...               show one composite key (also: get ·type·attr·, get -c type)
  history <key> | <objectType> <attr>...   show a key's history, newest first
  private <collection> [prefix]            list a private data collection
  events                                   list the events of committed transactions
  metadata                                 print the contract metadata
  reset --yes                              empty the whole ledger (`reset` alone says what it would remove)
  help | quit
Arguments are split like a shell: quote JSON, e.g. submit CreateAsset a1 blue 5 \"Tom Smith\" 300.
Composite keys are shown with `·` for U+0000 (·auction·a1·); that form is accepted back.
A line starting with `!` must fail (scripts fail on any other failed line).";

/// The MSP of identities named without one.
pub const DEFAULT_MSP: &str = "Org1MSP";

/// How composite keys are displayed: U+0000 as a middle dot.
pub const SEPARATOR_SHOWN: char = '·';

/// Parses one line, with its optional leading `!` (expected to fail).
pub fn parse_line(line: &str) -> Line {
    match line.trim().strip_prefix('!') {
        Some(rest) => Line {
            expect_failure: true,
            command: parse(rest).and_then(|command| match command {
                DevCommand::Nothing => {
                    Err("`!` marks a command expected to fail, but no command follows".into())
                }
                command => Ok(command),
            }),
        },
        None => Line {
            expect_failure: false,
            command: parse(line),
        },
    }
}

/// Parses one command.
pub fn parse(line: &str) -> Result<DevCommand, String> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(DevCommand::Nothing);
    }
    let words = shlex::split(trimmed).ok_or("unbalanced quotes in the command line")?;
    let (verb, rest) = words.split_first().ok_or("empty command")?;
    let rest = rest.to_vec();
    // Commands that take no argument refuse one, so a mistaken `reset a1` does nothing.
    let none = |command: DevCommand| -> Result<DevCommand, String> {
        if rest.is_empty() {
            Ok(command)
        } else {
            Err(format!(
                "`{verb}` takes no argument (got {}); type `help` for the commands",
                quoted(&rest)
            ))
        }
    };
    Ok(match verb.as_str() {
        "submit" | "invoke" | "evaluate" | "query" => {
            let commit = matches!(verb.as_str(), "submit" | "invoke");
            let (function, args) = rest
                .split_first()
                .ok_or(format!("`{verb}` needs a function name"))?;
            DevCommand::Call {
                commit,
                function: function.clone(),
                args: args.to_vec(),
            }
        }
        "init" => DevCommand::Init { args: rest },
        "transient" => {
            if rest.is_empty() {
                return Err("`transient` needs at least one key=value".into());
            }
            DevCommand::Transient(rest.iter().map(|w| pair(w)).collect::<Result<_, _>>()?)
        }
        "as" => {
            let (who, attrs) = rest
                .split_first()
                .ok_or("`as` needs a user, e.g. as alice@Org1MSP")?;
            let (user, msp) = who.split_once('@').unwrap_or((who.as_str(), DEFAULT_MSP));
            if user.is_empty() || msp.is_empty() {
                return Err(format!("{who:?} is not user@MSP"));
            }
            let attrs = attrs.iter().map(|w| pair(w)).collect::<Result<_, _>>()?;
            DevCommand::As {
                user: user.into(),
                msp: msp.into(),
                attrs,
            }
        }
        "whoami" => none(DevCommand::WhoAmI)?,
        "state" | "keys" => DevCommand::State(match rest.as_slice() {
            [] => None,
            _ => Some(key(verb, &rest, KeyUse::Prefix)?),
        }),
        "get" => DevCommand::Get(key(verb, &rest, KeyUse::Exact)?),
        "history" => DevCommand::History(key(verb, &rest, KeyUse::Exact)?),
        "private" => {
            let (collection, prefix) = rest
                .split_first()
                .ok_or("`private` needs a collection name")?;
            DevCommand::Private {
                collection: collection.clone(),
                prefix: match prefix {
                    [] => None,
                    _ => Some(key(verb, prefix, KeyUse::Prefix)?),
                },
            }
        }
        "tx" | "describe" => match rest.as_slice() {
            [] => DevCommand::Describe(None),
            [name] => DevCommand::Describe(Some(name.clone())),
            _ => return Err(format!("`{verb}` takes one transaction name")),
        },
        "events" => none(DevCommand::Events)?,
        "metadata" => none(DevCommand::Metadata)?,
        "reset" => match rest.as_slice() {
            [] => DevCommand::Reset { confirmed: false },
            [yes] if yes == "--yes" || yes == "-y" => DevCommand::Reset { confirmed: true },
            _ => {
                return Err(format!(
                    "`reset` empties the whole ledger and takes no key (got {}); to remove one \
                     key, submit the contract's delete transaction; to empty everything, `reset --yes`",
                    quoted(&rest)
                ));
            }
        },
        "help" | "?" => none(DevCommand::Help)?,
        "quit" | "exit" => none(DevCommand::Quit)?,
        other => {
            let hint = crate::cli::suggest(other, COMMANDS)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown command `{other}`{hint}; type `help` for the list"
            ));
        }
    })
}

/// What a key argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyUse {
    /// One key: a simple key, or a complete composite key.
    Exact,
    /// A prefix: of simple keys, or a partial composite key.
    Prefix,
}

/// Resolves the key words of `get`, `history`, `state`, `private`:
/// - `key`: a simple key (or prefix);
/// - `objectType attr…` (two words or more) or `-c objectType [attr…]`: a composite key,
///   built as Fabric's `CreateCompositeKey` does (a prefix needs no attribute);
/// - `·objectType·attr·`: the displayed form of a composite key, parsed back.
fn key(verb: &str, words: &[String], usage: KeyUse) -> Result<String, String> {
    let what = match usage {
        KeyUse::Exact => "a key",
        KeyUse::Prefix => "a prefix",
    };
    let composite = |parts: &[String]| -> Result<String, String> {
        let (object_type, attributes) = parts
            .split_first()
            .ok_or(format!("`{verb} --composite` needs an object type"))?;
        let attributes: Vec<&str> = attributes.iter().map(String::as_str).collect();
        crate::ledger::create_composite_key(object_type, &attributes).map_err(|e| e.to_string())
    };
    match words {
        [] => Err(format!(
            "`{verb}` needs {what}: `{verb} KEY`, or a composite key as `{verb} OBJECT_TYPE ATTRIBUTE…`"
        )),
        [flag, parts @ ..] if flag == "-c" || flag == "--composite" => composite(parts),
        [single] if single.starts_with(SEPARATOR_SHOWN) => {
            let key = single.replace(SEPARATOR_SHOWN, "\u{0}");
            if usage == KeyUse::Exact && !key.ends_with('\u{0}') {
                return Err(format!(
                    "{single:?} is not a whole composite key: the displayed form ends with `{SEPARATOR_SHOWN}`"
                ));
            }
            Ok(key)
        }
        [single] => Ok(single.clone()),
        parts => composite(parts),
    }
}

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn pair(word: &str) -> Result<(String, String), String> {
    word.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("{word:?} is not key=value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_split_like_a_shell() {
        assert_eq!(
            parse(r#"submit CreateAsset a1 blue 5 "Tom Smith" 300"#).unwrap(),
            DevCommand::Call {
                commit: true,
                function: "CreateAsset".into(),
                args: ["a1", "blue", "5", "Tom Smith", "300"]
                    .map(String::from)
                    .to_vec(),
            }
        );
        assert_eq!(
            parse(r#"query SmartContract:ReadAsset '{"a": 1}'"#).unwrap(),
            DevCommand::Call {
                commit: false,
                function: "SmartContract:ReadAsset".into(),
                args: vec![r#"{"a": 1}"#.into()]
            }
        );
    }

    #[test]
    fn identities_and_transient_data() {
        assert_eq!(
            parse("as bob@Org2MSP role=auditor").unwrap(),
            DevCommand::As {
                user: "bob".into(),
                msp: "Org2MSP".into(),
                attrs: vec![("role".into(), "auditor".into())]
            }
        );
        assert_eq!(
            parse("as alice").unwrap(),
            DevCommand::As {
                user: "alice".into(),
                msp: DEFAULT_MSP.into(),
                attrs: vec![]
            }
        );
        assert_eq!(
            parse("transient price=9").unwrap(),
            DevCommand::Transient(vec![("price".into(), "9".into())])
        );
    }

    #[test]
    fn blank_lines_comments_and_mistakes() {
        assert_eq!(parse("   ").unwrap(), DevCommand::Nothing);
        assert_eq!(parse("# seed the ledger").unwrap(), DevCommand::Nothing);
        assert!(
            parse("frobnicate")
                .unwrap_err()
                .contains("unknown command `frobnicate`")
        );
        assert!(
            parse("submit")
                .unwrap_err()
                .contains("needs a function name")
        );
        assert!(parse("get").unwrap_err().contains("needs a key"));
        assert!(
            parse("transient novalue")
                .unwrap_err()
                .contains("not key=value")
        );
        assert!(
            parse("submit 'unclosed")
                .unwrap_err()
                .contains("unbalanced quotes")
        );
        assert!(parse("as @Org1MSP").unwrap_err().contains("not user@MSP"));
    }

    #[test]
    fn composite_keys_can_be_named() {
        let auction_a1 = "\u{0}auction\u{0}a1\u{0}".to_owned();
        for line in [
            "get auction a1",
            "get -c auction a1",
            "get --composite auction a1",
            "get ·auction·a1·",
        ] {
            assert_eq!(
                parse(line).unwrap(),
                DevCommand::Get(auction_a1.clone()),
                "{line}"
            );
        }
        assert_eq!(
            parse("history auction a1").unwrap(),
            DevCommand::History(auction_a1.clone())
        );
        assert_eq!(parse("get a1").unwrap(), DevCommand::Get("a1".into()));
        // A prefix by object type, with or without leading attributes.
        let auctions = "\u{0}auction\u{0}".to_owned();
        for line in [
            "state -c auction",
            "state ·auction·",
            "keys --composite auction",
        ] {
            assert_eq!(
                parse(line).unwrap(),
                DevCommand::State(Some(auctions.clone())),
                "{line}"
            );
        }
        assert_eq!(
            parse("state bid a1").unwrap(),
            DevCommand::State(Some("\u{0}bid\u{0}a1\u{0}".into()))
        );
        assert_eq!(
            parse("state asset").unwrap(),
            DevCommand::State(Some("asset".into()))
        );
        assert_eq!(parse("state").unwrap(), DevCommand::State(None));
        assert_eq!(
            parse("private bids -c bid a1").unwrap(),
            DevCommand::Private {
                collection: "bids".into(),
                prefix: Some("\u{0}bid\u{0}a1\u{0}".into())
            }
        );
        assert!(
            parse("get ·auction·a1")
                .unwrap_err()
                .contains("not a whole composite key")
        );
        assert!(
            parse("get -c")
                .unwrap_err()
                .contains("needs an object type")
        );
        assert!(parse("get").unwrap_err().contains("OBJECT_TYPE ATTRIBUTE"));
    }

    #[test]
    fn commands_without_arguments_refuse_them() {
        for line in [
            "whoami me",
            "events all",
            "metadata x",
            "help submit",
            "quit now",
        ] {
            let err = parse(line).unwrap_err();
            assert!(err.contains("takes no argument"), "{line}: {err}");
        }
        let err = parse("reset a1").unwrap_err();
        assert!(
            err.contains("empties the whole ledger and takes no key (got `a1`)")
                && err.contains("reset --yes"),
            "{err}"
        );
        assert_eq!(
            parse("reset").unwrap(),
            DevCommand::Reset { confirmed: false }
        );
        assert_eq!(
            parse("reset --yes").unwrap(),
            DevCommand::Reset { confirmed: true }
        );
    }

    #[test]
    fn describe_and_expected_failures() {
        assert_eq!(parse("tx").unwrap(), DevCommand::Describe(None));
        assert_eq!(
            parse("describe CreateAsset").unwrap(),
            DevCommand::Describe(Some("CreateAsset".into()))
        );
        assert!(parse("tx A B").is_err());
        assert_eq!(
            parse_line("! submit Nope"),
            Line {
                expect_failure: true,
                command: Ok(DevCommand::Call {
                    commit: true,
                    function: "Nope".into(),
                    args: vec![]
                })
            }
        );
        assert_eq!(
            parse_line("state"),
            Line {
                expect_failure: false,
                command: Ok(DevCommand::State(None))
            }
        );
        let reset = parse_line("!reset a1");
        assert!(reset.expect_failure && reset.command.is_err());
        assert!(
            parse_line("!")
                .command
                .unwrap_err()
                .contains("no command follows")
        );
        assert!(
            parse("sumbit X")
                .unwrap_err()
                .contains("did you mean `submit`?"),
            "typos get a suggestion"
        );
    }
}
