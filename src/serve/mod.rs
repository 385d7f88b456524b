//! `dossier serve`: the site built into memory and served under its base path on
//! 127.0.0.1; sources watched; each change applied to the in-memory site, re-rendering
//! only what it touches; browsers told to reload (server-sent events on the same port);
//! the search index rebuilt in the background, one run at a time. The server answers
//! before the site is rendered: a page is rendered when it is first asked for, and the
//! rest in the background (`live.rs`).

mod built;
mod changes;
mod compare;
pub mod http;
mod index;
mod live;
mod log;
pub mod rebuild;
mod sources;
mod unrendered;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// How long the sources must be quiet before the open data an edit touched is rendered.
const DEFERRED_QUIET: Duration = Duration::from_millis(1500);

pub use rebuild::{Outcome, Session};

use crate::config::{Config, Options};
use crate::error::{Error, Result};
use http::{Clients, State};
use live::Live;
use log::{say, Log};

/// Server settings from the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Explicit port (an error if busy); None tries 1111 and up.
    pub port: Option<u16>,
    pub bind: String,
    pub open: bool,
    /// A test's hook: the background render waits for the first change, so that pages
    /// are rendered only on request until then.
    pub hold_background: bool,
}

fn bind_server(bind: &str, port: Option<u16>) -> Result<(tiny_http::Server, u16)> {
    match port {
        Some(p) => tiny_http::Server::http((bind, p))
            .map(|s| (s, p))
            .map_err(|e| Error::Usage(format!("cannot listen on {bind}:{p}: {e}"))),
        None => (1111..1211)
            .find_map(|p| tiny_http::Server::http((bind, p)).ok().map(|s| (s, p)))
            .ok_or_else(|| Error::Usage(format!("no free port on {bind} between 1111 and 1210"))),
    }
}

/// Runs the dev server until the process is stopped. `log` receives one line per event.
///
/// The server answers as soon as the front half of the build is done: each page is
/// rendered when it is first asked for, and a background thread renders the others.
pub fn run(
    opts: &Options,
    sopts: ServeOptions,
    log: &mut (dyn FnMut(String) + Send),
) -> Result<()> {
    let (server, port) = bind_server(&sopts.bind, sopts.port)?;
    let log: Log = Mutex::new(log);
    if !matches!(sopts.bind.as_str(), "127.0.0.1" | "localhost" | "::1") {
        say(
            &log,
            format!(
                "warning: serving on {}: anyone on your network can read the site",
                sopts.bind
            ),
        );
    }
    // Paths from the watcher are canonical: so is the root the session compares them with.
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    // The preview uses the configured base path on localhost.
    let base_path = Config::load(opts)?.base.path;
    let local_base = format!("http://127.0.0.1:{port}{base_path}");
    let session = Session::new(&Options {
        root: root.clone(),
        base_url: Some(local_base.clone()),
        output: None,
        ..opts.clone()
    })?
    .on_request();
    let state = RwLock::new(State::default());
    let clients: Clients = Arc::new(Mutex::new(Vec::new()));
    let (index_tx, index_rx) = channel();
    let watch = watch::Watch::new(&root)?;
    let live = Live::new(
        session,
        &state,
        &clients,
        index_tx,
        &log,
        sopts.hold_background,
    );
    live.rebuild(None);
    say(&log, format!("serving {local_base} (Ctrl-C to stop)"));
    if sopts.open {
        open_browser(&local_base);
    }
    let site = http::Endpoint {
        state: &state,
        lookup: &|path: &str| live.lookup(path),
        clients: &clients,
        base: &base_path,
        port,
        bind: &sopts.bind,
    };
    std::thread::scope(|scope| {
        let server = Arc::new(server);
        for _ in 0..4 {
            let (server, site) = (server.clone(), &site);
            scope.spawn(move || {
                for req in server.incoming_requests() {
                    http::handle(req, site, scope);
                }
            });
        }
        scope.spawn(|| index::indexer(index_rx, &state, &log));
        scope.spawn(|| live.background());
        follow(&live, &watch, &root, &log);
        live.stop();
        Ok(())
    })
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener).arg(url).spawn();
}

/// Applies each change the watcher reports to the session, until the watcher stops. The
/// open data an edit touched is rendered once the sources have been quiet for
/// DEFERRED_QUIET, two files at a time, so that it never delays the next edit by more than
/// two files' rendering.
fn follow(live: &Live, watch: &watch::Watch, root: &Path, log: &Log) {
    let mut quiet = false;
    let mut failed = false;
    let mut deferred_ms = 0;
    loop {
        let wait = match (!failed && live.has_deferred(), quiet) {
            (false, _) => None,
            (true, false) => Some(DEFERRED_QUIET),
            (true, true) => Some(Duration::ZERO),
        };
        let paths = match watch.next(wait) {
            Err(()) => break,
            Ok(Some(paths)) => paths,
            Ok(None) => {
                quiet = true;
                if !live.render_deferred(&mut deferred_ms) {
                    // Tried again after the next change.
                    failed = true;
                }
                continue;
            }
        };
        (quiet, failed) = (false, false);
        say(log, changed(&paths, root));
        live.rebuild(Some(&paths));
    }
}

/// `changed: a, b, c and 2 more`: the changed paths, relative to the site root.
fn changed(paths: &[PathBuf], root: &Path) -> String {
    let shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    let more = match paths.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    format!("changed: {}{more}", shown.join(", "))
}
