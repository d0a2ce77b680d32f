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
    /// List world-state keys and values, optionally under a prefix.
    State(Option<String>),
    /// Show one world-state key.
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
    /// List the events committed transactions emitted.
    Events,
    /// Print the contract metadata.
    Metadata,
    /// Empty the ledger.
    Reset,
    /// Show the command list.
    Help,
    /// Leave the console.
    Quit,
    /// A blank or comment line.
    Nothing,
}

/// The console's help text.
pub const HELP: &str = "\
commands:
  submit <[Contract:]Function> [args...]   run a transaction and commit its writes (alias: invoke)
  evaluate <[Contract:]Function> [args...] run a transaction without committing (alias: query)
  init [Function] [args...]                send INIT (chaincode defined with --init-required)
  transient <key>=<value>...               transient data for the next call only
  as <user>[@<MSP>] [attr=value...]        call as this identity (created on first use)
  whoami                                   show the calling identity
  state [prefix]                           list world-state keys and values
  get <key>                                show one key
  history <key>                            show a key's history, newest first
  private <collection> [prefix]            list a private data collection
  events                                   list the events of committed transactions
  metadata                                 print the contract metadata
  reset                                    empty the ledger
  help | quit
Arguments are split like a shell: quote JSON, e.g. submit CreateAsset a1 blue 5 \"Tom Smith\" 300";

/// The MSP of identities named without one.
pub const DEFAULT_MSP: &str = "Org1MSP";

/// Parses one line.
pub fn parse(line: &str) -> Result<DevCommand, String> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(DevCommand::Nothing);
    }
    let words = shlex::split(trimmed).ok_or("unbalanced quotes in the command line")?;
    let (verb, rest) = words.split_first().ok_or("empty command")?;
    let rest = rest.to_vec();
    let one = |what: &str| -> Result<String, String> {
        match rest.as_slice() {
            [single] => Ok(single.clone()),
            _ => Err(format!("`{verb}` takes exactly one {what}")),
        }
    };
    let optional = || -> Result<Option<String>, String> {
        match rest.as_slice() {
            [] => Ok(None),
            [single] => Ok(Some(single.clone())),
            _ => Err(format!("`{verb}` takes at most one prefix")),
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
        "whoami" => DevCommand::WhoAmI,
        "state" | "keys" => DevCommand::State(optional()?),
        "get" => DevCommand::Get(one("key")?),
        "history" => DevCommand::History(one("key")?),
        "private" => {
            let (collection, prefix) = rest
                .split_first()
                .ok_or("`private` needs a collection name")?;
            if prefix.len() > 1 {
                return Err("`private` takes a collection and at most one prefix".into());
            }
            DevCommand::Private {
                collection: collection.clone(),
                prefix: prefix.first().cloned(),
            }
        }
        "events" => DevCommand::Events,
        "metadata" => DevCommand::Metadata,
        "reset" => DevCommand::Reset,
        "help" | "?" => DevCommand::Help,
        "quit" | "exit" => DevCommand::Quit,
        other => {
            return Err(format!(
                "unknown command `{other}`; type `help` for the list"
            ));
        }
    })
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
        assert!(parse("get").unwrap_err().contains("exactly one key"));
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
}
