// Typesets the math pymdownx.arithmatex marks (generic mode: \(...\) in a span, \[...\] in a
// div) with the KaTeX this site serves itself: no other host, so the site works offline.
(function () {
  function typeset(root) {
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      var tex = element.textContent.trim();
      if (!window.katex || tex.length < 4) return;
      var display = element.tagName === "DIV";
      katex.render(tex.slice(2, -2), element, { displayMode: display, throwOnError: false });
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { typeset(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { typeset(document.body); });
  }
})();
