#!/usr/bin/env python3
"""Times clean builds of the same synthetic bilingual site by dossier, Hugo (+ Pagefind) and Zola.

Run it through scripts/bench, which builds dossier and finds the tools. For each N it writes
the sites with scripts/synth.py (N founders + N companies, zh and en), then runs every tool
R times, interleaved (run 1 of each tool, then run 2 of each, the starting tool rotating), so
a noisy minute hits every tool alike. Each run is a clean build into an empty output directory
on tmpfs (/dev/shm) when it has room; deleting the previous output happens outside the timed
region. Every dossier build but one row starts without the processing cache (.dossier-cache/, where
share cards are kept between builds); the row "cards from the cache" keeps it, filled by one
untimed build first. The incremental rows time `dossier build` after one change each (a summary,
a template, a new founder, nothing), from the state and output the build before left (the site
is built twice, untimed, first). Wall time is measured around the command, peak RSS with /usr/bin/time -v. It prints a
Markdown table per N and, for two or more N, how time and memory grow from the smallest N to
the largest.

Environment: PAGEFIND (required, set by scripts/bench), ZOLA (optional; without it the Zola
rows are skipped; scripts/bench sets it to ../shared/bin/zola when that is there), DOSSIER
(default target/release/dossier).
"""
import argparse, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Sources of all sites plus one output at a time: about 0.2 MB per N (measured at N=200), tripled.
BYTES_PER_N = 600_000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def machine():
    info = {}
    for path, key in (("/proc/cpuinfo", "model name"), ("/proc/meminfo", "MemTotal")):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        info[key] = line.split(":", 1)[1].strip()
                        break
        except OSError:
            pass
    mem = info.get("MemTotal", "? kB").split()[0]
    mem = f"{int(mem) / 1024 ** 2:.1f} GiB" if mem.isdigit() else "unknown"
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {mem} memory, {info.get('model name', 'unknown CPU')}"


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def run_timed(cmd, logfile):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS in KiB). Exits on failure."""
    tfile = logfile + ".time"
    with open(logfile, "w") as out:
        start = time.perf_counter()
        rc = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=out, stderr=subprocess.STDOUT).returncode
        wall = time.perf_counter() - start
    if rc != 0:
        with open(logfile, errors="replace") as f:
            tail = f.read()[-3000:]
        sys.exit(f"bench: `{' '.join(cmd)}` failed with status {rc}:\n{tail}")
    with open(tfile) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    if not m:
        sys.exit(f"bench: no peak RSS in the output of /usr/bin/time for `{' '.join(cmd)}`")
    return wall, int(m.group(1))


def count_html(d):
    return sum(name.endswith(".html") for _, _, names in os.walk(d) for name in names)


def tools(sites, dossier, pagefind, zola):
    """(row name, output dir name, commands taking the output dir). Commands run one after another."""
    rows = [
        ("dossier (search index)", "dossier", [lambda o: [dossier, "build", "--root", sites["dossier"], "--output", o]]),
        ("dossier, `search: false`", "dossier-nosearch", [lambda o: [dossier, "build", "--root", sites["dossier-nosearch"], "--output", o]]),
        # Share cards (a PNG per profile and language) are work Hugo and Zola do not do here:
        # these rows build the same pages without them.
        ("dossier, `cards: false`", "dossier-nocards", [lambda o: [dossier, "build", "--root", sites["dossier-nocards"], "--output", o]]),
        ("dossier, `search: false`, `cards: false`", "dossier-nosearch-nocards",
         [lambda o: [dossier, "build", "--root", sites["dossier-nosearch-nocards"], "--output", o]]),
        # Every other dossier row starts without the processing cache (.dossier-cache/, where
        # cards are kept between builds); this one keeps it, as the Pages workflow does.
        ("dossier, `search: false`, cards from the cache", "dossier-nosearch-warm",
         [lambda o: [dossier, "build", "--root", sites["dossier-nosearch-warm"], "--output", o]]),
        ("hugo --minify", "hugo", [lambda o: ["hugo", "--minify", "--quiet", "--source", sites["hugo"], "--destination", o]]),
        ("hugo --minify + pagefind", "hugo-pagefind", [lambda o: ["hugo", "--minify", "--quiet", "--source", sites["hugo"], "--destination", o],
                                                       lambda o: [pagefind, "--site", o]]),
    ]
    if zola:
        rows.append(("zola build", "zola", [lambda o: [zola, "--root", sites["zola"], "build", "--output-dir", o]]))
    return rows


def rows_by_key(rows):
    """The first command of each row, by output dir name."""
    return {key: steps[0] for _, key, steps in rows}


def bench_n(n, runs, work, outroot, dossier, pagefind, zola, only=None):
    src = os.path.join(work, f"n{n}")
    variants = {"dossier-nosearch": "search: false\n", "dossier-nocards": "cards: false\n",
                "dossier-nosearch-nocards": "search: false\ncards: false\n",
                "dossier-nosearch-warm": "search: false\n"}
    sites = {k: os.path.join(src, k) for k in ["dossier", "hugo", "zola", *variants]}
    log(f"N={n}: writing the sites to {src}")
    cmd = [sys.executable, os.path.join(REPO, "scripts", "synth.py"), str(n), sites["dossier"], "--hugo", sites["hugo"]]
    subprocess.run(cmd + (["--zola", sites["zola"]] if zola else []), check=True, stdout=subprocess.DEVNULL)
    for key, yaml in variants.items():
        shutil.copytree(sites["dossier"], sites[key])
        with open(os.path.join(sites[key], "site.yaml"), "a") as f:
            f.write(yaml)
    rows = [r for r in tools(sites, dossier, pagefind, zola) if not only or r[0] in only]
    # The warm row's cache is filled by one build before the timed runs.
    if "dossier-nosearch-warm" in rows_by_key(rows):
        run_timed(rows_by_key(rows)["dossier-nosearch-warm"](os.path.join(outroot, "prime")), os.path.join(work, "prime.log"))
        shutil.rmtree(os.path.join(outroot, "prime"), ignore_errors=True)
    res = {name: {"t": [], "rss": [], "pages": 0} for name, _, _ in rows}
    for r in range(runs):
        k = r % len(rows)
        for name, key, steps in rows[k:] + rows[:k]:
            out = os.path.join(outroot, key)
            shutil.rmtree(out, ignore_errors=True)  # clean build; not timed
            if key.startswith("dossier") and not key.endswith("-warm"):
                shutil.rmtree(os.path.join(sites[key], ".dossier-cache"), ignore_errors=True)
            total, peak = 0.0, 0
            for i, step in enumerate(steps):
                wall, rss = run_timed(step(out), os.path.join(work, f"{key}-{i}.log"))
                total, peak = total + wall, max(peak, rss)
            res[name]["t"].append(total)
            res[name]["rss"].append(peak)
            res[name]["pages"] = count_html(out)
            shutil.rmtree(out, ignore_errors=True)
            log(f"N={n} run {r + 1}/{runs}: {name}: {total:.2f} s, {peak / 1024:.0f} MiB")
    shutil.rmtree(src, ignore_errors=True)
    return res


INCREMENTAL = [
    ("incremental: nothing changed", None),
    ("incremental: one founder's summary edited", "summary"),
    ("incremental: one template edit every founder page uses", "template"),
    ("incremental: one new founder added", "founder"),
]


def edit(site, what, r):
    """Makes one change of kind `what` to the synthetic site (run r)."""
    if what == "summary":
        p = os.path.join(site, "content", "founders", "founder-17.zh.md")
        with open(p) as f:
            text = f.read()
        text = re.sub(r"^summary: .*$", f'summary: "编辑 {r}"', text, count=1, flags=re.M)
        with open(p, "w") as f:
            f.write(text)
    elif what == "template":
        p = os.path.join(site, "themes", "default", "templates", "founder.html")
        with open(p, "a") as f:
            f.write(f"\n{{# edit {r} #}}\n")
    elif what == "founder":
        src = os.path.join(site, "content", "founders", "founder-17.zh.md")
        with open(src) as f:
            text = f.read()
        with open(os.path.join(site, "content", "founders", f"added-{r}.zh.md"), "w") as f:
            f.write(text)


def bench_incremental(n, runs, work, dossier):
    """dossier builds after one change each, from the state the build before left: the
    site is built clean once and once more (which makes the spare tree), untimed."""
    site = os.path.join(work, f"inc{n}")
    subprocess.run([sys.executable, os.path.join(REPO, "scripts", "synth.py"), str(n), site],
                   check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(work, "out", "incremental")
    build = [dossier, "build", "--root", site, "--output", out]
    for i in range(2):
        run_timed(build, os.path.join(work, f"inc-prime-{i}.log"))
    res = {name: {"t": [], "rss": [], "pages": 0} for name, _ in INCREMENTAL}
    for r in range(runs):
        for name, what in INCREMENTAL:
            edit(site, what, r)
            wall, rss = run_timed(build, os.path.join(work, "inc.log"))
            res[name]["t"].append(wall)
            res[name]["rss"].append(rss)
            res[name]["pages"] = count_html(out)
            log(f"N={n} run {r + 1}/{runs}: {name}: {wall:.2f} s, {rss / 1024:.0f} MiB")
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return res


def median_row(res, name):
    if name not in res:
        return None
    return statistics.median(res[name]["t"]), statistics.median(res[name]["rss"])


def ratio(res, a, b):
    x, y = median_row(res, a), median_row(res, b)
    if not x or not y:
        return "not measured (a row left out by --only, or Zola without ZOLA=/path/to/zola)"
    return f"{x[0] / y[0]:.2f} in time, {x[1] / y[1]:.2f} in peak memory"


def report(n, runs, res):
    print(f"\n### N = {n:,} ({n:,} founders + {n:,} companies, zh and en; {runs} interleaved clean runs)\n")
    print("| tool | median (s) | runs (s) | peak RSS, median (MiB) | HTML pages |")
    print("|---|---:|---|---:|---:|")
    for name, r in res.items():
        t, m = median_row(res, name)
        print(f"| {name} | {t:.2f} | {', '.join(f'{x:.2f}' for x in r['t'])} | {m / 1024:.0f} | {r['pages']:,} |")
    print()
    print(f"- dossier (search index) / (hugo + pagefind): {ratio(res, 'dossier (search index)', 'hugo --minify + pagefind')}")
    print(f"- dossier (`search: false`) / hugo: {ratio(res, 'dossier, `search: false`', 'hugo --minify')}")
    print(f"- without share cards, as Hugo's pages: dossier (search index) / (hugo + pagefind): "
          f"{ratio(res, 'dossier, `cards: false`', 'hugo --minify + pagefind')}; dossier (`search: false`) / hugo: "
          f"{ratio(res, 'dossier, `search: false`, `cards: false`', 'hugo --minify')}")
    print(f"- share cards, drawn or from the cache: (`search: false`) / (`search: false`, `cards: false`): "
          f"{ratio(res, 'dossier, `search: false`', 'dossier, `search: false`, `cards: false`')}; "
          f"{ratio(res, 'dossier, `search: false`, cards from the cache', 'dossier, `search: false`, `cards: false`')}")
    print(f"- dossier (`search: false`) / zola: {ratio(res, 'dossier, `search: false`', 'zola build')}")
    print(f"- without share cards, as Zola's pages: dossier (`search: false`, `cards: false`) / zola: "
          f"{ratio(res, 'dossier, `search: false`, `cards: false`', 'zola build')}")
    for name, _ in INCREMENTAL:
        if name in res:
            print(f"- {name} / dossier's clean build: {ratio(res, name, 'dossier (search index)')}; "
                  f"/ (hugo + pagefind): {ratio(res, name, 'hugo --minify + pagefind')}")


def main():
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", metavar="N", type=int, nargs="*", help="founders (and companies) per language; default 1000 10000")
    ap.add_argument("--runs", type=int, default=3, help="clean builds per tool and N (default 3); medians are quoted")
    ap.add_argument("--only", metavar="ROW", action="append",
                    help="run only this row, named as in the table (repeatable; ratios of rows not run are left out)")
    a = ap.parse_args()
    sizes = sorted(set(a.sizes or [1000, 10000]))
    if a.runs < 1 or sizes[0] < 1:
        ap.error("N and --runs must be positive")
    pagefind, zola = os.environ.get("PAGEFIND"), os.environ.get("ZOLA") or None
    dossier = os.environ.get("DOSSIER", os.path.join(REPO, "target", "release", "dossier"))
    if not pagefind:
        sys.exit("bench: PAGEFIND is not set; run scripts/bench, which finds the Pagefind CLI")
    for tool in [dossier, pagefind] + ([zola] if zola else []):
        if not os.access(tool, os.X_OK):
            sys.exit(f"bench: {tool} is not an executable")
    # SIGTERM/SIGHUP exit through the finally below, which removes the sites and outputs.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(f"bench: stopped by signal"))

    need = BYTES_PER_N * sizes[-1]
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and shutil.disk_usage(shm).free > need else None
    work = tempfile.mkdtemp(prefix="dossier-bench-", dir=base)
    try:
        print("## dossier benchmark\n")
        print(f"- machine: {machine()}")
        print(f"- tools: {version([dossier, '--version'])}; {version(['hugo', 'version'])}; {version([pagefind, '--version'])}"
              + (f"; {version([zola, '--version'])}" if zola else "; zola not run (set ZOLA=/path/to/zola)"))
        print(f"- sources and outputs in {work} ({'tmpfs' if base else 'a temporary directory: /dev/shm lacks room'})")
        results = {}
        for n in sizes:
            results[n] = bench_n(n, a.runs, work, os.path.join(work, "out"), dossier, pagefind, zola, a.only)
            if not a.only or any(name in a.only for name, _ in INCREMENTAL):
                results[n].update(bench_incremental(n, a.runs, work, dossier))
            report(n, a.runs, results[n])
            sys.stdout.flush()
        if len(sizes) > 1:
            lo, hi = sizes[0], sizes[-1]
            print(f"\n### Growth from N = {lo:,} to N = {hi:,} ({hi / lo:g}× the profiles, so linear growth is {hi / lo:g}×)\n")
            for name in results[hi]:
                if name not in results[lo]:
                    continue
                (t0, m0), (t1, m1) = median_row(results[lo], name), median_row(results[hi], name)
                print(f"- {lo} → {hi}: {name} {t1 / t0:.1f}× time, {m1 / m0:.1f}× memory")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
