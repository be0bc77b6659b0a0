/* MathJax for the book's pages: only the components a page needs, and no long task (DESIGN.md,
   item 13). tools/sphinx_lean_pages.py inlines this file in place of the <script> tag that loaded
   MathJax's startup.js, whose URL it gets from the data-mathjax attribute. (It lives in tools/,
   not _static/: Jupyter Book adds every script in _static/ to every page.)

   - Components: startup.js (MathJax's loader) brings the TeX input, the CHTML output and assistive
     MathML for screen readers, in several smaller scripts (each evaluated in its own short task),
     without the 426 KB context menu of the combined tex-chtml.js.
   - Loading: MathJax is fetched once maths comes within two screens of the reader; a page whose
     maths is further down (or that has none) costs nothing until the reader scrolls towards it.
   - Typesetting: the maths on the first screen in one go (one reflow, while the page is still
     being laid out); the rest when it comes within a screen of the reader, and, once
     the reader scrolls or presses a key, all of it in the background, in slices of a few
     milliseconds (typesetting a chapter at once was a long task of over a second on a phone).
   - MathJax.startup.promise resolves once the first screen is typeset; gradlabTypesetAll()
     typesets whatever is left and returns a promise of the fully typeset page (tests, printing).
*/
(function () {
  var config = (window.MathJax = window.MathJax || {});
  var startup = (config.startup = config.startup || {});
  var loader = (config.loader = config.loader || {});
  loader.load = (loader.load || []).concat(["input/tex", "output/chtml", "a11y/assistive-mml"]);
  startup.typeset = false;

  var SELECTOR = ".math, .output.text_latex, .tex2jax_process, .mathjax_process";
  // inline maths keeps its room, TeX hidden, until typeset (custom.css); not if MathJax fails
  var root = document.documentElement;
  root.classList.add("gl-math-pending");
  function typesetDone(el) { el.classList.add("gl-typeset"); tabStops(el); }
  var SLICE_MS = 6;
  var pending = [];          // maths not typeset yet, in document order
  var queue = Promise.resolve();
  var observer = null;
  var everything = null;     // the promise of gradlabTypesetAll()

  function mathElements() {
    // outer containers only (an element inside another one is typeset with it)
    return Array.prototype.slice.call(document.querySelectorAll(SELECTOR)).filter(function (el) {
      return !(el.parentElement && el.parentElement.closest(SELECTOR));
    });
  }

  function near(el, screens) {
    var box = el.getBoundingClientRect();
    var height = window.innerHeight || 800;
    return box.bottom > -height * screens && box.top < height * (1 + screens);
  }

  function yieldToBrowser() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

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

  // Typeset the given elements (those still pending), a few at a time with the browser free to
  // paint and answer the reader in between. Calls are chained: one typesetting at a time.
  function typeset(elements) {
    queue = queue.then(function () {
      var todo = elements.filter(function (el) { return pending.indexOf(el) >= 0; });
      var batch = 1;
      function next() {
        if (!todo.length) return Promise.resolve();
        var chunk = todo.splice(0, batch);
        chunk.forEach(function (el) {
          pending.splice(pending.indexOf(el), 1);
          if (observer) observer.unobserve(el);
        });
        var start = performance.now();
        return MathJax.typesetPromise(chunk).then(function () {
          chunk.forEach(typesetDone);
          var took = performance.now() - start;
          // grow the batch while a slice stays short, shrink it when one runs long
          if (took < SLICE_MS / 3) batch = Math.min(batch * 2, 16);
          else if (took > SLICE_MS && batch > 1) batch = Math.max(1, Math.floor(batch / 2));
          return yieldToBrowser().then(next);
        });
      }
      return next();
    });
    return queue;
  }

  window.gradlabTypesetAll = function () {
    if (!everything) {
      load();
      everything = ready.then(function () { return typeset(pending.slice()); });
    }
    return everything;
  };

  var markReady;
  var ready = new Promise(function (resolve) { markReady = resolve; });

  startup.pageReady = function () {
    return MathJax.startup.defaultPageReady().then(function () {
      pending = mathElements();
      var first = pending.filter(function (el) { return near(el, 0.25); });
      return (first.length ? MathJax.typesetPromise(first) : Promise.resolve()).then(function () {
        first.forEach(function (el) { pending.splice(pending.indexOf(el), 1); typesetDone(el); });
        markReady();
        if ("IntersectionObserver" in window) {
          observer = new IntersectionObserver(function (entries) {
            var seen = entries.filter(function (e) { return e.isIntersecting; })
              .map(function (e) { return e.target; });
            if (seen.length) typeset(seen);
          }, { rootMargin: "100% 0px" });
          pending.forEach(function (el) { observer.observe(el); });
        } else {
          window.gradlabTypesetAll();
        }
        var timer;
        window.addEventListener("resize", function () {
          clearTimeout(timer);
          timer = setTimeout(function () { mathElements().forEach(tabStops); }, 300);
        });
      });
    });
  };

  // once the reader is reading (scrolls, taps, presses a key, prints), finish the page in the
  // background as soon as MathJax is there
  var reading = false;
  ["scroll", "keydown", "pointerdown", "beforeprint"].forEach(function (type) {
    window.addEventListener(type, function () {
      if (reading) return;
      reading = true;
      ready.then(window.gradlabTypesetAll);
    }, { passive: true, once: true });
  });

  // Load MathJax once maths is within two screens of the reader.
  var script = document.currentScript;
  var src = script && script.getAttribute("data-mathjax");
  var requested = false;
  function load() {
    if (requested || !src) return;
    requested = true;
    var tag = document.createElement("script");
    tag.src = src;
    tag.async = true;
    tag.onerror = function () { root.classList.remove("gl-math-pending"); };
    document.head.appendChild(tag);
  }
  function watch() {
    var all = mathElements();
    if (!all.length) return;
    if (!("IntersectionObserver" in window)) return load();
    var first = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        first.disconnect();
        load();
      }
    }, { rootMargin: "200% 0px" });
    all.forEach(function (el) { first.observe(el); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
