#!/usr/bin/env python3
"""What a share card costs: dossier's drawing against Hugo's `images.Text`, side by side.

    scripts/bench-cards [N] [--runs 3] [--wide] [--no-hugo]

dossier draws a 1200x630 PNG card for every profile page in each language: 4 x N cards for N
founders and N companies. Hugo has no share cards of its own; a Hugo site that wants them draws
them with the `images.Text` filter over a background image. This script times both ways on the
same number of cards, each against the same build without cards, so that what remains is the
cards' cost:

  - dossier: the synthetic site (scripts/synth.py N) with `search: false`, built clean (no
    .dossier-cache) with the default theme's cards and with `cards: false`;
  - Hugo: one page per dossier card, with the English name and summary of the same synthetic
    profile, drawn in two sizes over a background PNG (DejaVu Sans: Hugo's text filter takes
    a TrueType file, and no CJK TrueType font is installed), and the same site with the card
    left out of the template.

Runs are interleaved and the medians are reported, with the cost per card in each tool and
the ratio, in wall time and, for dossier, in CPU time (user and system), which other work on a
shared machine disturbs less. Needs hugo on PATH (unless --no-hugo) and a release build of
dossier (scripts/bench-cards builds it; DOSSIER=/path/to/dossier times another).

--wide rewrites the Chinese names, former titles and summaries of the founders and companies
with characters drawn from 3,500 (seeded), where synth.py's come from about 200: a card's
glyphs are rasterised once per font, size and quarter pixel and then reused, so a directory of
real names, with thousands of distinct characters, makes many more of them than synth.py's.
--no-hugo leaves Hugo's rows out (at N = 1,000 they take minutes).
"""
import argparse, glob, os, random, re, resource, shutil, statistics, struct, subprocess, sys, tempfile, time, zlib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

CARD = """{{- $bg := resources.Get "card.png" -}}
{{- $font := resources.Get "font.ttf" -}}
{{- $card := $bg.Filter
    (images.Text .Title (dict "color" "#1f2a37" "size" 60 "linespacing" 10 "x" 80 "y" 150 "font" $font))
    (images.Text .Params.summary (dict "color" "#4b5563" "size" 34 "linespacing" 8 "x" 80 "y" 330 "font" $font)) -}}
<meta property="og:image" content="{{ $card.Permalink }}">"""

PAGE = """<!doctype html><html><head><title>{{ .Title }}</title>%s</head>
<body><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}</body></html>"""


def background_png(path, w=1200, h=630):
    """A flat card background with a band at the foot, as the default theme's."""
    rows = b"".join(b"\x00" + (bytes([246, 243, 236]) if y < 570 else bytes([31, 58, 95])) * w for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def front(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    get = lambda k: (re.search(rf"^{k}: \"?(.*?)\"?$", text, re.M) or [None, ""])[1]
    return get("name"), get("summary")


def hugo_site(dossier_site, root, cards):
    """One Hugo page per dossier card: every founder and company, twice (one per language)."""
    os.makedirs(os.path.join(root, "content", "p"))
    os.makedirs(os.path.join(root, "layouts", "_default"))
    os.makedirs(os.path.join(root, "assets"))
    background_png(os.path.join(root, "assets", "card.png"))
    shutil.copy(FONT, os.path.join(root, "assets", "font.ttf"))
    n = 0
    for kind in ("founders", "companies"):
        for path in sorted(glob.glob(os.path.join(dossier_site, "content", kind, "*.en.md"))):
            name, summary = front(path)
            for lang in ("zh", "en"):
                n += 1
                with open(os.path.join(root, "content", "p", f"p{n}.md"), "w", encoding="utf-8") as f:
                    f.write(f'---\ntitle: "{name} ({lang})"\nsummary: "{summary}"\n---\n\nA profile.\n')
    with open(os.path.join(root, "layouts", "_default", "single.html"), "w") as f:
        f.write(PAGE % (CARD if cards else ""))
    with open(os.path.join(root, "layouts", "_default", "list.html"), "w") as f:
        f.write("<!doctype html><html><body>{{ .Title }}</body></html>")
    with open(os.path.join(root, "config.toml"), "w") as f:
        f.write('baseURL = "http://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    return n


def widen(site, pool=3500, seed=7):
    """Chinese names, former titles and summaries of every founder and company from `pool`
    characters (CJK Unified Ideographs from U+4E00), instead of synth.py's few hundred."""
    rnd = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + pool)]
    words = lambda lo, hi: "".join(rnd.choice(chars) for _ in range(rnd.randint(lo, hi)))
    fields = (("name", 2, 4, "{}"), ("former_title", 3, 6, "{}"), ("summary", 20, 40, '"{}。"'))
    for kind in ("founders", "companies"):
        d = os.path.join(site, "content", kind)
        for f in sorted(os.listdir(d)):
            if not f.endswith(".zh.md"):
                continue
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                head, sep, rest = fh.read().partition("\n---\n")
            for key, lo, hi, form in fields:
                head = re.sub(rf"^{key}: .*$", lambda m: f"{key}: " + form.format(words(lo, hi)), head, count=1, flags=re.M)
            with open(os.path.join(d, f), "w", encoding="utf-8") as fh:
                fh.write(head + sep + rest)


def timed(cmd, cwd, clean):
    """Wall and CPU (user and system) seconds of `cmd`, after removing `clean`."""
    for d in clean:
        shutil.rmtree(d, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"bench-cards: {' '.join(cmd)} failed:\n{r.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=100, help="founders (and companies) per language (default 100)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--wide", action="store_true", help="Chinese names and summaries from 3,500 characters, not ~200")
    ap.add_argument("--no-hugo", action="store_true", help="time dossier alone")
    a = ap.parse_args()
    dossier = os.environ.get("DOSSIER", os.path.join(REPO, "target", "release", "dossier"))
    if not a.no_hugo and not shutil.which("hugo"):
        sys.exit("bench-cards: hugo is not on PATH (apt-get install hugo)")
    if not os.path.exists(FONT):
        sys.exit(f"bench-cards: {FONT} is missing (apt-get install fonts-dejavu-core)")
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="dossier-bench-cards-", dir=base)
    try:
        site = os.path.join(work, "dossier")
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "synth.py"), str(a.n), site], check=True, stdout=subprocess.DEVNULL)
        if a.wide:
            widen(site)
        # Without the search index, whose time would hide the cards' in the noise.
        with open(os.path.join(site, "site.yaml"), "a") as f:
            f.write("\nsearch: false\n")
        nocards = os.path.join(work, "dossier-nocards")
        shutil.copytree(site, nocards)
        with open(os.path.join(nocards, "site.yaml"), "a") as f:
            f.write("cards: false\n")
        cards = hugo_site(site, os.path.join(work, "hugo-cards"), True)
        hugo_site(site, os.path.join(work, "hugo-plain"), False)
        if a.no_hugo:
            shutil.rmtree(os.path.join(work, "hugo-cards"))
            shutil.rmtree(os.path.join(work, "hugo-plain"))
        out = os.path.join(work, "out")
        rows = {
            "dossier, cards drawn": lambda: timed([dossier, "build", "--root", site, "--output", out], site, [out, os.path.join(site, ".dossier-cache")]),
            "dossier, `cards: false`": lambda: timed([dossier, "build", "--root", nocards, "--output", out], nocards, [out, os.path.join(nocards, ".dossier-cache")]),
            "hugo, cards drawn by images.Text": lambda: timed(["hugo", "--quiet", "--destination", out], os.path.join(work, "hugo-cards"), [out, os.path.join(work, "hugo-cards", "resources")]),
            "hugo, no cards": lambda: timed(["hugo", "--quiet", "--destination", out], os.path.join(work, "hugo-plain"), [out, os.path.join(work, "hugo-plain", "resources")]),
        }
        if a.no_hugo:
            rows = {k: v for k, v in rows.items() if k.startswith("dossier")}
        times = {k: [] for k in rows}
        cpu = {k: [] for k in rows}
        names = list(rows)
        for r in range(a.runs):
            for k in names[r % len(names):] + names[:r % len(names)]:
                wall, used = rows[k]()
                times[k].append(wall)
                cpu[k].append(used)
                print(f"run {r + 1}: {k}: {wall:.2f} s, CPU {used:.2f} s", file=sys.stderr, flush=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        mcpu = {k: statistics.median(v) for k, v in cpu.items()}
        wide = ", Chinese text from 3,500 characters (--wide)" if a.wide else ""
        print(f"\nShare cards, N = {a.n:,}{wide}: {cards:,} cards in each tool, medians of {a.runs} clean builds\n")
        print("| build | seconds | CPU seconds |\n|---|---|---|")
        for k in names:
            print(f"| {k} | {med[k]:.2f} | {mcpu[k]:.2f} |")
        d = (med["dossier, cards drawn"] - med["dossier, `cards: false`"]) / cards * 1000
        dc = (mcpu["dossier, cards drawn"] - mcpu["dossier, `cards: false`"]) / cards * 1000
        print(f"\nper card (with cards minus without): dossier {d:.2f} ms of wall time, {dc:.2f} ms of CPU", end="")
        if a.no_hugo:
            print()
        else:
            h = (med["hugo, cards drawn by images.Text"] - med["hugo, no cards"]) / cards * 1000
            print(f"; Hugo {h:.2f} ms of wall time; dossier / Hugo {d / h:.3f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
