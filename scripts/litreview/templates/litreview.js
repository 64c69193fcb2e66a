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
