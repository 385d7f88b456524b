// Sortable tables and the founders filters. Progressive enhancement: without this script
// every table is complete and in its original order, and a long list is read page by
// page. With it, a list that takes several pages is loaded whole the first time it is
// sorted or filtered (the other pages are fetched and their rows of the same table
// added), so sorting and filtering act on every row.
(function () {
  "use strict";

  // Made on the first sort, not at load: the first Chinese collator of a page loads ICU's
  // collation data (23 ms of one core of a 2-core CI machine; Lighthouse counts a phone's
  // main thread four times as slow).
  var collator = null;
  var nav = document.querySelector("nav.pagination[data-pages]");
  var loading = null;

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return (v === null ? cell.textContent : v).trim();
  }

  function number(body) {
    Array.prototype.forEach.call(body.rows, function (row, i) { row.dataset.index = i; });
  }

  // Loads every page of the list once: each table gets the rows of the table with the same
  // id on the other pages, in page order; the page links are then hidden.
  function loadAll() {
    if (!nav) return Promise.resolve();
    if (loading) return loading;
    var urls = nav.getAttribute("data-pages").split(" ");
    var here = urls.indexOf(location.pathname);
    var tables = Array.prototype.slice.call(document.querySelectorAll("table.sortable[id]"));
    loading = Promise.all(urls.map(function (url, i) {
      if (i === here) return Promise.resolve(null);
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.text();
      }).then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
    })).then(function (docs) {
      tables.forEach(function (table) {
        var body = table.tBodies[0];
        var rows = [];
        docs.forEach(function (doc, i) {
          if (i === here) {
            rows = rows.concat(Array.prototype.slice.call(body.rows));
            return;
          }
          var other = doc.getElementById(table.id);
          if (other && other.tBodies[0]) {
            Array.prototype.forEach.call(other.tBodies[0].rows, function (row) {
              rows.push(document.importNode(row, true));
            });
          }
        });
        rows.forEach(function (row) { body.appendChild(row); });
        number(body);
      });
      nav.hidden = true;
      document.dispatchEvent(new CustomEvent("dossier:rows"));
    });
    return loading;
  }

  // Sorts by the column of the clicked header button; a second click reverses the order.
  // Empty values (not disclosed) always go last; ties keep the original order.
  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) return;
    var headers = Array.prototype.slice.call(head.cells);
    number(body);
    headers.forEach(function (th, index) {
      var button = th.querySelector("button.sort");
      if (!button) return;
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        var sign = dir === "ascending" ? 1 : -1;
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        loadAll().then(function () {
          collator = collator || new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = sortValue(a, index), y = sortValue(b, index);
            if (x === "" && y !== "") return 1;
            if (y === "" && x !== "") return -1;
            return sign * collator.compare(x, y) || a.dataset.index - b.dataset.index;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  // Hides the founders that do not match every chosen filter and updates the live count.
  // The choice is kept in the address (?sector=...&employer=...&city=...).
  function makeFilterable(form) {
    var table = document.getElementById("founders-table");
    var status = document.getElementById("founders-count");
    if (!table || !status) return;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var template = status.getAttribute("data-template") || "{n} / {total}";

    function apply(updateUrl) {
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (s) {
          return !s.value || row.getAttribute("data-" + s.dataset.filter) === s.value;
        });
        row.hidden = !match;
        if (match) shown += 1;
      });
      // Until the other pages are loaded, the list's size is the server's count.
      var total = nav && !nav.hidden ? status.getAttribute("data-total") || rows.length : rows.length;
      status.textContent = template.replace("{n}", shown).replace("{total}", total);
      if (updateUrl && window.history && history.replaceState) {
        var params = new URLSearchParams(location.search);
        selects.forEach(function (s) {
          if (s.value) params.set(s.name, s.value); else params.delete(s.name);
        });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    function filtering() {
      return selects.some(function (s) { return s.value; });
    }

    // The whole list is loaded before the first filter applies to it.
    function run(updateUrl) {
      if (filtering() && nav && !nav.hidden) {
        status.textContent = status.getAttribute("data-loading") || "";
        loadAll().then(function () { apply(updateUrl); }, function () { apply(updateUrl); });
      } else {
        apply(updateUrl);
      }
    }

    var initial = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var v = initial.get(s.name);
      if (v && s.querySelector('option[value="' + CSS.escape(v) + '"]')) s.value = v;
    });
    form.addEventListener("change", function () { run(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { run(true); }, 0); });
    document.addEventListener("dossier:rows", function () { apply(false); });
    form.hidden = false;
    run(false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  var form = document.getElementById("founders-filters");
  if (form) makeFilterable(form);
})();
