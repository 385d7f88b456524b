// Sortable tables and the founders filters. Progressive enhancement: without this script
// every table is complete and in its original order.
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return (v === null ? cell.textContent : v).trim();
  }

  // Sorts by the column of the clicked header button; a second click reverses the order.
  // Empty values (not disclosed) always go last.
  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) return;
    var headers = Array.prototype.slice.call(head.cells);
    Array.prototype.forEach.call(body.rows, function (row, i) { row.dataset.index = i; });
    headers.forEach(function (th, index) {
      var button = th.querySelector("button.sort");
      if (!button) return;
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        var sign = dir === "ascending" ? 1 : -1;
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
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
  }

  // Hides the founders that do not match every chosen filter and updates the live count.
  // The choice is kept in the address (?sector=...&employer=...&city=...).
  function makeFilterable(form) {
    var table = document.getElementById("founders-table");
    var status = document.getElementById("founders-count");
    if (!table || !status) return;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var template = status.getAttribute("data-template") || "{n} / {total}";

    function apply(updateUrl) {
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (s) {
          return !s.value || row.getAttribute("data-" + s.dataset.filter) === s.value;
        });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = template.replace("{n}", shown).replace("{total}", rows.length);
      if (updateUrl && window.history && history.replaceState) {
        var params = new URLSearchParams(location.search);
        selects.forEach(function (s) {
          if (s.value) params.set(s.name, s.value); else params.delete(s.name);
        });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var initial = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var v = initial.get(s.name);
      if (v && s.querySelector('option[value="' + CSS.escape(v) + '"]')) s.value = v;
    });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.hidden = false;
    apply(false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  var form = document.getElementById("founders-filters");
  if (form) makeFilterable(form);
})();
