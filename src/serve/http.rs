//! The dev server's HTTP side: files from memory under the base path, the live-reload
//! script and event stream, and the checks that keep it to this machine and this site
//! (Host and Origin, no path outside the site in any encoding).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

pub const EVENTS: &str = "__dossier/events";
pub const LIVE_JS: &str = "__dossier/live.js";

/// The site as served.
#[derive(Default)]
pub struct State {
    /// Every file by its path in the site (`en/founders/x/index.html`).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// The last build error, shown as an overlay until a build succeeds.
    pub error: Option<String>,
    /// The outputs planned but not rendered yet, by path: a request for one renders it.
    pub lazy: HashSet<String>,
}

/// The file at a path of the site: from memory, or rendered now when it is planned but
/// not rendered yet; the text of the error that stopped its rendering; None when the site
/// has no such file.
pub type Lookup<'a> = dyn Fn(&str) -> Option<Result<Arc<Vec<u8>>, String>> + Sync + 'a;

/// Browsers listening for reload events.
pub type Clients = Arc<Mutex<Vec<Sender<String>>>>;

/// Sends an event to every listening browser, forgetting the ones that left.
pub fn broadcast(clients: &Clients, event: &str) {
    if let Ok(mut list) = clients.lock() {
        list.retain(|c| c.send(event.to_owned()).is_ok());
    }
}

/// An event naming what happened: `reload`, `css`, `error` (with the message) or `ok`.
pub fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

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

/// Adds the live-reload script before `</body>`.
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
    if decoded.contains(['\0', '\\', '%']) || decoded.starts_with('/') {
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
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// What a request handler reaches: the site as served, the browsers waiting for reloads,
/// and the address the server answers at.
pub struct Endpoint<'a> {
    pub state: &'a RwLock<State>,
    /// Finds (or renders) the file at a path.
    pub lookup: &'a Lookup<'a>,
    pub clients: &'a Clients,
    pub base: &'a str,
    pub port: u16,
    pub bind: &'a str,
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_owned())
}

fn respond(req: Request, status: u16, body: Vec<u8>, ctype: &str) {
    let mut r = Response::from_data(body).with_status_code(StatusCode(status));
    if let Ok(h) = Header::from_bytes("Content-Type", ctype) {
        r.add_header(h);
    }
    let _ = req.respond(r);
}

/// Answers one request.
pub fn handle<'s>(req: Request, site: &Endpoint, scope: &'s std::thread::Scope<'s, '_>) {
    let host_ok = header(&req, "Host").is_some_and(|h| host_allowed(&h, site.port, site.bind));
    let origin_ok = header(&req, "Origin").is_none_or(|o| {
        o.strip_prefix("http://")
            .is_some_and(|h| host_allowed(h, site.port, site.bind))
    });
    if !host_ok || !origin_ok {
        let msg = b"forbidden: unknown Host or Origin\n".to_vec();
        return respond(req, 403, msg, "text/plain; charset=utf-8");
    }
    // A static site answers GET and HEAD only.
    if !matches!(req.method(), Method::Get | Method::Head) {
        let mut r = Response::from_data(b"method not allowed\n".to_vec()).with_status_code(405);
        if let Ok(h) = Header::from_bytes("Allow", "GET, HEAD") {
            r.add_header(h);
        }
        let _ = req.respond(r);
        return;
    }
    let url = req.url().to_owned();
    let path = url.split('?').next().unwrap_or("");
    if path == format!("{}{EVENTS}", site.base) {
        return events(req, site, scope);
    }
    if path == format!("{}{LIVE_JS}", site.base) {
        let js = live_js(site.base).into_bytes();
        return respond(req, 200, js, "text/javascript; charset=utf-8");
    }
    let Some(file) = resolve_path(site.base, &url) else {
        return respond(
            req,
            404,
            b"not found\n".to_vec(),
            "text/plain; charset=utf-8",
        );
    };
    if site.state.is_poisoned() {
        return respond(req, 500, Vec::new(), "text/plain");
    }
    match (site.lookup)(&file) {
        Some(Ok(bytes)) if file.ends_with(".html") => {
            respond(req, 200, inject(&bytes, site.base), content_type(&file))
        }
        Some(Ok(bytes)) => respond(req, 200, bytes.to_vec(), content_type(&file)),
        // An output that failed to render: the error, with the overlay and live reload.
        Some(Err(text)) => respond(
            req,
            500,
            error_page(&text, site.base),
            content_type(".html"),
        ),
        // `/founders/x` without the slash: redirect so relative URLs keep working.
        None if (site.lookup)(&format!("{file}/index.html")).is_some() => {
            let mut r = Response::from_string("").with_status_code(StatusCode(301));
            if let Ok(h) = Header::from_bytes("Location", format!("{path}/").as_bytes()) {
                r.add_header(h);
            }
            let _ = req.respond(r);
        }
        None => {
            let body = match (site.lookup)("404.html") {
                Some(Ok(b)) => inject(&b, site.base),
                _ => b"not found\n".to_vec(),
            };
            respond(req, 404, body, "text/html; charset=utf-8")
        }
    }
}

/// A page showing a build error, with the live-reload script (which shows it as the
/// overlay and reloads once it is fixed).
fn error_page(text: &str, base: &str) -> Vec<u8> {
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>build error</title></head><body><pre>{}</pre></body></html>",
        crate::escape::html(text)
    );
    inject(page.as_bytes(), base)
}

/// The event stream: the current error at once, then every event until the browser leaves.
fn events<'s>(req: Request, site: &Endpoint, scope: &'s std::thread::Scope<'s, '_>) {
    let (tx, rx) = channel();
    let _ = tx.send("retry: 500\n\n".to_owned());
    if let Ok(s) = site.state.read() {
        if let Some(err) = &s.error {
            let _ = tx.send(event(
                "error",
                &serde_json::to_string(err).unwrap_or_default(),
            ));
        }
    }
    if let Ok(mut c) = site.clients.lock() {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: only paths that reach the file lookup test the guard; a path without
    /// the base prefix is refused before decoding, so each case below starts with it.
    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for bad in [
            "/repo/../secret",
            "/repo/%2e%2e/secret",
            "/repo/%2E%2E/secret",
            "/repo/%252e%252e/x",
            "/repo/a/..%2f..%2fsecret",
            "/repo/a\\..\\b",
            "/repo/a%5c..%5cb",
            "/repo/%00",
            "/repo//etc/passwd",
            "/repo/%2fetc/passwd",
            "/repo/./index.html",
            "/repo/%ff",
        ] {
            assert_eq!(resolve_path("/repo/", bad), None, "{bad}");
        }
        assert_eq!(resolve_path("/repo/", "/other/x"), None);
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
