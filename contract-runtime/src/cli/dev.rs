//! `<chaincode> dev`: the contract against the built-in emulated peer, with no
//! network and no Docker. Commands come from a terminal, standard input or a
//! script file; the ledger persists in a JSON file between runs.
//!
//! The chaincode runs in-process over the emulated peer's in-memory stream, so
//! it sees exactly the messages a real peer would send: the same shim, the
//! same simulation rules (reads do not see own writes, failed transactions
//! write nothing), the same signed proposals with real X.509 identities.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

use super::dev_command::{self, DevCommand, HELP};
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
    /// Stop at the first failed command (the default in script mode is to go on).
    #[arg(long)]
    pub fail_fast: bool,
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
}

pub(super) fn run<P: Program>(program: P, args: DevArgs) -> ExitCode {
    if let Some(listen) = &args.gateway {
        return super::dev_gateway::run(&args, listen);
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
            metadata: program.metadata().ok(),
        };
        session.switch_identity("admin", dev_command::DEFAULT_MSP, &[]);
        Ok(session)
    }

    async fn repl(&mut self) -> ExitCode {
        let interactive = self.args.script.is_none() && std::io::stdin().is_terminal();
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
        if interactive {
            println!(
                "fabric-contract dev console: chaincode `{}` on channel `{}`",
                self.args.name, self.args.channel
            );
            println!("calling as {}; type `help` for commands", self.caller);
        }
        let mut failures = 0usize;
        let mut lines = reader.lines();
        loop {
            if interactive {
                print!("fabric> ");
                let _ = std::io::stdout().flush();
            }
            let Some(line) = lines.next() else { break };
            let line = match line {
                Ok(line) => line,
                Err(e) => return fail(1, &format!("cannot read a command: {e}")),
            };
            if !interactive && !line.trim().is_empty() {
                println!("> {}", line.trim());
            }
            let outcome = match dev_command::parse(&line) {
                Ok(DevCommand::Quit) => break,
                Ok(command) => self.execute(command).await,
                Err(message) => Err(message),
            };
            if let Err(message) = outcome {
                failures += 1;
                // A failed transaction has already been reported with its status.
                if !message.is_empty() {
                    println!("error: {message}");
                }
                if self.args.fail_fast {
                    return ExitCode::from(1);
                }
            }
        }
        if failures > 0 && !interactive {
            println!("{failures} command(s) failed");
        }
        ExitCode::SUCCESS
    }

    async fn execute(&mut self, command: DevCommand) -> Result<(), String> {
        match command {
            DevCommand::Call {
                commit,
                function,
                args,
            } => {
                let mut all = vec![function];
                all.extend(args);
                let invocation = if commit {
                    Invocation::submit(&self.args.name, &all)
                } else {
                    Invocation::evaluate(&self.args.name, &all)
                };
                self.call(invocation, commit).await
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
                    let seconds = entry.timestamp.map_or(0, |t| t.seconds);
                    println!("tx {} at {seconds}: {what}", short(&entry.tx_id));
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
            DevCommand::Reset => {
                self.peer.ledger().reset();
                self.save()?;
                println!("ledger emptied");
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

/// Composite keys hold U+0000 separators: show them as `·`.
fn printable_key(key: &str) -> String {
    key.replace('\u{0}', "·")
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
