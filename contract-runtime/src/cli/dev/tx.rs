//! What the dev console knows about the contract's transactions, read from
//! the chaincode's own metadata: names and parameters for completion, hints,
//! `tx NAME` and the explanations added to failed calls.

use serde_json::Value;

use super::command::{COMMANDS, TAKES_TRANSACTION};

/// The metadata's name of Fabric's system contract, which the console does not offer.
const SYSTEM_CONTRACT: &str = "org.hyperledger.fabric";

/// One transaction's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxSig {
    /// Its contract.
    pub contract: String,
    /// Whether that contract is the default one (callable without `Contract:`).
    pub default: bool,
    /// The transaction name.
    pub name: String,
    /// Tagged submit (else evaluate).
    pub submit: bool,
    /// Parameters, in order.
    pub params: Vec<Param>,
    /// The returned type, if any.
    pub returns: Option<String>,
    /// The doc comment, if any.
    pub description: Option<String>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its type, in short (`string`, `integer (int64)`, `Asset`, `array of string`).
    pub ty: String,
}

impl TxSig {
    /// `Contract:Function` for a non-default contract, `Function` otherwise.
    pub fn call_name(&self) -> String {
        if self.default {
            self.name.clone()
        } else {
            format!("{}:{}", self.contract, self.name)
        }
    }

    /// `submit CreateAsset(id: string, size: integer (int64)) -> Asset`.
    pub fn signature(&self) -> String {
        let params = self
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty))
            .collect::<Vec<_>>()
            .join(", ");
        let kind = if self.submit { "submit" } else { "evaluate" };
        let returns = self
            .returns
            .as_ref()
            .map(|r| format!(" -> {r}"))
            .unwrap_or_default();
        format!("{kind} {}({params}){returns}", self.call_name())
    }

    /// The parameter names, space separated.
    pub fn param_names(&self) -> String {
        self.params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The transactions of every contract in the chaincode, in metadata order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    txs: Vec<TxSig>,
}

impl Catalogue {
    /// Reads a GetMetadata document; anything it cannot read is left out.
    pub fn from_metadata(document: &str) -> Self {
        let Ok(root) = serde_json::from_str::<Value>(document) else {
            return Self::default();
        };
        let mut txs = Vec::new();
        let Some(contracts) = root.get("contracts").and_then(Value::as_object) else {
            return Self::default();
        };
        // A lone contract is the default even when the document does not say so.
        let user_contracts = contracts.keys().filter(|k| *k != SYSTEM_CONTRACT).count();
        for (contract, body) in contracts {
            if contract == SYSTEM_CONTRACT {
                continue;
            }
            let default =
                user_contracts == 1 || body.get("default").and_then(Value::as_bool) == Some(true);
            let Some(list) = body.get("transactions").and_then(Value::as_array) else {
                continue;
            };
            for tx in list {
                let Some(name) = tx.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let tags: Vec<&str> = tx
                    .get("tag")
                    .and_then(Value::as_array)
                    .map(|t| t.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let params = tx
                    .get("parameters")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .map(|p| Param {
                                name: p
                                    .get("name")
                                    .and_then(Value::as_str)
                                    .unwrap_or("?")
                                    .to_owned(),
                                ty: p.get("schema").map_or_else(|| "?".into(), type_name),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                txs.push(TxSig {
                    contract: contract.clone(),
                    default,
                    name: name.to_owned(),
                    submit: tags.iter().any(|t| t.eq_ignore_ascii_case("submit")),
                    params,
                    returns: tx.get("returns").map(type_name),
                    description: tx
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
            }
        }
        Self { txs }
    }

    /// Whether there is nothing to offer (no metadata, a raw chaincode).
    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }

    /// All transactions.
    pub fn all(&self) -> &[TxSig] {
        &self.txs
    }

    /// The transaction a call names: `Contract:Function` (split at the last
    /// `:`) or a default contract's `Function`; like the contract router, a
    /// lower-case first letter also finds the capitalised name.
    pub fn find(&self, function: &str) -> Option<&TxSig> {
        let (contract, name) = match function.rsplit_once(':') {
            Some((contract, name)) => (Some(contract), name),
            None => (None, function),
        };
        let mut chars = name.chars();
        let capitalised: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        let matches = |tx: &&TxSig, wanted: &str| {
            tx.name == wanted
                && match contract {
                    Some(contract) => tx.contract == contract,
                    None => tx.default,
                }
        };
        let exact = self.txs.iter().find(|tx| matches(tx, name));
        exact.or_else(|| self.txs.iter().find(|tx| matches(tx, &capitalised)))
    }

    /// The names a call can use, for completion and for listing.
    pub fn call_names(&self) -> Vec<String> {
        self.txs.iter().map(TxSig::call_name).collect()
    }

    /// What to add to a failed call's report: the available transactions
    /// when the name is unknown, the parameters when the count is wrong.
    pub fn explain_failure(&self, function: &str, args: usize) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        match self.find(function) {
            None => Some(format!(
                "no transaction `{function}`; available: {}",
                self.call_names().join(", ")
            )),
            Some(tx) if tx.params.len() != args => Some(format!(
                "`{}` takes {} argument(s) ({}), got {args}",
                tx.call_name(),
                tx.params.len(),
                if tx.params.is_empty() {
                    "none".to_owned()
                } else {
                    tx.param_names()
                }
            )),
            Some(_) => None,
        }
    }

    /// Completion at byte `pos` of `line`: where the replaced word starts and
    /// the candidates (display text, replacement).
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<(String, String)>) {
        let head = &line[..pos.min(line.len())];
        let offset = head.len() - head.trim_start_matches(['!', ' ']).len();
        let body = &head[offset..];
        let start = body.rfind(char::is_whitespace).map_or(0, |i| {
            i + body[i..].chars().next().map_or(1, char::len_utf8)
        });
        let word = &body[start..];
        let before: Vec<&str> = body[..start].split_whitespace().collect();
        let prefixed = |names: Vec<String>| -> Vec<(String, String)> {
            names
                .into_iter()
                .filter(|n| n.starts_with(word))
                .map(|n| (n.clone(), n))
                .collect()
        };
        let candidates = match before.as_slice() {
            [] => prefixed(COMMANDS.iter().map(|c| (*c).to_owned()).collect()),
            [verb] if TAKES_TRANSACTION.contains(verb) => prefixed(self.call_names()),
            [verb, function, args @ ..] if is_call(verb) => match self.find(function) {
                // An argument position: show which parameter it fills (the
                // replacement keeps what is typed, so Tab only informs).
                Some(tx) => tx
                    .params
                    .get(args.len())
                    .map(|p| vec![(format!("<{}: {}>", p.name, p.ty), word.to_owned())])
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        (offset + start, candidates)
    }

    /// The greyed-out hint after the cursor: the parameters still to give.
    pub fn hint(&self, line: &str) -> Option<String> {
        let body = line.trim_start_matches(['!', ' ']);
        let words: Vec<&str> = body.split_whitespace().collect();
        let (verb, function, args) = match words.as_slice() {
            [verb, function, args @ ..] if is_call(verb) => (verb, function, args),
            _ => return None,
        };
        let _ = verb;
        let tx = self.find(function)?;
        // Typing a word: the hint starts after it.
        let typed = if line.ends_with(char::is_whitespace) {
            args.len()
        } else if args.is_empty() {
            return (!tx.params.is_empty()).then(|| format!(" {}", tx.param_names()));
        } else {
            args.len()
        };
        let rest: Vec<&str> = tx
            .params
            .iter()
            .skip(typed)
            .map(|p| p.name.as_str())
            .collect();
        if rest.is_empty() {
            return None;
        }
        let lead = if line.ends_with(char::is_whitespace) {
            ""
        } else {
            " "
        };
        Some(format!("{lead}{}", rest.join(" ")))
    }
}

fn is_call(verb: &str) -> bool {
    matches!(verb, "submit" | "invoke" | "evaluate" | "query")
}

/// A short name for a JSON schema.
fn type_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "array of {}",
            schema.get("items").map_or_else(|| "any".into(), type_name)
        ),
        Some(ty) => match schema.get("format").and_then(Value::as_str) {
            Some(format) => format!("{ty} ({format})"),
            None => ty.to_owned(),
        },
        None => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const METADATA: &str = r##"{
      "info": {"title": "auction", "version": "0.1.0"},
      "contracts": {
        "Auction": {"name": "Auction", "default": true, "transactions": [
          {"name": "CreateAuction", "tag": ["submit", "SUBMIT"], "description": "Opens an auction.",
           "parameters": [{"name": "id", "schema": {"type": "string"}},
                          {"name": "reserve", "schema": {"type": "integer", "format": "int64"}}]},
          {"name": "GetAuction", "tag": ["evaluate", "EVALUATE"],
           "parameters": [{"name": "id", "schema": {"type": "string"}}],
           "returns": {"$ref": "#/components/schemas/Auction"}}
        ]},
        "Admin": {"name": "Admin", "transactions": [
          {"name": "Purge", "tag": ["submit"], "parameters": [],
           "returns": {"type": "array", "items": {"type": "string"}}}
        ]},
        "org.hyperledger.fabric": {"name": "org.hyperledger.fabric", "transactions": [
          {"name": "GetMetadata", "tag": ["evaluate"], "parameters": []}
        ]}
      }
    }"##;

    fn catalogue() -> Catalogue {
        Catalogue::from_metadata(METADATA)
    }

    #[test]
    fn signatures_come_from_the_metadata() {
        let c = catalogue();
        assert_eq!(
            c.call_names(),
            ["Admin:Purge", "CreateAuction", "GetAuction"]
        );
        assert_eq!(
            c.find("CreateAuction").unwrap().signature(),
            "submit CreateAuction(id: string, reserve: integer (int64))"
        );
        assert_eq!(
            c.find("Auction:getAuction").unwrap().signature(),
            "evaluate GetAuction(id: string) -> Auction"
        );
        assert_eq!(
            c.find("Admin:Purge").unwrap().signature(),
            "submit Admin:Purge() -> array of string"
        );
        assert!(
            c.find("Purge").is_none(),
            "Admin is not the default contract"
        );
        assert!(c.find("GetMetadata").is_none());
    }

    #[test]
    fn failures_are_explained() {
        let c = catalogue();
        assert_eq!(
            c.explain_failure("Nope", 0).unwrap(),
            "no transaction `Nope`; available: Admin:Purge, CreateAuction, GetAuction"
        );
        assert_eq!(
            c.explain_failure("CreateAuction", 1).unwrap(),
            "`CreateAuction` takes 2 argument(s) (id reserve), got 1"
        );
        assert_eq!(
            c.explain_failure("Admin:Purge", 1).unwrap(),
            "`Admin:Purge` takes 0 argument(s) (none), got 1"
        );
        assert_eq!(c.explain_failure("GetAuction", 1), None);
        assert_eq!(Catalogue::default().explain_failure("Nope", 0), None);
    }

    fn replacements(c: &Catalogue, line: &str) -> (usize, Vec<String>) {
        let (start, candidates) = c.complete(line, line.len());
        (start, candidates.into_iter().map(|(d, _)| d).collect())
    }

    #[test]
    fn completes_commands_transactions_and_parameters() {
        let c = catalogue();
        assert_eq!(replacements(&c, "su"), (0, vec!["submit".to_owned()]));
        assert_eq!(
            replacements(&c, "h"),
            (0, vec!["history".to_owned(), "help".to_owned()])
        );
        assert_eq!(
            replacements(&c, "submit Cre"),
            (7, vec!["CreateAuction".to_owned()])
        );
        assert_eq!(
            replacements(&c, "!evaluate Adm"),
            (10, vec!["Admin:Purge".to_owned()])
        );
        assert_eq!(
            replacements(&c, "tx "),
            (
                3,
                vec![
                    "Admin:Purge".to_owned(),
                    "CreateAuction".to_owned(),
                    "GetAuction".to_owned()
                ]
            )
        );
        assert_eq!(
            replacements(&c, "submit CreateAuction a1 "),
            (24, vec!["<reserve: integer (int64)>".to_owned()])
        );
        let (_, candidates) = c.complete("submit CreateAuction a", 22);
        assert_eq!(
            candidates,
            vec![("<id: string>".to_owned(), "a".to_owned())],
            "Tab on an argument keeps the typed text"
        );
        assert_eq!(
            replacements(&c, "submit CreateAuction a1 5 ").1,
            Vec::<String>::new()
        );
        assert_eq!(replacements(&c, "get a").1, Vec::<String>::new());
    }

    #[test]
    fn hints_name_the_missing_parameters() {
        let c = catalogue();
        assert_eq!(
            c.hint("submit CreateAuction").as_deref(),
            Some(" id reserve")
        );
        assert_eq!(
            c.hint("submit CreateAuction ").as_deref(),
            Some("id reserve")
        );
        assert_eq!(
            c.hint("submit CreateAuction a1 ").as_deref(),
            Some("reserve")
        );
        assert_eq!(
            c.hint("submit CreateAuction a1").as_deref(),
            Some(" reserve")
        );
        assert_eq!(c.hint("submit CreateAuction a1 9"), None);
        assert_eq!(c.hint("submit Nope "), None);
        assert_eq!(c.hint("state "), None);
    }

    #[test]
    fn unreadable_metadata_offers_nothing() {
        assert!(Catalogue::from_metadata("not json").is_empty());
        assert!(Catalogue::from_metadata("{}").is_empty());
    }
}
