// The shop studio, enhanced. On the make-product form: a slider beside each placement number, only the chosen
// product's sizes and colours, a live preview of the picture in the print area with its print resolution (the
// same rule as inspiracle/shop/mockups.py), the price floor and each variant's margin. On a product's page: the
// mockups being rendered are polled until none is pending. Without this script the form still works, and the
// server answers with the same warning and problems.
(function () {
  "use strict";
  var MM_PER_INCH = 25.4, TOLERANCE = 0.005, MAX_SCALE = 4;

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  });

  function yuan(fen) {
    var sign = fen < 0 ? "-" : "", abs = Math.abs(fen), cents = abs % 100;
    return sign + "¥" + Math.floor(abs / 100).toLocaleString("en") + "." + (cents < 10 ? "0" : "") + cents;
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  }
  function numbers(text) { return text.split(",").map(Number); }

  function productForm(form) {
    var preview = document.getElementById("product-preview");
    var canvas = preview.querySelector("canvas"), ctx = canvas.getContext("2d");
    var works = form.querySelector("select[name=work]");
    var priceInput = form.querySelector("input[name=price]"), floorOut = form.querySelector(".price-floor");
    var templateImg = new Image(), pictureImg = new Image();
    templateImg.onload = pictureImg.onload = draw;

    ["x", "y", "scale"].forEach(function (name) {
      var number = form.querySelector("input[name=" + name + "]"), label = form.querySelector("label[for=" + number.id + "]");
      var range = document.createElement("input");
      range.type = "range";
      range.min = number.min; range.max = number.max; range.step = number.step; range.value = number.value;
      range.className = "range";
      if (label) range.setAttribute("aria-label", label.textContent.replace(/:\s*$/, ""));
      number.parentNode.insertBefore(range, number);
      range.addEventListener("input", function () { number.value = range.value; update(); });
      number.addEventListener("input", function () { if (number.value !== "") range.value = number.value; });
    });

    function chosenType() { return form.querySelector("input[name=product_type]:checked"); }
    function chosenVariants() {
      return Array.prototype.slice.call(form.querySelectorAll("input[name=variants]:checked:not(:disabled)"));
    }
    function value(name) { return parseFloat(form.querySelector("input[name=" + name + "]").value); }
    function load(img, url) { if (url && img.dataset.src !== url) { img.dataset.src = url; img.src = url; } }

    function showVariants() {
      var type = chosenType();
      form.querySelectorAll(".variant-group").forEach(function (group) {
        var on = !!type && group.dataset.type === type.value;
        group.hidden = !on;
        // Disabled boxes are not sent: choices kept for another product do not travel with this one.
        group.querySelectorAll("input").forEach(function (box) { box.disabled = !on; });
      });
    }

    function strokeBox(box, k, bad) {
      ctx.save();
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 2;
      ctx.strokeStyle = bad ? "#c0262d" : "#6a3df0";
      ctx.strokeRect(box[0] * k, box[1] * k, box[2] * k, box[3] * k);
      ctx.restore();
    }

    function say(text, isError) {
      var out = preview.querySelector(".live-warning");
      out.textContent = text;
      out.hidden = !text;
      out.classList.toggle("error", !!isError);
    }

    function draw() {
      var type = chosenType(), option = works.options[works.selectedIndex];
      var variants = chosenVariants();
      load(templateImg, variants.length ? variants[0].dataset.art : type && type.dataset.art);
      load(pictureImg, option && option.dataset.preview);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (templateImg.complete && templateImg.naturalWidth) ctx.drawImage(templateImg, 0, 0, canvas.width, canvas.height);
      if (!type || !option) return;
      var k = canvas.width / Number(preview.dataset.templateSize);
      var box = numbers(type.dataset.box), mm = numbers(type.dataset.mm), dpi = Number(type.dataset.dpi);
      var pw = Number(option.dataset.width), ph = Number(option.dataset.height);
      var x = value("x") / 100, y = value("y") / 100, scale = value("scale") / 100;
      var dpiOut = preview.querySelector(".dpi");
      if (!(scale > 0 && scale <= MAX_SCALE) || !isFinite(x) || !isFinite(y) || !(pw > 0 && ph > 0)) {
        strokeBox(box, k, true);
        dpiOut.textContent = "";
        say(preview.dataset.outside, true);
        return;
      }
      var w = scale * box[2] * k, h = w * ph / pw, cx = (box[0] + x * box[2]) * k, cy = (box[1] + y * box[3]) * k;
      if (pictureImg.complete && pictureImg.naturalWidth) {
        // Faint where it would be cut off, full inside the print area: as the printer cuts it at the edge.
        ctx.save();
        ctx.globalAlpha = 0.3;
        ctx.drawImage(pictureImg, cx - w / 2, cy - h / 2, w, h);
        ctx.restore();
        ctx.save();
        ctx.beginPath();
        ctx.rect(box[0] * k, box[1] * k, box[2] * k, box[3] * k);
        ctx.clip();
        ctx.drawImage(pictureImg, cx - w / 2, cy - h / 2, w, h);
        ctx.restore();
      }
      var widthMm = mm[0] * scale, heightMm = widthMm * ph / pw, centreX = x * mm[0], centreY = y * mm[1];
      var tolX = mm[0] * TOLERANCE, tolY = mm[1] * TOLERANCE;
      var outside = x < 0 || x > 1 || y < 0 || y > 1 ||
        widthMm > mm[0] * (1 + TOLERANCE) || heightMm > mm[1] * (1 + TOLERANCE) ||
        widthMm / 2 - centreX > tolX || centreX + widthMm / 2 - mm[0] > tolX ||
        heightMm / 2 - centreY > tolY || centreY + heightMm / 2 - mm[1] > tolY;
      strokeBox(box, k, outside);
      var exact = pw / (widthMm / MM_PER_INCH), values = { reached: Math.floor(exact + 1e-9), needed: dpi };
      dpiOut.textContent = fill(preview.dataset.dpiText, values);
      if (outside) say(preview.dataset.outside, true);
      else say(exact + 1e-9 < dpi ? fill(preview.dataset.warning, values) : "", false);
    }

    function price() {
      var type = chosenType(), fen = Math.round(parseFloat(priceInput.value) * 100);
      var minMargin = type ? Number(type.dataset.minMargin) : 0, chosen = chosenVariants();
      form.querySelectorAll("input[name=variants]").forEach(function (box) {
        var out = box.parentNode.querySelector("output.margin");
        if (!box.checked || box.disabled || !isFinite(fen)) { out.textContent = ""; return; }
        var margin = fen - Number(box.dataset.base);
        out.textContent = "· " + fill(floorOut.dataset.earn, { margin: yuan(margin) });
        out.classList.toggle("error", margin < minMargin);
      });
      if (!type || !chosen.length) { floorOut.textContent = ""; return; }
      var dearest = Math.max.apply(null, chosen.map(function (box) { return Number(box.dataset.base); }));
      floorOut.textContent = fill(floorOut.dataset.text, { floor: yuan(dearest + minMargin) });
      floorOut.classList.toggle("error", isFinite(fen) && fen < dearest + minMargin);
    }

    function update() { showVariants(); draw(); price(); }
    form.addEventListener("change", update);
    form.addEventListener("input", function () {
      // What the server said was about the values sent; from now on the live check speaks.
      form.querySelectorAll(".server-warning").forEach(function (old) { old.hidden = true; });
      draw();
      price();
    });
    preview.hidden = false;
    update();
  }

  var form = document.getElementById("product-form");
  if (form && document.getElementById("product-preview")) productForm(form);

  var mockups = document.getElementById("studio-mockups");
  if (mockups && mockups.dataset.poll) {
    var url = mockups.dataset.poll;
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (product) {
          if (!product) return;
          var pending = product.mockups.some(function (m) { return m.status === "pending"; });
          if (!pending) { window.location.reload(); return; }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 4000); });
    };
    window.setTimeout(poll, 1000);
  }
})();
