// The work page: while the files are checked, poll the API and redraw the status; ask before deleting.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  });
  var status = document.getElementById("work-status");
  if (!status || !status.dataset.poll) return;
  var url = status.dataset.poll;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (work) {
        if (!work) return;
        if (work.status !== "processing") { window.location.reload(); return; }
        work.files.forEach(function (f) {
          var li = status.querySelector('[data-file="' + f.id + '"] .badge');
          // The words change with the colour; the status box is a polite live region, so they are read out.
          var label = status.getAttribute("data-label-" + f.status);
          if (li && li.className !== "badge state-" + f.status) {
            li.className = "badge state-" + f.status;
            if (label) li.textContent = label;
          }
        });
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();
