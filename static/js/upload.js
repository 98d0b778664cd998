// The upload page: drag and drop, one progress bar per file while the form is sent, errors in place.
// Without JavaScript the same form posts to the page and works the same way, minus the progress bars.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var input = document.getElementById("files");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("file-list");
  var chosen = [];

  // "0.0 MB" says nothing about a small file: kilobytes below a megabyte, bytes below a kilobyte.
  function size(bytes) {
    if (bytes < 1e3) return bytes + " B";
    if (bytes < 1e6) return Math.round(bytes / 1e3) + " KB";
    return (bytes / 1e6).toFixed(1) + " MB";
  }
  function render() {
    list.textContent = "";
    chosen.forEach(function (file, i) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = file.name + " (" + size(file.size) + ")";
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0; bar.id = "progress-" + i;
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "link"; remove.textContent = "×";
      remove.setAttribute("aria-label", (form.dataset.removeLabel || "Remove") + " " + file.name);
      remove.addEventListener("click", function () { chosen.splice(i, 1); render(); });
      li.append(name, bar, remove);
      list.appendChild(li);
    });
  }
  function add(files) {
    for (var i = 0; i < files.length; i++) chosen.push(files[i]);
    render();
  }
  input.addEventListener("change", function () { add(input.files); input.value = ""; });
  // Files chosen before this script ran (a slow connection) count too.
  if (input.files && input.files.length) { add(input.files); input.value = ""; }
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { add(e.dataTransfer.files); });

  function showErrors(error) {
    form.querySelectorAll(".error.js, .errors.js").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".invalid").forEach(function (el) { el.classList.remove("invalid"); });
    list.querySelectorAll("progress").forEach(function (bar) { bar.value = 0; });
    var top = document.createElement("div");
    top.className = "errors js"; top.setAttribute("role", "alert");
    top.textContent = error.message;
    form.prepend(top);
    Object.keys(error.fields || {}).forEach(function (field) {
      var el = form.querySelector('[name="' + field + '"]') || input;
      var box = el.closest(".field") || zone;
      box.classList.add("invalid");
      error.fields[field].forEach(function (msg) {
        var p = document.createElement("p");
        p.className = "error js"; p.textContent = msg;
        box.appendChild(p);
      });
    });
    top.scrollIntoView({ block: "center" });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var data = new FormData(form);
    data.delete("files");
    chosen.forEach(function (file) { data.append("files", file, file.name); });
    // Checkboxes are sent as true/false, as the API expects, not as "on" or absent.
    form.querySelectorAll('input[type="checkbox"]').forEach(function (box) { data.set(box.name, box.checked ? "true" : "false"); });
    var tags = data.get("tags"); data.delete("tags");
    String(tags || "").split(/[,，]/).map(function (t) { return t.trim(); }).filter(Boolean)
      .forEach(function (t) { data.append("tags", t); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.api);
    xhr.setRequestHeader("X-CSRFToken", data.get("csrfmiddlewaretoken"));
    xhr.setRequestHeader("Accept", "application/json");
    // Files travel in order, so the bytes sent so far tell how far along each file is.
    xhr.upload.addEventListener("progress", function (ev) {
      var offset = 0;
      chosen.forEach(function (file, i) {
        var bar = document.getElementById("progress-" + i);
        if (bar) bar.value = Math.max(0, Math.min(100, ((ev.loaded - offset) / Math.max(file.size, 1)) * 100));
        offset += file.size;
      });
    });
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    xhr.onload = function () {
      button.disabled = false;
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 201 && body.url) {
        // The work page reads its status out on arrival (work.js).
        try { window.sessionStorage.setItem("inspiracle.work-status-announce", new URL(body.url, window.location.href).pathname); }
        catch (err) { /* storage refused: the status is still on the page */ }
        window.location.assign(body.url);
        return;
      }
      showErrors(body.error || { message: xhr.status + " " + xhr.statusText, fields: {} });
    };
    xhr.onerror = function () {
      button.disabled = false;
      showErrors({ message: form.dataset.networkError || "The connection failed; try again.", fields: {} });
    };
    xhr.send(data);
  });
})();
