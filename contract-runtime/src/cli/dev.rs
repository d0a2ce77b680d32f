//! `<chaincode> dev`: the contract against the built-in emulated peer, with no
//! network and no Docker. Commands come from a terminal, standard input or a
//! script file; the ledger persists in a JSON file between runs.
//!
//! The chaincode runs in-process over the emulated peer's in-memory stream, so
//! it sees exactly the messages a real peer would send: the same shim, the
//! same simulation rules (reads do not see own writes, failed transactions
//! write nothing), the same signed proposals with real X.509 identities.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

mod command;
mod gateway;
mod tx;

use self::command::{DevCommand, HELP, SEPARATOR_SHOWN};
use self::tx::Catalogue;
use super::{Program, fail};
use crate::shim::{Registration, serve_stream};
use crate::testing::identity::{TestCa, TestIdentity};
use crate::testing::ledger::Ledger;
use crate::testing::peer::{ChaincodeDefinition, EmulatedPeer, Invocation, PeerOptions, TxOutcome};

/// Options of the `dev` subcommand.
#[derive(Debug, clap::Args)]
pub struct DevArgs {
    /// Read commands from this file (`-` for standard input) instead of the terminal.
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// Ledger file, created if absent and saved after every committed transaction.
    #[arg(long, default_value = "fabric-dev.ledger.json")]
    pub ledger: PathBuf,
    /// Keep the ledger in memory only (start empty, save nothing).
    #[arg(long, conflicts_with = "ledger")]
    pub in_memory: bool,
    /// Chaincode name on the emulated channel.
    #[arg(long, default_value = "dev")]
    pub name: String,
    /// Channel name.
    #[arg(long, default_value = "mychannel")]
    pub channel: String,
    /// Private data collection the chaincode definition declares (repeatable).
    #[arg(long = "collection")]
    pub collections: Vec<String>,
    /// Script mode: run every line even after a failure (the exit code is
    /// still non-zero). By default a script stops at the first failed line;
    /// a line starting with `!` is expected to fail.
    #[arg(long)]
    pub keep_going: bool,
    /// Interactive history file (default: `.fabric-dev-history` in the home folder).
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// Serve Fabric's Gateway protocol on ADDR instead of the console, so client
    /// applications run unchanged (runs the `fabric-dev-gateway` program).
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1:7051")]
    pub gateway: Option<String>,
    /// Further `fabric-dev-gateway` flags, after `--` (e.g. `-- --tls --identity bob@Org2MSP`).
    #[arg(last = true, requires = "gateway")]
    pub gateway_args: Vec<String>,
}

/// One console session: the peer, the chaincode attached to it, who is calling.
struct Session {
    peer: EmulatedPeer,
    args: DevArgs,
    authorities: BTreeMap<String, TestCa>,
    identities: BTreeMap<String, TestIdentity>,
    caller: String,
    transient: BTreeMap<String, Vec<u8>>,
    events: Vec<String>,
    metadata: Option<String>,
    catalogue: Catalogue,
}

pub(super) fn run<P: Program>(program: P, args: DevArgs) -> ExitCode {
    if let Some(listen) = &args.gateway {
        return gateway::run(&args, listen);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(1, &format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async move {
        let mut session = match Session::start(program, args).await {
            Ok(session) => session,
            Err(message) => return fail(2, &message),
        };
        session.repl().await
    })
}

impl Session {
    async fn start<P: Program>(program: P, args: DevArgs) -> Result<Self, String> {
        let ledger = if args.in_memory || !args.ledger.exists() {
            Ledger::new()
        } else {
            let text = std::fs::read_to_string(&args.ledger).map_err(|e| {
                format!("cannot read the ledger file {}: {e}", args.ledger.display())
            })?;
            Ledger::from_json(&text).map_err(|e| {
                format!(
                    "{} is not a dev ledger file ({e}); move it away or pass --in-memory",
                    args.ledger.display()
                )
            })?
        };
        let mut definition = ChaincodeDefinition::new(&args.name);
        for collection in &args.collections {
            definition = definition.collection(collection);
        }
        let options = PeerOptions::default()
            .channels([args.channel.clone()])
            .chaincode(definition);
        let peer = EmulatedPeer::with_ledger(options, ledger);

        let attached = peer.attach();
        let inbound =
            UnboundedReceiverStream::new(attached.from_peer).map(Ok::<_, std::convert::Infallible>);
        let chaincode = Arc::new(program.chaincode());
        let registration = Registration::new(args.name.clone());
        let outbound = attached.to_peer;
        tokio::spawn(async move {
            let Err(error) = serve_stream(chaincode, &registration, inbound, outbound).await;
            tracing::debug!(%error, "the dev chaincode stopped");
        });
        peer.wait_registered(&args.name, Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?;

        let mut session = Self {
            peer,
            args,
            authorities: BTreeMap::new(),
            identities: BTreeMap::new(),
            caller: String::new(),
            transient: BTreeMap::new(),
            events: Vec::new(),
            catalogue: program
                .metadata()
                .map(|m| Catalogue::from_metadata(&m))
                .unwrap_or_default(),
            metadata: program.metadata().ok(),
        };
        session.switch_identity("admin", command::DEFAULT_MSP, &[]);
        Ok(session)
    }

    async fn repl(&mut self) -> ExitCode {
        let interactive = self.args.script.is_none() && std::io::stdin().is_terminal();
        if interactive {
            return self.interactive().await;
        }
        let reader: Box<dyn BufRead> = match &self.args.script {
            Some(path) if path.as_os_str() != "-" => match std::fs::File::open(path) {
                Ok(file) => Box::new(std::io::BufReader::new(file)),
                Err(e) => {
                    return fail(
                        2,
                        &format!("cannot read the script {}: {e}", path.display()),
                    );
                }
            },
            _ => Box::new(std::io::BufReader::new(std::io::stdin())),
        };
        let mut failures = 0usize;
        for (number, line) in reader.lines().enumerate() {
            let line = match line {
                Ok(line) => line,
                Err(e) => return fail(1, &format!("cannot read a command: {e}")),
            };
            if !line.trim().is_empty() {
                println!("> {}", line.trim());
            }
            match self.run_line(&line).await {
                Step::Continue => {}
                Step::Quit => break,
                Step::Failed => {
                    failures += 1;
                    if !self.args.keep_going {
                        println!(
                            "script stopped at line {}: the command failed (mark a line expected to fail with a leading `!`, or pass --keep-going)",
                            number + 1
                        );
                        return ExitCode::from(1);
                    }
                }
            }
        }
        if failures > 0 {
            println!("{failures} command(s) failed");
            return ExitCode::from(1);
        }
        ExitCode::SUCCESS
    }

    /// The terminal console: line editing, history, completion; Ctrl-C drops
    /// the line, Ctrl-D (or `quit`) leaves.
    async fn interactive(&mut self) -> ExitCode {
        use rustyline::error::ReadlineError;

        println!(
            "fabric-contract dev console: chaincode `{}` on channel `{}`",
            self.args.name, self.args.channel
        );
        println!(
            "calling as {}; type `help` for commands, Tab to complete",
            self.caller
        );
        let config = rustyline::Config::builder()
            .auto_add_history(true)
            .completion_type(rustyline::CompletionType::List)
            .max_history_size(1000)
            .map(|b| b.build());
        let editor = config.and_then(|config| {
            rustyline::Editor::<ConsoleHelper, rustyline::history::FileHistory>::with_config(config)
        });
        let mut editor = match editor {
            Ok(editor) => editor,
            Err(e) => return fail(1, &format!("cannot start the line editor: {e}")),
        };
        editor.set_helper(Some(ConsoleHelper(self.catalogue.clone())));
        let history = self.args.history.clone().or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".fabric-dev-history"))
        });
        if let Some(path) = &history {
            // A missing file is the first run; an unreadable one only loses history.
            let _ = editor.load_history(path);
        }
        loop {
            match editor.readline("fabric> ") {
                Ok(line) => match self.run_line(&line).await {
                    Step::Quit => break,
                    Step::Continue | Step::Failed => {}
                },
                Err(ReadlineError::Interrupted) => {
                    println!("^C (the line is dropped; quit or Ctrl-D leaves)");
                }
                Err(ReadlineError::Eof) => break,
                Err(e) => return fail(1, &format!("cannot read a command: {e}")),
            }
        }
        if let Some(path) = &history
            && let Err(e) = editor.save_history(path)
        {
            tracing::warn!(path = %path.display(), error = %e, "cannot save the console history");
        }
        ExitCode::SUCCESS
    }

    /// Runs one line and reports whether it went as expected.
    async fn run_line(&mut self, line: &str) -> Step {
        let parsed = command::parse_line(line);
        let outcome = match parsed.command {
            Ok(DevCommand::Quit) => return Step::Quit,
            Ok(command) => self.execute(command).await,
            Err(message) => Err(message),
        };
        match (outcome, parsed.expect_failure) {
            (Ok(()), false) => Step::Continue,
            (Err(message), expected) => {
                // A failed transaction has already been reported with its status.
                if !message.is_empty() {
                    println!("error: {message}");
                }
                if expected {
                    println!("(failed as expected)");
                    Step::Continue
                } else {
                    Step::Failed
                }
            }
            (Ok(()), true) => {
                println!("error: this line is marked `!` (expected to fail) but succeeded");
                Step::Failed
            }
        }
    }

    async fn execute(&mut self, command: DevCommand) -> Result<(), String> {
        match command {
            DevCommand::Call {
                commit,
                function,
                args,
            } => {
                let explanation = self.catalogue.explain_failure(&function, args.len());
                let mut all = vec![function];
                all.extend(args);
                let invocation = if commit {
                    Invocation::submit(&self.args.name, &all)
                } else {
                    Invocation::evaluate(&self.args.name, &all)
                };
                let outcome = self.call(invocation, commit).await;
                match (outcome, explanation) {
                    (Err(message), Some(hint)) if message.is_empty() => Err(hint),
                    (outcome, _) => outcome,
                }
            }
            DevCommand::Init { args } => {
                self.call(Invocation::submit(&self.args.name, &args).init(), true)
                    .await
            }
            DevCommand::Transient(pairs) => {
                self.transient = pairs
                    .into_iter()
                    .map(|(k, v)| (k, v.into_bytes()))
                    .collect();
                println!(
                    "transient data set for the next call: {:?}",
                    self.transient.keys().collect::<Vec<_>>()
                );
                Ok(())
            }
            DevCommand::As { user, msp, attrs } => {
                self.switch_identity(&user, &msp, &attrs);
                println!("calling as {}", self.caller);
                Ok(())
            }
            DevCommand::WhoAmI => {
                let identity = &self.identities[&self.caller];
                println!(
                    "{} (MSP {}, id {})",
                    self.caller,
                    identity.msp_id(),
                    identity.id_text()
                );
                Ok(())
            }
            DevCommand::State(prefix) => {
                let state = self
                    .peer
                    .ledger()
                    .state(&self.args.channel, &self.args.name);
                print_entries(
                    state
                        .iter()
                        .filter(|(k, _)| prefix.as_deref().is_none_or(|p| k.starts_with(p))),
                );
                Ok(())
            }
            DevCommand::Get(key) => {
                match self
                    .peer
                    .ledger()
                    .get_state(&self.args.channel, &self.args.name, &key)
                {
                    Some(value) => println!("{}", render(&value)),
                    None => println!("(no value)"),
                }
                Ok(())
            }
            DevCommand::History(key) => {
                let history = self
                    .peer
                    .ledger()
                    .history(&self.args.channel, &self.args.name, &key);
                if history.is_empty() {
                    println!("(no history)");
                }
                for entry in history {
                    let what = if entry.is_delete {
                        "deleted".to_owned()
                    } else {
                        render(&entry.value)
                    };
                    let at = entry.timestamp.map_or_else(
                        || "(no timestamp)".to_owned(),
                        |t| rfc3339(t.seconds, t.nanos),
                    );
                    println!("tx {} at {at}: {what}", short(&entry.tx_id));
                }
                Ok(())
            }
            DevCommand::Private { collection, prefix } => {
                let entries = self.peer.ledger().private_state(
                    &self.args.channel,
                    &self.args.name,
                    &collection,
                );
                print_entries(
                    entries
                        .iter()
                        .filter(|(k, _)| prefix.as_deref().is_none_or(|p| k.starts_with(p))),
                );
                Ok(())
            }
            DevCommand::Events => {
                if self.events.is_empty() {
                    println!("(no events)");
                }
                self.events.iter().for_each(|e| println!("{e}"));
                Ok(())
            }
            DevCommand::Metadata => match &self.metadata {
                Some(document) => {
                    let pretty = serde_json::from_str::<serde_json::Value>(document)
                        .and_then(|v| serde_json::to_string_pretty(&v))
                        .unwrap_or_else(|_| document.clone());
                    println!("{pretty}");
                    Ok(())
                }
                None => Err("this chaincode has no contract metadata".into()),
            },
            DevCommand::Reset { confirmed } => {
                let ledger = self.peer.ledger();
                let keys = ledger.state(&self.args.channel, &self.args.name).len();
                let saved = if self.args.in_memory {
                    "in memory".to_owned()
                } else {
                    format!("saved to {}", self.args.ledger.display())
                };
                let what = format!(
                    "the whole ledger: all world state ({keys} key(s) of `{}` on `{}`), private data, \
                     history and blocks of every chaincode and channel; the empty ledger is {saved}",
                    self.args.name, self.args.channel
                );
                if !confirmed {
                    return Err(format!(
                        "`reset` would remove {what}. Type `reset --yes` to do it"
                    ));
                }
                ledger.reset();
                self.save()?;
                println!("removed {what}");
                Ok(())
            }
            DevCommand::Describe(None) => {
                if self.catalogue.is_empty() {
                    return Err("this chaincode has no contract metadata".into());
                }
                for tx in self.catalogue.all() {
                    println!("{}", tx.signature());
                }
                Ok(())
            }
            DevCommand::Describe(Some(name)) => {
                let Some(tx) = self.catalogue.find(&name) else {
                    return Err(self
                        .catalogue
                        .explain_failure(&name, 0)
                        .unwrap_or_else(|| "this chaincode has no contract metadata".into()));
                };
                println!("{}", tx.signature());
                if let Some(description) = &tx.description {
                    println!("  {description}");
                }
                for param in &tx.params {
                    println!("  {}: {}", param.name, param.ty);
                }
                Ok(())
            }
            DevCommand::Help => {
                println!("{HELP}");
                Ok(())
            }
            DevCommand::Quit | DevCommand::Nothing => Ok(()),
        }
    }

    async fn call(&mut self, invocation: Invocation, commit: bool) -> Result<(), String> {
        let identity = &self.identities[&self.caller];
        let mut invocation = invocation
            .channel(&self.args.channel)
            .creator(identity.creator());
        for (key, value) in std::mem::take(&mut self.transient) {
            invocation = invocation.transient(&key, value);
        }
        let outcome = self
            .peer
            .invoke(invocation)
            .await
            .map_err(|e| e.to_string())?;
        self.report(&outcome, commit);
        if commit && outcome.is_endorsable() {
            self.save()?;
        }
        if outcome.is_endorsable() {
            Ok(())
        } else {
            Err(String::new())
        }
    }

    fn report(&mut self, outcome: &TxOutcome, commit: bool) {
        let response = &outcome.response;
        let committed = match (commit, outcome.is_endorsable()) {
            (true, true) => format!("committed, {} write(s)", outcome.writes.len()),
            (true, false) => "not committed".to_owned(),
            (false, _) => "evaluated, nothing committed".to_owned(),
        };
        println!(
            "status {} (tx {}, {committed})",
            response.status,
            short(&outcome.tx_id)
        );
        if !response.message.is_empty() {
            println!("message: {}", response.message);
        }
        if !response.payload.is_empty() {
            println!("payload: {}", render(&response.payload));
        }
        if let Some(event) = outcome.event.as_ref().filter(|_| outcome.is_endorsable()) {
            let line = format!("event {}: {}", event.event_name, render(&event.payload));
            println!("{line}");
            if commit {
                self.events
                    .push(format!("tx {} {line}", short(&outcome.tx_id)));
            }
        }
    }

    fn switch_identity(&mut self, user: &str, msp: &str, attrs: &[(String, String)]) {
        let name = format!("{user}@{msp}");
        if !self.identities.contains_key(&name) {
            let ca = self
                .authorities
                .entry(msp.to_owned())
                .or_insert_with(|| TestCa::new(msp));
            let mut builder = ca.identity().cn(user).ou("client");
            for (key, value) in attrs {
                builder = builder.attr(key, value);
            }
            self.identities.insert(name.clone(), builder.build());
        }
        self.caller = name;
    }

    fn save(&self) -> Result<(), String> {
        if self.args.in_memory {
            return Ok(());
        }
        let path = &self.args.ledger;
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, self.peer.ledger().to_json())
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| format!("cannot save the ledger to {}: {e}", path.display()))
    }
}

/// How a line went.
enum Step {
    Continue,
    Failed,
    Quit,
}

/// The line editor's helper: completion and hints from the contract's metadata.
struct ConsoleHelper(Catalogue);

impl rustyline::completion::Completer for ConsoleHelper {
    type Candidate = rustyline::completion::Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<rustyline::completion::Pair>)> {
        let (start, candidates) = self.0.complete(line, pos);
        Ok((
            start,
            candidates
                .into_iter()
                .map(|(display, replacement)| rustyline::completion::Pair {
                    display,
                    replacement,
                })
                .collect(),
        ))
    }
}

impl rustyline::hint::Hinter for ConsoleHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _: &rustyline::Context<'_>) -> Option<String> {
        (pos == line.len()).then(|| self.0.hint(line)).flatten()
    }
}

impl rustyline::highlight::Highlighter for ConsoleHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> std::borrow::Cow<'h, str> {
        // Dim, so the hint does not read as typed text.
        std::borrow::Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
    }
}

impl rustyline::validate::Validator for ConsoleHelper {}

impl rustyline::Helper for ConsoleHelper {}

/// `seconds`/`nanos` since the Unix epoch as RFC 3339 UTC
/// (`2024-05-01T12:00:00.5Z`; no fraction when it is zero).
fn rfc3339(seconds: i64, nanos: i32) -> String {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    // Civil date from a day count (Howard Hinnant's days_from_civil, inverted).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let fraction = if nanos > 0 {
        let digits = format!(".{nanos:09}");
        digits.trim_end_matches('0').to_owned()
    } else {
        String::new()
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{fraction}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

fn print_entries<'a>(entries: impl Iterator<Item = (&'a String, &'a Vec<u8>)>) {
    let mut any = false;
    for (key, value) in entries {
        any = true;
        println!("{}  {}", printable_key(key), render(value));
    }
    if !any {
        println!("(empty)");
    }
}

/// Composite keys hold U+0000 separators: show them as `·` (which `get`,
/// `history` and `state` accept back).
fn printable_key(key: &str) -> String {
    key.replace('\u{0}', &SEPARATOR_SHOWN.to_string())
}

/// JSON compactly as stored, other UTF-8 text as is, bytes as hex.
fn render(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => format!("0x{}", hex::encode(bytes)),
    }
}

fn short(tx_id: &str) -> &str {
    &tx_id[..tx_id.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(1_714_564_800, 500_000_000),
            "2024-05-01T12:00:00.5Z"
        );
        assert_eq!(rfc3339(951_782_400, 1), "2000-02-29T00:00:00.000000001Z");
        assert_eq!(rfc3339(-1, 0), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339(4_102_444_799, 0), "2099-12-31T23:59:59Z");
    }
}
