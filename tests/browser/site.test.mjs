// The theme in a real browser: language switch, table sorting and filtering, charts,
// console errors, accessibility (axe-core), screenshots, and no request leaving the site.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { axeViolations, browserAvailable, foundersWhere, launch, openPage, profiles, repo, serveSite, sample, sideways } from "./harness.mjs";
// Example profiles, from the content (scripts/grow-site renames and adds some).
const F = sample("founders", "jia-yangqing");
const C = sample("companies", "lepton-ai");
const S = sample("sectors", "infrastructure");
const E = sample("employers", "alibaba");

const run = browserAvailable();

// The founders table's columns, by interface-string key, in order.
const COLUMNS = ["col_name", "col_employer", "col_company", "col_sector", "col_city", "col_left"];
const i18n = (lang, key) => {
  const m = readFileSync(join(repo, "themes", "default", "i18n", `${lang}.yaml`), "utf8").match(new RegExp(`^${key}:\\s*(.+)$`, "m"));
  assert.ok(m, `${lang}.yaml lacks ${key}`);
  return m[1].trim().replace(/^"(.*)"$/, "$1");
};
// slug -> `left:` (YYYY or YYYY-MM) of every founder whose Chinese file states it.
const LEFT = Object.fromEntries(profiles("founders").filter((f) => /^\d{4}(-\d{2})?$/.test(f.left ?? "")).map((f) => [f.slug, f.left]));
// A year alone counts as before any month of that year, as the collator's numeric order has it.
const yearMonth = (v) => { const [y, m = "0"] = v.split("-"); return Number(y) * 100 + Number(m); };

describe("the built site in Chromium", { skip: !run && "Chromium is not installed (allowed outside CI only)" }, () => {
  let site, browser;
  before(async () => {
    site = await serveSite();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test("the language switcher leads to the counterpart page", async () => {
    const page = await openPage(browser);
    await page.goto(site.url(`founders/${F.slug}/`));
    await page.click('a[hreflang="en"]');
    await page.waitForURL(site.url(`en/founders/${F.slug}/`));
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.match(await page.textContent("h1"), new RegExp(F.nameEn));
    await page.click('a[hreflang="zh"]');
    await page.waitForURL(site.url(`founders/${F.slug}/`));
    assert.match(await page.textContent("h1"), new RegExp(F.name));
    await page.context().close();
  });

  test("filtering the founders table changes the visible rows", async () => {
    for (const lang of ["", "en/"]) {
      const page = await openPage(browser);
      await page.goto(site.url(lang + "founders/"));
      const visible = () => page.$$eval("#founders-table tbody tr", (rows) => rows.filter((r) => !r.hidden).map((r) => r.querySelector("a").getAttribute("href")));
      const all = await visible();
      assert.equal(all.length, profiles("founders").length);
      await page.selectOption("#filter-sector", "ai-agents");
      const agents = await visible();
      assert.deepEqual(agents.map((h) => h.split("/").at(-2)).sort(), foundersWhere((f) => f.sector === "ai-agents"));
      await page.selectOption("#filter-sector", "");
      await page.selectOption("#filter-employer", "alibaba");
      assert.deepEqual((await visible()).map((h) => h.split("/").at(-2)).sort(), foundersWhere((f) => f.former_employer === "alibaba"));
      await page.selectOption("#filter-employer", "");
      await page.selectOption("#filter-city", "hangzhou");
      assert.deepEqual((await visible()).map((h) => h.split("/").at(-2)).sort(), foundersWhere((f) => f.city === "hangzhou"));
      await page.selectOption("#filter-city", "");
      assert.equal((await visible()).length, all.length);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  // table.js's rule: the first click on a header sorts its column ascending, the second
  // descending, comparing the cells' data-sort values with Intl.Collator(page language,
  // numeric, base sensitivity); cells with an empty value always go last, and ties (empty
  // cells included) keep the rows' original order.
  test("each column of the founders table sorts by its data-sort values, both ways", async () => {
    for (const lang of ["zh", "en"]) {
      const page = await openPage(browser);
      await page.goto(site.url(lang === "zh" ? "founders/" : "en/founders/"));
      assert.equal(await page.getAttribute("html", "lang"), lang);
      const rows = () => page.$$eval("#founders-table tbody tr", (trs) => trs.map((tr) => ({
        slug: tr.querySelector("th a").getAttribute("href").split("/").at(-2),
        values: [...tr.cells].map((c) => (c.getAttribute("data-sort") ?? c.textContent).trim()),
      })));
      const original = await rows();
      assert.equal(original.length, profiles("founders").length);
      const heads = await page.$$eval("#founders-table thead th", (ths) => ths.map((th) => ({ label: th.textContent.trim(), sortable: !!th.querySelector("button.sort") })));
      const labels = COLUMNS.map((key) => i18n(lang, key));
      assert.deepEqual(heads, labels.map((label) => ({ label, sortable: true })), "every column of the founders table is sortable");
      // The expected orders, worked out in the page with its own collator.
      const expected = await page.evaluate(({ original, lang }) => {
        const collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
        const order = (col, sign) => original.map((r, i) => ({ r, i })).sort((a, b) => {
          const x = a.r.values[col], y = b.r.values[col];
          if (x === "" || y === "") return (x === "") - (y === "") || a.i - b.i;
          return sign * collator.compare(x, y) || a.i - b.i;
        }).map(({ r }) => r.slug);
        return original[0].values.map((_, col) => ({ asc: order(col, 1), desc: order(col, -1) }));
      }, { original, lang });
      // The data must tell the columns apart, or sorting by the wrong one would go unseen.
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          assert.notDeepEqual(expected[i].asc, expected[j].asc, `${lang}: columns ${labels[i]} and ${labels[j]} sort alike`);
        }
      }
      const buttons = await page.$$("#founders-table thead th button.sort");
      const sortAttrs = () => page.$$eval("#founders-table thead th", (ths) => ths.map((th) => th.getAttribute("aria-sort")));
      const valuesOf = (col, slugs) => slugs.map((s) => original.find((r) => r.slug === s).values[col]);
      for (let col = 0; col < labels.length; col++) {
        const before = (await rows()).map((r) => r.slug);
        // Neither leaving the rows alone nor reversing them can pass: the two clicks must
        // give two different orders (checked below), so at least one differs from `before`;
        // and the first must not be `before` reversed. (The rows may start out in this
        // column's ascending order: English names are in slug order.)
        assert.notDeepEqual(expected[col].asc, expected[col].desc, `${lang} ${labels[col]}: both ways sort alike`);
        assert.notDeepEqual(expected[col].asc, [...before].reverse(), `${lang} ${labels[col]}: a reversal would pass`);
        await buttons[col].click();
        const asc = (await rows()).map((r) => r.slug);
        assert.deepEqual(asc, expected[col].asc, `${lang} ${labels[col]} ascending: ${valuesOf(col, asc).join(" | ")}`);
        assert.deepEqual(await sortAttrs(), labels.map((_, i) => (i === col ? "ascending" : null)));
        assert.notDeepEqual(expected[col].desc, asc, `${lang} ${labels[col]}: the second click changes nothing`);
        await buttons[col].click();
        const desc = (await rows()).map((r) => r.slug);
        assert.deepEqual(desc, expected[col].desc, `${lang} ${labels[col]} descending: ${valuesOf(col, desc).join(" | ")}`);
        assert.deepEqual(await sortAttrs(), labels.map((_, i) => (i === col ? "descending" : null)));
        // Empty values go last both ways.
        for (const order of [asc, desc]) {
          const vals = valuesOf(col, order);
          const firstEmpty = vals.indexOf("");
          if (firstEmpty >= 0) assert.ok(vals.slice(firstEmpty).every((v) => v === ""), `${lang} ${labels[col]}: an empty value before a filled one: ${vals.join(" | ")}`);
        }
      }
      // The "left" column orders by year and month, as the content gives them.
      const leftCol = COLUMNS.indexOf("col_left");
      const dated = Object.entries(LEFT).sort(([, a], [, b]) => yearMonth(a) - yearMonth(b)).map(([slug]) => slug);
      assert.ok(dated.length >= 3, "the content dates at least three departures");
      assert.deepEqual(expected[leftCol].asc.slice(0, dated.length), dated, `${lang}: earliest departure first`);
      assert.deepEqual(expected[leftCol].desc.slice(0, dated.length), [...dated].reverse(), `${lang}: latest departure first`);
      assert.deepEqual(valuesOf(leftCol, dated), dated.map((s) => LEFT[s]), `${lang}: the left cells carry the content's dates`);
      await page.reload();
      await page.click(`#founders-table thead th:nth-child(${leftCol + 1}) button.sort`);
      assert.deepEqual((await rows()).map((r) => r.slug).slice(0, dated.length), dated, `${lang}: clicking "${labels[leftCol]}" puts the earliest departure first`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  // Each chart is in the page in a wide and a narrow layout, one of them shown
  // (phone.test.mjs checks the narrow ones); at this width, the wide one.
  test("every chart renders with a non-zero size", async () => {
    const seen = new Set();
    for (const path of ["", "en/", "employers/", "en/employers/"]) {
      const page = await openPage(browser);
      await page.goto(site.url(path));
      const sizes = await page.$$eval("svg[role=img]", (svgs) => svgs.filter((s) => s.checkVisibility()).map((s) => { const r = s.getBoundingClientRect(); return [s.id || s.getAttribute("aria-labelledby"), r.width, r.height]; }));
      assert.equal(sizes.length, await page.$$eval("figure.chart", (f) => f.length), `${path}: one layout of each chart is shown`);
      assert.ok(sizes.length >= 2, `${path}: ${sizes.length} charts`);
      for (const [id, w, h] of sizes) {
        assert.ok(w > 0 && h > 0, `${path} chart ${id} is ${w}x${h}`);
        seen.add(id.split(" ")[0]);
      }
      // Each chart has a data table for screen readers.
      assert.ok(await page.$$eval("figure.chart table", (t) => t.length) >= sizes.length, `${path}: chart tables`);
      await page.context().close();
    }
    // Founders per sector and per employer, the founding timeline and the flow diagram.
    assert.deepEqual([...seen].sort(), ["chart-employers-title", "chart-flow-title", "chart-sectors-title", "chart-timeline-title"]);
  });

  test("no console errors and no request leaves the site", async () => {
    const pages = [];
    const redirects = new Set(); // the old addresses of renamed profiles
    for (const lang of ["", "en/"]) {
      pages.push(lang, lang + "founders/", lang + "companies/", lang + "sectors/", lang + "employers/", lang + "about/", lang + "search/");
      for (const kind of ["founders", "companies", "sectors", "employers"]) {
        for (const slug of readdirSync(join(site.out, lang, kind))) {
          const dir = join(site.out, lang, kind, slug);
          if (!statSync(dir).isDirectory()) continue;
          pages.push(`${lang}${kind}/${slug}/`);
          if (readFileSync(join(dir, "index.html"), "utf8").includes('http-equiv="refresh"')) redirects.add(`${lang}${kind}/${slug}/`);
        }
      }
    }
    const page = await openPage(browser);
    for (const p of pages) {
      await page.goto(site.url(p));
      // An old address sends the reader on at once: wait until they have arrived.
      if (redirects.has(p)) await page.waitForURL((u) => !u.pathname.endsWith(`/${p}`) && !u.pathname.endsWith(p));
      assert.deepEqual(page.errors, [], `console errors on ${p}`);
    }
    const foreign = page.requests.filter((u) => !u.startsWith(site.origin) && !u.startsWith("data:"));
    assert.deepEqual(foreign, []);
    await page.context().close();
  });

  test("no page references an external host for a resource", () => {
    const walk = (d) => readdirSync(d).flatMap((n) => statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]);
    const bad = [];
    for (const f of walk(site.out).filter((f) => f.endsWith(".html") || f.endsWith(".css"))) {
      const text = readFileSync(f, "utf8");
      // Resources (src, stylesheets, icons, CSS url() and @import) must be local; hyperlinks may go anywhere.
      const res = [...text.matchAll(/\ssrc=["']?(https?:|\/\/)[^"'\s>]*/g), ...text.matchAll(/<link[^>]*rel=["']?(stylesheet|icon|preload|modulepreload)["']?[^>]*href=["']?(https?:|\/\/)(?!127\.0\.0\.1)[^"'\s>]*/g), ...text.matchAll(/url\(\s*["']?(https?:|\/\/)[^)]*\)/g), ...text.matchAll(/@import\s+["']?(https?:|\/\/)/g)];
      for (const m of res) if (!m[0].includes("127.0.0.1")) bad.push(`${f}: ${m[0]}`);
    }
    assert.deepEqual(bad, []);
  });

  test("axe-core finds no violation", async () => {
    const targets = [];
    for (const lang of ["", "en/"]) targets.push(lang, lang + "founders/", lang + `founders/${F.slug}/`, lang + `companies/${C.slug}/`, lang + `sectors/${S.slug}/`, lang + `employers/${E.slug}/`, lang + "search/");
    const failures = [];
    for (const scheme of ["light", "dark"]) {
      const page = await openPage(browser, { colorScheme: scheme });
      for (const p of targets) {
        await page.goto(site.url(p));
        for (const v of await axeViolations(page)) failures.push(`${scheme} ${p}: ${v}`);
      }
      await page.context().close();
    }
    assert.deepEqual(failures, []);
  });

  test("screenshots at phone and desktop widths", async () => {
    const dir = join(repo, "target", "screenshots");
    mkdirSync(dir, { recursive: true });
    for (const width of [375, 1280]) {
      const page = await openPage(browser, { viewport: { width, height: 900 } });
      for (const [name, p] of [["home-zh", ""], ["home-en", "en/"], ["founder-zh", `founders/${F.slug}/`], ["founder-en", `en/founders/${F.slug}/`], ["founders-zh", "founders/"], ["company-en", `en/companies/${C.slug}/`]]) {
        await page.goto(site.url(p));
        const file = join(dir, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        assert.ok(statSync(file).size > 5000, `${file} looks empty`);
        // Nothing scrolls sideways, the page itself or anything in it.
        assert.deepEqual(await sideways(page), [], `${name} at ${width}px`);
      }
      await page.context().close();
    }
  });
});
