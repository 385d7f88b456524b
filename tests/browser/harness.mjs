// Shared set-up for the browser tests: build the real site for a local base URL, serve it
// under its project path on 127.0.0.1, and launch Debian's headless Chromium.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const repo = resolve(fileURLToPath(import.meta.url), "../../..");
export const BASE = "/dossier/";
/** The site under test: the real one, or another root such as the copy that
 * scripts/grow-site makes (DOSSIER_SITE_ROOT), on which every test must pass too. */
export const siteRoot = process.env.DOSSIER_SITE_ROOT ? resolve(process.env.DOSSIER_SITE_ROOT) : repo;

/** The top-level `key: value` scalars of a content file's front matter. */
function frontMatter(path) {
  const text = readFileSync(path, "utf8");
  const head = text.startsWith("---\n") ? text.slice(4).split("\n---")[0] : "";
  const fields = {};
  for (const line of head.split("\n")) {
    const m = /^([a-z_]+):\s*(.*?)\s*(#.*)?$/.exec(line);
    if (m && m[2] !== "") fields[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return fields;
}

/** The published profiles of a section of the site under test, read from its content
 * (what the tests expect comes from here, not from numbers written in them): each with
 * its slug and neutral fields. A founder without a city has their company's. */
export function profiles(section) {
  const dir = join(siteRoot, "content", section);
  const all = readdirSync(dir)
    .filter((f) => f.endsWith(".zh.md") && !f.startsWith("_"))
    .map((f) => {
      const slug = f.slice(0, -".zh.md".length);
      const en = join(dir, `${slug}.en.md`);
      return { slug, ...frontMatter(join(dir, f)), ...(existsSync(en) ? { nameEn: frontMatter(en).name } : {}) };
    })
    .filter((p) => p.draft !== "true");
  if (section === "founders") {
    const companies = new Map(profiles("companies").map((c) => [c.slug, c]));
    for (const f of all) f.city ??= companies.get(f.company)?.city;
  }
  return all.sort((a, b) => a.slug.localeCompare(b.slug));
}

/** A profile to try pages on: the preferred one while its file exists (an editor may
 * rename or remove it), else the first of its section. `nameEn` falls back to `name`. */
export function sample(section, preferred) {
  const all = profiles(section);
  const p = all.find((x) => x.slug === preferred) ?? all[0];
  return { ...p, nameEn: p.nameEn ?? p.name };
}

/** The slugs of the founders for whom `pick(founder)` holds, sorted. */
export const foundersWhere = (pick) => profiles("founders").filter(pick).map((f) => f.slug).sort();
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Whether the tests can run; in CI a missing browser is a failure, not a skip. */
export function browserAvailable() {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error(`Chromium not found at ${CHROMIUM}: install chromium (CI must run the browser tests)`);
  return false;
}

/** Content types by extension, for the test servers. */
export const TYPES = { ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml", ".wasm": "application/wasm", ".txt": "text/plain" };

/** A copy of the real site with lines added to its site.yaml (`paginate: 5`...), then
 * `setup(root)` run on it. */
function variant(extraYaml, setup) {
  const root = mkdtempSync(join(tmpdir(), "dossier-variant-"));
  cpSync(join(siteRoot, "content"), join(root, "content"), { recursive: true });
  cpSync(join(siteRoot, "themes"), join(root, "themes"), { recursive: true });
  writeFileSync(join(root, "site.yaml"), readFileSync(join(siteRoot, "site.yaml"), "utf8") + "\n" + extraYaml);
  setup?.(root);
  return root;
}

/** Whether a host would send a file of this content type gzip-compressed (text). */
export const compressible = (type) => /^(text\/|application\/(json|xml|javascript)|image\/svg)/.test(type);

/** Builds the site (the real one, or a copy with `extraYaml` in its site.yaml and
 * `setup(root)` run on it) and serves it (`gzip`: compressed, as a host serves it);
 * returns { url(path), out, close() }. */
export async function serveSite({ extraYaml = "", setup, gzip = false } = {}) {
  const root = extraYaml || setup ? variant(extraYaml, setup) : siteRoot;
  const out = mkdtempSync(join(tmpdir(), "dossier-browser-"));
  const site = await serveDir(join(out, "site"), BASE, { gzip });
  const bin = process.env.DOSSIER_BIN || join(repo, "target", "release", "dossier");
  execFileSync(bin, ["build", "--root", root, "--output", site.out, "--base-url", site.origin + BASE], { stdio: "inherit" });
  return site;
}

/** Serves the built site in `dir` under the path `base` ("/dossier/") on 127.0.0.1, with
 * its 404 page for a missing address; with `gzip`, text is sent gzip-compressed to a
 * browser that accepts it, as GitHub Pages and other hosts send it (what a page costs to
 * load, in Lighthouse's measure, depends on it). Returns { origin, out, url(path), close() }. */
export async function serveDir(dir, base, { gzip = false } = {}) {
  const send = (req, res, status, type, body) => {
    const headers = { "Content-Type": type };
    if (gzip && compressible(type) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
      body = gzipSync(body);
      headers["Content-Encoding"] = "gzip";
      headers["Vary"] = "Accept-Encoding";
    }
    res.writeHead(status, headers);
    res.end(body);
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(base)) { res.writeHead(404); res.end(); return; }
    let file = normalize(join(dir, path.slice(base.length)));
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      send(req, res, 404, TYPES[".html"], readFileSync(join(dir, "404.html")));
      return;
    }
    send(req, res, 200, TYPES[extname(file)] || "application/octet-stream", readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    out: dir,
    url: (p = "") => origin + base + p,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** What a reader would notice on one loaded page: console errors and failed requests
 * (recorded by openPage), axe violations and anything that scrolls sideways. Returns a
 * list of problems, empty when there are none. */
export async function pageProblems(page) {
  return [...page.errors, ...(await axeViolations(page)), ...(await sideways(page))];
}

/** The accessibility violations axe-core finds on a loaded page, one line each: every
 * rule it runs by default (WCAG 2 A and AA, and its best practices), whatever the
 * impact. The one configuration every browser test uses. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource() });
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return violations.map((v) => `axe ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
}

/** What scrolls sideways on a loaded page, one line each: the page itself when it is wider
 * than the window, and every element that scrolls its content sideways (a table or chart
 * too wide for its box). Closed <details> hide what they hold: open them first to check it. */
export async function sideways(page) {
  const { wider, scrollers } = await page.evaluate(() => {
    const scrollers = [];
    for (const el of document.querySelectorAll("body *")) {
      const s = getComputedStyle(el);
      if (["auto", "scroll"].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1) {
        scrollers.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways by ${el.scrollWidth - el.clientWidth}px`);
      }
    }
    return { wider: document.documentElement.scrollWidth - window.innerWidth, scrollers };
  });
  return [...(wider > 0 ? [`the page is ${wider}px wider than the window`] : []), ...scrollers];
}

/** Launches headless Chromium with the flags this machine needs. */
export async function launch() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
}

/** A page that records console errors, failed requests and every requested URL. */
export async function openPage(browser, opts = {}) {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  page.errors = [];
  page.requests = [];
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("request", (r) => page.requests.push(r.url()));
  // A request cut short by navigating on (the favicon, say) is not an error; any other failure is.
  page.on("requestfailed", (r) => { if (r.failure()?.errorText !== "net::ERR_ABORTED") page.errors.push(`request failed: ${r.url()}: ${r.failure()?.errorText}`); });
  page.on("response", (r) => { if (r.status() >= 400) page.errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return page;
}

const axeSource = () => readFileSync(join(repo, "tests", "browser", "node_modules", "axe-core", "axe.min.js"), "utf8");

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A w×h RGB PNG drawn by `pixel(x, y) -> [r, g, b]`: test images made here, not fetched. */
export async function makePng(w, h, pixel) {
  const { deflateSync } = await import("node:zlib");
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) raw.set(pixel(x, y), y * (w * 3 + 1) + 1 + x * 3);
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
