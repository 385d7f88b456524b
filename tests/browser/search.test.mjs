// Search in both languages, typed into the real search page, against the real site's index.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { browserAvailable, launch, openPage, profiles, sample, serveSite } from "./harness.mjs";

const run = browserAvailable();

// query -> founder or company slugs that must appear among the results, per language (those
// whose files exist: an editor may rename or remove a profile).
const exists = (slug) => ["founders", "companies"].some((s) => profiles(s).some((p) => p.slug === slug));
const F = sample("founders", "jia-yangqing");
const QUERIES = [
  ["阿里", ["jia-yangqing", "wu-hanqing", "zhang-yi"]],
  ["百度", ["lyu-cheng", "li-shuo", "jing-kun"]],
  ["视频", ["wang-changhu", "aisphere"]],
  ["Agent", ["zhang-yi", "liang-jun"]],
  ["杭州", ["wu-hanqing", "zhang-yi"]],
  ["贾扬清", ["jia-yangqing"]],
  ["Jia Yangqing", ["jia-yangqing"]],
  ["Alibaba", ["jia-yangqing", "wu-hanqing", "zhang-yi"]],
  ["video generation", ["wang-changhu"]],
  ["Hangzhou", ["wu-hanqing", "zhang-yi"]],
  ["Rabbit R1", ["lyu-cheng", "rabbit"]],
];

// The same queries against the index in one piece, and split into shards of 4 records
// (pagefind/1/, pagefind/2/ ...) that search.js merges with Pagefind's mergeIndex.
for (const variant of [{ name: "one index", extraYaml: "" }, { name: "sharded index", extraYaml: "search_shard_size: 4\n" }]) describe(`search (${variant.name})`, { skip: !run && "Chromium is not installed (allowed outside CI only)" }, () => {
  let site, browser;
  before(async () => {
    site = await serveSite({ extraYaml: variant.extraYaml });
    browser = await launch();
  });

  test("the index lists its shards", async () => {
    const shards = JSON.parse(readFileSync(join(site.out, "pagefind", "shards.json"), "utf8"));
    for (const dir of shards) assert.ok(existsSync(join(site.out, "pagefind", dir, "pagefind-entry.json")), dir);
    if (variant.extraYaml) {
      assert.ok(shards.length >= 5, `shards: ${shards}`);
    } else {
      // By default a language of n records has the fewest k shards with k² × 128 ≥ n:
      // one while the site is small, more as editors add profiles.
      const records = {};
      for (const dir of ["", ...shards]) {
        const entry = JSON.parse(readFileSync(join(site.out, "pagefind", dir, "pagefind-entry.json"), "utf8"));
        for (const [lang, info] of Object.entries(entry.languages)) records[lang] = (records[lang] ?? 0) + info.page_count;
      }
      const most = Math.max(...Object.values(records));
      let k = 1;
      while (k * k * 128 < most) k++;
      assert.equal(shards.length + 1, k, `${shards.length + 1} shards for ${most} records`);
    }
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const lang of ["", "en/"]) {
    test(`queries on /${lang}search/ find the right profiles`, async () => {
      const page = await openPage(browser);
      await page.goto(site.url(lang + "search/"));
      const misses = [];
      for (const [q, all] of QUERIES) {
        // What the article's profiles must be found by, while their files exist.
        const slugs = all.filter(exists);
        if (slugs.length === 0) continue;
        await page.fill("#search-input", "");
        await page.type("#search-input", q);
        await page.waitForSelector(`#search-results[data-query="${q}"]`, { state: "attached", timeout: 20000 }).catch((e) => {
          throw new Error(`no results shown for "${q}" on /${lang}search/: ${e.message}`);
        });
        assert.equal(new URL(page.url()).searchParams.get("q"), q, "the query is kept in the URL");
        const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
        for (const s of slugs) if (!hrefs.some((h) => h.endsWith(`/${s}/`))) misses.push(`${lang || "zh/"} "${q}" lacks ${s} (got ${hrefs.map((h) => h.split("/").at(-2)).join(", ")})`);
        // Results stay in the page's language.
        for (const h of hrefs) assert.equal(h.includes("/en/"), lang === "en/", `${q}: ${h} is in the other language`);
      }
      assert.deepEqual(misses, []);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test("a shared ?q= link runs the search, and a name ranks above a passing mention", async () => {
    const page = await openPage(browser);
    await page.goto(site.url("en/search/?q=" + encodeURIComponent(F.nameEn)));
    await page.waitForSelector("#search-results a");
    const first = await page.$eval("#search-results a", (a) => a.getAttribute("href"));
    assert.ok(first.endsWith(`/en/founders/${F.slug}/`), first);
    assert.equal(await page.inputValue("#search-input"), F.nameEn);
    await page.context().close();
  });
});
