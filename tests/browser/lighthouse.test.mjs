// Lighthouse (npm `lighthouse`, mobile profile: its default) on the built site, against
// Debian's Chromium: home, the founders index, a founder and search in both languages, and
// the founders index of a 1,000-profile synthetic site (scripts/synth.py), must each score
// 100 in performance, accessibility, best practices and SEO. The site is served gzipped, as
// a host serves it. A run that falls short is repeated once before it fails (timings, and
// so the performance score, move with the load of a shared machine); the audits it failed
// are printed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserAvailable, profiles, repo, serveDir, serveSite } from "./harness.mjs";

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
  ], { stdio: ["ignore", "ignore", "pipe"] });
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
      chrome.kill();
      await gone;
      rmSync(profile, { recursive: true, force: true });
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
  return { ...site, close: async () => { await site.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** One Lighthouse run: each category's score (0-100) and the audits that count and are
 * below 1 (printed when a category is below 100). */
async function audit(lighthouse, port, url) {
  const { lhr } = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: CATEGORIES,
    // Neither counts towards a score; the screenshots cost seconds a page.
    disableFullPageScreenshot: true,
    skipAudits: ["screenshot-thumbnails", "final-screenshot"],
  });
  if (lhr.runtimeError) return { scores: {}, failing: [`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`] };
  const scores = {};
  const failing = [];
  for (const id of CATEGORIES) {
    const cat = lhr.categories[id];
    scores[id] = Math.round(cat.score * 100);
    for (const ref of cat.auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        failing.push(`${id}: ${a.id} ${a.score}${a.displayValue ? ` (${a.displayValue})` : ""}`);
        const items = a.details?.items?.filter((i) => i.node) ?? [];
        for (const i of items.slice(0, 3)) failing.push(`    ${i.node.selector}`);
      }
    }
  }
  return { scores, failing };
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
    await chrome?.close();
    await site?.close();
    await synth?.close();
  });

  test("home, founders index, a founder and search, in both languages; the founders index at 1,000 profiles", async () => {
    const founder = profiles("founders")[0].slug;
    const urls = [];
    for (const lang of ["", "en/"]) {
      for (const path of ["", "founders/", `founders/${founder}/`, "search/"]) urls.push(site.url(lang + path));
    }
    if (synth) urls.push(synth.url("founders/"));
    const problems = [];
    for (const url of urls) {
      let result = await audit(lighthouse, chrome.port, url);
      const short = (r) => CATEGORIES.some((c) => r.scores[c] !== 100);
      if (short(result)) result = await audit(lighthouse, chrome.port, url);
      if (short(result)) {
        problems.push(`${url}: ${CATEGORIES.map((c) => `${c} ${result.scores[c] ?? "-"}`).join(", ")}\n  ${result.failing.join("\n  ")}`);
      }
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  });
});
