//! `<chaincode> dev --gateway [ADDR]`: serve Fabric's Gateway protocol so client
//! applications run against this chaincode with no network.
//!
//! The Gateway service lives in the `fabric-dev-gateway` crate, which depends
//! on this one; to avoid a dependency cycle (and to keep the Gateway out of
//! every chaincode binary) this hook runs that crate's `fabric-dev-gateway`
//! program and hands it this binary as the chaincode to launch. The program is
//! taken from `FABRIC_DEV_GATEWAY`, else from next to this binary (where
//! `cargo build -p fabric-dev-gateway` puts it), else from `PATH`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use super::DevArgs;
use crate::cli::fail;

/// The Gateway program's name.
const PROGRAM: &str = "fabric-dev-gateway";

/// Where the Gateway program is.
fn locate() -> PathBuf {
    if let Some(path) = std::env::var_os("FABRIC_DEV_GATEWAY") {
        return PathBuf::from(path);
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(PROGRAM)))
        .filter(|path| path.is_file());
    beside.unwrap_or_else(|| PathBuf::from(PROGRAM))
}

/// The Gateway program's arguments for this chaincode and these options.
pub(super) fn gateway_args(args: &DevArgs, listen: &str, chaincode: &OsString) -> Vec<OsString> {
    let mut out: Vec<OsString> = vec!["--listen".into(), listen.into(), "--chaincode".into()];
    let mut launch = OsString::from(format!("{}=", args.name));
    launch.push(chaincode);
    out.push(launch);
    out.extend(["--channel".into(), args.channel.clone().into()]);
    if args.in_memory {
        out.push("--in-memory".into());
    } else {
        out.extend(["--ledger".into(), args.ledger.clone().into_os_string()]);
    }
    out.extend(args.gateway_args.iter().map(OsString::from));
    out
}

/// Runs the Gateway program until it exits.
pub(super) fn run(args: &DevArgs, listen: &str) -> ExitCode {
    if args.script.is_some() || !args.collections.is_empty() {
        return fail(
            2,
            "--gateway serves client applications: --script and --collection do not apply",
        );
    }
    let chaincode = match std::env::current_exe() {
        Ok(exe) => exe.into_os_string(),
        Err(e) => return fail(1, &format!("cannot find this chaincode's program: {e}")),
    };
    let program = locate();
    let mut command = Command::new(&program);
    command.args(gateway_args(args, listen, &chaincode));
    let cannot = |e: std::io::Error| {
        fail(
            2,
            &format!(
                "cannot run {}: {e} (build it with `cargo build -p fabric-dev-gateway`, or set FABRIC_DEV_GATEWAY to its path)",
                program.display()
            ),
        )
    };
    // Replacing this process keeps one process to stop: stopping it ends the
    // Gateway, whose chaincode then sees its stream end and exits.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cannot(command.exec())
    }
    #[cfg(not(unix))]
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => cannot(e),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        dev: DevArgs,
    }

    fn parse(line: &[&str]) -> DevArgs {
        Wrapper::try_parse_from(std::iter::once("dev").chain(line.iter().copied()))
            .expect("valid flags")
            .dev
    }

    #[test]
    fn gateway_flags_become_the_gateway_programs_arguments() {
        let args = parse(&[
            "--gateway",
            "--name",
            "basic",
            "--",
            "--tls",
            "--identity",
            "bob@Org2MSP",
        ]);
        assert_eq!(args.gateway.as_deref(), Some("127.0.0.1:7051"));
        let out = gateway_args(&args, "127.0.0.1:7051", &OsString::from("/bin/cc"));
        let expected = [
            "--listen",
            "127.0.0.1:7051",
            "--chaincode",
            "basic=/bin/cc",
            "--channel",
            "mychannel",
            "--ledger",
            "fabric-dev.ledger.json",
            "--tls",
            "--identity",
            "bob@Org2MSP",
        ];
        assert_eq!(out, expected.map(OsString::from));

        let args = parse(&["--gateway", "127.0.0.1:9000", "--in-memory"]);
        let out = gateway_args(&args, "127.0.0.1:9000", &OsString::from("cc"));
        assert!(out.contains(&OsString::from("--in-memory")));
        assert!(!out.contains(&OsString::from("--ledger")));
    }

    #[test]
    fn gateway_only_flags_need_gateway() {
        assert!(Wrapper::try_parse_from(["dev", "--", "--tls"]).is_err());
    }
}
