// Search with the Pagefind index written at build time: results as you type, the query kept
// in ?q=, Chinese and English alike. No library beyond Pagefind's own pagefind.js.
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

// Keep only text and <mark> from an excerpt, whatever it contains.
function safeExcerpt(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of tpl.content.childNodes) {
    if (node.nodeName === "MARK") {
      const m = document.createElement("mark");
      m.textContent = node.textContent;
      out.appendChild(m);
    } else {
      out.appendChild(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

let seq = 0;
let loading = null;

// One load for all queries: typing starts several searches before pagefind.js has arrived.
function load() {
  if (!loading) {
    loading = (async () => {
      const base = input.dataset.pagefind;
      const pf = await import(base + "pagefind.js");
      // Result URLs are site-relative; the base path makes them work under a project path.
      const options = { excerptLength: 24, baseUrl: input.dataset.base };
      await pf.options(options);
      await pf.init();
      // A large site's index is split into shards (pagefind/1/, pagefind/2/ ...), merged
      // into one search; shards.json lists them.
      const shards = await fetch(base + "shards.json").then((r) => (r.ok ? r.json() : []), () => []);
      await Promise.all(shards.map((dir) => pf.mergeIndex(new URL(base + dir, location.href).pathname, options)));
      return pf;
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}

async function run(query) {
  const mine = ++seq;
  const q = query.trim();
  const url = new URL(location.href);
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!q) {
    list.replaceChildren();
    status.textContent = "";
    list.dataset.query = "";
    return;
  }
  let pf;
  try {
    pf = await load();
  } catch (e) {
    status.textContent = status.dataset.error;
    return;
  }
  const search = await pf.debouncedSearch(q, {}, 150);
  if (search === null || mine !== seq) return;
  const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  if (mine !== seq) return;
  list.replaceChildren(...data.map((d) => {
    const li = el("li", "search-result");
    const a = el("a", "search-title", d.meta.title || d.url);
    a.href = d.url;
    const h = el("h2");
    h.appendChild(a);
    if (d.meta.alt) {
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", "name-alt", d.meta.alt));
    }
    li.appendChild(h);
    if (d.meta.role) li.appendChild(el("p", "search-role", d.meta.role));
    const p = el("p", "search-excerpt");
    p.appendChild(safeExcerpt(d.excerpt || ""));
    li.appendChild(p);
    return li;
  }));
  const n = search.results.length;
  status.textContent = n === 0 ? status.dataset.none : status.dataset.count.replace("{n}", String(n));
  // Marks which query the list shows (tests and assistive tools can tell stale from fresh).
  list.dataset.query = q;
}

input.addEventListener("input", () => run(input.value));
input.form.addEventListener("submit", (e) => { e.preventDefault(); run(input.value); });
const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
