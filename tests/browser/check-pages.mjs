// The browser and link checks of the fast publishing path (scripts/rehearse-pages,
// pages.yml): the pages a change touched, in headless Chromium at phone and desktop widths,
// with no console error or failed request, no axe violation, nothing that scrolls
// sideways, and every link on them to this site answering (under the base path, as on Pages).
//   node tests/browser/check-pages.mjs OUTPUT BASE_PATH PAGE...   (PAGE: "founders/x/")
import { browserAvailable, launch, openPage, pageProblems, serveDir } from "./harness.mjs";

const [out, base, ...pages] = process.argv.slice(2);
if (!out || !base) {
  console.error("usage: node tests/browser/check-pages.mjs OUTPUT BASE_PATH PAGE...");
  process.exit(2);
}
if (!browserAvailable()) {
  console.error("check-pages: Chromium is not installed (apt-get install chromium)");
  process.exit(1);
}
const site = await serveDir(out, base);
const browser = await launch();
let failed = 0;
const links = new Map(); // link on this site -> the first page that has it
for (const path of pages) {
  for (const viewport of [{ width: 375, height: 812 }, { width: 1280, height: 900 }]) {
    const page = await openPage(browser, { viewport });
    await page.goto(site.url(path), { waitUntil: "load" });
    const problems = await pageProblems(page);
    // getAttribute: an SVG chart's <a> has no string `href` property.
    for (const href of await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")))) {
      const url = new URL(href, page.url());
      url.hash = "";
      if (url.origin === site.origin && !links.has(url.href)) links.set(url.href, path);
    }
    for (const p of problems) console.error(`${base}${path} at ${viewport.width} px: ${p}`);
    failed += problems.length > 0;
    await page.context().close();
  }
}
await browser.close();
// Every link on those pages answers; `dossier check` has checked every internal link and
// anchor of the whole site, this checks them as served under the base path.
const todo = [...links];
let broken = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
  for (let next; (next = todo.pop()); ) {
    const [url, from] = next;
    const res = await fetch(url, { method: "HEAD" });
    if (res.status !== 200) {
      console.error(`${base}${from}: broken link ${url.slice(site.origin.length)} (HTTP ${res.status})`);
      broken++;
    }
  }
}));
await site.close();
failed += broken;
console.log(`check-pages: ${pages.length} pages at 375 and 1280 px and ${links.size} links on them, ${failed ? `${failed} problems` : "no problems"}`);
process.exit(failed ? 1 : 0);
