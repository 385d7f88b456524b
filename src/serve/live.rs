//! The session as the dev server's threads share it. The watcher applies each change to
//! it; a request for an output not rendered yet renders that one; the background renders
//! the rest, a few outputs at a time. Requests and changes go first: the background takes
//! the session only while nothing else waits for it, and holds it for one short chunk.
//!
//! Every render happens under the session's lock, from the last good build of that
//! moment, and is copied into the served files before the lock is let go: what is served
//! is always what the session holds, and the session's dependency map covers every output
//! rendered, whenever it was rendered.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use super::http::{broadcast, event, Clients, State};
use super::index::IndexJob;
use super::log::{say, Log};
use super::rebuild::{Outcome, Session};
use crate::error::Error;

/// How long one chunk of the background's work should take: what a request or a change
/// may wait for it.
const CHUNK: Duration = Duration::from_millis(30);

/// Who may take the session next.
#[derive(Default)]
struct Turn {
    /// Requests and changes waiting for the session (the background waits for them).
    waiting: usize,
    /// The background has nothing to do until the next change: everything is rendered,
    /// or rendering failed.
    idle: bool,
    /// The background waits for the first change (a test's hook: pages are then only
    /// rendered on request until the test edits a file).
    held: bool,
    /// The server stops.
    quit: bool,
}

/// The dev server's shared session.
pub(super) struct Live<'a> {
    session: Mutex<Session>,
    turn: Mutex<Turn>,
    turned: Condvar,
    state: &'a RwLock<State>,
    clients: &'a Clients,
    index: Sender<IndexJob>,
    log: &'a Log<'a>,
}

/// The text of a failed build: each diagnostic, then the error's chain.
fn error_text(e: &Error) -> String {
    let mut text = String::new();
    for d in e.diagnostics() {
        text.push_str(&format!("{d}\n\n"));
    }
    text.push_str(&format!("error: {}", crate::error::chain(e)));
    text
}

/// Copies what the session rendered or dropped into the served files.
fn install(state: &RwLock<State>, session: &Session, outcome: &Outcome) {
    if let Ok(mut s) = state.write() {
        if outcome.reset {
            s.files.retain(|p, _| p.starts_with("pagefind/"));
            s.lazy.clear();
        }
        s.lazy
            .extend(outcome.unrendered.iter().map(|p| p.to_string()));
        for p in &outcome.removed {
            s.files.remove(p.as_str());
            s.lazy.remove(p.as_str());
        }
        for p in &outcome.changed {
            if let Some(bytes) = session.file(p) {
                s.files.insert(p.to_string(), bytes);
            }
            s.lazy.remove(p.as_str());
        }
    }
}

impl<'a> Live<'a> {
    pub(super) fn new(
        session: Session,
        state: &'a RwLock<State>,
        clients: &'a Clients,
        index: Sender<IndexJob>,
        log: &'a Log<'a>,
        held: bool,
    ) -> Live<'a> {
        Live {
            session: Mutex::new(session),
            turn: Mutex::new(Turn {
                held,
                ..Turn::default()
            }),
            turned: Condvar::new(),
            state,
            clients,
            index,
            log,
        }
    }

    fn turn(&self) -> MutexGuard<'_, Turn> {
        self.turn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the session ahead of the background. `change`: `f` changed the
    /// sources, so the background has work again.
    fn urgently<R>(&self, change: bool, f: impl FnOnce(&mut Session) -> R) -> R {
        self.turn().waiting += 1;
        let result = {
            let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut session)
        };
        let mut turn = self.turn();
        turn.waiting -= 1;
        if change {
            turn.idle = false;
        }
        drop(turn);
        self.turned.notify_all();
        result
    }

    /// Reports a failed build: in the log, as the overlay, to every browser.
    fn failed(&self, e: &Error) {
        let text = error_text(e);
        say(self.log, text.clone());
        if let Ok(mut s) = self.state.write() {
            s.error = Some(text.clone());
        }
        let json = serde_json::to_string(&text).unwrap_or_default();
        broadcast(self.clients, &event("error", &json));
    }

    /// Asks the indexer for a new index of every page, once every page is rendered.
    fn reindex(&self, session: &Session) {
        if session.config().search && session.unrendered() == 0 {
            let _ = self
                .index
                .send((session.config().clone(), session.records()));
        }
    }

    /// The file served at `path`; an output planned but not rendered yet is rendered now,
    /// from the build of this moment, and kept. None when the site has no such file.
    pub(super) fn lookup(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        {
            // Only an output waiting to be rendered takes the session. Both sets are read
            // at once: the background moves an output from one to the other.
            let state = self.state.read().ok()?;
            if let Some(bytes) = state.files.get(path) {
                return Some(Ok(bytes.clone()));
            }
            if !state.lazy.contains(path) {
                return None;
            }
        }
        self.urgently(false, |s| {
            let start = Instant::now();
            let site_path = crate::output::SitePath::new(path.to_owned()).ok()?;
            match s.render_path(path) {
                // Rendered meanwhile by the background.
                None => s.file(&site_path).map(Ok),
                Some(Ok(outcome)) => {
                    install(self.state, s, &outcome);
                    let ms = start.elapsed().as_millis();
                    let left = s.unrendered();
                    say(
                        self.log,
                        format!("rendered on request in {ms} ms: {path} ({left} outputs left to render)"),
                    );
                    s.file(&site_path).map(Ok)
                }
                Some(Err(e)) => {
                    self.failed(&e);
                    Some(Err(error_text(&e)))
                }
            }
        })
    }

    /// Applies one batch of changes (None: reads everything again) and tells browsers.
    pub(super) fn rebuild(&self, paths: Option<&[PathBuf]>) {
        if paths.is_some() {
            self.turn().held = false;
        }
        self.urgently(true, |session| {
            let start = Instant::now();
            let result = match paths {
                Some(p) => session.apply(p),
                None => session.rebuild_all(),
            };
            match result {
                Ok(outcome) => {
                    install(self.state, session, &outcome);
                    if let Ok(mut s) = self.state.write() {
                        s.error = None;
                    }
                    warn_once(session, self.log);
                    if outcome.reindex {
                        self.reindex(session);
                    }
                    self.tell(&outcome, start.elapsed());
                }
                Err(e) => self.failed(&e),
            }
        })
    }

    /// Logs how a change went and tells browsers to reload, or to swap stylesheets.
    fn tell(&self, outcome: &Outcome, took: Duration) {
        let ms = took.as_millis();
        if outcome.static_only {
            say(self.log, format!("static files updated in {ms} ms"));
            broadcast(self.clients, &event("css", ""));
            return;
        }
        let how = if outcome.theme_only {
            "re-rendered (theme only)"
        } else {
            "rebuilt"
        };
        let later = match outcome.unrendered.len() {
            0 => String::new(),
            n => format!("; {n} outputs are rendered as they are asked for and in the background"),
        };
        say(
            self.log,
            format!(
                "{how} in {ms} ms: {} of {} pages rendered{later}",
                outcome.rendered, outcome.pages
            ),
        );
        broadcast(self.clients, &event("reload", ""));
    }

    /// Whether an edit left open data to render later.
    pub(super) fn has_deferred(&self) -> bool {
        self.urgently(false, |s| s.has_deferred())
    }

    /// Renders the next two files of deferred open data; false when that failed. `spent`
    /// adds up the time until none is left, when it is logged.
    pub(super) fn render_deferred(&self, spent: &mut u128) -> bool {
        self.urgently(false, |session| {
            let start = Instant::now();
            let ok = match session.render_deferred_upto(2) {
                Ok(later) => {
                    install(self.state, session, &later);
                    true
                }
                Err(e) => {
                    say(self.log, format!("error: {}", crate::error::chain(&e)));
                    false
                }
            };
            *spent += start.elapsed().as_millis();
            if !session.has_deferred() {
                say(self.log, format!("open data updated in {spent} ms"));
                *spent = 0;
            }
            ok
        })
    }

    /// Stops the background.
    pub(super) fn stop(&self) {
        self.turn().quit = true;
        self.turned.notify_all();
    }

    /// Waits until the background may take the session: no one else waits, and there is
    /// work. False when the server stops.
    fn background_turn(&self) -> bool {
        let mut turn = self.turn();
        while !turn.quit && (turn.waiting > 0 || turn.idle || turn.held) {
            turn = self.turned.wait(turn).unwrap_or_else(|e| e.into_inner());
        }
        !turn.quit
    }

    /// Renders the outputs not rendered yet, a chunk at a time, while nothing else waits
    /// for the session; when they are all rendered, asks for the search index. Runs until
    /// [`Live::stop`].
    pub(super) fn background(&self) {
        let mut size = 8;
        let (mut done, mut spent) = (0, Duration::ZERO);
        while self.background_turn() {
            let mut session = self.session.lock().unwrap_or_else(|e| e.into_inner());
            if session.unrendered() == 0 {
                self.turn().idle = true;
                continue;
            }
            let start = Instant::now();
            match session.render_next(size) {
                Ok(outcome) => {
                    install(self.state, &session, &outcome);
                    done += outcome.changed.len();
                }
                Err(e) => {
                    self.failed(&e);
                    self.turn().idle = true;
                    continue;
                }
            }
            let took = start.elapsed();
            spent += took;
            size = match took {
                t if t < CHUNK / 2 => (size * 2).min(1024),
                t if t > CHUNK * 2 => (size / 2).max(1),
                _ => size,
            };
            if session.unrendered() == 0 {
                say(
                    self.log,
                    format!(
                        "rendered in the background: {done} outputs in {} ms",
                        spent.as_millis()
                    ),
                );
                (done, spent) = (0, Duration::ZERO);
                warn_once(&session, self.log);
                self.reindex(&session);
                self.turn().idle = true;
            }
        }
    }
}

/// Says each warning of the session once: the missing CJK font, each image's.
fn warn_once(session: &Session, log: &Log) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if let Some(w) = session.cjk_warning() {
        if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            say(log, w.to_string());
        }
    }
    // Each image warning once per session, not on every rebuild.
    static SAID: Mutex<Vec<String>> = Mutex::new(Vec::new());
    for w in session.image_warnings() {
        let text = w.to_string();
        if let Ok(mut said) = SAID.lock() {
            if !said.contains(&text) {
                said.push(text.clone());
                say(log, text);
            }
        }
    }
}
