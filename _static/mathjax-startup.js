/* MathJax: only the components a page needs, typesetting in short slices (DESIGN.md, item 13).
   The pages load MathJax's startup.js (its loader) instead of the combined tex-chtml.js: the same
   TeX input, CHTML output and assistive MathML for screen readers, without the 426 KB context
   menu, in several smaller scripts (each is evaluated in its own short task).
   Typesetting a chapter's maths at once is one long task (over a second on a phone) that blocks
   the reader's taps and scrolling. Here the maths on the first screen is typeset in one go (one
   reflow, while the page is still being laid out), the rest in slices of about 10 ms in document
   order, mostly below the screen where a reflow moves nothing the reader sees.
   MathJax itself is loaded only when maths comes within two screens of the reader (below).
   MathJax.startup.promise resolves when all of it is typeset. tools/sphinx_lean_pages.py inlines
   this file in place of the <script> tag that loaded startup.js, whose URL it gets from the
   data-mathjax attribute. */
(function () {
  var config = (window.MathJax = window.MathJax || {});
  var startup = (config.startup = config.startup || {});
  var SLICE_MS = 10;
  var loader = (config.loader = config.loader || {});
  loader.load = (loader.load || []).concat(["input/tex", "output/chtml", "a11y/assistive-mml"]);
  startup.typeset = false;

  function yieldToBrowser() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function onFirstScreen(el) {
    var box = el.getBoundingClientRect();
    return box.bottom > 0 && box.top < (window.innerHeight || 800) * 1.25;
  }

  function typesetInSlices(elements) {
    var i = 0;
    var batch = 1;
    function next() {
      if (i >= elements.length) return Promise.resolve();
      var start = performance.now();
      var chunk = elements.slice(i, i + batch);
      i += chunk.length;
      return MathJax.typesetPromise(chunk).then(function () {
        chunk.forEach(tabStops);
        var took = performance.now() - start;
        // grow the batch while a slice stays short, shrink it when one runs long
        if (took < SLICE_MS / 3) batch = Math.min(batch * 2, 32);
        else if (took > SLICE_MS && batch > 1) batch = Math.max(1, Math.floor(batch / 2));
        return yieldToBrowser().then(next);
      });
    }
    return next();
  }

  startup.pageReady = function () {
    return MathJax.startup.defaultPageReady().then(function () {
      var all = mathElements();
      var first = all.filter(onFirstScreen);
      var rest = all.filter(function (el) { return first.indexOf(el) < 0; });
      return (first.length ? MathJax.typesetPromise(first) : Promise.resolve())
        .then(function () { first.forEach(tabStops); return typesetInSlices(rest); })
        .then(function () {
          var timer;
          window.addEventListener("resize", function () {
            clearTimeout(timer);
            timer = setTimeout(function () { all.forEach(tabStops); }, 300);
          });
        });
    });
  };

  // A display formula wider than the column scrolls sideways: keyboard users must be able to
  // reach it (WCAG 2.1.1; the theme does this for code blocks, not for maths).
  function tabStops(el) {
    var boxes = el.querySelectorAll('mjx-container[display="true"]');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    }
  }

  var SELECTOR = ".math, .output.text_latex, .tex2jax_process, .mathjax_process";
  function mathElements() {
    // outer containers only (an element inside another one is typeset with it)
    return Array.prototype.slice.call(document.querySelectorAll(SELECTOR)).filter(function (el) {
      return !(el.parentElement && el.parentElement.closest(SELECTOR));
    });
  }

  // Load MathJax once maths is within two screens of the reader, not before: a page whose maths
  // is further down (or that has none) costs nothing until the reader scrolls towards it.
  var script = document.currentScript;
  var src = script && script.getAttribute("data-mathjax");
  var requested = false;
  function load() {
    if (requested || !src) return;
    requested = true;
    var tag = document.createElement("script");
    tag.src = src;
    tag.async = true;
    document.head.appendChild(tag);
  }
  function watch() {
    var all = mathElements();
    if (!all.length) return;
    if (!("IntersectionObserver" in window)) return load();
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        observer.disconnect();
        load();
      }
    }, { rootMargin: "200% 0px" });
    all.forEach(function (el) { observer.observe(el); });
    window.addEventListener("beforeprint", load);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
