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
