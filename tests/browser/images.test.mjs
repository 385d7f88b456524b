// Portraits, logos and share cards in the browser, on a copy of the real site given a
// portrait (a PNG this test draws) and an SVG logo: the browser picks from srcset and
// keeps the intrinsic size, nothing scrolls sideways at 375 px, axe passes, every og:image
// resolves; screenshots of the profile and of its share card.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { axeViolations, browserAvailable, launch, makePng, openPage, profiles, repo, serveSite, sample, sideways } from "./harness.mjs";
// Example profiles, from the content (scripts/grow-site renames and adds some).
const F = sample("founders", "jia-yangqing");
const C = sample("companies", "lepton-ai");
const S = sample("sectors", "infrastructure");
const E = sample("employers", "alibaba");

const run = browserAvailable();
const PHONE = { width: 375, height: 800 };
const LANGS = ["", "en/"];

/** Adds `yaml` at the top of a profile's front matter. */
const addFront = (root, rel, yaml) => {
  const file = join(root, "content", rel);
  writeFileSync(file, readFileSync(file, "utf8").replace("---\n", `---\n${yaml}`));
};

describe("portraits, logos and share cards", { skip: !run && "Chromium is not installed (allowed outside CI only)" }, () => {
  let site, browser;
  before(async () => {
    // 800×600, off-square: the portrait is cropped around its focus.
    const portrait = await makePng(800, 600, (x, y) => [(x * 255) / 800, (y * 255) / 600, 120]);
    site = await serveSite({
      setup: (root) => {
        writeFileSync(join(root, `content/founders/${F.slug}.png`), portrait);
        addFront(root, `founders/${F.slug}.zh.md`, `photo:\n  src: ${F.slug}.png\n  alt: {zh: 一张测试图片, en: A test picture}\n  credit: 测试\n  license: CC0\n  focus: [0.4, 0.5]\n`);
        // Every other founder gets the same portrait, so the table has a thumbnail per row.
        for (const name of readdirSync(join(root, "content/founders"))) {
          const slug = name.replace(/\.zh\.md$/, "");
          if (slug === name || slug === F.slug) continue;
          writeFileSync(join(root, `content/founders/${slug}.png`), portrait);
          addFront(root, `founders/${name}`, `photo: {src: ${slug}.png, alt: {zh: 测试图片, en: A test picture}, credit: 测试, license: CC0}\n`);
        }
        writeFileSync(join(root, `content/companies/${C.slug}.svg`), '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100" fill="#2a4d8f"/><circle cx="50" cy="50" r="30" fill="#fff"/></svg>');
        addFront(root, `companies/${C.slug}.zh.md`, `logo: {src: ${C.slug}.svg, alt: {zh: 测试标志, en: A test logo}, credit: 测试, license: CC0}\n`);
      },
    });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test("a portrait has srcset, sizes and its intrinsic size, and the browser loads WebP", async () => {
    for (const lang of LANGS) {
      const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
      await page.goto(site.url(`${lang}founders/${F.slug}/`));
      const img = await page.$eval(".profile-picture img", async (img) => {
        await img.decode();
        const b = img.getBoundingClientRect();
        return { srcset: img.srcset, sizes: img.sizes, w: img.getAttribute("width"), h: img.getAttribute("height"), box: [b.width, b.height], natural: [img.naturalWidth, img.naturalHeight], current: img.currentSrc, alt: img.alt, loading: img.loading };
      });
      assert.match(img.srcset, /-96\.jpg 96w, .*-192\.jpg 192w, .*-384\.jpg 384w$/);
      assert.equal(img.sizes, "160px");
      assert.deepEqual([img.w, img.h], ["160", "160"]);
      assert.deepEqual(img.box, [160, 160]);
      // The file is square; with a w descriptor its natural size is scaled to `sizes`.
      assert.deepEqual(img.natural, [160, 160]);
      // At 1 device pixel per CSS pixel, the smallest WebP at least 160 wide.
      assert.match(img.current, /-192\.webp$/);
      assert.equal(img.alt, lang ? "A test picture" : "一张测试图片");
      assert.equal(img.loading, "auto", "above the fold: not lazy");
      assert.match(await page.textContent(".profile-picture figcaption"), /测试.*CC0/);
      // The founders table: the thumbnail is first in its cell, and square.
      await page.goto(site.url(`${lang}founders/`));
      const thumb = await page.$eval(`#founders-table tr:has(a[href$='/${F.slug}/']) th`, (th) => {
        const t = th.querySelector(".thumb");
        const b = t.getBoundingClientRect();
        return { first: th.firstElementChild.tagName, tag: t.tagName, box: [b.width, b.height] };
      });
      assert.deepEqual(thumb, { first: "PICTURE", tag: "IMG", box: [44, 44] });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test("table thumbnails in the first window load at once, those further down lazily", async () => {
    for (const viewport of [{ width: 1280, height: 900 }, PHONE]) {
      for (const lang of LANGS) {
        const page = await openPage(browser, { viewport });
        await page.goto(site.url(`${lang}founders/`));
        const thumbs = await page.$$eval("#founders-table img.thumb", (imgs) =>
          imgs.map((img) => ({ top: img.getBoundingClientRect().top + window.scrollY, lazy: img.loading === "lazy" })),
        );
        const fold = viewport.height;
        assert.ok(thumbs.length >= profiles("founders").length, `${thumbs.length} thumbnails`);
        const where = `${lang || "zh/"} at ${viewport.width} px`;
        // Nothing a reader sees without scrolling waits for the lazy-loading heuristics.
        assert.deepEqual(thumbs.filter((t) => t.top < fold && t.lazy), [], `lazy above the fold, ${where}`);
        // The rest wait until scrolled near: only the first few rows are fetched up front,
        // whatever the length of the page (up to `paginate` rows).
        const eager = thumbs.findIndex((t) => t.lazy);
        assert.ok(eager > 0 && eager <= 8, `${eager} thumbnails fetched up front, ${where}`);
        assert.deepEqual(thumbs.slice(eager).filter((t) => !t.lazy), [], `eager after a lazy one, ${where}`);
        await page.context().close();
      }
    }
  });

  test("an SVG logo keeps its shape", async () => {
    const page = await openPage(browser);
    await page.goto(site.url(`en/companies/${C.slug}/`));
    const box = await page.$eval(".profile-picture img", (img) => { const b = img.getBoundingClientRect(); return [b.width, Math.round(b.height), img.src]; });
    assert.deepEqual(box.slice(0, 2), [160, 53]);
    assert.match(box[2], /\/dossier\/images\/[0-9a-f]{16}\.svg$/);
    await page.context().close();
  });

  test("nothing scrolls sideways at 375 px and axe finds no violation", async () => {
    const page = await openPage(browser, { viewport: PHONE });
    const failures = [];
    for (const lang of LANGS) {
      for (const p of ["founders/", `founders/${F.slug}/`, "companies/", `companies/${C.slug}/`]) {
        await page.goto(site.url(lang + p));
        for (const problem of [...(await sideways(page)), ...(await axeViolations(page))]) failures.push(`${lang}${p}: ${problem}`);
      }
    }
    assert.deepEqual(failures, []);
    await page.context().close();
  });

  test("every og:image resolves to a 1200×630 card; screenshots of a profile and its card", async () => {
    const dir = join(repo, "target", "screenshots");
    mkdirSync(dir, { recursive: true });
    const page = await openPage(browser, { viewport: PHONE });
    for (const lang of LANGS) {
      for (const p of ["", "founders/", `founders/${F.slug}/`, `companies/${C.slug}/`, `sectors/${S.slug}/`]) {
        await page.goto(site.url(lang + p));
        const meta = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("meta[property^='og:image'], meta[name='twitter:card']")].map((m) => [m.getAttribute("property") || m.name, m.content])));
        assert.equal(meta["twitter:card"], "summary_large_image", `${lang}${p}`);
        assert.ok(meta["og:image"].startsWith(site.url()), `${lang}${p}: ${meta["og:image"]}`);
        assert.deepEqual([meta["og:image:width"], meta["og:image:height"]], ["1200", "630"]);
        const res = await fetch(meta["og:image"]);
        assert.equal(res.status, 200, meta["og:image"]);
        const png = Buffer.from(await res.arrayBuffer());
        assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630], meta["og:image"]);
      }
    }
    await page.goto(site.url(`en/founders/${F.slug}/`));
    await page.screenshot({ path: join(dir, "portrait-en-375.png"), fullPage: true });
    const card = await openPage(browser, { viewport: { width: 1200, height: 630 } });
    await card.goto(site.url(`founders/${F.slug}/card.png`));
    await card.screenshot({ path: join(dir, `card-zh-${F.slug}.png`) });
    assert.ok(statSync(join(dir, `card-zh-${F.slug}.png`)).size > 5000);
    await card.context().close();
    await page.context().close();
  });
});
