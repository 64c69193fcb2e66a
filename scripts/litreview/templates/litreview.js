/* litreview: the tooltips of citations and cross-links.
 *
 * The text comes from a data-lr-tip attribute and is shown with textContent, so whatever a
 * bibliography or a page title holds is displayed as text and never run as HTML, whatever
 * the theme does with title attributes. One tooltip at a time, on hover and on keyboard
 * focus, named by aria-describedby while shown; Escape hides it. Events are delegated to
 * the document, so pages swapped in by Material's instant navigation work too.
 */
(function () {
  "use strict";
  var tip = null;
  var owner = null;

  function hide() {
    if (owner) owner.removeAttribute("aria-describedby");
    if (tip) tip.remove();
    tip = owner = null;
  }

  function place(el) {
    var r = el.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left + r.width / 2 - tip.offsetWidth / 2, width - tip.offsetWidth - 8));
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight - 8 && r.top - tip.offsetHeight - 6 > 0) {
      top = r.top - tip.offsetHeight - 6;
    }
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  function show(el) {
    if (el === owner) return;
    hide();
    var text = el.getAttribute("data-lr-tip");
    if (!text) return;
    tip = document.createElement("div");
    tip.id = "lr-tooltip";
    tip.className = "lr-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = text;
    document.body.appendChild(tip);
    owner = el;
    el.setAttribute("aria-describedby", tip.id);
    place(el);
  }

  function from(event) {
    return event.target instanceof Element ? event.target.closest("[data-lr-tip]") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var el = from(event);
    if (el) show(el);
  });
  document.addEventListener("mouseout", function (event) {
    if (owner && !(event.relatedTarget instanceof Node && owner.contains(event.relatedTarget))) {
      if (from(event) === owner && document.activeElement !== owner) hide();
    }
  });
  document.addEventListener("focusin", function (event) {
    var el = from(event);
    if (el) show(el);
    else hide();
  });
  document.addEventListener("focusout", function (event) {
    if (from(event) === owner) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  window.addEventListener("scroll", function () {
    if (owner) place(owner);
  }, { passive: true });
})();

/* litreview: filtering the References page (title, author, venue, year; year range, type,
 * section, concept), with counts, the state in the address, and a live region saying
 * "N of M works". The index is built with the site (script#lr-works); each keystroke walks
 * it once and changes only the entries whose visibility changes. A long list comes in parts
 * (reference_html.PART entries) laid out only near the screen: a part left empty is hidden and one
 * off screen is sized from what it shows, so 2,500 works stay quick (see LONG_LIST in
 * reference_html.py and the stylesheet).
 */
(function () {
  "use strict";
  var FACETS = ["type", "section", "concept"];
  var ENTRY_EM = 5.1;  // an entry off screen: its contain-intrinsic-size and margin

  function init() {
    var data = document.getElementById("lr-works");
    var form = document.querySelector("form.lr-explore");
    if (!data || !form || form.getAttribute("data-lr-ready")) return;
    form.setAttribute("data-lr-ready", "1");
    var index = JSON.parse(data.textContent);
    var works = [], parts = [], partOf = new Map();
    index.works.forEach(function (w) {
      var el = document.getElementById(w[0]);  // the entry's id, as anchors.anchor made it
      if (!el) return;
      var part = partOf.get(el.parentNode);
      if (!part) {
        part = { el: el.parentNode, sized: el.parentNode.classList.contains("lr-part"), shown: -1, count: 0 };
        partOf.set(part.el, part);
        parts.push(part);
      }
      works.push({
        el: el, part: part, text: w[1], year: w[2], type: [w[3]], shown: true,
        section: w[4].map(function (i) { return index.sections[i]; }),
        concept: w[5].map(function (i) { return index.concepts[i]; })
      });
    });
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".lr-shown");
    var spans = {};
    FACETS.forEach(function (name) {
      spans[name] = {};
      form.querySelectorAll('[data-lr-facet="' + name + '"] .lr-count').forEach(function (span) {
        spans[name][span.getAttribute("data-lr-count")] = span;
      });
    });

    function chosen(name) {
      return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (b) {
        return b.value;
      });
    }

    function state() {
      var s = { q: input.value.trim().toLowerCase(), from: +form.elements.from?.value || 0, to: +form.elements.to?.value || 0 };
      FACETS.forEach(function (name) { s[name] = chosen(name); });
      return s;
    }

    function matches(w, s, words) {
      for (var i = 0; i < words.length; i++) if (w.text.indexOf(words[i]) < 0) return false;
      if (s.from && (!w.year || w.year < s.from)) return false;
      if (s.to && (!w.year || w.year > s.to)) return false;
      for (var f = 0; f < FACETS.length; f++) {
        var want = s[FACETS[f]];
        if (want.length && !want.some(function (v) { return w[FACETS[f]].indexOf(v) >= 0; })) return false;
      }
      return true;
    }

    function address(s) {
      var params = new URLSearchParams();
      if (s.q) params.set("filter", input.value.trim());  // not q: Material opens its search on ?q=
      if (s.from) params.set("from", s.from);
      if (s.to) params.set("to", s.to);
      FACETS.forEach(function (name) { s[name].forEach(function (v) { params.append(name, v); }); });
      var query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function count(w, counts) {
      for (var f = 0; f < FACETS.length; f++) {
        var values = w[FACETS[f]], tally = counts[FACETS[f]];
        for (var v = 0; v < values.length; v++) tally[values[v]] = (tally[values[v]] || 0) + 1;
      }
    }

    function fit(part) {  // hide a part left empty; size one off screen from what it shows
      if (part.count === part.shown) return;
      part.shown = part.count;
      part.el.hidden = part.count === 0;
      if (part.sized) part.el.style.containIntrinsicSize = (part.count * ENTRY_EM).toFixed(1) + "em";
    }

    function apply() {
      var s = state(), words = s.q ? s.q.split(/\s+/) : [], shown = 0, counts = {}, i;
      FACETS.forEach(function (name) { counts[name] = {}; });
      parts.forEach(function (part) { part.count = 0; });
      for (i = 0; i < works.length; i++) {
        var w = works[i], ok = matches(w, s, words);
        if (ok !== w.shown) { w.el.hidden = !ok; w.shown = ok; }
        if (!ok) continue;
        shown++;
        w.part.count++;
        count(w, counts);
      }
      parts.forEach(fit);
      FACETS.forEach(function (name) {
        Object.keys(spans[name]).forEach(function (v) { spans[name][v].textContent = "(" + (counts[name][v] || 0) + ")"; });
      });
      status.textContent = shown + " of " + works.length + " works";
      address(s);
    }

    var params = new URLSearchParams(location.search);
    input.value = params.get("filter") || "";
    ["from", "to"].forEach(function (name) { if (form.elements[name]) form.elements[name].value = params.get(name) || ""; });
    FACETS.forEach(function (name) {
      var wanted = params.getAll(name);
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
    });
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    document.querySelectorAll(".lr-chart a[data-lr-year]").forEach(function (bar) {
      bar.addEventListener("click", function (event) {
        event.preventDefault();
        var year = bar.getAttribute("data-lr-year");
        form.elements.from.value = year;
        form.elements.to.value = year;
        apply();
        form.querySelector(".lr-facets").open = true;  // the year chosen shows in the range
      });
    });
    if (location.search) apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* litreview: the studies and summary-of-findings tables (div.lr-data-table): each column sorts
 * by a button in its header (aria-sort says how), and the filter hides the rows that don't hold
 * every word typed, saying "N of M rows" in a live region. Values are read as text only.
 */
(function () {
  "use strict";

  function value(cell) {
    return cell.getAttribute("data-lr-sort") || cell.textContent.trim();
  }

  function number(text) {  // 120, 1,200, 0.25, [3] (a numbered citation); else NaN
    var found = /^\[?(-?\d+(?:\.\d+)?)\]?$/.exec(text.replace(/,/g, ""));
    return found ? parseFloat(found[1]) : NaN;
  }

  function compare(a, b) {
    var x = number(a), y = number(b);
    if (!isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortable(box) {
    var table = box.querySelector("table.lr-sortable");
    var body = table && table.tBodies[0];
    if (!body) return;
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "lr-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r, s) {
          var order = compare(value(r.cells[column]), value(s.cells[column]));
          return up ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    var label = box.querySelector(".lr-table-filter");
    var input = label && label.querySelector("input");
    var status = box.querySelector(".lr-shown");
    if (!input) return;
    label.hidden = false;
    var name = "filter-" + box.getAttribute("data-lr-table");  // kept in the address, as the References filter is

    function apply() {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = words.length ? shown + " of " + body.rows.length + " rows" : "";
      var params = new URLSearchParams(location.search);
      if (words.length) params.set(name, input.value.trim()); else params.delete(name);
      var query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    input.value = new URLSearchParams(location.search).get(name) || "";
    input.addEventListener("input", apply);
    if (input.value) apply();
  }

  function init() {
    document.querySelectorAll("div.lr-data-table:not([data-lr-ready])").forEach(function (box) {
      box.setAttribute("data-lr-ready", "1");
      sortable(box);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
