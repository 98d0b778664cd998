// The work page: while the files are checked, poll the API and redraw the status; ask before deleting.
// Screen readers hear each change through the page's live region (#work-status-announce): a file's new status,
// and the work's status when the page opens after an upload or after the checks ended (the page reloads then).
(function () {
  "use strict";
  var ARRIVED = "inspiracle.work-status-announce";  // set by upload.js and before the reload below
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  });
  var status = document.getElementById("work-status");
  var live = document.getElementById("work-status-announce");
  if (!status) return;
  function announce(lines) {
    if (!live) return;
    // A live region reads a change, not what the page loaded with: write it once the page has settled. Each
    // line its own paragraph, so that a screen reader pauses between them.
    live.replaceChildren();
    window.setTimeout(function () {
      live.replaceChildren.apply(live, lines.map(function (line) {
        var p = document.createElement("p");
        p.textContent = line.replace(/\s+/g, " ").trim();
        return p;
      }));
    }, 300);
  }
  function remember(flag) {
    try { if (flag) window.sessionStorage.setItem(ARRIVED, window.location.pathname); else window.sessionStorage.removeItem(ARRIVED); }
    catch (err) { /* storage refused (private mode): the status is still on the page, only not read out */ }
  }
  var arrived = null;
  try { arrived = window.sessionStorage.getItem(ARRIVED); } catch (err) { arrived = null; }
  if (arrived === window.location.pathname) {
    remember(false);
    // "Status: Awaiting review", then what it means and what to do next.
    var summary = document.getElementById("work-status-summary");
    var badge = summary && summary.querySelector(".badge");
    if (badge) {
      var head = summary.querySelector("strong");
      var rest = summary.textContent.slice(summary.textContent.indexOf(badge.textContent) + badge.textContent.length);
      var said = head ? head.textContent.trim() : "";
      said += said && !/\uFF1A$/.test(said) ? " " : "";  // no space after a full-width colon
      announce([said + badge.textContent, rest].filter(function (l) { return l.trim(); }));
    }
  }
  if (!status.dataset.poll) return;
  var url = status.dataset.poll;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (work) {
        if (!work) return;
        // The checks ended: the page shows the outcome and what to do next, and says it on arrival.
        if (work.status !== "processing") { remember(true); window.location.reload(); return; }
        var said = [];
        work.files.forEach(function (f) {
          var item = status.querySelector('[data-file="' + f.id + '"]');
          var badge = item && item.querySelector(".badge");
          var label = status.getAttribute("data-label-" + f.status);
          if (badge && badge.className !== "badge state-" + f.status) {
            badge.className = "badge state-" + f.status;  // the words change with the colour
            if (label) {
              badge.textContent = label;
              var name = item.querySelector(".name");
              said.push((name ? name.textContent + (status.dataset.separator || ": ") : "") + label);
            }
          }
        });
        if (said.length) announce([said.join(status.dataset.listSeparator || ", ")]);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();
