// What a reader waits for a search: serves a built site (gzip, as a host does) and times, in
// headless Chromium, how long the search page takes to show results for each query, with
// the requests and bytes of the search index it fetched. Run by scripts/search-latency.
//
//   node tests/browser/search-latency.mjs OUTPUT BASE [--rtt MS] [--kbps K] [--h2 1] QUERY...
//
// OUTPUT was built with `--base-url http://127.0.0.1:PORT/BASE` for any port: only the path
// matters, since the site's links are relative to it. --rtt and --kbps emulate a network
// (Chromium's own throttling, per request). Over HTTP/1.1 a browser opens six connections
// to a host, so a search that asks many shards is measured at its worst; `--h2 1` serves
// HTTP/2 over TLS (a certificate made for the run with openssl), as GitHub Pages does.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createSecureServer } from "node:http2";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { TYPES, compressible, launch, openPage, serveDir } from "./harness.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const rtt = opt("--rtt", 0);
const kbps = opt("--kbps", 0);
const h2 = opt("--h2", 0);
const [out, base, ...queries] = args;
if (!out || !base || queries.length === 0) {
  console.error("usage: search-latency.mjs OUTPUT BASE [--rtt MS] [--kbps K] [--h2 1] QUERY...");
  process.exit(2);
}

/** Serves `dir` under `base` over HTTP/2 with TLS, text gzip-compressed. */
async function serveH2(dir, base) {
  const tls = mkdtempSync(join(tmpdir(), "dossier-h2-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1", "-keyout", join(tls, "key.pem"), "-out", join(tls, "cert.pem")], { stdio: "ignore" });
  const server = createSecureServer({ key: readFileSync(join(tls, "key.pem")), cert: readFileSync(join(tls, "cert.pem")) }, (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "https://x").pathname);
    let file = normalize(join(dir, path.slice(base.length)));
    if (!path.startsWith(base) || !file.startsWith(dir)) return res.writeHead(404).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) return res.writeHead(404).end();
    const type = TYPES[extname(file)] || "application/octet-stream";
    let body = readFileSync(file);
    const headers = { "content-type": type };
    if (compressible(type)) {
      body = gzipSync(body);
      headers["content-encoding"] = "gzip";
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `https://127.0.0.1:${server.address().port}`;
  return { url: (p = "") => origin + base + p, close: () => new Promise((ok) => server.close(ok)) };
}

const site = h2 ? await serveH2(resolve(out), base) : await serveDir(resolve(out), base, { gzip: true });
const browser = await launch();
try {
  for (const lang of ["", "en/"]) {
    const page = await openPage(browser, { ignoreHTTPSErrors: true });
    let got = 0;
    page.on("requestfinished", async (r) => {
      const sizes = await r.sizes().catch(() => null);
      if (sizes && r.url().includes("/pagefind/")) got += sizes.responseBodySize + sizes.responseHeadersSize;
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
    if (rtt || kbps) {
      const bytes = kbps ? (kbps * 1024) / 8 : -1;
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: rtt, downloadThroughput: bytes, uploadThroughput: bytes });
    }
    await page.goto(site.url(lang + "search/"), { waitUntil: "load" });
    for (const [i, q] of queries.entries()) {
      const before = page.requests.length;
      got = 0;
      await page.fill("#search-input", "");
      const t0 = Date.now();
      await page.type("#search-input", q, { delay: 0 });
      await page.waitForSelector(`#search-results[data-query="${q}"]`, { state: "attached", timeout: 120000 });
      const ms = Date.now() - t0;
      const asked = page.requests.slice(before).filter((u) => u.includes("/pagefind/")).length;
      const shown = await page.$$eval("#search-results a", (as) => as.length);
      console.log(`/${lang}search/ ${i === 0 ? "first" : "next "} "${q}": ${ms} ms, ${asked} index requests, ${(got / 1024).toFixed(0)} KiB, ${shown} links shown`);
    }
    if (page.errors.length) console.log(`errors: ${page.errors.join("; ")}`);
    await page.context().close();
  }
} finally {
  await browser.close();
  await site.close();
}
