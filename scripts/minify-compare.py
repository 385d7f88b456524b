#!/usr/bin/env python3
"""dossier's HTML compaction against the minify-html crate, side by side.

Run it through scripts/minify-compare. Two release builds of dossier, each in its own target
directory under target/minify-compare/: `compact` (the default build: src/finish.rs removes
indentation and blank lines) and `minify-html` (`--features minify-html`: the crate's
spec-compliant minifier in its place). Unless --no-compile, each is compiled from an empty
target directory with `cargo build --release --locked` under /usr/bin/time -v, one after the
other (one run each: wall time, CPU time, crates compiled, binary size); with --no-compile the
figures of the last clean compile are read back from its logs in target/minify-compare/logs/.

For each site (`real`: this repository; N: scripts/synth.py N, written to tmpfs when it has
room) each variant builds once untimed into its own output directory. That build fills the
site's .dossier-cache/ (share cards, images), so the timed builds that follow find it warm, as
the Pages workflow keeps it. Those two outputs are measured (HTML files, their bytes, and the
sum of each file's `gzip -9 -n` size) and compared page by page (see `compare`), then deleted.
Then R clean builds per variant (default 3), interleaved, each into an empty output
directory: wall time and peak RSS from /usr/bin/time -v, and the time of the stage that
compacts or minifies (DOSSIER_TIMINGS=1, the "minify" line). Medians are printed; the machine
may be shared, so the load average before and after is printed too.

For the real site, when Debian's linkchecker is installed, scripts/linkcheck also runs on the
minify-html binary's build.
"""
import argparse, collections, html.parser, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = [("compact", []), ("minify-html", ["--features", "minify-html"])]
# Synthetic sources plus two outputs at 10,000 profiles stay under 8 GB; keep room for a build.
SHM_NEEDED = 12 * 1024**3


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def machine():
    model = "unknown CPU"
    mem = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), model)
        with open("/proc/meminfo") as f:
            kb = next(int(l.split()[1]) for l in f if l.startswith("MemTotal"))
            mem = f"{kb / 1024**2:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{len(os.sched_getaffinity(0))} cores, {mem}, {model}"


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(cmd, logfile, env=None):
    """Runs cmd under /usr/bin/time -v. Returns (wall s, CPU s, peak RSS KiB, output). Exits on failure."""
    with open(logfile, "w") as out:
        start = time.perf_counter()
        rc = subprocess.run(["/usr/bin/time", "-v", "-o", logfile + ".time"] + cmd, stdout=out,
                            stderr=subprocess.STDOUT, env=env, cwd=REPO).returncode
        wall = time.perf_counter() - start
    with open(logfile, errors="replace") as f:
        text = f.read()
    if rc != 0:
        sys.exit(f"minify-compare: `{' '.join(cmd)}` failed with status {rc}:\n{text[-3000:]}")
    cpu, rss = time_v(logfile + ".time")
    return wall, cpu, rss, text


def time_v(path):
    """(CPU s, peak RSS KiB) from the file /usr/bin/time -v -o wrote."""
    with open(path) as f:
        t = f.read()
    num = lambda key: float(re.search(re.escape(key) + r": ([\d.]+)", t).group(1))
    return num("User time (seconds)") + num("System time (seconds)"), int(num("Maximum resident set size (kbytes)"))


def wall_v(path):
    """Wall time in seconds from the file /usr/bin/time -v -o wrote."""
    with open(path) as f:
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", f.read())
    secs = 0.0
    for part in m.group(1).split(":"):
        secs = secs * 60 + float(part)
    return secs


def compile_row(targets, logs, name):
    """What the clean compile of one variant took, read back from its log."""
    log_file = os.path.join(logs, f"compile-{name}.log")
    with open(log_file, errors="replace") as f:
        crates = sum(1 for l in f if l.strip().startswith("Compiling "))
    cpu, _ = time_v(log_file + ".time")
    size = os.path.getsize(os.path.join(targets[name], "release", "dossier"))
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(log_file + ".time")))
    return wall_v(log_file + ".time"), cpu, crates, size, when


def compile_all(targets, logs, clean):
    """Compiles both variants; returns each one's clean compile (timed now, or read back from
    the last clean compile's logs with --no-compile, when they exist)."""
    rows = {}
    for name, flags in VARIANTS:
        cmd = ["cargo", "build", "--release", "--locked", "--target-dir", targets[name]] + flags
        if clean:
            shutil.rmtree(targets[name], ignore_errors=True)
            log(f"compiling {name} from an empty target directory: {' '.join(cmd)}")
            env = dict(os.environ, CARGO_TERM_COLOR="never", CARGO_TERM_PROGRESS_WHEN="never")
            timed(cmd, os.path.join(logs, f"compile-{name}.log"), env)
        else:
            log(f"building {name} (incremental, untimed)")
            subprocess.run(cmd + ["--quiet"], cwd=REPO, check=True)
        try:
            rows[name] = compile_row(targets, logs, name)
            log(f"  clean compile: {rows[name][0]:.0f} s wall, {rows[name][1]:.0f} s CPU, {rows[name][2]} crates")
        except (OSError, AttributeError):
            pass
    return rows if len(rows) == len(VARIANTS) else {}


def html_files(out):
    found = []
    for d, _, names in os.walk(out):
        found += [os.path.join(d, n) for n in names if n.endswith(".html")]
    return sorted(found)


def gzip_total(paths):
    """Sum of `gzip -9 -n` of each file: gzip -c over many files writes one member per file."""
    with tempfile.NamedTemporaryFile() as names:
        names.write(b"\0".join(x.encode() for x in paths))
        names.flush()
        p = subprocess.Popen(["xargs", "-0", "-a", names.name, "gzip", "-9", "-n", "-c"], stdout=subprocess.PIPE)
        total = 0
        while chunk := p.stdout.read(1 << 20):
            total += len(chunk)
        if p.wait() != 0:
            sys.exit("minify-compare: gzip failed")
    return total


class Page(html.parser.HTMLParser):
    """What a page says, independent of how its markup is written: start tags (without the
    ones HTML lets a minifier omit) with their attributes, the text without whitespace, the
    text with each run of whitespace as one space, each `<pre>`'s text exactly, and each
    JSON-LD block parsed."""

    OPTIONAL = {"html", "head", "body", "tbody", "colgroup"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.pres, self.jsonld = [], [], [], []
        self.pre = 0
        self.raw = None

    def handle_starttag(self, tag, attrs):
        if tag not in self.OPTIONAL:
            norm = {}
            for k, v in attrs:
                v = v or ""
                norm[k] = " ".join(v.split()) if k == "class" else v
            self.tags.append((tag, norm))
        if tag == "pre":
            if self.pre == 0:
                self.pres.append("")
            self.pre += 1
        if tag in ("script", "style"):
            self.raw = (tag, dict(attrs).get("type") or "", [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "pre" and self.pre:
            self.pre -= 1
        if self.raw and tag == self.raw[0]:
            if self.raw[1] == "application/ld+json":
                try:
                    self.jsonld.append(json.loads("".join(self.raw[2])))
                except ValueError as e:
                    self.jsonld.append(f"invalid JSON: {e}")
            self.raw = None

    def handle_data(self, data):
        if self.raw:
            self.raw[2].append(data)
            return
        if self.pre:
            self.pres[-1] += data
        self.text.append(data)

    def facts(self):
        text = "".join(self.text)
        return {"tags": self.tags, "text": "".join(text.split()), "spaces": " ".join(text.split()),
                "pre": self.pres, "json-ld": self.jsonld}


def page_facts(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return p.facts()


def tag_differences(a, b):
    """What differs between two pages' tag lists, each kind of change described once."""
    if [t for t, _ in a] != [t for t, _ in b]:
        i = next((i for i, (x, y) in enumerate(zip(a, b)) if x[0] != y[0]), min(len(a), len(b)))
        return {f"elements differ from tag {i} on ({len(a)} against {len(b)} tags)"}
    found = set()
    for (tag, x), (_, y) in zip(a, b):
        found |= {f"<{tag}> {k}={x[k]!r} dropped" for k in x.keys() - y.keys()}
        found |= {f"<{tag}> {k}={y[k]!r} added" for k in y.keys() - x.keys()}
        found |= {f"<{tag}> {k}: {x[k]!r} -> {y[k]!r}" for k in x.keys() & y.keys() if x[k] != y[k]}
    return found


def compare(out_a, out_b):
    """Compares two builds of one site. Returns a list of findings (empty when they agree)."""
    rel = lambda out: {os.path.relpath(os.path.join(d, n), out) for d, _, ns in os.walk(out) for n in ns}
    files_a, files_b = rel(out_a), rel(out_b)
    findings = []
    if files_a != files_b:
        findings.append(f"different files: only compact {sorted(files_a - files_b)[:5]}, only minify-html {sorted(files_b - files_a)[:5]}")
    other = [f for f in sorted(files_a & files_b) if not f.endswith(".html")]
    differ = [f for f in other if not same_bytes(os.path.join(out_a, f), os.path.join(out_b, f))]
    if differ:
        findings.append(f"{len(differ)} of {len(other)} non-HTML files differ, e.g. {differ[:3]}")
    kinds = collections.defaultdict(list)
    tags = collections.Counter()
    for f in sorted(x for x in files_a & files_b if x.endswith(".html")):
        a, b = page_facts(os.path.join(out_a, f)), page_facts(os.path.join(out_b, f))
        for key in a:
            if a[key] != b[key]:
                kinds[key].append(f)
        tags.update(tag_differences(a["tags"], b["tags"]))
    for key, pages in kinds.items():
        what = {"tags": "elements or attributes", "text": "text (whitespace aside)", "pre": "<pre> text",
                "json-ld": "JSON-LD", "spaces": "whitespace between elements (a browser may render it as a space)"}[key]
        findings.append(f"{what}: not the same on {len(pages)} pages, e.g. {pages[0]}")
    findings += [f"{d}: on {n} pages" for d, n in tags.most_common(10)]
    if len(tags) > 10:
        findings.append(f"and {len(tags) - 10} more kinds of attribute change")
    return findings


def same_bytes(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def median(xs):
    return statistics.median(xs)


def minify_ms(text):
    m = re.search(r"^\s*minify: (\d+) ms", text, re.M)
    return int(m.group(1)) if m else None


def summary(text):
    m = re.search(r"built \d+ pages \([^)]*\)", text)
    return m.group(0) if m else "?"


def site_root(site, work):
    if site == "real":
        return REPO, "the real site"
    n = int(site)
    root = os.path.join(work, f"synth{n}")
    if not os.path.isdir(root):
        log(f"writing the synthetic site: scripts/synth.py {n}")
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "synth.py"), str(n), root], check=True,
                       stdout=subprocess.DEVNULL)
    return root, f"{n:,} founders and companies (`scripts/synth.py {n}`)"


def measure_site(site, bins, work, logs, runs, linkcheck):
    root, label = site_root(site, work)
    res = {"label": label, "findings": []}
    outs = {}
    for name, _ in VARIANTS:
        outs[name] = os.path.join(work, f"out-{site}-{name}")
        shutil.rmtree(outs[name], ignore_errors=True)
        log(f"[{site}] {name}: untimed build (fills the cache), sizes")
        _, _, _, text = timed([bins[name], "build", "--root", root, "--output", outs[name]],
                              os.path.join(logs, f"{site}-{name}-first.log"))
        pages = html_files(outs[name])
        res[name] = {"files": len(pages), "raw": sum(os.path.getsize(p) for p in pages), "gzip": gzip_total(pages),
                     "summary": summary(text)}
    log(f"[{site}] comparing the two outputs page by page")
    res["findings"] = compare(outs["compact"], outs["minify-html"])
    for o in outs.values():
        shutil.rmtree(o, ignore_errors=True)
    for name, _ in VARIANTS:
        res[name].update(wall=[], rss=[], stage=[])
    for r in range(runs):
        order = VARIANTS if r % 2 == 0 else VARIANTS[::-1]
        for name, _ in order:
            out = os.path.join(work, f"out-{site}-{name}")
            shutil.rmtree(out, ignore_errors=True)
            env = dict(os.environ, DOSSIER_TIMINGS="1")
            wall, _, rss, text = timed([bins[name], "build", "--root", root, "--output", out],
                                       os.path.join(logs, f"{site}-{name}-{r}.log"), env)
            shutil.rmtree(out, ignore_errors=True)
            res[name]["wall"].append(wall)
            res[name]["rss"].append(rss)
            res[name]["stage"].append(minify_ms(text))
            log(f"[{site}] {name} run {r + 1}: {wall:.2f} s, {rss / 1024:.0f} MiB, minify stage {minify_ms(text)} ms")
    if linkcheck and site == "real":
        if shutil.which("linkchecker"):
            log("[real] scripts/linkcheck on the minify-html build")
            env = dict(os.environ, DOSSIER_BIN=bins["minify-html"])
            p = subprocess.run([os.path.join(REPO, "scripts", "linkcheck")], cwd=REPO, env=env,
                               capture_output=True, text=True)
            with open(os.path.join(logs, "linkcheck.log"), "w") as f:
                f.write(p.stdout + p.stderr)
            res["linkcheck"] = "passed" if p.returncode == 0 else f"FAILED (status {p.returncode}; {logs}/linkcheck.log)"
        else:
            res["linkcheck"] = "not run (linkchecker is not installed)"
    return res


def fmt_bytes(n):
    return f"{n / 1024**2:,.2f} MiB" if n >= 10 * 1024**2 else f"{n / 1024:,.1f} KiB"


def ratio(a, b):
    return f"{b / a:.3f}" if a else "?"


def report(sites, results, compiled, runs, before, after):
    print(f"Machine: {machine()}; load average {before} before, {after} after. "
          f"Build times are medians of {runs} interleaved runs on a machine that may be shared: noisy.\n")
    if compiled:
        print("Clean compile, `cargo build --release --locked` from an empty target directory (one run each, "
              f"one after the other, finished {' and '.join(compiled[n][4] for n, _ in VARIANTS)}):\n")
        print("| variant | wall | CPU (user + sys) | crates compiled | `dossier` binary |")
        print("|---|---:|---:|---:|---:|")
        for name, _ in VARIANTS:
            wall, cpu, crates, size, _ = compiled[name]
            print(f"| {name} | {wall:.0f} s | {cpu:.0f} s | {crates} | {size / 1024**2:.1f} MiB |")
        a, b = compiled["compact"], compiled["minify-html"]
        print(f"| minify-html − compact | {b[0] - a[0]:+.0f} s | {b[1] - a[1]:+.0f} s | {b[2] - a[2]:+d} | "
              f"{(b[3] - a[3]) / 1024**2:+.1f} MiB |\n")
    for site in sites:
        r = results[site]
        a, b = r["compact"], r["minify-html"]
        print(f"{r['label']}: {a['files']:,} HTML files ({a['summary']})\n")
        print("| | compact (default) | minify-html | minify-html / compact |")
        print("|---|---:|---:|---:|")
        print(f"| HTML, raw | {fmt_bytes(a['raw'])} | {fmt_bytes(b['raw'])} | {ratio(a['raw'], b['raw'])} |")
        print(f"| HTML, `gzip -9` per file | {fmt_bytes(a['gzip'])} | {fmt_bytes(b['gzip'])} | {ratio(a['gzip'], b['gzip'])} |")
        walls = lambda x: ", ".join(f"{w:.2f}" for w in x["wall"])
        print(f"| build, wall (median; runs) | {median(a['wall']):.2f} s ({walls(a)}) | {median(b['wall']):.2f} s ({walls(b)}) | "
              f"{ratio(median(a['wall']), median(b['wall']))} |")
        sa, sb = [x for x in a["stage"] if x is not None], [x for x in b["stage"] if x is not None]
        if sa and sb:
            print(f"| the stage itself (`DOSSIER_TIMINGS`, median) | {median(sa):.0f} ms | {median(sb):.0f} ms | {ratio(median(sa), median(sb))} |")
        print(f"| peak RSS (median) | {median(a['rss']) / 1024:,.0f} MiB | {median(b['rss']) / 1024:,.0f} MiB | "
              f"{ratio(median(a['rss']), median(b['rss']))} |\n")
        if r["findings"]:
            print("minify-html's pages against compact's:\n\n" + "".join(f"- {x}\n" for x in r["findings"]))
        else:
            print("minify-html's pages against compact's: the same files, the same elements and attributes, "
                  "text, `<pre>` text and JSON-LD.\n")
        if "linkcheck" in r:
            print(f"scripts/linkcheck on the minify-html build: {r['linkcheck']}\n")
    if len(sites) > 1:
        print("Side by side:\n")
        head = " | ".join(f"{results[s]['label'].split(' (')[0]}: {v}" for s in sites for v in ("compact", "minify-html"))
        print(f"| | {head} |")
        print("|---|" + "---:|" * (2 * len(sites)))
        cells = lambda f: " | ".join(f(results[s][v]) for s in sites for v in ("compact", "minify-html"))
        print(f"| HTML, raw | {cells(lambda x: fmt_bytes(x['raw']))} |")
        print(f"| HTML, gzip -9 | {cells(lambda x: fmt_bytes(x['gzip']))} |")
        print(f"| build (median) | {cells(lambda x: '%.2f s' % median(x['wall']))} |")
        print(f"| peak RSS (median) | {cells(lambda x: '{:,.0f} MiB'.format(median(x['rss']) / 1024))} |")
        if compiled:
            c = " | ".join(f"{compiled[v][0]:.0f} s" for _ in sites for v in ("compact", "minify-html"))
            print(f"| clean compile | {c} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="SITE: `real` (this repository's site) or N (scripts/synth.py N). Default: real 10000.")
    ap.add_argument("sites", nargs="*", metavar="SITE")
    ap.add_argument("--runs", type=int, default=3, help="timed builds per variant and site (default 3)")
    ap.add_argument("--no-compile", action="store_true",
                    help="reuse target/minify-compare/ (built incrementally if needed) instead of timing clean "
                    "compiles; the last clean compile's figures are printed from its logs")
    ap.add_argument("--no-linkcheck", action="store_true", help="skip scripts/linkcheck on the real site")
    args = ap.parse_args()
    sites = args.sites or ["real", "10000"]
    for s in sites:
        if s != "real" and not (s.isdigit() and int(s) > 0):
            ap.error(f"a SITE is `real` or a positive number, not {s!r}")
    targets = {name: os.path.join(REPO, "target", "minify-compare", name) for name, _ in VARIANTS}
    bins = {name: os.path.join(targets[name], "release", "dossier") for name in targets}
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and shutil.disk_usage("/dev/shm").free > SHM_NEEDED else None
    work = tempfile.mkdtemp(prefix="minify-compare-", dir=shm)
    logs = os.path.join(REPO, "target", "minify-compare", "logs")
    os.makedirs(logs, exist_ok=True)
    before = load()
    try:
        compiled = compile_all(targets, logs, not args.no_compile)
        results = {s: measure_site(s, bins, work, logs, args.runs, not args.no_linkcheck) for s in sites}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(sites, results, compiled, args.runs, before, load())
    log(f"logs in {logs}")


if __name__ == "__main__":
    main()
