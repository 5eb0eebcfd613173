// Area type-ahead: an <input data-area-search="/areas/search" data-area-levels="commune,village" list="…">
// asks the server for a few matching areas as the officer types and fills its <datalist>. The chosen value is
// the area code; the server checks it again on submit.
(function () {
  "use strict";

  function fill(list, areas) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    areas.forEach(function (area) {
      var option = document.createElement("option");
      option.value = area.code;
      option.textContent = area.label;
      option.label = area.label;
      list.appendChild(option);
    });
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    if (!list) {
      return;
    }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      if (timer) {
        clearTimeout(timer);
      }
      if (text.length < 2 || text === asked || /^[0-9]{8}$/.test(text)) {
        return;
      }
      timer = setTimeout(function () {
        asked = text;
        var url = input.dataset.areaSearch + "?q=" + encodeURIComponent(text) +
          "&levels=" + encodeURIComponent(input.dataset.areaLevels || "");
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { areas: [] }; })
          .then(function (body) { if (asked === text) { fill(list, body.areas || []); } })
          .catch(function () { /* typing the code still works without suggestions */ });
      }, 200);
    });
  }

  document.querySelectorAll("input[data-area-search]").forEach(attach);
})();
