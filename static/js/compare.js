// Two matched pictures side by side at full size (works/_compare.html): zoom with the buttons or the keys + - 0,
// scroll both together or each on its own; the region outline is sized with its picture, so it stays in place.
(function () {
  "use strict";
  var STEPS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

  function setUp(box) {
    var panes = Array.prototype.slice.call(box.querySelectorAll(".compare-pane"));
    var images = Array.prototype.slice.call(box.querySelectorAll(".compare-pane img"));
    var level = box.querySelector(".compare-level");
    var sync = box.querySelector("[data-sync]");
    var zoom = 1;
    var leading = null;

    function keepCentre(change) {
      var centres = panes.map(function (p) {
        return [
          (p.scrollLeft + p.clientWidth / 2) / Math.max(p.scrollWidth, 1),
          (p.scrollTop + p.clientHeight / 2) / Math.max(p.scrollHeight, 1)
        ];
      });
      change();
      panes.forEach(function (p, i) {
        p.scrollLeft = centres[i][0] * p.scrollWidth - p.clientWidth / 2;
        p.scrollTop = centres[i][1] * p.scrollHeight - p.clientHeight / 2;
      });
    }

    function apply() {
      images.forEach(function (img) {
        if (img.naturalWidth) img.style.width = Math.max(1, Math.round(img.naturalWidth * zoom)) + "px";
      });
      level.textContent = Math.round(zoom * 100) + "%";
    }

    function set(value) {
      zoom = Math.min(STEPS[STEPS.length - 1], Math.max(STEPS[0], value));
      keepCentre(apply);
    }

    function fit() {
      var scales = images.filter(function (img) { return img.naturalWidth; }).map(function (img) {
        var pane = img.closest(".compare-pane");
        return Math.min(pane.clientWidth / img.naturalWidth, pane.clientHeight / img.naturalHeight);
      });
      if (scales.length) set(Math.min.apply(null, scales));
    }

    function step(direction) {
      var next = direction > 0
        ? STEPS.filter(function (s) { return s > zoom * 1.001; })[0]
        : STEPS.filter(function (s) { return s < zoom / 1.001; }).pop();
      if (next !== undefined) set(next);
    }

    box.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.dataset.zoom;
        if (how === "in") step(1);
        else if (how === "out") step(-1);
        else if (how === "fit") fit();
        else set(1);
      });
    });
    box.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "+" || e.key === "=") step(1);
      else if (e.key === "-" || e.key === "_") step(-1);
      else if (e.key === "0") set(1);
      else return;
      e.preventDefault();
    });
    images.forEach(function (img) {
      if (!img.complete) img.addEventListener("load", apply);
    });
    panes.forEach(function (pane) {
      pane.addEventListener("scroll", function () {
        if (!sync.checked || (leading && leading !== pane)) return;
        leading = pane;
        var x = pane.scrollLeft / Math.max(pane.scrollWidth - pane.clientWidth, 1);
        var y = pane.scrollTop / Math.max(pane.scrollHeight - pane.clientHeight, 1);
        panes.forEach(function (other) {
          if (other === pane) return;
          other.scrollLeft = x * (other.scrollWidth - other.clientWidth);
          other.scrollTop = y * (other.scrollHeight - other.clientHeight);
        });
        window.requestAnimationFrame(function () { window.requestAnimationFrame(function () { leading = null; }); });
      });
    });
    apply();
  }

  document.querySelectorAll("[data-compare]").forEach(function (button) {
    var box = document.getElementById(button.dataset.compare);
    if (!box || typeof box.showModal !== "function") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!box.dataset.ready) { box.dataset.ready = "1"; setUp(box); }
      box.showModal();
    });
    box.addEventListener("close", function () { button.focus(); });
  });
})();
