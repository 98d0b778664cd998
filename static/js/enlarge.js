// The work page: a picture opens enlarged in a dialog (works/detail.html); without script, its link opens the
// picture itself. Esc, the Close button or a click beside the picture closes it; "Full size" shows it unscaled.
(function () {
  "use strict";
  var box = document.getElementById("lightbox");
  if (!box || typeof box.showModal !== "function") return;
  var img = box.querySelector("img");
  var full = box.querySelector("[data-full]");
  var opener = null;

  function setFull(on) {
    box.classList.toggle("full", on);
    full.setAttribute("aria-pressed", on ? "true" : "false");
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-enlarge]");
    if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    opener = link;
    var small = link.querySelector("img");
    img.alt = small ? small.alt : "";
    img.src = link.href;
    setFull(false);
    box.showModal();
  });
  full.addEventListener("click", function () { setFull(!box.classList.contains("full")); });
  box.addEventListener("click", function (e) { if (e.target === box) box.close(); });
  box.addEventListener("close", function () {
    img.removeAttribute("src");
    if (opener) opener.focus();
  });
})();
