//! `dossier serve`: pages from memory under the base path, live reload, error overlay, safety.

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
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string()])
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
    };
    wait_log(
        &server,
        "serving http://127.0.0.1:",
        Duration::from_secs(30),
    );
    server
}

fn wait_log(s: &Server, needle: &str, timeout: Duration) -> String {
    let end = Instant::now() + timeout;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        match s.log.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => continue,
            Err(_) => panic!("server never logged {needle:?}"),
        }
    }
}

/// A raw HTTP/1.0 GET; returns status and body.
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
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn local(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

/// Reads server-sent events in the background and forwards each `event:` name.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET /repo/__dossier/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(s);
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send(name.to_owned()).is_err() {
                    break;
                }
            }
        }
    });
    rx
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

    let ev = events(port);
    std::thread::sleep(Duration::from_millis(300));
    let t = site
        .read("content/founders/zhang-san.zh.md")
        .replace("name: 张三", "name: 张三丰");
    site.write("content/founders/zhang-san.zh.md", &t);
    let start = Instant::now();
    let line = wait_log(&server, "rebuilt", Duration::from_secs(20));
    assert_eq!(ev.recv_timeout(Duration::from_secs(10)).unwrap(), "reload");
    println!(
        "rebuild after an edit: {line} (seen after {} ms)",
        start.elapsed().as_millis()
    );
    let (_, body) = get(port, "/repo/founders/zhang-san/", &local(port), "");
    assert!(body.contains("张三丰"));

    // Incremental: a change to one profile's body re-renders that page alone.
    std::thread::sleep(Duration::from_millis(300));
    while server.log.try_recv().is_ok() {}
    let t = site
        .read("content/founders/zhang-san.en.md")
        .replace("founded [Widget]", "started [Widget]");
    site.write("content/founders/zhang-san.en.md", &t);
    let line = wait_log(&server, "pages rendered", Duration::from_secs(20));
    // 28 pages and the 404 page.
    assert!(line.contains(": 1 of 29 pages rendered"), "{line}");
    assert_eq!(ev.recv_timeout(Duration::from_secs(10)).unwrap(), "reload");
    let (_, body) = get(port, "/repo/en/founders/zhang-san/", &local(port), "");
    assert!(body.contains("started"));
    println!("incremental rebuild: {line}");
    // The search index follows in the background, without holding up the reload.
    let line = wait_log(&server, "search index updated", Duration::from_secs(20));
    println!("{line}");

    // A broken edit: the overlay event is sent and the last good site is still served.
    let t = site
        .read("content/founders/zhang-san.zh.md")
        .replace("sector: agents", "sector: nowhere");
    site.write("content/founders/zhang-san.zh.md", &t);
    assert_eq!(ev.recv_timeout(Duration::from_secs(20)).unwrap(), "error");
    let (status, body) = get(port, "/repo/founders/zhang-san/", &local(port), "");
    assert_eq!(status, 200);
    assert!(body.contains("张三丰"));
    // Fixing it reloads (and so clears the overlay).
    let t = t.replace("sector: nowhere", "sector: agents");
    site.write("content/founders/zhang-san.zh.md", &t);
    assert_eq!(ev.recv_timeout(Duration::from_secs(20)).unwrap(), "reload");

    // A stylesheet change swaps CSS without a reload (after any late events of the fix).
    std::thread::sleep(Duration::from_millis(800));
    while ev.try_recv().is_ok() {}
    let css = site.read("themes/default/static/style.css") + "\n/* edited */\n";
    site.write("themes/default/static/style.css", &css);
    assert_eq!(ev.recv_timeout(Duration::from_secs(20)).unwrap(), "css");
    // A template change re-renders without re-reading content.
    std::thread::sleep(Duration::from_millis(500));
    while server.log.try_recv().is_ok() {}
    while ev.try_recv().is_ok() {}
    let tpl = site.read("themes/default/templates/page.html") + "\n";
    site.write("themes/default/templates/page.html", &tpl);
    let line = wait_log(&server, "pages rendered", Duration::from_secs(20));
    assert!(line.starts_with("re-rendered (theme only)"), "{line}");
    assert_eq!(ev.recv_timeout(Duration::from_secs(10)).unwrap(), "reload");
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
    let site = Site::fixture("basic");
    let server = start(&site);
    std::thread::sleep(Duration::from_millis(300));
    // A 500-file checkout.
    for i in 0..500 {
        site.write(
            &format!("content/pages/bulk-{i}.zh.md"),
            &format!("---\ntitle: 页面 {i}\n---\n\n正文 {i}\n"),
        );
    }
    wait_log(&server, "rebuilt", Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(1500));
    let extra: Vec<String> = server
        .log
        .try_iter()
        .filter(|l| l.starts_with("rebuilt"))
        .collect();
    assert!(extra.is_empty(), "more than one rebuild: {extra:?}");
    let (status, body) = get(server.port, "/repo/bulk-499/", &local(server.port), "");
    assert_eq!(status, 200);
    assert!(body.contains("正文 499"));
    // Vim's swap and probe files and Emacs lock files do not trigger anything.
    for name in [".about.zh.md.swp", "4913", "about.zh.md~", ".#about.zh.md"] {
        site.write(&format!("content/pages/{name}"), "x");
    }
    std::thread::sleep(Duration::from_millis(1500));
    let after: Vec<String> = server
        .log
        .try_iter()
        .filter(|l| l.starts_with("rebuilt") || l.starts_with("changed"))
        .collect();
    assert!(after.is_empty(), "temp files triggered: {after:?}");
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
fn fetch(port: u16, request: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    s.write_all(request)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
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
    // Malformed and oversized requests, mixed in.
    let bad = std::thread::spawn(move || {
        let host = format!("Host: 127.0.0.1:{port}\r\n");
        let cases: Vec<Vec<u8>> = vec![
            b"\x00\xff garbage\r\n\r\n".to_vec(),
            format!("GET /repo/ HTTP/9.9\r\n{host}\r\n").into_bytes(),
            format!("GET /{} HTTP/1.0\r\n{host}\r\n", "a".repeat(1 << 20)).into_bytes(),
            format!(
                "GET /repo/ HTTP/1.0\r\n{host}X: {}\r\n\r\n",
                "a".repeat(1 << 20)
            )
            .into_bytes(),
            format!("POST /repo/ HTTP/1.0\r\n{host}Content-Length: 5\r\n\r\nhello").into_bytes(),
        ];
        let mut statuses = Vec::new();
        for case in &cases {
            statuses.push(fetch(port, case).map(|r| r.0).unwrap_or(0));
        }
        statuses
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
    let statuses = bad.join().unwrap();
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
    // No malformed request got a server error; the POST is refused.
    assert!(statuses.iter().all(|s| *s < 500), "{statuses:?}");
    assert_eq!(statuses[4], 405, "{statuses:?}");
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
