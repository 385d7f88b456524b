//! `dossier serve`: the site built into memory and served under its base path on
//! 127.0.0.1; sources watched; each change applied to the in-memory site, re-rendering
//! only what it touches; browsers told to reload (server-sent events on the same port);
//! the search index rebuilt in the background, one run at a time.

mod built;
mod changes;
mod compare;
pub mod http;
mod index;
mod log;
pub mod rebuild;
mod sources;
mod unrendered;
mod watch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long the sources must be quiet before the open data an edit touched is rendered.
const DEFERRED_QUIET: Duration = Duration::from_millis(1500);

pub use rebuild::{Outcome, Session};

use crate::config::{Config, Options};
use crate::error::{Error, Result};
use http::{broadcast, event, Clients, State};
use index::{indexer, IndexJob};
use log::{say, Log};

/// Server settings from the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Explicit port (an error if busy); None tries 1111 and up.
    pub port: Option<u16>,
    pub bind: String,
    pub open: bool,
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

/// Copies what a rebuild changed into the served files.
fn install(state: &RwLock<State>, session: &Session, outcome: &Outcome) {
    if let Ok(mut s) = state.write() {
        for p in &outcome.removed {
            s.files.remove(p.as_str());
        }
        for p in &outcome.changed {
            if let Some(bytes) = session.file(p) {
                s.files.insert(p.to_string(), bytes);
            }
        }
        s.error = None;
    }
}

/// Applies one batch of changes and tells browsers.
fn rebuild(
    session: &mut Session,
    paths: Option<&[PathBuf]>,
    state: &RwLock<State>,
    clients: &Clients,
    index: &Sender<IndexJob>,
    log: &Log,
) {
    let start = Instant::now();
    let result = match paths {
        Some(p) => session.apply(p),
        None => session.rebuild_all(),
    };
    match result {
        Ok(outcome) => {
            install(state, session, &outcome);
            static WARNED: std::sync::atomic::AtomicBool =
                std::sync::atomic::AtomicBool::new(false);
            if let Some(w) = session.cjk_warning() {
                if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    say(log, w.to_string());
                }
            }
            // Each image warning once per session, not on every rebuild.
            static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
            for w in session.image_warnings() {
                let text = w.to_string();
                if let Ok(mut said) = SAID.lock() {
                    if !said.contains(&text) {
                        said.push(text.clone());
                        say(log, text);
                    }
                }
            }
            if outcome.reindex && session.config().search {
                let _ = index.send((session.config().clone(), session.records()));
            }
            let ms = start.elapsed().as_millis();
            if outcome.static_only {
                say(log, format!("static files updated in {ms} ms"));
                broadcast(clients, &event("css", ""));
                return;
            }
            let how = if outcome.theme_only {
                "re-rendered (theme only)"
            } else {
                "rebuilt"
            };
            say(
                log,
                format!(
                    "{how} in {ms} ms: {} of {} pages rendered",
                    outcome.rendered, outcome.pages
                ),
            );
            broadcast(clients, &event("reload", ""));
        }
        Err(e) => {
            let mut text = String::new();
            for d in e.diagnostics() {
                text.push_str(&format!("{d}\n\n"));
            }
            text.push_str(&format!("error: {}", crate::error::chain(&e)));
            say(log, text.clone());
            if let Ok(mut s) = state.write() {
                s.error = Some(text.clone());
            }
            broadcast(
                clients,
                &event("error", &serde_json::to_string(&text).unwrap_or_default()),
            );
        }
    }
}

/// Runs the dev server until the process is stopped. `log` receives one line per event.
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
    let mut session = Session::new(&Options {
        root: root.clone(),
        base_url: Some(local_base.clone()),
        output: None,
        ..opts.clone()
    })?;
    let state = RwLock::new(State {
        files: HashMap::new(),
        error: None,
    });
    let clients: Clients = Arc::new(Mutex::new(Vec::new()));
    let (index_tx, index_rx) = channel();
    let watch = watch::Watch::new(&root)?;
    rebuild(&mut session, None, &state, &clients, &index_tx, &log);
    say(&log, format!("serving {local_base} (Ctrl-C to stop)"));
    if sopts.open {
        open_browser(&local_base);
    }
    let server = Arc::new(server);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let server = server.clone();
            let site = http::Endpoint {
                state: &state,
                clients: &clients,
                base: &base_path,
                port,
                bind: &sopts.bind,
            };
            scope.spawn(move || {
                for req in server.incoming_requests() {
                    http::handle(req, &site, scope);
                }
            });
        }
        scope.spawn(|| indexer(index_rx, &state, &log));
        follow(
            &mut session,
            &watch,
            &root,
            &state,
            &clients,
            &index_tx,
            &log,
        );
        drop(index_tx);
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
fn follow(
    session: &mut Session,
    watch: &watch::Watch,
    root: &Path,
    state: &RwLock<State>,
    clients: &Clients,
    index_tx: &Sender<IndexJob>,
    log: &Log,
) {
    let mut quiet = false;
    let mut failed = false;
    let mut deferred_ms = 0;
    loop {
        let wait = match (session.has_deferred() && !failed, quiet) {
            (false, _) => None,
            (true, false) => Some(DEFERRED_QUIET),
            (true, true) => Some(Duration::ZERO),
        };
        let paths = match watch.next(wait) {
            Err(()) => break,
            Ok(Some(paths)) => paths,
            Ok(None) => {
                quiet = true;
                if !render_deferred(session, state, log, &mut deferred_ms) {
                    // Tried again after the next change.
                    failed = true;
                }
                continue;
            }
        };
        (quiet, failed) = (false, false);
        say(log, changed(&paths, root));
        rebuild(session, Some(&paths), state, clients, index_tx, log);
    }
}

/// Renders the next two files of deferred open data; false when that failed. `spent`
/// adds up the time until none is left, when it is logged.
fn render_deferred(
    session: &mut Session,
    state: &RwLock<State>,
    log: &Log,
    spent: &mut u128,
) -> bool {
    let start = Instant::now();
    let ok = match session.render_deferred_upto(2) {
        Ok(later) => {
            install(state, session, &later);
            true
        }
        Err(e) => {
            say(log, format!("error: {}", crate::error::chain(&e)));
            false
        }
    };
    *spent += start.elapsed().as_millis();
    if !session.has_deferred() {
        say(log, format!("open data updated in {spent} ms"));
        *spent = 0;
    }
    ok
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
