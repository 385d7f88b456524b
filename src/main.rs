//! The `dossier` binary: parse the command line, call the library, print, exit.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use dossier::{Error, Options};

/// Prints a diagnostic; on GitHub Actions also as an annotation on the file and line.
fn print_diag(d: &dossier::Diagnostic) {
    eprintln!("{d}\n");
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        let level = if d.warning { "warning" } else { "error" };
        let msg = d
            .message
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        println!(
            "::{level} file={},line={},col={}::{msg}",
            d.path.display(),
            d.line.max(1),
            d.col.max(1)
        );
    }
}

fn print_error(e: &Error) {
    for d in e.diagnostics() {
        print_diag(d);
    }
    eprint!("error: {e}");
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        eprint!(": {s}");
        src = s.source();
    }
    eprintln!();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.clone();
    let result = match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
        } => {
            let opts = Options {
                root,
                output,
                base_url,
                drafts,
                preview: false,
            };
            dossier::build(&opts).map(|report| {
                for w in &report.warnings {
                    print_diag(w);
                }
                println!("{}", report.summary());
                // DOSSIER_TIMINGS=1 prints how long each stage took.
                if std::env::var_os("DOSSIER_TIMINGS").is_some() {
                    for (stage, d) in &report.timings {
                        eprintln!("  {stage:>12}: {} ms", d.as_millis());
                    }
                }
            })
        }
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => {
            let opts = Options {
                root,
                output: None,
                base_url: None,
                drafts,
                preview: true,
            };
            dossier::serve::run(
                &opts,
                dossier::serve::ServeOptions { port, bind, open },
                &mut |line| eprintln!("{line}"),
            )
        }
        Command::Check {
            external,
            strict,
            drafts,
        } => {
            let opts = Options {
                root,
                output: None,
                base_url: None,
                drafts,
                preview: false,
            };
            match dossier::check::run(&opts, &dossier::check::CheckOptions { external, strict }) {
                Ok(report) => {
                    for d in &report.problems {
                        print_diag(d);
                    }
                    println!("{}", report.summary());
                    if report.failed() {
                        return ExitCode::from(1);
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        Command::New { kind, slug } => match dossier::new::run(&root, &kind, &slug) {
            Ok(paths) => {
                for p in paths {
                    println!("created {}", p.display());
                }
                Ok(())
            }
            Err(e) => Err(e),
        },
        Command::Schema { kind } => match dossier::new::schema(kind.as_deref()) {
            Ok(s) => {
                println!("{s}");
                Ok(())
            }
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(&e);
            match e {
                Error::Usage(_) => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}
