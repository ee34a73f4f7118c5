// Sorting and filtering for the site's tables. Every page reads fine without it: the tables are
// plain HTML, and this script only adds a filter box and sortable column headings to tables
// marked with the class "sortable". It makes no network request.
(function () {
  "use strict";

  // Reads a cell as a number when it looks like one ("1,234", "95.2%", "3h 05m" stays text).
  function sortKey(cell) {
    var text = (cell.getAttribute("data-sort") || cell.textContent || "").trim();
    var number = text.replace(/,/g, "").replace(/%$/, "");
    if (/^-?\d+(\.\d+)?$/.test(number)) {
      return { number: parseFloat(number), text: text };
    }
    return { number: null, text: text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null) {
      return a.number - b.number;
    }
    if (a.number !== null) {
      return -1;
    }
    if (b.number !== null) {
      return 1;
    }
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }

  function makeSortable(table) {
    var head = table.tHead;
    var body = table.tBodies[0];
    if (!head || !body || table.tBodies.length !== 1) {
      return;
    }
    var headings = head.rows[0].cells;
    Array.prototype.forEach.call(headings, function (heading, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = heading.textContent;
      heading.textContent = "";
      heading.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = heading.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headings, function (other) {
          other.removeAttribute("aria-sort");
        });
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var order = compare(sortKey(x.cells[column]), sortKey(y.cells[column]));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
      });
    });
  }

  function addFilter(table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 10) {
      return;
    }
    var label = document.createElement("label");
    label.className = "filter";
    label.textContent = "Filter rows ";
    var input = document.createElement("input");
    input.type = "search";
    label.appendChild(input);
    table.parentNode.insertBefore(label, table);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      makeSortable(table);
      addFilter(table);
    });
  });
})();
