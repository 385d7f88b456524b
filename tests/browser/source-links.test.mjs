// Links to the source, with `repository:` in site.yaml: "Edit this page" on profiles and
// free pages, "Add a founder" / "Add a company" on their indexes, "Report a correction" on
// every page. Each is found by its accessible name, in both languages, and its URL is
// exactly right (the project path included); the pages with them pass axe.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { browserAvailable, launch, openPage, pageProblems, profiles, serveSite, siteRoot } from "./harness.mjs";

const run = browserAvailable();
const REPO = "https://github.com/octo/dossier";
const BRANCH = "release/2026";

/** Percent-encodes as the links do: everything but RFC 3986's unreserved characters. */
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

const TEXT = {
  zh: { edit: "编辑本页", report: "报告错误", founder: "添加创业者", company: "添加公司" },
  en: { edit: "Edit this page", report: "Report a correction", founder: "Add a founder", company: "Add a company" },
};

describe("links to the source", { skip: !run && "Chromium is not installed (allowed outside CI only)" }, () => {
  let site, browser;
  before(async () => {
    site = await serveSite({ extraYaml: `repository: https://github.com/octo/dossier\nbranch: ${BRANCH}\n` });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  /** Opens `path` and returns the page and the href of the link named `name` (null when absent). */
  async function linkOn(page, path, name) {
    const link = page.getByRole("link", { name, exact: true });
    return (await link.count()) === 1 ? link.getAttribute("href") : null;
  }

  const reportUrl = (title, path) => `${REPO}/issues/new?template=correction.yml&title=${enc(title)}&page=${enc(site.url(path))}`;

  test("a profile edits its own file, or the original where its language has none, and reports a correction", async () => {
    const page = await openPage(browser);
    const founders = profiles("founders");
    for (const lang of ["zh", "en"]) {
      const prefix = lang === "zh" ? "" : "en/";
      for (const [section, slug] of [["founders", founders[0].slug], ["companies", profiles("companies")[0].slug], ["sectors", profiles("sectors")[0].slug], ["employers", profiles("employers")[0].slug]]) {
        const path = `${prefix}${section}/${slug}/`;
        await page.goto(site.url(path));
        const own = join(siteRoot, "content", section, `${slug}.${lang}.md`);
        const file = existsSync(own) ? `${slug}.${lang}.md` : `${slug}.zh.md`;
        assert.equal(await linkOn(page, path, TEXT[lang].edit), `${REPO}/edit/${BRANCH}/content/${section}/${file}`, path);
        assert.equal(await linkOn(page, path, TEXT[lang].report), reportUrl(await page.title(), path), path);
        assert.equal(await linkOn(page, path, TEXT[lang].founder), null, `${path}: nothing to add here`);
      }
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("the founders and companies indexes add a profile, prefilled with the theme's archetype", async () => {
    const page = await openPage(browser);
    for (const lang of ["zh", "en"]) {
      const prefix = lang === "zh" ? "" : "en/";
      for (const [section, kind] of [["founders", "founder"], ["companies", "company"]]) {
        const path = `${prefix}${section}/`;
        await page.goto(site.url(path));
        const archetype = readFileSync(join(siteRoot, "themes", "default", "archetypes", `${kind}.zh.md`), "utf8").replaceAll("__SLUG__", `new-${kind}`);
        const href = await linkOn(page, path, TEXT[lang][kind]);
        assert.equal(href, `${REPO}/new/${BRANCH}/content/${section}?filename=new-${kind}.zh.md&value=${enc(archetype)}`, path);
        // What GitHub reads from it: the folder, the file name and the archetype, intact.
        const url = new URL(href);
        assert.equal(url.pathname, `/octo/dossier/new/${BRANCH}/content/${section}`);
        assert.equal(url.searchParams.get("filename"), `new-${kind}.zh.md`);
        assert.equal(url.searchParams.get("value"), archetype);
        assert.equal(await linkOn(page, path, TEXT[lang].edit), null, `${path}: an index has no file of its own`);
        assert.equal(await linkOn(page, path, TEXT[lang].report), reportUrl(await page.title(), path), path);
      }
    }
    await page.context().close();
  });

  test("every other page reports a correction, with its title and address", async () => {
    const page = await openPage(browser);
    for (const path of ["", "en/", "sectors/", "en/employers/", "en/search/", "data/", "changes/"]) {
      await page.goto(site.url(path));
      const href = await linkOn(page, path, TEXT[path.startsWith("en/") ? "en" : "zh"].report);
      assert.equal(href, reportUrl(await page.title(), path), path);
      const params = new URL(href).searchParams;
      assert.equal(params.get("template"), "correction.yml");
      assert.equal(params.get("page"), site.url(path));
    }
    await page.context().close();
  });

  test("the pages with the links pass axe", async () => {
    const founder = profiles("founders")[0].slug;
    for (const path of [`founders/${founder}/`, `en/founders/${founder}/`, "founders/", "en/companies/"]) {
      const page = await openPage(browser);
      await page.goto(site.url(path));
      // The links are in a landmark of their own, named in the page's language.
      assert.equal(await page.locator("nav.source-links").count(), 1, path);
      assert.ok((await page.locator("nav.source-links").getAttribute("aria-label")).length > 0, path);
      assert.deepEqual(await pageProblems(page), [], path);
      await page.context().close();
    }
  });
});
