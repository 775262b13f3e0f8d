//! The command line as a user meets it: exit codes, error messages,
//! redaction of credentials, generated completions and man pages.

use crate::support::peer::{Peer, PeerConfig, PASSWORD, USER};
use crate::support::{parse_transcript, Bin};

fn lwebpush_script() -> Vec<crate::support::Step> {
    parse_transcript("C: a1 LWEBPUSH *\nS: a1 OK LWEBPUSH completed\n")
}

/// The password never appears in the -v trace: not for AUTHENTICATE PLAIN
/// with SASL-IR, without it (continuation), nor for LOGIN.
#[test]
fn password_is_redacted_in_the_trace() {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("\0{USER}\0{PASSWORD}"));
    for caps in [
        "IMAP4rev1 AUTH=PLAIN SASL-IR WEBPUSH",
        "IMAP4rev1 AUTH=PLAIN WEBPUSH",
        "IMAP4rev1 WEBPUSH",
    ] {
        let p = Peer::start(
            PeerConfig {
                caps: caps.to_owned(),
                ..PeerConfig::default()
            },
            lwebpush_script(),
        );
        let out = Bin::new()
            .env("IMAPWEBPUSH_USER", USER)
            .env("IMAPWEBPUSH_PASSWORD", PASSWORD)
            .run(&["-s", &p.addr(), "--tls", "none", "-v", "lwebpush"]);
        out.expect_code(0);
        let err = out.stderr();
        assert!(err.contains("***"), "{caps}: {err}");
        assert!(
            !err.contains(PASSWORD) && !err.contains("s3cr"),
            "{caps}: {err}"
        );
        assert!(!err.contains(&encoded), "{caps}: {err}");
        assert!(
            err.contains("C: a2 LWEBPUSH *") || err.contains("LWEBPUSH *"),
            "{caps}: {err}"
        );
        let log = p.finish_played();
        // What the client sent to log in, tags left out.
        let sent: Vec<&str> = log
            .received
            .iter()
            .map(|l| l.split_once(' ').map_or(l.as_str(), |(_, rest)| rest))
            .collect();
        if caps.contains("SASL-IR") {
            // RFC 4959: the initial response on the command line.
            assert_eq!(sent[0], format!("AUTHENTICATE PLAIN {encoded}"), "{caps}");
        } else if caps.contains("AUTH=PLAIN") {
            // Without SASL-IR: the bare command, then the response after
            // the server's continuation, as a line of its own.
            assert_eq!(sent[0], "AUTHENTICATE PLAIN", "{caps}");
            assert_eq!(log.received[1], encoded, "{caps}");
        } else {
            assert!(sent[0].starts_with("LOGIN demo "), "{caps}: {}", sent[0]);
        }
    }
}

#[test]
fn password_command_first_line_is_used() {
    let p = Peer::start(PeerConfig::default(), lwebpush_script());
    let out = Bin::new().env("IMAPWEBPUSH_USER", USER).run(&[
        "-s",
        &p.addr(),
        "--tls",
        "none",
        "--password-command",
        "printf '%s\\nsecond line\\n' 's3cr\"et pw'",
        "lwebpush",
    ]);
    out.expect_code(0);
    p.finish_played();
}

#[test]
fn wrong_password_is_exit_2() {
    let p = Peer::start(PeerConfig::default(), vec![]);
    let out = Bin::new()
        .env("IMAPWEBPUSH_USER", USER)
        .env("IMAPWEBPUSH_PASSWORD", "wrong")
        .run(&["-s", &p.addr(), "--tls", "none", "lwebpush"]);
    out.expect_code(2);
    assert!(
        out.stderr().contains("authentication failed"),
        "{}",
        out.stderr()
    );
    assert!(!out.stderr().contains("wrong"), "{}", out.stderr());
    p.finish();
}

#[test]
fn missing_server_user_or_password_are_exit_2_with_hints() {
    let b = Bin::new();
    let out = b.run(&["lwebpush"]);
    out.expect_code(2);
    assert!(
        out.stderr().contains("no server given") && out.stderr().contains("IMAPWEBPUSH_SERVER"),
        "{}",
        out.stderr()
    );

    let p = Peer::start(PeerConfig::default(), vec![]);
    let out = b.run(&["-s", &p.addr(), "--tls", "none", "lwebpush"]);
    out.expect_code(2);
    assert!(out.stderr().contains("no user given"), "{}", out.stderr());
    p.finish();

    let p = Peer::start(PeerConfig::default(), vec![]);
    let out = Bin::new().env("IMAPWEBPUSH_USER", USER).run(&[
        "-s",
        &p.addr(),
        "--tls",
        "none",
        "lwebpush",
    ]);
    out.expect_code(2);
    assert!(
        out.stderr().contains("no password available"),
        "{}",
        out.stderr()
    );
    p.finish();
}

#[test]
fn connection_refused_is_exit_2() {
    let (_held, port) = crate::support::refused_port();
    let out = Bin::new().run(&["-s", &format!("127.0.0.1:{port}"), "capability"]);
    out.expect_code(2);
    assert!(
        out.stderr().contains("cannot connect to 127.0.0.1"),
        "{}",
        out.stderr()
    );
    assert!(!out.stderr().contains("panicked"));
}

#[test]
fn usage_errors_are_exit_2() {
    // Each says what was wrong, on stderr, and shows the usage to fix it.
    let out = Bin::new().run(&["webpush"]);
    out.expect_code(2);
    assert!(
        out.stderr()
            .contains("Usage: imapwebpush webpush [OPTIONS] <ID>"),
        "{}",
        out.stderr()
    );
    let out = Bin::new().run(&["--tls", "sometimes", "capability"]);
    out.expect_code(2);
    assert!(
        out.stderr()
            .contains("invalid value 'sometimes' for '--tls <MODE>'")
            && out.stderr().contains("implicit, starttls, none"),
        "{}",
        out.stderr()
    );
    let out = Bin::new().run(&["--password", "x", "capability"]);
    out.expect_code(2);
    assert!(
        out.stderr().contains("unexpected argument '--password'")
            && out.stderr().contains("--password-command"),
        "{}",
        out.stderr()
    );
    // Nothing on stdout for a usage error: scripts read stdout.
    assert_eq!(out.stdout(), "");
}

/// Every subcommand, as `--help` lists them.
const COMMANDS: [&str; 15] = [
    "capability",
    "getvapid",
    "webpush",
    "ackwebpush",
    "lwebpush",
    "silwebpush",
    "subscribe",
    "listen",
    "check",
    "repl",
    "serve",
    "demo",
    "decode",
    "keys",
    "completions",
];

#[test]
fn help_lists_the_commands() {
    let out = Bin::new().run(&["--help"]);
    out.expect_code(0);
    let stdout = out.stdout();
    // The names that start a line of the Commands: section, whole words
    // (so that "webpush" is not found inside "lwebpush").
    let section = stdout
        .split_once("Commands:\n")
        .and_then(|(_, rest)| rest.split_once("\n\n"))
        .map(|(list, _)| list)
        .unwrap_or_else(|| panic!("no Commands: section in:\n{stdout}"));
    let listed: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut expected: Vec<&str> = COMMANDS.to_vec();
    expected.push("help");
    assert_eq!(listed, expected, "{section}");
    // And each has its own help, which names it.
    for c in COMMANDS {
        let out = Bin::new().run(&[c, "--help"]);
        out.expect_code(0);
        assert!(
            out.stdout().contains(&format!("Usage: imapwebpush {c} ")),
            "{c}: {}",
            out.stdout()
        );
    }
}

/// `serve --help` listed -s, --tls, -u, --password-command, --ca-file and
/// --insecure among its own options, which it ignores. Commands that never
/// log in to a server do not list them; those that do, still do. Given
/// anyway (they are global), they are accepted.
#[test]
fn only_commands_that_log_in_list_the_connection_options() {
    let connection = [
        "--server <URL>",
        "--tls <MODE>",
        "--user <USER>",
        "--password-command <CMD>",
        "--ca-file <PEM>",
        "--insecure",
    ];
    for c in ["serve", "listen", "demo", "decode", "keys", "completions"] {
        let help = Bin::new().run(&[c, "--help"]).stdout();
        for o in connection {
            assert!(!help.contains(o), "{c} lists {o}:\n{help}");
        }
        assert!(help.contains("--json"), "{c}:\n{help}");
    }
    let help = Bin::new().run(&["keys", "show", "--help"]).stdout();
    assert!(!help.contains("--server"), "keys show:\n{help}");
    for c in ["getvapid", "subscribe", "check", "repl"] {
        let help = Bin::new().run(&[c, "--help"]).stdout();
        for o in connection {
            assert!(help.contains(o), "{c} does not list {o}:\n{help}");
        }
    }
    let out = Bin::new().run(&["completions", "bash", "-s", "x", "--insecure"]);
    out.expect_code(0);
}

/// The completion scripts offered `--server`, `--tls` and the rest after
/// `decode`, `serve` and the other commands that never log in (clap's
/// generators complete hidden options too), and `--count` after `check`.
/// Each command is completed with the options its help lists.
#[test]
fn completions_offer_what_each_command_lists() {
    let connection = [
        "-s",
        "--server",
        "--tls",
        "-u",
        "--user",
        "--password-command",
        "--ca-file",
        "--insecure",
    ];
    let bash = Bin::new().run(&["completions", "bash"]).stdout();
    // A command's block starts `imapwebpush__subcmd__NAME)` and its first
    // `opts="…"` line lists what it completes.
    let opts = |path: &str| -> Vec<String> {
        let (_, block) = bash
            .split_once(&format!("imapwebpush__subcmd__{path})"))
            .unwrap_or_else(|| panic!("no block for {path}"));
        let line = block
            .lines()
            .find_map(|l| l.trim().strip_prefix("opts=\""))
            .unwrap_or_else(|| panic!("no opts for {path}"));
        line.trim_end_matches('"')
            .split(' ')
            .map(str::to_owned)
            .collect()
    };
    for c in [
        "serve",
        "listen",
        "demo",
        "decode",
        "keys",
        "completions",
        "keys__subcmd__show",
    ] {
        let offered = opts(c);
        for o in connection {
            assert!(!offered.iter().any(|x| x == o), "bash completes {c} {o}");
        }
        assert!(offered.iter().any(|x| x == "--json"), "{c}: {offered:?}");
    }
    for c in ["getvapid", "webpush", "subscribe", "check", "repl"] {
        let offered = opts(c);
        for o in connection {
            assert!(
                offered.iter().any(|x| x == o),
                "bash does not complete {c} {o}"
            );
        }
    }
    assert!(!opts("check").iter().any(|x| x == "--count"));
    assert!(opts("listen").iter().any(|x| x == "--count"));
    // The top level keeps them: `imapwebpush -s URL getvapid`.
    let top = bash
        .lines()
        .find_map(|l| l.trim().strip_prefix("opts=\"-s "))
        .expect("the top level's opts");
    assert!(top.contains("--password-command"), "{top}");
    // zsh, fish, elvish and PowerShell alike: decode's part names no
    // connection option.
    let zsh = Bin::new().run(&["completions", "zsh"]).stdout();
    let (_, decode) = zsh.split_once("\n(decode)\n").expect("zsh: decode");
    let decode = decode.split_once(";;").expect("zsh: decode's end").0;
    assert!(decode.contains("--private-key"), "{decode}");
    assert!(!decode.contains("--server"), "{decode}");
    let fish = Bin::new().run(&["completions", "fish"]).stdout();
    assert!(fish.contains("using_subcommand decode\" -l private-key"));
    assert!(fish.contains("using_subcommand check\" -s s -l server"));
    assert!(!fish.contains("using_subcommand decode\" -s s -l server"));
    for shell in ["elvish", "powershell"] {
        let script = Bin::new().run(&["completions", shell]).stdout();
        let (_, decode) = script
            .split_once("imapwebpush;decode'")
            .unwrap_or_else(|| panic!("{shell}: decode"));
        let decode = &decode[..decode.find("imapwebpush;keys'").unwrap_or(decode.len())];
        assert!(decode.contains("private-key"), "{shell}: {decode}");
        assert!(!decode.contains("password-command"), "{shell}: {decode}");
    }
}

#[test]
fn capability_without_user_shows_the_greeting_capabilities() {
    let p = Peer::start(
        PeerConfig {
            bare_greeting: true,
            ..PeerConfig::default()
        },
        vec![],
    );
    let out = Bin::new().run(&["-s", &p.addr(), "--tls", "none", "capability"]);
    out.expect_code(0);
    assert_eq!(
        out.stdout(),
        "C: a1 CAPABILITY\nS: * CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR WEBPUSH\nS: a1 OK CAPABILITY completed\nWEBPUSH is advertised.\n"
    );
    p.finish_played();
}

#[test]
fn completions_print_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = Bin::new().run(&["completions", shell]);
        out.expect_code(0);
        assert!(out.stdout().contains("lwebpush"), "{shell}");
    }
}

/// `completions/` and `man/` are generated from the clap definitions and
/// committed; this fails when they are stale. Regenerate with
/// `IMAPWEBPUSH_BLESS=1 cargo test generated_files_are_current`.
#[test]
fn generated_files_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("IMAPWEBPUSH_BLESS").is_some() {
        imapwebpush::commands::completions::write_generated(root).unwrap();
    }
    let files = imapwebpush::commands::completions::generated_files().unwrap();
    assert!(files.len() >= 12, "{} files", files.len());
    let expected: std::collections::BTreeSet<&str> =
        files.iter().map(|(rel, _)| rel.as_str()).collect();
    // Nothing else in the generated directories: a page or a script for a
    // command that is gone would still be installed and shipped.
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let rel = format!("{dir}/{name}");
            if expected.contains(rel.as_str()) {
                continue;
            }
            if std::env::var_os("IMAPWEBPUSH_BLESS").is_some() {
                std::fs::remove_file(root.join(&rel)).unwrap();
                continue;
            }
            panic!(
                "{rel} is not generated any more: delete it, or run IMAPWEBPUSH_BLESS=1 cargo test generated_files_are_current"
            );
        }
    }
    for (rel, contents) in files {
        let on_disk = std::fs::read(root.join(&rel)).unwrap_or_default();
        assert!(
            on_disk == contents,
            "{rel} is out of date: run IMAPWEBPUSH_BLESS=1 cargo test generated_files_are_current"
        );
    }
}

/// A password that is not printable ASCII cannot be quoted: the client
/// sends it as a literal, waiting for `+` unless the server has LITERAL+,
/// and the trace still hides it.
#[test]
fn non_ascii_password_goes_as_a_literal() {
    let password = "pässwörd\"ü";
    for (caps, sync) in [
        ("IMAP4rev1 WEBPUSH", true),
        ("IMAP4rev1 LITERAL+ WEBPUSH", false),
    ] {
        let p = Peer::start(
            PeerConfig {
                caps: caps.to_owned(),
                password: password.to_owned(),
                ..PeerConfig::default()
            },
            lwebpush_script(),
        );
        let out = Bin::new()
            .env("IMAPWEBPUSH_USER", USER)
            .env("IMAPWEBPUSH_PASSWORD", password)
            .run(&["-s", &p.addr(), "--tls", "none", "-v", "lwebpush"]);
        out.expect_code(0);
        let err = out.stderr();
        let announce = format!("{{{}{}}}", password.len(), if sync { "" } else { "+" });
        assert!(
            err.contains(&format!("C: a1 LOGIN demo {announce}")),
            "{caps}: {err}"
        );
        assert!(
            err.contains("***") && !err.contains("pässw"),
            "{caps}: {err}"
        );
        assert_eq!(err.contains("S: + go ahead"), sync, "{caps}: {err}");
        let log = p.finish_played();
        assert_eq!(log.literals, vec![password.as_bytes().to_vec()]);
    }
}
