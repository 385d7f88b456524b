#!/usr/bin/env python3
"""What a share card costs: dossier's drawing against Hugo's `images.Text`, side by side.

    scripts/bench-cards [N] [--runs 3]

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
the ratio. Needs hugo on PATH and a release build of dossier (scripts/bench-cards builds it).
"""
import argparse, glob, os, re, shutil, statistics, struct, subprocess, sys, tempfile, time, zlib

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


def timed(cmd, cwd, clean):
    for d in clean:
        shutil.rmtree(d, ignore_errors=True)
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"bench-cards: {' '.join(cmd)} failed:\n{r.stderr}")
    return wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=100, help="founders (and companies) per language (default 100)")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    dossier = os.environ.get("DOSSIER", os.path.join(REPO, "target", "release", "dossier"))
    if not shutil.which("hugo"):
        sys.exit("bench-cards: hugo is not on PATH (apt-get install hugo)")
    if not os.path.exists(FONT):
        sys.exit(f"bench-cards: {FONT} is missing (apt-get install fonts-dejavu-core)")
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="dossier-bench-cards-", dir=base)
    try:
        site = os.path.join(work, "dossier")
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "synth.py"), str(a.n), site], check=True, stdout=subprocess.DEVNULL)
        # Without the search index, whose time would hide the cards' in the noise.
        with open(os.path.join(site, "site.yaml"), "a") as f:
            f.write("\nsearch: false\n")
        nocards = os.path.join(work, "dossier-nocards")
        shutil.copytree(site, nocards)
        with open(os.path.join(nocards, "site.yaml"), "a") as f:
            f.write("cards: false\n")
        cards = hugo_site(site, os.path.join(work, "hugo-cards"), True)
        hugo_site(site, os.path.join(work, "hugo-plain"), False)
        out = os.path.join(work, "out")
        rows = {
            "dossier, cards drawn": lambda: timed([dossier, "build", "--root", site, "--output", out], site, [out, os.path.join(site, ".dossier-cache")]),
            "dossier, `cards: false`": lambda: timed([dossier, "build", "--root", nocards, "--output", out], nocards, [out, os.path.join(nocards, ".dossier-cache")]),
            "hugo, cards drawn by images.Text": lambda: timed(["hugo", "--quiet", "--destination", out], os.path.join(work, "hugo-cards"), [out, os.path.join(work, "hugo-cards", "resources")]),
            "hugo, no cards": lambda: timed(["hugo", "--quiet", "--destination", out], os.path.join(work, "hugo-plain"), [out, os.path.join(work, "hugo-plain", "resources")]),
        }
        times = {k: [] for k in rows}
        names = list(rows)
        for r in range(a.runs):
            for k in names[r % len(names):] + names[:r % len(names)]:
                times[k].append(rows[k]())
                print(f"run {r + 1}: {k}: {times[k][-1]:.2f} s", file=sys.stderr, flush=True)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"\nShare cards, N = {a.n:,}: {cards:,} cards in each tool, medians of {a.runs} clean builds\n")
        print("| build | seconds |\n|---|---|")
        for k in names:
            print(f"| {k} | {med[k]:.2f} |")
        d = (med["dossier, cards drawn"] - med["dossier, `cards: false`"]) / cards * 1000
        h = (med["hugo, cards drawn by images.Text"] - med["hugo, no cards"]) / cards * 1000
        print(f"\nper card (wall time, with cards minus without): dossier {d:.2f} ms, Hugo {h:.2f} ms; dossier / Hugo {d / h:.3f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
