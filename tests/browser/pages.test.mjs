// Lists that take several pages: the real site built with five rows a page. Without
// JavaScript the pages are read one by one; with it, sorting or filtering loads the other
// pages so the table acts on every founder.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, browserAvailable, foundersWhere, launch, openPage, profiles, serveSite } from "./harness.mjs";

const run = browserAvailable();
const slugs = (hrefs) => hrefs.map((h) => h.split("/").at(-2));

describe("paginated lists", { skip: !run && "Chromium is not installed (allowed outside CI only)" }, () => {
  let site, browser;
  before(async () => {
    site = await serveSite({ extraYaml: "paginate: 5\n" });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  const rows = (page) => page.$$eval("#founders-table tbody tr", (trs) => trs.filter((r) => !r.hidden).map((r) => r.querySelector("a").getAttribute("href")));

  test("without JavaScript every founder is on exactly one page", async () => {
    const page = await openPage(browser, { javaScriptEnabled: false });
    const seen = [];
    let url = site.url("founders/");
    for (let n = 1; url; n++) {
      await page.goto(url);
      const here = slugs(await rows(page));
      assert.ok(here.length >= 1 && here.length <= 5, `page ${n}: ${here.length} rows`);
      seen.push(...here);
      const next = await page.$("nav.pagination a[rel=next]");
      url = next ? new URL(await next.getAttribute("href"), url).href : null;
      assert.ok(n < 10, "the pages end");
    }
    const all = profiles("founders").map((f) => f.slug);
    assert.equal(seen.length, all.length);
    assert.deepEqual([...new Set(seen)].sort(), all);
    await page.context().close();
  });

  test("sorting loads every page and sorts all the founders", async () => {
    for (const lang of ["", "en/"]) {
      const page = await openPage(browser);
      await page.goto(site.url(lang + "founders/"));
      assert.equal((await rows(page)).length, 5);
      await page.click("#founders-table thead th:nth-child(1) button.sort");
      await page.waitForFunction((n) => document.querySelectorAll("#founders-table tbody tr").length === n, profiles("founders").length);
      const names = await page.$$eval("#founders-table tbody th", (ths) => ths.map((th) => th.getAttribute("data-sort")));
      const collator = new Intl.Collator(lang ? "en" : "zh", { numeric: true, sensitivity: "base" });
      assert.deepEqual(names, [...names].sort(collator.compare), `${lang}: sorted by name`);
      assert.equal(await page.$eval("nav.pagination", (n) => n.hidden), true, "the page links hide once all rows are here");
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test("a filter applies to founders on every page, from the address too", async () => {
    const page = await openPage(browser);
    await page.goto(site.url("founders/?employer=alibaba"));
    await page.waitForFunction((n) => document.querySelectorAll("#founders-table tbody tr").length === n, profiles("founders").length);
    assert.deepEqual(slugs(await rows(page)).sort(), foundersWhere((f) => f.former_employer === "alibaba"));
    const alumni = foundersWhere((f) => f.former_employer === "alibaba").length;
    assert.match(await page.textContent("#founders-count"), new RegExp(`(^|\\D)${alumni}(\\D|$)`));
    await page.selectOption("#filter-employer", "");
    await page.selectOption("#filter-sector", "ai-agents");
    assert.deepEqual(slugs(await rows(page)).sort(), foundersWhere((f) => f.sector === "ai-agents"));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("a later page has its own title, canonical address and language versions, and passes axe", async () => {
    const page = await openPage(browser);
    await page.goto(site.url("en/founders/page/2/"));
    assert.match(await page.title(), /Page 2/);
    assert.equal(await page.getAttribute('link[rel="canonical"]', "href"), site.url("en/founders/page/2/"));
    assert.equal(await page.getAttribute('link[hreflang="zh"]', "href"), site.url("founders/page/2/"));
    // The page links mark this page, and only it, as the current one.
    const current = await page.$$eval("nav.pagination [aria-current]", (els) => els.map((e) => [e.getAttribute("aria-current"), e.textContent.trim()]));
    assert.deepEqual(current, [["page", "2"]]);
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });
});
