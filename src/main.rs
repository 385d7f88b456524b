//! The `dossier` binary: parse the command line, call the library, print, exit.

mod cli;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use dossier::{Error, Mode, Options};

/// Writes a line to stdout. When the reader has gone (`dossier schema | head`), stops
/// quietly with success, as other command-line tools do, instead of panicking.
fn out(line: std::fmt::Arguments) {
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_fmt(line).and_then(|()| o.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Writes a line to stderr; a closed stderr is ignored.
fn err(line: std::fmt::Arguments) {
    let mut o = std::io::stderr().lock();
    let _ = o.write_fmt(line).and_then(|()| o.write_all(b"\n"));
}

/// Prints a diagnostic; on GitHub Actions also as an annotation on the file and line.
fn print_diag(d: &dossier::Diagnostic) {
    err(format_args!("{d}\n"));
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        let level = if d.warning { "warning" } else { "error" };
        let msg = d
            .message
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        let place = if d.located() {
            format!(",line={},col={}", d.line, d.col.max(1))
        } else {
            String::new()
        };
        out(format_args!(
            "::{level} file={}{place}::{msg}",
            d.path.display()
        ));
    }
}

fn print_error(e: &Error) {
    for d in e.diagnostics() {
        print_diag(d);
    }
    err(format_args!("error: {}", dossier::error::chain(e)));
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let opts = |mode, output, base_url, drafts| Options {
        root: cli.root.clone(),
        output,
        base_url,
        drafts,
        mode,
    };
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            clean,
        } => {
            let o = opts(Mode::Build, output, base_url, drafts);
            let report = match clean {
                true => dossier::build_clean(&o)?,
                false => dossier::build(&o)?,
            };
            for w in &report.warnings {
                print_diag(w);
            }
            out(format_args!("{}", report.summary()));
            // DOSSIER_TIMINGS=1 prints how long each stage took.
            if std::env::var_os("DOSSIER_TIMINGS").is_some() {
                for (stage, d) in &report.timings {
                    err(format_args!("  {stage:>12}: {} ms", d.as_millis()));
                }
                for (group, found, made) in &report.cache {
                    err(format_args!(
                        "  {group:>12}: {made} made, {found} from the cache"
                    ));
                }
            }
        }
        Command::Serve {
            port,
            bind,
            open,
            no_drafts,
            drafts: _,
        } => {
            // A test's hook: pages render only on request until the first change.
            let hold_background = std::env::var_os("DOSSIER_SERVE_HOLD_BACKGROUND").is_some();
            let sopts = dossier::serve::ServeOptions {
                port,
                bind,
                open,
                hold_background,
            };
            dossier::serve::run(
                &opts(Mode::Serve, None, None, !no_drafts),
                sopts,
                &mut |line| err(format_args!("{line}")),
            )?;
        }
        Command::Check {
            external,
            lenient,
            strict: _,
            drafts,
        } => {
            let copts = dossier::check::CheckOptions {
                external,
                strict: !lenient,
            };
            let report = dossier::check::run(&opts(Mode::Check, None, None, drafts), &copts)?;
            for d in &report.problems {
                print_diag(d);
            }
            for d in &report.drafts {
                err(format_args!(
                    "{}: note: a draft, not published (remove `draft: true` to publish it)",
                    d.display()
                ));
            }
            for d in &report.draft_problems {
                print_diag(d);
            }
            out(format_args!("{}", report.summary()));
            if report.failed() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::New { kind, slug, lang } => {
            for p in dossier::new::run(&cli.root, &kind, &slug, lang.as_deref())? {
                out(format_args!("created {}", p.display()));
            }
        }
        Command::Mv { kind, old, new } => {
            let moved = dossier::mv::run(&cli.root, &kind, &old, &new)?;
            for line in moved.lines(&old) {
                out(format_args!("{line}"));
            }
        }
        Command::Mentions { value } => {
            let found = dossier::mentions::find(&cli.root, &value)?;
            for m in &found {
                out(format_args!(
                    "{}:{}:{}: {}",
                    m.path.display(),
                    m.line,
                    m.col,
                    m.text
                ));
            }
            err(format_args!(
                "{} {} of `{value}`",
                found.len(),
                if found.len() == 1 {
                    "mention"
                } else {
                    "mentions"
                }
            ));
        }
        Command::Init { dir } => {
            let site = dossier::init::run(&dir)?;
            let shown = site.dir.display();
            out(format_args!(
                "created a new site in {shown} ({} files): site.yaml, themes/default/, an example of each kind in content/, .gitignore, .github/",
                site.files.len()
            ));
            out(format_args!(
                "next: cd {shown} && dossier serve; set title and base_url in site.yaml, then replace the examples with `dossier new`"
            ));
        }
        Command::Diff { old, new } => {
            let diff = dossier::diff::diff(&old, &new)?;
            out(format_args!("{}", diff.markdown().trim_end()));
        }
        Command::Schema { kind } => out(format_args!("{}", dossier::new::schema(kind.as_deref())?)),
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            print_error(&e);
            match e {
                Error::Usage(_) => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}
