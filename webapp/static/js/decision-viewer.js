/* Shows one decision table read-only with dmn-js; the XML comes from data-dmn-url. */
(function () {
  "use strict";
  var canvasEl = document.getElementById("dmn-canvas");
  var statusEl = document.getElementById("bpmn-status");
  if (!canvasEl || !window.DmnJS) { return; }
  fetch(canvasEl.getAttribute("data-dmn-url"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    })
    .then(function (xml) {
      var viewer = new window.DmnJS({ container: canvasEl });
      return viewer.importXML(xml).then(function () {
        // Open the decision table itself rather than the requirements diagram.
        var table = viewer.getViews().filter(function (view) { return view.type === "decisionTable"; })[0];
        return table ? viewer.open(table) : null;
      });
    })
    .then(function () { canvasEl.setAttribute("data-ready", "true"); })
    .catch(function (error) {
      if (statusEl) { statusEl.textContent = error.message; statusEl.classList.add("is-error"); }
    });
}());
