//! `dossier serve`: pages from memory under the base path, live reload, error overlay, safety.
//!
//! Nothing here waits by sleeping: a test waits for what the server says (its log, its
//! event stream, its pages), with a deadline. The server logs each batch of changes
//! (`changed: FILE...`) before it rebuilds, then one line that says how the rebuild went,
//! and sends each browser exactly one event per batch; the watcher's events arrive in the
//! order the files were written. So a test can tell which rebuild and which event are
//! those of its edit, and prove that nothing happened in between by making a later edit
//! and seeing that it is the very next batch.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::Site;

struct Server {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
    /// How many batches of changes (`changed: ...` lines) the test has read in the log.
    batches: Cell<usize>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(site: &Site) -> Server {
    start_with(site, &[])
}

/// Starts `dossier serve` on `site` with environment variables `env`.
fn start_with(site: &Site, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string()])
        .envs(env.iter().copied())
        .current_dir(site.dir.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let server = Server {
        child,
        port,
        log: rx,
        batches: Cell::new(0),
    };
    wait_log(
        &server,
        "serving http://127.0.0.1:",
        Duration::from_secs(30),
    );
    server
}

fn wait_log(s: &Server, needle: &str, timeout: Duration) -> String {
    s.next_log(needle, timeout, |l| l.contains(needle))
}

/// How a rebuild ends in the log: the last line it logs.
fn ends_rebuild(line: &str) -> bool {
    [
        "rebuilt in ",
        "re-rendered (theme only) in ",
        "static files updated in ",
        "error: ",
    ]
    .iter()
    .any(|p| line.starts_with(p))
}

impl Server {
    /// The next log line for which `pred` holds (`what` names it), within `timeout`;
    /// counts the batches of changes it passes.
    fn next_log(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    if line.starts_with("changed: ") {
                        self.batches.set(self.batches.get() + 1);
                    }
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("server never logged {what:?}"),
            }
        }
    }

    /// Waits for the next batch of changes, which must name `file` first, and for its
    /// rebuild; returns the line that says how the rebuild went.
    fn rebuild_of(&self, file: &str) -> String {
        let changed = self.next_log("changed", Duration::from_secs(30), |l| {
            l.starts_with("changed: ")
        });
        let first = changed["changed: ".len()..].split([',', ' ']).next();
        assert_eq!(first, Some(file), "{changed}");
        self.next_log(
            "the end of a rebuild",
            Duration::from_secs(30),
            ends_rebuild,
        )
    }
}

/// Writes a file as an editor that saves atomically does: a new file renamed over the
/// old one, which the watcher sees as one event (a write in place is two, a truncation
/// and the new text, which a loaded machine may deliver as two batches).
fn save(site: &Site, rel: &str, text: &str) {
    let tmp = site.path(".saving");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, site.path(rel)).unwrap();
}

/// A raw HTTP/1.0 GET; returns status and body. No answer (a dropped connection) fails.
fn get(port: u16, path: &str, host: &str, extra: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .strip_prefix("HTTP/1.")
        .and_then(|t| t.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("GET {path}: no answer ({} bytes)", buf.len()));
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn local(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

/// A browser's event stream, read in the background.
struct Events {
    rx: mpsc::Receiver<String>,
    /// How many batches of changes the events read so far stand for.
    seen: usize,
}

impl Events {
    /// Connects and returns once the server has taken the stream in (it then sends
    /// `retry:` first). Connect while no change is pending: from then on, each batch of
    /// changes the server logs sends this stream exactly one event.
    fn connect(server: &Server) -> Events {
        let port = server.port;
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /repo/__dossier/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(s);
            for line in reader.lines() {
                let Ok(line) = line else { break };
                let name = match line.strip_prefix("event: ") {
                    Some(name) => name.to_owned(),
                    None if line.starts_with("retry:") => "(connected)".to_owned(),
                    None => continue,
                };
                if tx.send(name).is_err() {
                    break;
                }
            }
        });
        let first = rx.recv_timeout(Duration::from_secs(10));
        assert_eq!(first.as_deref(), Ok("(connected)"));
        Events {
            rx,
            seen: server.batches.get(),
        }
    }

    /// The event of the last batch of changes the test has read in the log (the events
    /// of the batches before it are passed over).
    fn of_last_batch(&mut self, server: &Server) -> String {
        let mut last = None;
        while self.seen < server.batches.get() {
            let event = self.rx.recv_timeout(Duration::from_secs(20));
            last = Some(event.expect("a batch of changes sent no event"));
            self.seen += 1;
        }
        last.expect("no batch of changes since the last event")
    }
}

#[test]
fn serves_under_the_base_path_and_reloads_after_an_edit() {
    let site = Site::fixture("basic");
    let server = start(&site);
    let port = server.port;
    let (status, body) = get(port, "/repo/founders/zhang-san/", &local(port), "");
    assert_eq!(status, 200);
    assert!(
        body.contains("张三") && body.contains("/repo/__dossier/live.js"),
        "{body}"
    );
    assert!(
        body.contains(&format!("http://127.0.0.1:{port}/repo/founders/zhang-san/")),
        "canonical should point at the preview"
    );
    let (status, _) = get(port, "/repo/founders/zhang-san", &local(port), "");
    assert_eq!(status, 301);
    // The first page is served before the search index is ready; it follows.
    wait_log(&server, "search index updated", Duration::from_secs(30));
    let (status, entry) = get(port, "/repo/pagefind/pagefind-entry.json", &local(port), "");
    assert_eq!(status, 200, "the search index is served from memory");
    assert!(
        entry.contains("\"zh\"") && entry.contains("\"en\""),
        "{entry}"
    );
    let (status, js) = get(port, "/repo/__dossier/live.js", &local(port), "");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"));

    let mut ev = Events::connect(&server);
    let zh = "content/founders/zhang-san.zh.md";
    let t = site.read(zh).replace("name: 张三", "name: 张三丰");
    save(&site, zh, &t);
    let start = Instant::now();
    let line = server.rebuild_of(zh);
    assert!(line.starts_with("rebuilt"), "{line}");
    assert_eq!(ev.of_last_batch(&server), "reload");
    println!(
        "rebuild after an edit: {line} (seen after {} ms)",
        start.elapsed().as_millis()
    );
    let (_, body) = get(port, "/repo/founders/zhang-san/", &local(port), "");
    assert!(body.contains("张三丰"));

    // Incremental: a change to one profile's body re-renders that page alone.
    let en = "content/founders/zhang-san.en.md";
    let t = site
        .read(en)
        .replace("founded [Widget]", "started [Widget]");
    save(&site, en, &t);
    let line = server.rebuild_of(en);
    // 28 pages and the 404 page.
    assert!(line.contains(": 1 of 29 pages rendered"), "{line}");
    assert_eq!(ev.of_last_batch(&server), "reload");
    let (_, body) = get(port, "/repo/en/founders/zhang-san/", &local(port), "");
    assert!(body.contains("started"));
    println!("incremental rebuild: {line}");
    // The search index follows in the background, without holding up the reload.
    let line = wait_log(&server, "search index updated", Duration::from_secs(20));
    println!("{line}");

    // A broken edit: the overlay event is sent and the last good site is still served.
    let t = site.read(zh).replace("sector: agents", "sector: nowhere");
    save(&site, zh, &t);
    let line = server.rebuild_of(zh);
    assert!(line.starts_with("error: "), "{line}");
    assert_eq!(ev.of_last_batch(&server), "error");
    let (status, body) = get(port, "/repo/founders/zhang-san/", &local(port), "");
    assert_eq!(status, 200);
    assert!(body.contains("张三丰"));
    // Fixing it reloads (and so clears the overlay).
    let t = t.replace("sector: nowhere", "sector: agents");
    save(&site, zh, &t);
    assert!(server.rebuild_of(zh).starts_with("rebuilt"));
    assert_eq!(ev.of_last_batch(&server), "reload");

    // A stylesheet change swaps CSS without a reload.
    let css_file = "themes/default/static/style.css";
    let css = site.read(css_file) + "\n/* edited */\n";
    save(&site, css_file, &css);
    let line = server.rebuild_of(css_file);
    assert!(line.starts_with("static files updated"), "{line}");
    assert_eq!(ev.of_last_batch(&server), "css");
    let (_, served) = get(port, "/repo/static/style.css", &local(port), "");
    assert!(served.ends_with("/* edited */\n"));
    // A template change re-renders without re-reading content.
    let page = "themes/default/templates/page.html";
    let tpl = site.read(page) + "\n";
    save(&site, page, &tpl);
    let line = server.rebuild_of(page);
    assert!(line.starts_with("re-rendered (theme only)"), "{line}");
    assert_eq!(ev.of_last_batch(&server), "reload");
}

#[test]
fn traversal_and_foreign_hosts_are_refused_and_the_server_stays_up() {
    let site = Site::fixture("basic");
    site.write("secret.txt", "top secret");
    let server = start(&site);
    let port = server.port;
    // Regression: each path below would reach a real file if the guard let it through:
    // normalized, it names the home page or the about page of the site. (Pages are served
    // from memory, so nothing outside the site can be reached at all; the guard is what
    // keeps odd spellings from reaching pages inside it.)
    for path in [
        "/repo/founders/%252e%252e/index.html",
        "/repo/founders/%c0%ae%c0%ae/index.html",
        "/repo/founders/%u002e%u002e/index.html",
        "/repo/founders/../index.html",
        "/repo/founders/%2e%2e/index.html",
        "/repo/founders/%2E%2E/about/",
        "/repo/founders/..%2findex.html",
        "/repo/founders%2f..%2findex.html",
        "/repo/founders/..%5cindex.html",
        "/repo/./about/",
        "/repo/%2e/about/",
        "/repo//about/",
        "/repo/about/%00",
    ] {
        let (status, body) = get(port, path, &local(port), "");
        assert_eq!(status, 404, "{path} was not refused: {body}");
    }
    for path in [
        "/repo/../secret.txt",
        "/secret.txt",
        "/repo/content/founders/zhang-san.zh.md",
        "/repo/site.yaml",
    ] {
        let (status, body) = get(port, path, &local(port), "");
        assert_ne!(status, 200, "{path} was served");
        assert!(
            !body.contains("top secret") && !body.contains("sector: agents"),
            "{path} leaked"
        );
    }
    let (status, _) = get(port, "/repo/", "evil.example", "");
    assert_eq!(
        status, 403,
        "a foreign Host must be refused (DNS rebinding)"
    );
    let (status, _) = get(
        port,
        "/repo/__dossier/events",
        &local(port),
        "Origin: http://evil.example\r\n",
    );
    assert_eq!(status, 403, "a foreign Origin must be refused");
    // The same pages, spelled plainly, are served: the refusals above are the guard's.
    for path in ["/repo/", "/repo/index.html", "/repo/about/"] {
        let (status, _) = get(port, path, &local(port), "");
        assert_eq!(status, 200, "{path}");
    }
    let (_, body) = get(port, "/repo/", &local(port), "");
    assert!(body.contains("测试名录"));
}

#[test]
fn an_explicitly_requested_busy_port_is_an_error() {
    let site = Site::fixture("basic");
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(site.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains(&format!("cannot listen on 127.0.0.1:{port}")));
}

#[test]
fn a_burst_of_changes_gives_one_rebuild_and_editor_temp_files_none() {
    // How long the watcher waits for the next file of a burst (BURST_QUIET in
    // src/serve/watch.rs): files written closer together than this are one batch.
    const BURST_QUIET: Duration = Duration::from_millis(150);
    let site = Site::fixture("basic");
    // The watcher is in place before the server says it is serving.
    let server = start(&site);
    let about = "content/pages/about.zh.md";
    // A real edit, saved now: every batch the server logs before it comes from earlier
    // writes (the watcher's events arrive in the order the files were written), and any
    // still to come from them would come before it or with it. Returns those batches and
    // the edit's own.
    let edits = Cell::new(0);
    let sync = || {
        edits.set(edits.get() + 1);
        let text = site
            .read(about)
            .replace("---\n\n", &format!("---\n\n第 {} 句。", edits.get()));
        save(&site, about, &text);
        let mut before = Vec::new();
        loop {
            let line = wait_log(&server, "changed: ", Duration::from_secs(60));
            if line.contains(about) {
                return (before, line);
            }
            before.push(line);
        }
    };
    let alone = (Vec::<String>::new(), format!("changed: {about}"));
    // A 500-file checkout makes one batch, whose line names three files and the 497
    // others. The checkout is a burst only if the writer never paused as long as the
    // watcher waits: on a machine so loaded that it did, the checkout is tried again.
    let mut tries = 0;
    loop {
        tries += 1;
        let mut pause = Duration::ZERO;
        let mut last = Instant::now();
        for i in 0..500 {
            site.write(
                &format!("content/pages/bulk-{tries}-{i}.zh.md"),
                &format!("---\ntitle: 页面 {i}\n---\n\n正文 {i}\n"),
            );
            pause = pause.max(last.elapsed());
            last = Instant::now();
        }
        let changed = wait_log(&server, "changed: ", Duration::from_secs(60));
        if changed.ends_with(" and 497 more") {
            break;
        }
        assert!(
            pause >= BURST_QUIET && tries < 3,
            "a checkout written without a pause of {BURST_QUIET:?} (the longest: {pause:?}) \
             made more than one batch: {changed}"
        );
        eprintln!("the writer paused {pause:?}: not a burst; trying again");
        // The rest of that checkout passes.
        sync();
    }
    let line = server.next_log("the rebuild", Duration::from_secs(60), ends_rebuild);
    assert!(line.starts_with("rebuilt"), "{line}");
    let (status, body) = get(
        server.port,
        &format!("/repo/bulk-{tries}-499/"),
        &local(server.port),
        "",
    );
    assert_eq!(status, 200);
    assert!(body.contains("正文 499"));
    // No second batch came of the checkout.
    assert_eq!(sync(), alone);
    // Vim's swap and probe files and Emacs lock files make no batch, alone or with an edit.
    for name in [".about.zh.md.swp", "4913", "about.zh.md~", ".#about.zh.md"] {
        site.write(&format!("content/pages/{name}"), "x");
    }
    assert_eq!(sync(), alone);
}

#[cfg(unix)]
#[test]
fn a_symlink_pointing_outside_the_site_is_not_served() {
    let site = Site::fixture("basic");
    site.write("secret.txt", "top secret");
    std::os::unix::fs::symlink(
        site.path("secret.txt"),
        site.path("themes/default/static/leak.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc", site.path("themes/default/static/etc")).unwrap();
    let server = start(&site);
    for path in [
        "/repo/static/leak.txt",
        "/repo/static/etc/passwd",
        "/repo/static/etc/hostname",
    ] {
        let (status, body) = get(server.port, path, &local(server.port), "");
        assert_ne!(status, 200, "{path} was served");
        assert!(!body.contains("top secret"));
    }
    let (status, _) = get(
        server.port,
        "/repo/static/style.css",
        &local(server.port),
        "",
    );
    assert_eq!(status, 200);
}

/// One HTTP/1.0 request on a fresh connection: (status, headers, body), or an error.
/// A connection's whole exchange: sends `request`, returns every byte of the answer.
fn exchange(port: u16, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    s.write_all(request)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    Ok(buf)
}

/// One HTTP/1.0 request on a fresh connection: (status, headers, body). A connection
/// closed without an answer, or an answer without a status line, is an error.
fn fetch(port: u16, request: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
    let buf = exchange(port, request)?;
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no answer ({} bytes)", buf.len())))?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .strip_prefix("HTTP/1.")
        .and_then(|h| h.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {head}")))?;
    Ok((status, head, buf[split + 4..].to_vec()))
}

/// 50 clients for 10 s while a profile is edited every 100 ms, with 100 idle
/// half-sent requests held open and malformed requests mixed in: every answer to a good
/// request is a whole page, and the server stays up.
#[test]
fn under_load_while_editing_every_response_is_whole() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let site = Site::fixture("basic");
    let server = start(&site);
    let port = server.port;
    // Slowloris: requests that never finish.
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"GET /repo/ HTTP/1.1\r\nHost: 127").unwrap();
            s
        })
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let results = Arc::new(Mutex::new((Vec::<Duration>::new(), Vec::<String>::new())));
    let pages = [
        "/repo/",
        "/repo/founders/",
        "/repo/founders/zhang-san/",
        "/repo/en/founders/zhang-san/",
        "/repo/about/",
        "/repo/static/style.css",
    ];
    let clients: Vec<_> = (0..50)
        .map(|c| {
            let (stop, results) = (stop.clone(), results.clone());
            std::thread::spawn(move || {
                let mut i = c;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let path = pages[i % pages.len()];
                    let req = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
                    let start = Instant::now();
                    let problem = match fetch(port, req.as_bytes()) {
                        Err(e) => Some(format!("{path}: {e}")),
                        Ok((status, _, _)) if status != 200 => {
                            Some(format!("{path}: status {status}"))
                        }
                        Ok((_, head, body)) => {
                            let text = String::from_utf8_lossy(&body);
                            let length = head
                                .lines()
                                .find_map(|l| l.strip_prefix("Content-Length: "))
                                .and_then(|n| n.trim().parse::<usize>().ok());
                            if length.is_some_and(|n| n != body.len()) {
                                Some(format!("{path}: truncated body"))
                            } else if path.ends_with('/') && !text.trim_end().ends_with("</html>") {
                                Some(format!("{path}: not a whole page"))
                            } else {
                                None
                            }
                        }
                    };
                    let mut r = results.lock().unwrap();
                    r.0.push(start.elapsed());
                    r.1.extend(problem);
                }
            })
        })
        .collect();
    // Malformed and oversized requests, mixed in: what each gets.
    let bad = std::thread::spawn(move || {
        let host = format!("Host: 127.0.0.1:{port}\r\n");
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("not a request", b"garbage\r\n\r\n".to_vec()),
            ("not ASCII", b"\x00\xff garbage\r\n\r\n".to_vec()),
            (
                "HTTP/9.9",
                format!("GET /repo/ HTTP/9.9\r\n{host}\r\n").into_bytes(),
            ),
            (
                "a 1 MB path",
                format!("GET /{} HTTP/1.0\r\n{host}\r\n", "a".repeat(1 << 20)).into_bytes(),
            ),
            (
                "a 1 MB header",
                format!(
                    "GET /repo/ HTTP/1.0\r\n{host}X: {}\r\n\r\n",
                    "a".repeat(1 << 20)
                )
                .into_bytes(),
            ),
            (
                "POST",
                format!("POST /repo/ HTTP/1.0\r\n{host}Content-Length: 5\r\n\r\nhello")
                    .into_bytes(),
            ),
        ];
        cases
            .into_iter()
            .map(|(name, req)| (name, exchange(port, &req).map_err(|e| e.to_string())))
            .collect::<Vec<_>>()
    });
    let end = Instant::now() + Duration::from_secs(10);
    let mut n = 0;
    while Instant::now() < end {
        n += 1;
        let rel = "content/founders/zhang-san.zh.md";
        let text = site.read(rel);
        site.write(rel, &format!("{text}\n第 {n} 次编辑。\n"));
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let answers = bad.join().unwrap();
    drop(idle);
    let (mut times, problems) = std::mem::take(&mut *results.lock().unwrap());
    assert!(
        problems.is_empty(),
        "{} bad answers: {:?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
    times.sort();
    let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    eprintln!(
        "serve under load: {} requests in 10 s ({:.0}/s), median {:?}, p99 {:?}, max {:?}, {n} edits",
        times.len(),
        times.len() as f64 / 10.0,
        p(0.5),
        p(0.99),
        times.last().unwrap()
    );
    assert!(times.len() > 500, "only {} requests answered", times.len());
    // Each malformed or oversized request got an answer, and no server error: a
    // connection dropped without one fails. The POST is refused. One exception, not
    // dossier's to make: tiny_http closes a connection whose request line is not ASCII
    // before the server sees a request, without a word (the server stays up: below).
    for (name, answer) in &answers {
        let status = answer.as_ref().ok().and_then(|bytes| {
            let head = String::from_utf8_lossy(bytes);
            head.strip_prefix("HTTP/1.")?
                .split_whitespace()
                .nth(1)?
                .parse::<u16>()
                .ok()
        });
        match *name {
            "not ASCII" => assert_eq!(answer.as_deref(), Ok(&[][..]), "{name}"),
            "POST" => assert_eq!(status, Some(405), "{name}"),
            "not a request" | "HTTP/9.9" => {
                assert!(
                    status.is_some_and(|s| (400..500).contains(&s)),
                    "{name}: {status:?}"
                )
            }
            _ => assert!(status.is_some_and(|s| s < 500), "{name}: {status:?}"),
        }
    }
    // The last edit is served.
    let (status, body) = get(port, "/repo/founders/zhang-san/", &local(port), "");
    assert_eq!(status, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut body = body;
    while !body.contains(&format!("第 {n} 次编辑")) {
        assert!(Instant::now() < deadline, "the last edit never showed");
        std::thread::sleep(Duration::from_millis(100));
        body = get(port, "/repo/founders/zhang-san/", &local(port), "").1;
    }
}

/// Regression: a new skeleton (a draft) was a 404 in `serve`, so an editor could not see
/// the profile they were writing. The preview shows drafts, under a banner.
#[test]
fn serve_shows_a_draft_under_a_banner() {
    let site = Site::fixture("basic");
    let li = site.read("content/founders/li-si.zh.md");
    site.write(
        "content/founders/li-si.zh.md",
        &li.replace("---\n\n", "draft: true\n---\n\n"),
    );
    let s = start(&site);
    let (status, body) = get(s.port, "/repo/founders/li-si/", &local(s.port), "");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("draft-notice") && body.contains("草稿。"),
        "{body}"
    );
    let (status, body) = get(s.port, "/repo/founders/zhang-san/", &local(s.port), "");
    assert_eq!(status, 200);
    assert!(
        !body.contains("draft-notice"),
        "a published page has no banner"
    );
}

/// A page as `dossier build` writes it: the served page without the live-reload script.
fn unlive(body: &[u8]) -> Vec<u8> {
    let tag: &[u8] = b"<script src=\"/repo/__dossier/live.js\"></script>";
    match body.windows(tag.len()).rposition(|w| w == tag) {
        Some(i) => [&body[..i], &body[i + tag.len()..]].concat(),
        None => body.to_vec(),
    }
}

/// Every file `dossier build` writes for the site as served on `port`, compared with what
/// the server serves.
fn same_as_build(site: &Site, port: u16, what: &str) {
    let base = format!("http://127.0.0.1:{port}/repo/");
    let out = site.path(&format!("built-{what}"));
    let out_arg = out.display().to_string();
    site.build_ok(&["--base-url", &base, "--output", &out_arg]);
    let built = crate::tree(&out);
    let mut compared = 0;
    for (rel, bytes) in &built {
        let rel = rel.display().to_string();
        // The search index is made apart; `.dossier-output` marks a build's directory.
        if rel.starts_with("pagefind/") || rel == ".dossier-output" {
            continue;
        }
        let req = format!("GET /repo/{rel} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        let (status, _, body) = fetch(port, req.as_bytes()).unwrap();
        assert_eq!(status, 200, "{what}: {rel}");
        assert!(
            unlive(&body) == *bytes,
            "{what}: {rel} differs from the build\n--- served:\n{}\n--- built:\n{}",
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(bytes)
        );
        compared += 1;
    }
    assert!(compared > 50, "{what}: only {compared} files compared");
}

/// The server answers before the site is rendered. With the background held (a test's
/// hook: it waits for the first change), each page asked for is rendered on request (the
/// log names it, with outputs still left) and is the very page `dossier build` writes;
/// so are the 404 page and a redirect to a page not rendered yet. An edit then renders
/// again the pages it touches among those rendered (a page read before the edit shows
/// it) and releases the background, which renders the rest from the edited sources:
/// every file served is then the edited site's build.
#[test]
fn pages_are_rendered_on_request_before_the_background_and_match_a_build() {
    let site = Site::fixture("basic");
    let server = start_with(&site, &[("DOSSIER_SERVE_HOLD_BACKGROUND", "1")]);
    let port = server.port;
    let page = "/repo/founders/zhang-san/";
    let (status, first) = get(port, page, &local(port), "");
    assert_eq!(status, 200);
    let line = wait_log(&server, "rendered on request", Duration::from_secs(30));
    assert!(
        line.contains(": founders/zhang-san/index.html (") && !line.contains("(0 outputs left"),
        "{line}"
    );
    // Asked for again, it is served as rendered: no second render.
    let (_, again) = get(port, page, &local(port), "");
    assert_eq!(first, again);
    let (status, _) = get(port, "/repo/en/founders/li-si", &local(port), "");
    assert_eq!(status, 301, "a page not rendered yet is still a directory");
    let (status, body) = get(port, "/repo/no/such/page/", &local(port), "");
    assert_eq!(status, 404);
    assert!(
        body.contains("/repo/__dossier/live.js"),
        "the 404 page: {body}"
    );
    let (status, _) = get(port, "/repo/pagefind/pagefind-entry.json", &local(port), "");
    assert_eq!(status, 404, "no search index before every page is rendered");
    // Before any other output is rendered: the page is the build's.
    let built = site.path("built-before");
    let out_arg = built.display().to_string();
    site.build_ok(&[
        "--base-url",
        &format!("http://127.0.0.1:{port}/repo/"),
        "--output",
        &out_arg,
    ]);
    let want = std::fs::read(built.join("founders/zhang-san/index.html")).unwrap();
    assert!(unlive(first.as_bytes()) == want, "{first}");
    assert!(
        !logged_so_far(&server)
            .iter()
            .any(|l| l.starts_with("rendered in the background")),
        "the background ran while held"
    );

    let zh = "content/founders/zhang-san.zh.md";
    save(
        &site,
        zh,
        &site.read(zh).replace("name: 张三", "name: 张三丰"),
    );
    let line = server.rebuild_of(zh);
    assert!(line.starts_with("rebuilt"), "{line}");
    let (_, body) = get(port, page, &local(port), "");
    assert!(
        body.contains("张三丰"),
        "the page rendered before the edit shows it"
    );
    wait_log(
        &server,
        "rendered in the background",
        Duration::from_secs(60),
    );
    same_as_build(&site, port, "after");
}

/// The log lines the server has sent and the test not read yet, without waiting.
fn logged_so_far(server: &Server) -> Vec<String> {
    server.log.try_iter().collect()
}

/// The files of the search index as the server on `port` serves them, against `want`
/// (paths under `pagefind/`, bytes): the paths whose bytes differ or are not served.
fn index_differs(port: u16, want: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<String> {
    want.iter()
        .filter(|(rel, bytes)| {
            let req = format!("GET /repo/{rel} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
            let (status, _, body) = fetch(port, req.as_bytes()).unwrap();
            status != 200 || body != **bytes
        })
        .map(|(rel, _)| rel.clone())
        .collect()
}

/// The first line the server logs about the search index.
fn first_index_line(server: &Server) -> String {
    server.next_log("search index", Duration::from_secs(60), |l| {
        l.starts_with("search index")
    })
}

/// The search index of a build's output: its files by path in the site.
fn built_index(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    crate::tree(dir)
        .into_iter()
        .map(|(p, b)| (p.display().to_string(), b))
        .filter(|(p, _)| p.starts_with("pagefind/"))
        .collect()
}

/// A server started after `dossier build` serves the search index the build wrote: no
/// shard whose records are the same is indexed again, and every file is the build's. An
/// edit of a Chinese page's body then indexes the Chinese shard alone anew.
#[test]
fn the_search_index_of_the_last_build_is_served_without_indexing_it_again() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let built = built_index(&site.path("output"));
    assert!(built.len() > 10, "{built:?}");
    let server = start(&site);
    let port = server.port;
    let line = first_index_line(&server);
    assert!(
        line.starts_with("search index of the last build read"),
        "{line}"
    );
    let line = wait_log(&server, "search index updated", Duration::from_secs(60));
    assert!(line.contains("(0 shards indexed anew)"), "{line}");
    assert_eq!(index_differs(port, &built), Vec::<String>::new());

    let zh = "content/founders/zhang-san.zh.md";
    save(&site, zh, &site.read(zh).replace("## 背景", "## 经历"));
    assert!(server.rebuild_of(zh).starts_with("rebuilt"));
    let line = wait_log(&server, "search index updated", Duration::from_secs(60));
    assert!(line.contains("(1 shards indexed anew)"), "{line}");
    let (_, entry) = get(port, "/repo/pagefind/pagefind-entry.json", &local(port), "");
    let old = String::from_utf8_lossy(&built["pagefind/pagefind-entry.json"]).into_owned();
    assert_ne!(entry, old, "the Chinese index changed");
}

/// A file of the index changed by hand since the build is not trusted: the server builds
/// the index whole, and serves what a build makes, not the changed file.
#[test]
fn a_search_index_file_changed_since_the_build_is_indexed_again() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let built = built_index(&site.path("output"));
    let (rel, bytes) = built
        .iter()
        .find(|(p, _)| p.ends_with(".pf_fragment"))
        .expect("a fragment in the index");
    let mut changed = bytes.clone();
    changed.push(0);
    std::fs::write(site.path(&format!("output/{rel}")), &changed).unwrap();
    let server = start(&site);
    let line = first_index_line(&server);
    assert!(line.starts_with("search index updated"), "{line}");
    assert!(line.contains("(2 shards indexed anew)"), "{line}");
    assert_eq!(index_differs(server.port, &built), Vec::<String>::new());
}
