// Sala's phone layout. The navigation folds behind one "Menu" button, and each table cell gets its column's
// name (data-label) to show when a table's rows become cards; Print buttons appear. Without this script the
// menu stays open, the cards show their values without names and the browser's own Print command prints:
// every page still works. Loaded in <head> (it is tiny) so the folded menu never flashes open.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function foldMenu() {
    var button = document.querySelector(".menu-toggle");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    button.hidden = false;
    function show(open) {
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
  }

  function labelCells() {
    document.querySelectorAll("table.table").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute("data-label") && names[index]) {
            cell.setAttribute("data-label", names[index]);
          }
        });
      });
    });
  }

  function printButtons() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldMenu();
    labelCells();
    printButtons();
  });
})();
