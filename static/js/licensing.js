// The licensing terms form, enhanced: only the amounts the chosen fee model needs are shown, and "All" in a
// scope list stands alone. Without this script every field is shown and the server ignores unneeded amounts.
(function () {
  "use strict";
  var NEEDS = { flat: ["flat_fee"], royalty: ["royalty_percent"], guarantee_royalty: ["minimum_guarantee", "royalty_percent"] };
  var AMOUNTS = ["flat_fee", "minimum_guarantee", "royalty_percent"];
  function box(name) {
    var input = document.querySelector("form.terms-form [name='" + name + "']");
    return input && input.closest(".field");
  }
  function showAmounts() {
    var chosen = document.querySelector("form.terms-form input[name='fee_model']:checked");
    var needed = chosen ? NEEDS[chosen.value] || AMOUNTS : AMOUNTS;
    AMOUNTS.forEach(function (name) {
      var field = box(name);
      if (field) field.hidden = needed.indexOf(name) < 0 && !field.classList.contains("invalid");
    });
  }
  document.querySelectorAll("form.terms-form input[name='fee_model']").forEach(function (radio) {
    radio.addEventListener("change", showAmounts);
  });
  showAmounts();
  document.querySelectorAll("form.terms-form .choices").forEach(function (list) {
    var all = list.querySelector("input[type=checkbox][value='all']");
    if (!all) return;
    list.addEventListener("change", function (e) {
      if (e.target.type !== "checkbox" || !e.target.checked) return;
      list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (e.target === all ? box !== all : box === all) box.checked = false;
      });
    });
  });
})();
