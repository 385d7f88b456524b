//! `dossier serve`: build into memory, serve under the base path on 127.0.0.1, watch the
//! sources, rebuild, and tell browsers to reload (server-sent events on the same port).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::config::Options;
use crate::error::{Error, Result};

/// Server settings from the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Explicit port (an error if busy); None tries 1111 and up.
    pub port: Option<u16>,
    pub bind: String,
    pub open: bool,
}

const EVENTS: &str = "__dossier/events";
const LIVE_JS: &str = "__dossier/live.js";

/// The site as served: whole pages, swapped atomically after each rebuild.
#[derive(Default)]
struct State {
    files: Arc<HashMap<String, Arc<Vec<u8>>>>,
    error: Option<String>,
    generation: u64,
}

type Clients = Arc<Mutex<Vec<Sender<String>>>>;

/// The client script: reload on rebuild, swap stylesheets on CSS-only changes, show errors.
fn live_js(base: &str) -> String {
    format!(
        r#"(function(){{
var es=new EventSource("{base}{EVENTS}");
function overlay(msg){{var o=document.getElementById("dossier-overlay");if(!msg){{if(o)o.remove();return;}}
if(!o){{o=document.createElement("div");o.id="dossier-overlay";o.setAttribute("role","alert");
o.style.cssText="position:fixed;inset:0;z-index:99999;background:rgba(20,0,0,.92);color:#fff;padding:2em;overflow:auto;font:14px/1.5 monospace;white-space:pre-wrap";
document.body.appendChild(o);}}o.textContent=msg;}}
es.addEventListener("reload",function(){{location.reload();}});
es.addEventListener("css",function(){{document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){{var u=new URL(l.href);u.searchParams.set("v",Date.now());l.href=u.toString();}});overlay(null);}});
es.addEventListener("error",function(e){{if(e.data)overlay(JSON.parse(e.data));}});
es.addEventListener("ok",function(){{overlay(null);}});
}})();"#
    )
}

fn inject(html: &[u8], base: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{base}{LIVE_JS}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Maps a request path to a file of the site, or None. Refuses traversal in any encoding.
pub fn resolve_path(base: &str, raw: &str) -> Option<String> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix(base).or_else(|| {
        if path.len() + 1 == base.len() && base.starts_with(path) {
            Some("")
        } else {
            None
        }
    })?;
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?
        .into_owned();
    if decoded.contains('\0')
        || decoded.contains('\\')
        || decoded.contains('%')
        || decoded.starts_with('/')
    {
        return None;
    }
    if decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        Some(format!("{decoded}index.html"))
    } else {
        Some(decoded)
    }
}

/// Whether a Host header names this machine.
pub fn host_allowed(host: &str, port: u16, bind: &str) -> bool {
    let allowed = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("{bind}:{port}"),
    ];
    allowed.iter().any(|a| a.eq_ignore_ascii_case(host))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn is_editor_temp(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with(".#")
        || name.starts_with('#')
}

/// What a batch of changes touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Only stylesheets: browsers swap them without reloading.
    Css,
    /// Only the theme: re-render the resolved site without re-reading content.
    Theme,
    /// Content or config: the whole pipeline.
    All,
}

type Cache = Mutex<Option<crate::Compiled>>;

#[allow(clippy::too_many_arguments)]
fn rebuild<'s, 'e>(
    opts: &Options,
    state: &'s RwLock<State>,
    clients: &Clients,
    cache: &Cache,
    change: Change,
    log: &'s Mutex<&mut (dyn FnMut(String) + Send)>,
    background: Option<&'s std::thread::Scope<'s, 'e>>,
) {
    let start = Instant::now();
    let mut cached = cache.lock().unwrap_or_else(|p| p.into_inner());
    let result = match (change, cached.as_ref()) {
        (Change::Css | Change::Theme, Some(c)) => crate::rerender(c),
        (_, prev) => crate::compile_incremental(opts, prev),
    };
    let event = match result {
        Ok(mut fresh) => {
            let n = fresh.files.len();
            let (rendered, pages) = fresh.rendered;
            let mut files: HashMap<String, Arc<Vec<u8>>> = std::mem::take(&mut fresh.files)
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .collect();
            let pending = fresh.search_pending.then(|| fresh.config.clone());
            *cached = Some(fresh);
            let mut generation = 0;
            if let Ok(mut s) = state.write() {
                // Until the new index is ready, the previous one keeps search working.
                for (p, b) in s.files.iter().filter(|(p, _)| p.starts_with("pagefind/")) {
                    files.entry(p.clone()).or_insert_with(|| b.clone());
                }
                s.files = Arc::new(files);
                s.error = None;
                s.generation += 1;
                generation = s.generation;
            }
            if let Some(cfg) = pending {
                let index = move || {
                    let t = Instant::now();
                    let line = match index_search(&cfg, state, generation) {
                        Ok(true) => {
                            format!("search index updated in {} ms", t.elapsed().as_millis())
                        }
                        Ok(false) => return,
                        Err(e) => format!("search index failed: {e}"),
                    };
                    if let Ok(mut l) = log.lock() {
                        (*l)(line);
                    }
                };
                match background {
                    Some(scope) => {
                        scope.spawn(index);
                    }
                    None => index(),
                }
            }
            if let Ok(mut l) = log.lock() {
                let how = if change == Change::All {
                    "rebuilt"
                } else {
                    "re-rendered (theme only)"
                };
                (*l)(format!(
                    "{how} in {} ms: {rendered} of {pages} pages rendered, {n} files",
                    start.elapsed().as_millis()
                ));
            }
            if change == Change::Css {
                "event: css\ndata: \n\n".to_owned()
            } else {
                "event: reload\ndata: \n\n".to_owned()
            }
        }
        Err(e) => {
            let mut text = String::new();
            for d in e.diagnostics() {
                text.push_str(&format!("{d}\n\n"));
            }
            text.push_str(&format!("error: {e}"));
            if let Ok(mut l) = log.lock() {
                (*l)(text.clone());
            }
            if let Ok(mut s) = state.write() {
                s.error = Some(text.clone());
            }
            format!(
                "event: error\ndata: {}\n\n",
                serde_json::to_string(&text).unwrap_or_default()
            )
        }
    };
    drop(cached);
    if let Ok(mut list) = clients.lock() {
        list.retain(|c| c.send(event.clone()).is_ok());
    }
}

/// Indexes the pages of `generation` and adds the index to the served files, unless a
/// newer build replaced them meanwhile. Returns whether the index was installed.
fn index_search(cfg: &crate::Config, state: &RwLock<State>, generation: u64) -> Result<bool> {
    let pages: Vec<crate::render::OutFile> = match state.read() {
        Ok(s) if s.generation == generation => s
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, b)| crate::render::OutFile {
                path: p.clone(),
                bytes: b.to_vec(),
            })
            .collect(),
        _ => return Ok(false),
    };
    let index = crate::search::index(cfg, &pages)?;
    let Ok(mut s) = state.write() else {
        return Ok(false);
    };
    if s.generation != generation {
        return Ok(false);
    }
    let mut files: HashMap<String, Arc<Vec<u8>>> = s
        .files
        .iter()
        .filter(|(p, _)| !p.starts_with("pagefind/"))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect();
    for f in index {
        files.insert(f.path, Arc::new(f.bytes));
    }
    s.files = Arc::new(files);
    Ok(true)
}

fn bind_server(bind: &str, port: Option<u16>) -> Result<(tiny_http::Server, u16)> {
    match port {
        Some(p) => tiny_http::Server::http((bind, p))
            .map(|s| (s, p))
            .map_err(|e| Error::Usage(format!("cannot listen on {bind}:{p}: {e}"))),
        None => {
            for p in 1111..1211 {
                if let Ok(s) = tiny_http::Server::http((bind, p)) {
                    return Ok((s, p));
                }
            }
            Err(Error::Other(format!(
                "no free port on {bind} between 1111 and 1210"
            )))
        }
    }
}

/// Runs the dev server until the process is stopped. `log` receives one line per event.
pub fn run(
    opts: &Options,
    sopts: ServeOptions,
    log: &mut (dyn FnMut(String) + Send),
) -> Result<()> {
    let opts = Options {
        base_url: None,
        output: None,
        ..opts.clone()
    };
    let (server, port) = bind_server(&sopts.bind, sopts.port)?;
    if sopts.bind != "127.0.0.1" && sopts.bind != "localhost" && sopts.bind != "::1" {
        log(format!(
            "warning: serving on {}: anyone on your network can read the site",
            sopts.bind
        ));
    }
    let state = Arc::new(RwLock::new(State::default()));
    let clients: Clients = Arc::new(Mutex::new(Vec::new()));
    let log = Mutex::new(log);
    // The preview uses the configured base path on localhost.
    let cfg = crate::Config::load(&opts)?;
    let local_base = format!("http://127.0.0.1:{port}{}", cfg.base.path);
    let opts = Options {
        base_url: Some(local_base.clone()),
        ..opts
    };
    let cache: Cache = Mutex::new(None);
    rebuild(&opts, &state, &clients, &cache, Change::All, &log, None);
    if let Ok(mut l) = log.lock() {
        (*l)(format!("serving {local_base} (Ctrl-C to stop)"));
    }
    if sopts.open {
        let _ = std::process::Command::new(if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        })
        .arg(&local_base)
        .spawn();
    }
    let server = Arc::new(server);
    let base_path = cfg.base.path.clone();
    let watch_root = opts.root.clone();
    std::thread::scope(|scope| -> Result<()> {
        // Request handling threads.
        for _ in 0..4 {
            let server = server.clone();
            let state = state.clone();
            let clients = clients.clone();
            let base_path = base_path.clone();
            let bind = sopts.bind.clone();
            scope.spawn(move || {
                for req in server.incoming_requests() {
                    handle(req, &state, &clients, &base_path, port, &bind, scope);
                }
            });
        }
        watch(&watch_root, &opts, &state, &clients, &cache, &log, scope)
    })
}

fn handle<'s>(
    req: tiny_http::Request,
    state: &Arc<RwLock<State>>,
    clients: &Clients,
    base: &str,
    port: u16,
    bind: &str,
    scope: &'s std::thread::Scope<'s, '_>,
) {
    use tiny_http::{Header, Response, StatusCode};
    let header = |name: &str| {
        req.headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_owned())
    };
    let host_ok = header("Host").is_some_and(|h| host_allowed(&h, port, bind));
    let origin_ok = header("Origin").is_none_or(|o| {
        o.strip_prefix("http://")
            .is_some_and(|h| host_allowed(h, port, bind))
    });
    if !host_ok || !origin_ok {
        let _ = req.respond(
            Response::from_string("forbidden: unknown Host or Origin\n")
                .with_status_code(StatusCode(403)),
        );
        return;
    }
    let url = req.url().to_owned();
    let ct = |v: &str| Header::from_bytes("Content-Type", v).ok();
    if url.split('?').next() == Some(format!("{base}{EVENTS}").as_str()) {
        let (tx, rx) = channel();
        let _ = tx.send("retry: 500\n\n".to_owned());
        if let Ok(s) = state.read() {
            if let Some(err) = &s.error {
                let _ = tx.send(format!(
                    "event: error\ndata: {}\n\n",
                    serde_json::to_string(err).unwrap_or_default()
                ));
            }
        }
        if let Ok(mut c) = clients.lock() {
            c.push(tx);
        }
        scope.spawn(move || {
            // Raw socket: tiny_http's chunked encoder would buffer the events.
            let mut w = req.into_writer();
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
            if w.write_all(head.as_bytes()).and_then(|()| w.flush()).is_err() {
                return;
            }
            loop {
                let msg = match rx.recv_timeout(Duration::from_secs(15)) {
                    Ok(m) => m,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_owned(),
                    Err(_) => return,
                };
                if w.write_all(msg.as_bytes()).and_then(|()| w.flush()).is_err() {
                    return;
                }
            }
        });
        return;
    }
    if url.split('?').next() == Some(format!("{base}{LIVE_JS}").as_str()) {
        let mut r = Response::from_string(live_js(base));
        if let Some(h) = ct("text/javascript; charset=utf-8") {
            r.add_header(h);
        }
        let _ = req.respond(r);
        return;
    }
    let files = match state.read() {
        Ok(s) => s.files.clone(),
        Err(_) => return,
    };
    let Some(path) = resolve_path(base, &url) else {
        let _ = req.respond(Response::from_string("not found\n").with_status_code(StatusCode(404)));
        return;
    };
    let found = files
        .get(&path)
        .map(|b| (path.clone(), b.clone()))
        .or_else(|| {
            // `/founders/x` without the slash: redirect so relative URLs keep working.
            files
                .get(&format!("{path}/index.html"))
                .map(|_| (String::new(), Arc::new(Vec::new())))
        });
    match found {
        Some((p, _)) if p.is_empty() => {
            let loc = format!("{}/", url.split('?').next().unwrap_or(""));
            let mut r = Response::from_string("").with_status_code(StatusCode(301));
            if let Ok(h) = Header::from_bytes("Location", loc.as_bytes()) {
                r.add_header(h);
            }
            let _ = req.respond(r);
        }
        Some((p, bytes)) => {
            let body = if p.ends_with(".html") {
                inject(&bytes, base)
            } else {
                bytes.to_vec()
            };
            let mut r = Response::from_data(body);
            if let Some(h) = ct(content_type(&p)) {
                r.add_header(h);
            }
            let _ = req.respond(r);
        }
        None => {
            let body = files
                .get("404.html")
                .map(|b| inject(b, base))
                .unwrap_or_else(|| b"not found\n".to_vec());
            let mut r = Response::from_data(body).with_status_code(StatusCode(404));
            if let Some(h) = ct("text/html; charset=utf-8") {
                r.add_header(h);
            }
            let _ = req.respond(r);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn watch<'s, 'e>(
    root: &Path,
    opts: &Options,
    state: &'s RwLock<State>,
    clients: &Clients,
    cache: &Cache,
    log: &'s Mutex<&mut (dyn FnMut(String) + Send)>,
    scope: &'s std::thread::Scope<'s, 'e>,
) -> Result<()> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            // Reads (our own rebuilds) must not trigger rebuilds.
            if matches!(
                ev.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            ) {
                let _ = tx.send(ev.paths);
            }
        }
    })
    .map_err(|e| Error::Other(format!("cannot watch files: {e}")))?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for t in [
        root.join("content"),
        root.join("themes"),
        root.join("site.yaml"),
    ] {
        if t.exists() {
            let mode = if t.is_dir() {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            watcher
                .watch(&t, mode)
                .map_err(|e| Error::Other(format!("cannot watch {}: {e}", t.display())))?;
        }
    }
    while let Ok(first) = rx.recv() {
        // Debounce: an atomic save or a 500-file checkout arrives as a burst; wait for quiet.
        let mut paths = first;
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(120)) {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        let files: Vec<&PathBuf> = paths
            .iter()
            .filter(|p| !p.is_dir() && !is_editor_temp(p))
            .collect();
        if files.is_empty() {
            continue;
        }
        let themes = root.join("themes");
        let change = if files
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"))
        {
            Change::Css
        } else if files.iter().all(|p| p.starts_with(&themes)) {
            Change::Theme
        } else {
            Change::All
        };
        if let Ok(mut l) = log.lock() {
            let shown: Vec<String> = files
                .iter()
                .take(3)
                .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                .collect();
            let more = if files.len() > 3 {
                format!(" and {} more", files.len() - 3)
            } else {
                String::new()
            };
            (*l)(format!("changed: {}{more}", shown.join(", ")));
        }
        rebuild(opts, state, clients, cache, change, log, Some(scope));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for bad in [
            "/repo/../secret",
            "/repo/%2e%2e/secret",
            "/repo/%252e%252e/x",
            "/repo/a\\..\\b",
            "/repo/a%5c..%5cb",
            "/repo/%00",
            "/repo//etc/passwd",
            "/other/x",
        ] {
            assert_eq!(resolve_path("/repo/", bad), None, "{bad}");
        }
        assert_eq!(
            resolve_path("/repo/", "/repo/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve_path("/repo/", "/repo").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve_path("/repo/", "/repo/en/founders/?q=1").as_deref(),
            Some("en/founders/index.html")
        );
        assert_eq!(
            resolve_path("/", "/founders/%E8%B4%BE/").as_deref(),
            Some("founders/贾/index.html")
        );
    }

    #[test]
    fn foreign_hosts_are_refused() {
        assert!(host_allowed("127.0.0.1:1111", 1111, "127.0.0.1"));
        assert!(host_allowed("localhost:1111", 1111, "127.0.0.1"));
        assert!(!host_allowed("evil.example:1111", 1111, "127.0.0.1"));
        assert!(!host_allowed("127.0.0.1:2222", 1111, "127.0.0.1"));
    }
}
