// The product page: the chosen colour's mockup is shown large, the other colours as thumbnails to click.
// Without JavaScript every mockup is shown, one under the other.
(function () {
  "use strict";
  var gallery = document.getElementById("product-gallery");
  if (!gallery) return;
  var figures = Array.prototype.slice.call(gallery.querySelectorAll("figure"));
  if (figures.length < 2) return;
  var select = document.getElementById("id_variant");
  gallery.classList.add("js");
  function show(figure) {
    figures.forEach(function (f) { f.classList.toggle("current", f === figure); });
  }
  figures.forEach(function (figure) {
    figure.addEventListener("click", function () { show(figure); });
  });
  if (!select) return;
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    var colour = option ? option.getAttribute("data-colour") : null;
    var match = figures.filter(function (f) { return f.getAttribute("data-colour") === colour; })[0];
    if (match) show(match);
  });
})();
