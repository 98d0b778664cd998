// Tables on phones: each cell gets its column's heading in data-label, so that below 600 px the stylesheet can
// stack a row's cells under each other, each with its heading (site.css, "Tables on phones"). The roles keep
// the table's meaning for screen readers once its parts are shown as blocks. A table that still scrolls
// sideways (at any width) gets a tab stop, so that keyboard users can scroll it too.
(function () {
  "use strict";
  function headings(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) return null;
    var labels = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (th) {
      for (var n = 0; n < (th.colSpan || 1); n++) labels.push(th.textContent.replace(/\s+/g, " ").trim());
    });
    return labels;
  }
  function stack(table) {
    var labels = headings(table);
    table.classList.add("stacked");
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      var inHead = row.parentNode.tagName === "THEAD";
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TH") {
          cell.setAttribute("role", inHead || cell.scope === "col" ? "columnheader" : "rowheader");
        } else {
          cell.setAttribute("role", "cell");
        }
        if (!inHead && labels && labels[column] && !cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }
  function scrollable() {
    document.querySelectorAll(".table-wrap, table.table, figure.chart").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.querySelectorAll("table.table").forEach(stack);
  scrollable();
  window.addEventListener("resize", scrollable);
})();
