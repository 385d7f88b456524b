#!/usr/bin/env python3
"""Measures `dossier serve` on a synthetic site: start-up, search readiness and edit latency.

Run it through scripts/bench-serve, which builds dossier first. It writes the synthetic site
(scripts/synth.py N), starts `dossier serve` on a free port and measures
  - time to first page: from starting the process until GET of the home page returns 200;
  - time to search: until GET of pagefind/pagefind-entry.json under the base path returns 200;
  - edit latency: EDITS times, INTERVAL seconds apart, it rewrites one founder's zh file (a
    different founder each time; the summary gains a unique marker) and polls that founder's
    page every 2 ms; the latency runs from the write to the first response containing the marker;
  - how long after the last edit the search index was updated (it waits for edits to pause);
  - the server's peak RSS (VmHWM in /proc/<pid>/status) at the end.
With --built the site is built first (`dossier build`, not timed), so the server starts from
the build's state: it takes the search index the build wrote.
With --early the edits start as soon as the first page is served, while the server still
renders the rest of the site in the background (and before the search index is ready).
The server is killed at the end whatever happens, and dies with this script if it is killed.
"""
import argparse, ctypes, os, random, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time
import http.client

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLL = 0.002


def get(port, path, timeout=600):
    """(status, body) of GET path, or (None, b"") when the server does not answer yet."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    except (OSError, http.client.HTTPException):
        return None, b""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    """In the child: receive SIGKILL when this script dies, however it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def wait_for(port, path, proc, deadline, want=lambda s, b: s == 200):
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            sys.exit(f"bench-serve: the server exited with status {proc.returncode} (see its log above)")
        status, body = get(port, path)
        if want(status, body):
            return time.perf_counter()
        time.sleep(POLL)
    sys.exit(f"bench-serve: timed out waiting for {path}")


def vm_hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"^VmHWM:\s+(\d+) kB", f.read(), re.M)
        return int(m.group(1)) if m else None
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser(prog="scripts/bench-serve", description=__doc__.split("\n\n")[0])
    ap.add_argument("n", metavar="N", type=int, help="founders (and companies) per language")
    ap.add_argument("--edits", type=int, default=20, help="single-profile edits (default 20)")
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between edits (default 1.0)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for any one step (default 600)")
    ap.add_argument("--log", metavar="FILE", help="keep the server's output in FILE")
    ap.add_argument("--early", action="store_true", help="edit while the server still renders in the background")
    ap.add_argument("--built", action="store_true", help="run `dossier build` first: the server starts from its state")
    a = ap.parse_args()
    if a.n < 1 or a.edits < 1:
        ap.error("N and --edits must be positive")
    dossier = os.environ.get("DOSSIER", os.path.join(REPO, "target", "release", "dossier"))
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, lambda *_: sys.exit("bench-serve: stopped by signal"))
    work = tempfile.mkdtemp(prefix="dossier-bench-serve-")
    site = os.path.join(work, "site")
    proc = None
    try:
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "synth.py"), str(a.n), site], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(site, "site.yaml"), encoding="utf-8") as f:
            base_url = re.search(r"^base_url:\s*(\S+)", f.read(), re.M).group(1)
        base = "/" + base_url.split("://", 1)[1].split("/", 1)[1] if base_url.count("/") > 2 else "/"
        base = base if base.endswith("/") else base + "/"
        if a.built:
            t = time.perf_counter()
            subprocess.run([dossier, "build", "--root", site], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.sync()  # the build's writes reach the disk before the server is timed
            print(f"built first (not timed) in {time.perf_counter() - t:.1f} s")
        port = free_port()
        serve_log = open(os.path.join(work, "serve.log"), "w")
        print(f"dossier serve, N = {a.n:,} ({a.n:,} founders + {a.n:,} companies, zh and en), http://127.0.0.1:{port}{base}")
        start = time.perf_counter()
        proc = subprocess.Popen([dossier, "serve", "--port", str(port), "--root", site], stdout=serve_log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        first = wait_for(port, base, proc, start + a.timeout)
        print(f"time to first page:   {first - start:7.2f} s")

        def search_ready():
            search = wait_for(port, f"{base}pagefind/pagefind-entry.json", proc, start + a.timeout)
            print(f"time to search ready: {search - start:7.2f} s", flush=True)

        # With --early the search index is waited for beside the edits.
        searcher = threading.Thread(target=search_ready, daemon=True)

        def indexed_lines():
            serve_log.flush()
            with open(serve_log.name, errors="replace") as fh:
                return fh.read().count("search index updated")

        if a.early:
            searcher.start()
        else:
            search_ready()
        # The first index's log line follows its files by a moment.
        while not a.early and indexed_lines() == 0 and time.perf_counter() < start + a.timeout:
            time.sleep(0.05)
        indexed_before = indexed_lines()
        rnd = random.Random()
        founders = random.Random(7).sample(range(a.n), min(a.edits, a.n))
        latencies, last_write = [], 0.0
        for i in range(a.edits):
            f = founders[i % len(founders)]
            marker = f"edit-{i + 1}-{rnd.randrange(16 ** 8):08x}"
            path = os.path.join(site, "content", "founders", f"founder-{f}.zh.md")
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            text, subs = re.subn(r"^summary: .*$", f"summary: \"{marker}：这是第 {i + 1} 次修改。\"", text, count=1, flags=re.M)
            if not subs:
                sys.exit(f"bench-serve: no summary line in {path}")
            time.sleep(max(0.0, last_write + a.interval - time.perf_counter()))
            tmp = path + ".tmp"  # written whole and renamed, as editors save
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text)
            if i == a.edits - 1:
                indexed_before = indexed_lines()  # an index run after the last edit counts
            last_write = time.perf_counter()
            os.replace(tmp, path)
            seen = wait_for(port, f"{base}founders/founder-{f}/", proc, last_write + a.timeout, lambda s, b: s == 200 and marker.encode() in b)
            latencies.append(seen - last_write)
            print(f"edit {i + 1:2} (founder-{f}): {latencies[-1] * 1000:7.0f} ms")
        if a.early:
            searcher.join()
        # The search index is updated once the edits pause: how long after the last one.
        caught_up = None
        while time.perf_counter() < last_write + a.timeout and proc.poll() is None:
            if indexed_lines() > indexed_before:
                caught_up = time.perf_counter() - last_write
                break
            time.sleep(0.05)
        hwm = vm_hwm(proc.pid)
        ms = [x * 1000 for x in latencies]
        print(f"edit latency: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms, all: {', '.join(f'{x:.0f}' for x in ms)}")
        if len(ms) >= 10:
            early, late = statistics.median(ms[:5]), statistics.median(ms[-5:])
            verdict = "latencies grow" if late > 1.25 * early else "latencies do not grow"
            print(f"first 5 median {early:.0f} ms, last 5 median {late:.0f} ms ({late / early:.2f}×): {verdict} (threshold 1.25×)")
        else:
            print("fewer than 10 edits: no growth comparison")
        print(f"server peak RSS (VmHWM): {hwm / 1024:.0f} MiB" if hwm else "server peak RSS: unavailable")
        print(f"search index updated {caught_up:.1f} s after the last edit" if caught_up is not None else "search index: no update after the edits")
        serve_log.flush()
        with open(serve_log.name, errors="replace") as fh:
            lines = fh.read().splitlines()
        lines = lines[next((i for i, l in enumerate(lines) if l.startswith("serving ")), 0):]  # after the first build
        rebuilds = [int(m.group(1)) for l in lines for m in [re.match(r"rebuilt in (\d+) ms", l)] if m]
        indexed = sum(l.startswith("search index updated") for l in lines)
        done = next((i for i, l in enumerate(lines) if l.startswith("rendered in the background")), len(lines))
        during = sum(bool(re.match(r"rebuilt in \d+ ms", l)) for l in lines[:done])
        print(f"edits applied while the rest of the site was still rendered in the background: {during}")
        if rebuilds:
            print(f"server's own rebuild times during the edits: median {statistics.median(rebuilds):.0f} ms, max {max(rebuilds)} ms; "
                  f"search index updates finished: {indexed} (after {len(rebuilds)} rebuilds)")
    finally:
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait()
        if a.log and os.path.exists(os.path.join(work, "serve.log")):
            shutil.copy(os.path.join(work, "serve.log"), a.log)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
