// Lighthouse (npm `lighthouse`, mobile profile: its default) on the built site, against
// Debian's Chromium: every kind of page (home; the founders, companies, sectors and
// employers indexes; a founder, a company, a sector, an employer, a free page; search, the
// data page, the changes page; the 404 page) in both languages, and the pages that grow with
// the directory on a 1,000-profile synthetic site (scripts/synth.py): the home page with its
// charts, the founders index and its second page, the companies index and a founder. Each
// must score 100 in performance, accessibility, best practices and SEO; the 404 page in the
// first three (it asks search engines not to index it, which SEO counts against a page); the
// synthetic lists of 100 rows may fall short in performance on total blocking time alone,
// up to 250 ms (see their test). A
// sector's page at 1,000 profiles is measured in the browser instead (layout shift, DOM
// size, bytes): see its test. The site is served gzipped, as a host serves it. A
// run that falls short is repeated once before it fails (timings, and so the performance
// score, move with the load of a shared machine); the audits it failed are printed.
// On a grown copy of the site (DOSSIER_SITE_ROOT, scripts/grow-site) only the pages the
// growth touches are audited (home, founders index, a founder, search): the kinds are the
// same templates, and the audits take about 7 s each.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserAvailable, launch, profiles, repo, serveDir, serveSite } from "./harness.mjs";

const run = browserAvailable();
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const SYNTH = 1000;

/** Headless Chromium with a DevTools port for Lighthouse; returns { port, close() }. */
async function startChrome() {
  const profile = mkdtempSync(join(tmpdir(), "dossier-lighthouse-"));
  const chrome = spawn(CHROMIUM, [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--remote-debugging-port=0",
    `--user-data-dir=${profile}`, "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const port = await new Promise((ok, fail) => {
    let err = "";
    chrome.stderr.on("data", (d) => {
      err += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) ok(Number(m[1]));
    });
    chrome.on("exit", (code) => fail(new Error(`Chromium exited (${code}): ${err}`)));
  });
  return {
    port,
    close: async () => {
      const gone = new Promise((ok) => chrome.once("exit", ok));
      // Chromium and its helper processes (its own process group): a helper left running
      // would go on writing the profile after the browser has gone.
      try {
        process.kill(-chrome.pid, "SIGKILL");
      } catch {
        chrome.kill("SIGKILL");
      }
      await gone;
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 200 });
      } catch (e) {
        // A profile left in the temporary directory says nothing about the pages.
        console.warn(`lighthouse: could not remove ${profile}: ${e.code}`);
      }
    },
  };
}

/** The synthetic site with `n` profiles, built and served (gzipped) under /synth/. The
 * Pagefind index and share cards are left out: a debug build takes most of a minute on
 * them, and neither changes what Lighthouse measures on an index page. */
async function serveSynth(n) {
  const dir = mkdtempSync(join(tmpdir(), "dossier-synth-"));
  const root = join(dir, "src");
  execFileSync("python3", [join(repo, "scripts", "synth.py"), String(n), root], { stdio: "ignore" });
  appendFileSync(join(root, "site.yaml"), "\nsearch: false\ncards: false\n");
  const site = await serveDir(join(dir, "site"), "/synth/", { gzip: true });
  const bin = process.env.DOSSIER_BIN || join(repo, "target", "release", "dossier");
  execFileSync(bin, ["build", "--root", root, "--output", site.out, "--base-url", site.origin + "/synth/"], { stdio: "ignore" });
  const sector = readdirSync(join(root, "content", "sectors")).find((f) => f.endsWith(".zh.md")).slice(0, -".zh.md".length);
  return { ...site, sector, close: async () => { await site.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** One Lighthouse run: each category's score (0-100), the audits that count and are below
 * 1 (printed when a category is below 100), and the total blocking time in ms. */
async function audit(lighthouse, port, url, categories = CATEGORIES) {
  const { lhr } = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: categories,
    // None counts towards a score; the screenshots cost seconds a page, and the
    // back/forward cache audit navigates away and back.
    disableFullPageScreenshot: true,
    skipAudits: ["screenshot-thumbnails", "final-screenshot", "bf-cache"],
  });
  if (lhr.runtimeError) return { scores: {}, failing: [`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`], below: [] };
  const scores = {};
  const failing = [];
  // The ids of the audits that count and are below 1.
  const below = [];
  for (const id of categories) {
    const cat = lhr.categories[id];
    scores[id] = Math.round(cat.score * 100);
    for (const ref of cat.auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        below.push(a.id);
        failing.push(`${id}: ${a.id} ${a.score}${a.displayValue ? ` (${a.displayValue})` : ""}`);
        const items = a.details?.items?.filter((i) => i.node) ?? [];
        for (const i of items.slice(0, 3)) failing.push(`    ${i.node.selector}`);
      }
    }
  }
  return { scores, failing, below, tbt: lhr.audits["total-blocking-time"]?.numericValue };
}

describe("Lighthouse, mobile: 100 in every category", { skip: !run && "Chromium is not installed (allowed outside CI only)" }, () => {
  let site, synth, chrome, lighthouse;
  before(async () => {
    site = await serveSite({ gzip: true });
    // On a grown copy of the site (DOSSIER_SITE_ROOT) the synthetic site adds nothing new.
    if (!process.env.DOSSIER_SITE_ROOT) synth = await serveSynth(SYNTH);
    ({ default: lighthouse } = await import("lighthouse"));
    chrome = await startChrome();
  });
  after(async () => {
    // Each closed whatever the one before did: a server left open keeps the test's
    // process alive (a failed cleanup of Chromium's profile once hung a CI run so).
    const closing = await Promise.allSettled([chrome?.close(), site?.close(), synth?.close()]);
    for (const c of closing) if (c.status === "rejected") throw c.reason;
  });

  /** Audits each [url, categories] in turn (one Chromium, one page at a time); a page
   * short of 100 gets up to `tries` runs in all before it counts. With `blocking` (ms), a
   * run may fall short of 100 in performance on total blocking time alone, up to that. */
  async function auditAll(pages, tries = 2, blocking = 0) {
    const problems = [];
    const allowed = (r) => blocking > 0 && r.below.every((id) => id === "total-blocking-time") && r.tbt <= blocking;
    for (const [url, categories = CATEGORIES] of pages) {
      const short = (r) => categories.some((c) => r.scores[c] !== 100 && !(c === "performance" && allowed(r)));
      let result = await audit(lighthouse, chrome.port, url, categories);
      for (let i = 1; i < tries && short(result); i++) result = await audit(lighthouse, chrome.port, url, categories);
      if (short(result)) {
        problems.push(`${url}: ${categories.map((c) => `${c} ${result.scores[c] ?? "-"}`).join(", ")}, total blocking time ${Math.round(result.tbt)} ms\n  ${result.failing.join("\n  ")}`);
      }
    }
    return problems;
  }

  /** The first published profile of a section (content/<section>/), by slug. */
  const first = (section) => profiles(section)[0].slug;

  test("every kind of page, in both languages", async () => {
    const grown = Boolean(process.env.DOSSIER_SITE_ROOT);
    const pages = [];
    for (const lang of ["", "en/"]) {
      const paths = grown
        ? ["", "founders/", `founders/${first("founders")}/`, "search/"]
        : [
            "", "founders/", `founders/${first("founders")}/`, "companies/", `companies/${first("companies")}/`,
            "sectors/", `sectors/${first("sectors")}/`, "employers/", `employers/${first("employers")}/`,
            `${first("pages")}/`, "search/", "data/", "changes/",
          ];
      for (const path of paths) pages.push([site.url(lang + path)]);
    }
    // One 404 page serves both languages; it is `noindex`, as a missing page should be.
    if (!grown) pages.push([site.url("404.html"), CATEGORIES.filter((c) => c !== "seo")]);
    const problems = await auditAll(pages);
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  test(`the pages that grow with the directory, at ${SYNTH.toLocaleString("en")} profiles`, { skip: Boolean(process.env.DOSSIER_SITE_ROOT) && "the synthetic site is audited with the real one only" }, async () => {
    // The home page and a founder: 100 in every category, as on the real site.
    const problems = await auditAll(["", "founders/founder-0/"].map((p) => [synth.url(p)]), 3);
    // The lists of 100 rows: 100 in accessibility, best practices and SEO, and every
    // performance audit at 1 but total blocking time, which may reach 250 ms (a score of
    // about 0.9, "good" for Lighthouse from 200 ms). Laying out the list is one task of
    // about 40 ms of a core at phone size (100-120 ms on one loaded core), and Lighthouse
    // counts it four times over when it falls after the first paint: total blocking time
    // swings between runs of the same page, 120-180 ms on a CI machine where a quiet one
    // gets 0-50 ms, and 47-259 ms with Chromium pinned to one core (docs/performance.md,
    // "Long lists on a phone"). Three runs before one counts.
    const lists = ["founders/", "founders/page/2/", "companies/"];
    problems.push(...(await auditAll(lists.map((p) => [synth.url(p)]), 3, 250)));
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  // A sector's page holds two lists (its founders and its companies, 100 rows each at this
  // size): measured in the browser at Lighthouse's phone size instead, since its
  // total-blocking-time on a shared machine swings too far to be a fair test (85 to 100).
  // What Lighthouse would fault in it: no layout shift at all, the DOM and the bytes within
  // budget, every image sized.
  test(`a sector's page at ${SYNTH.toLocaleString("en")} profiles: no layout shift, DOM and bytes within budget`, { skip: Boolean(process.env.DOSSIER_SITE_ROOT) && "the synthetic site is audited with the real one only" }, async () => {
    const browser = await launch();
    try {
      const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.addInitScript(() => {
        window.__shifts = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
        }).observe({ type: "layout-shift", buffered: true });
      });
      for (const path of [`sectors/${synth.sector}/`, `en/sectors/${synth.sector}/`, `sectors/${synth.sector}/page/2/`]) {
        await page.goto(synth.url(path), { waitUntil: "load" });
        // Scripts have run and fonts have settled; then the whole page scrolled through.
        await page.waitForTimeout(500);
        await page.evaluate(async () => {
          for (let y = 0; y < document.documentElement.scrollHeight; y += 600) {
            window.scrollTo(0, y);
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          }
        });
        const m = await page.evaluate(() => ({
          shifts: window.__shifts,
          nodes: document.getElementsByTagName("*").length,
          bytes: performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((n, e) => n + (e.transferSize || 0), 0),
          unsized: [...document.images].filter((i) => !i.getAttribute("width") || !i.getAttribute("height")).length,
        }));
        assert.ok(m.shifts < 0.001, `${path}: layout shift ${m.shifts}`);
        // Lighthouse's DOM-size audit warns from 800 and fails at 1,400 elements per 100 rows
        // of a list; two lists of 100 rows come to about 2,600.
        assert.ok(m.nodes <= 3000, `${path}: ${m.nodes} elements`);
        // Gzipped, as a host sends it: the page, its style sheet and script.
        assert.ok(m.bytes <= 150_000, `${path}: ${m.bytes} bytes`);
        assert.equal(m.unsized, 0, `${path}: images without width and height`);
      }
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
