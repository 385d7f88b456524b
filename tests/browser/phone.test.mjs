// The site on a phone (375 px wide), in both languages: no page scrolls sideways, the
// founders and companies tables become stacked rows that show every fact and still sort
// and filter, and the charts are drawn for the width, with text at a readable size.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { axeViolations, browserAvailable, foundersWhere, launch, openPage, profiles, repo, serveSite, sample, sideways } from "./harness.mjs";
// Example profiles, from the content (scripts/grow-site renames and adds some).
const F = sample("founders", "jia-yangqing");
const C = sample("companies", "lepton-ai");
const S = sample("sectors", "infrastructure");
const E = sample("employers", "alibaba");

const run = browserAvailable();
const PHONE = { width: 375, height: 800 };
const LANGS = ["", "en/"];
// Below this size (px on screen) chart text is too small to read.
const MIN_TEXT = 11;

// The rows of a table as the reader sees them: for each shown row, each cell's box, its
// text, and the caption shown before it (the column's name).
const rowsOf = (table) => [...table.tBodies[0].rows].filter((r) => r.checkVisibility()).map((r) => [...r.cells].map((c) => {
  const b = c.getBoundingClientRect();
  const label = getComputedStyle(c, "::before").content;
  // A link that is one Latin word ("HiDream.ai") and yet spans two lines was cut inside.
  const split = [...c.querySelectorAll("a")].filter((a) => /^[\x21-\x2c\x2e-\x7e]+$/.test(a.textContent.trim()) && a.getClientRects().length > 1).map((a) => a.textContent);
  return { left: b.left, right: b.right, width: b.width, height: b.height, text: c.innerText.trim(), label, dataLabel: c.getAttribute("data-label"), row: c.scope === "row", split };
}));

describe("the site at phone width", { skip: !run && "Chromium is not installed (allowed outside CI only)" }, () => {
  let site, browser;
  before(async () => {
    site = await serveSite();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test("no page scrolls sideways at 375 px, in either language, with every table and chart shown", async () => {
    const page = await openPage(browser, { viewport: PHONE });
    const problems = [];
    for (const lang of LANGS) {
      const paths = ["", "founders/", "companies/", "sectors/", "employers/", `founders/${F.slug}/`, `companies/${C.slug}/`, `sectors/${S.slug}/`, `employers/${E.slug}/`, "about/", "search/?q=alibaba", "no-such-page/"];
      for (const p of paths) {
        await page.goto(site.url(lang + p));
        if (p.startsWith("search/")) await page.waitForSelector(".search-result");
        // The data tables under the charts too.
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
        for (const s of await sideways(page)) problems.push(`${lang}${p}: ${s}`);
      }
      // The 404 page really is what a missing address shows.
      assert.match(await page.title(), /Page not found/);
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(page.errors.filter((e) => !e.includes("404")), []);
    await page.context().close();
  });

  test("the founders and companies tables show every fact of every row, captioned, on screen", async () => {
    const page = await openPage(browser, { viewport: PHONE });
    for (const lang of LANGS) {
      for (const [p, ids] of [["founders/", ["founders-table"]], ["companies/", ["companies-table"]], [`sectors/${S.slug}/`, ["sector-founders-table", "sector-companies-table"]]]) {
        await page.goto(site.url(lang + p));
        for (const id of ids) {
          const table = await page.$(`#${id}`);
          const heads = await table.$$eval("thead th", (ths) => ths.map((th) => th.textContent.trim()));
          const rows = await table.evaluate(rowsOf);
          assert.ok(rows.length >= 2, `${lang}${p}#${id}: ${rows.length} rows`);
          for (const cells of rows) {
            const name = cells[0].text;
            assert.equal(cells.length, heads.length, `${lang}${p}#${id} ${name}: a cell per column`);
            cells.forEach((c, i) => {
              const where = `${lang}${p}#${id} ${name}, ${heads[i]}`;
              assert.ok(c.width > 0 && c.height > 0, `${where}: not shown (${c.width}x${c.height})`);
              assert.ok(c.left >= 0 && c.right <= PHONE.width, `${where}: off screen (${c.left}..${c.right})`);
              assert.ok(c.text, `${where}: empty`);
              assert.deepEqual(c.split, [], `${where}: a word cut in two`);
              // Every fact but the name is captioned with its column's name.
              if (!c.row) {
                assert.equal(c.dataLabel, heads[i], `${where}: captioned "${c.dataLabel}"`);
                assert.ok(c.label.includes(heads[i]), `${where}: the caption is not shown (${c.label})`);
              }
            });
            // Stacked: the name's row is above the facts, not beside them.
            assert.ok(cells.slice(1).every((c) => c.left < cells[0].right), `${lang}${p}#${id} ${name}: not stacked`);
          }
          // The sort buttons are all on screen.
          const buttons = await table.$$eval("thead button.sort", (bs) => bs.map((b) => b.getBoundingClientRect()).map((r) => [r.left, r.right, r.width]));
          assert.ok(buttons.every(([l, r, w]) => w > 0 && l >= 0 && r <= PHONE.width), `${lang}${p}#${id}: a sort button off screen: ${JSON.stringify(buttons)}`);
        }
      }
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("screen readers still get a table with its headers, and no caption twice", async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await page.goto(site.url("en/founders/"));
    assert.equal(await page.$eval("#founders-table tbody tr", (tr) => getComputedStyle(tr).display), "grid", "the rows are stacked");
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send("Accessibility.getFullAXTree");
    const shown = nodes.filter((n) => !n.ignored);
    const role = (r) => shown.filter((n) => n.role?.value === r).map((n) => n.name?.value ?? "");
    assert.deepEqual(role("table"), ["All founders: name, former employer and title, company, sector, city and when they left"]);
    assert.deepEqual(role("columnheader"), ["Name", "Former employer and title", "Company", "Sector", "City", "Left"]);
    const founders = profiles("founders").length;
    assert.equal(role("rowheader").length, founders);
    const cells = role("cell");
    assert.equal(cells.length, founders * 5);
    // A cell reads as its value: the visible caption ("Company") is not read again.
    assert.ok(cells.includes("Lepton AI"), cells.join(" | "));
    assert.deepEqual(cells.filter((c) => /^(Former employer|Company|Sector|City|Left)/.test(c)), []);
    await page.context().close();
  });

  // Sorting and filtering do not depend on the language (site.test.mjs tries both at
  // desktop width); here, that the stacked layout keeps them working.
  test("sorting and filtering the founders work at 375 px", async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await page.goto(site.url("founders/"));
    const shown = () => page.$$eval("#founders-table tbody tr", (trs) => trs.filter((tr) => tr.checkVisibility()).map((tr) => ({
      slug: tr.querySelector("th a").getAttribute("href").split("/").at(-2),
      company: tr.cells[2].getAttribute("data-sort"),
    })));
    const before = await shown();
    assert.equal(before.length, profiles("founders").length);
    // By company, as the table's collator orders them (empty values last).
    await page.click("#founders-table thead th:nth-child(3) button.sort");
    const sorted = await shown();
    const expected = await page.evaluate((rows) => {
      const c = new Intl.Collator(document.documentElement.lang, { numeric: true, sensitivity: "base" });
      return rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.company === "") - (b.r.company === "") || c.compare(a.r.company, b.r.company) || a.i - b.i).map(({ r }) => r.slug);
    }, before);
    assert.notDeepEqual(expected, before.map((r) => r.slug), "the rows start out unsorted by company");
    assert.deepEqual(sorted.map((r) => r.slug), expected, "sorted by company");
    // A filtered-out row is gone from the screen, not only marked hidden.
    await page.selectOption("#filter-employer", "alibaba");
    assert.deepEqual((await shown()).map((r) => r.slug).sort(), foundersWhere((f) => f.former_employer === "alibaba"));
    const hidden = await page.$$eval("#founders-table tbody tr[hidden]", (trs) => trs.map((tr) => tr.getBoundingClientRect().height));
    assert.equal(hidden.length, profiles("founders").length - foundersWhere((f) => f.former_employer === "alibaba").length);
    assert.ok(hidden.every((h) => h === 0), `hidden rows still take room: ${hidden}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("a thumbnail in the first cell gets a column of its own", async () => {
    // Every row's first cell starts with its portrait or monogram (.thumb).
    const page = await openPage(browser, { viewport: PHONE });
    await page.goto(site.url("en/founders/"));
    const rows = await page.$$eval("#founders-table tbody tr", (trs) => trs.map((tr) => {
      const thumb = tr.cells[0].firstElementChild.closest(".thumb") || tr.cells[0].firstElementChild.querySelector(".thumb");
      const t = thumb.getBoundingClientRect();
      const cells = [...tr.cells].map((c) => c.getBoundingClientRect());
      const row = tr.getBoundingClientRect();
      return { t: [t.left, t.right, t.top, t.bottom, t.width, t.height], cells: cells.map((c) => [c.left, c.right]), row: [row.top, row.bottom] };
    }));
    for (const { t, cells, row } of rows) {
      const [left, right, top, bottom, w, h] = t;
      assert.ok(w >= 40 && w <= 48 && Math.abs(w - h) < 1, `thumbnail ${w}x${h}`);
      assert.ok(left >= 0 && top >= row[0] && bottom <= row[1], "the thumbnail is inside its row");
      assert.ok(cells.every(([l, r]) => l >= right && r <= PHONE.width), `a fact beside or under the thumbnail: ${JSON.stringify(cells)} vs ${right}`);
    }
    await page.context().close();
  });

  test("charts are drawn for the width, fit it, and keep their text readable", async () => {
    const page = await openPage(browser, { viewport: PHONE });
    const seen = new Set();
    for (const lang of LANGS) {
      for (const p of ["", "employers/"]) {
        await page.goto(site.url(lang + p));
        const charts = await page.$$eval("figure.chart", (figs) => figs.map((fig) => {
          const svgs = [...fig.querySelectorAll("svg[role=img]")].filter((s) => s.checkVisibility());
          const outer = svgs[0]?.closest(".chart-svg");
          const box = outer?.getBoundingClientRect();
          const texts = svgs.flatMap((s) => [...s.querySelectorAll("text")]).map((t) => {
            const b = t.getBoundingClientRect();
            return { text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a, left: b.left, right: b.right };
          });
          // A flow box's label stays inside the box.
          const spill = svgs.flatMap((s) => [...s.querySelectorAll(".flow-node")]).filter((g) => {
            const r = g.querySelector("rect").getBoundingClientRect();
            const t = g.querySelector("text").getBoundingClientRect();
            return t.left < r.left || t.right > r.right + 0.5;
          }).map((g) => g.querySelector("title").textContent);
          // The timeline's numbered dots do not cover each other.
          const dots = svgs.flatMap((s) => [...s.querySelectorAll(".chart-dot")]).map((d) => d.getBoundingClientRect());
          const touching = dots.filter((a, i) => dots.some((b, j) => j > i && Math.hypot(a.x - b.x, a.y - b.y) < a.width)).length;
          return { id: svgs.map((s) => s.getAttribute("aria-labelledby").split(" ")[0]), left: box?.left, right: box?.right, texts, spill, touching };
        }));
        assert.ok(charts.length >= 2, `${lang}${p}: ${charts.length} charts`);
        for (const c of charts) {
          const where = `${lang}${p} ${c.id}`;
          assert.equal(c.id.length, 1, `${where}: one layout of each chart is shown`);
          assert.match(c.id[0], /-narrow-title$/, `${where}: the phone layout`);
          seen.add(c.id[0]);
          assert.ok(c.left >= 0 && c.right <= PHONE.width, `${where}: off screen (${c.left}..${c.right})`);
          const small = c.texts.filter((t) => t.size < MIN_TEXT);
          assert.deepEqual(small.map((t) => `${t.text} at ${t.size.toFixed(1)}px`), [], `${where}: text too small to read`);
          const out = c.texts.filter((t) => t.left < 0 || t.right > PHONE.width);
          assert.deepEqual(out.map((t) => t.text), [], `${where}: text off screen`);
          assert.deepEqual(c.spill, [], `${where}: labels spill out of their boxes`);
          assert.equal(c.touching, 0, `${where}: dots cover each other`);
        }
      }
    }
    assert.deepEqual([...seen].sort(), ["chart-employers-narrow-title", "chart-flow-narrow-title", "chart-sectors-narrow-title", "chart-timeline-narrow-title"]);
    await page.context().close();
  });

  // site.test.mjs runs axe on every kind of page at desktop width; here, pages whose layout
  // changes on a phone: both stacked tables (a sector page), the charts, and the founders
  // in the dark scheme.
  test("axe-core finds no violation at 375 px", async () => {
    const failures = [];
    for (const [scheme, paths] of [["light", [`sectors/${S.slug}/`, "en/employers/"]], ["dark", ["en/founders/"]]]) {
      const page = await openPage(browser, { viewport: PHONE, colorScheme: scheme });
      for (const p of paths) {
        await page.goto(site.url(p));
        for (const v of await axeViolations(page)) failures.push(`${scheme} ${p}: ${v}`);
      }
      await page.context().close();
    }
    assert.deepEqual(failures, []);
  });

  // site.test.mjs saves founders-zh-375.png and home-{zh,en}-375.png (two charts).
  test("screenshots of the founders and a chart page at 375 px", async () => {
    const dir = join(repo, "target", "screenshots");
    mkdirSync(dir, { recursive: true });
    const page = await openPage(browser, { viewport: PHONE });
    for (const [name, p] of [["founders-en", "en/founders/"], ["employers-zh", "employers/"]]) {
      await page.goto(site.url(p));
      const file = join(dir, `${name}-375.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(statSync(file).size > 5000, `${file} looks empty`);
    }
    await page.context().close();
  });
});
