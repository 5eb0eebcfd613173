/* Sala's process modeler: loads a diagram into bpmn-js (viewer or modeler), edits Sala's properties on the
   selected element, saves drafts with the CSRF token, and marks the elements publishing refused.
   Roles, forms, letters, calendars and element names are shown by their labels in the reader's language,
   from the JSON the page carries (data-labels); a read-only diagram can be shown with its Khmer names.
   No inline script anywhere: every value comes from data-* attributes or a JSON endpoint. */
(function () {
  "use strict";

  var SPIFF = "spiffworkflow:";
  var DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
  var DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?([+-]\d\d:\d\d|Z)$/;
  var HELPER_CALL = /^[a-z_][a-z0-9_]*\(.*\)$/;

  var canvasEl = document.getElementById("bpmn-canvas");
  var statusEl = document.getElementById("bpmn-status");
  var panel = document.getElementById("sala-properties");
  var khmerToggle = document.getElementById("bpmn-khmer");
  if (!canvasEl || !window.BpmnJS) { return; }
  var labels = readLabels();

  function readLabels() {
    var found = {};
    try { found = JSON.parse(canvasEl.getAttribute("data-labels") || "{}"); } catch (err) { found = {}; }
    ["roles", "forms", "letters", "calendars", "types", "names", "khmer"].forEach(function (key) {
      found[key] = found[key] || {};
    });
    return found;
  }

  function labelOf(kind, value) {
    return Object.prototype.hasOwnProperty.call(labels[kind], value) ? labels[kind][value] : value;
  }

  function say(text, isError) {
    if (!statusEl) { return; }
    statusEl.textContent = text;
    statusEl.classList.toggle("is-error", Boolean(isError));
  }

  function label(key) { return panel ? panel.getAttribute("data-label-" + key) || key : key; }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + url); }
      return r.json();
    });
  }

  function getText(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + url); }
      return r.text();
    });
  }

  /* ---- Extension properties: <spiffworkflow:properties><spiffworkflow:property name value/> ---- */

  function propertiesOf(bo) {
    var values = bo.extensionElements ? bo.extensionElements.get("values") : [];
    for (var i = 0; i < values.length; i++) {
      if (values[i].$type === SPIFF + "Properties") { return values[i]; }
    }
    return null;
  }

  function getProperty(bo, name) {
    var props = propertiesOf(bo);
    var list = props ? props.get("properties") : [];
    for (var i = 0; i < list.length; i++) { if (list[i].name === name) { return list[i].value || ""; } }
    return "";
  }

  function setProperty(modeler, element, name, value) {
    var bo = element.businessObject;
    var moddle = modeler.get("moddle");
    var ext = bo.extensionElements || moddle.create("bpmn:ExtensionElements", { values: [] });
    var props = propertiesOf({ extensionElements: ext });
    if (!props) {
      props = moddle.create(SPIFF + "Properties", { properties: [] });
      props.$parent = ext;
      ext.get("values").push(props);
    }
    var list = props.get("properties");
    var kept = list.filter(function (p) { return p.name !== name; });
    if (value) {
      var prop = moddle.create(SPIFF + "Property", { name: name, value: value });
      prop.$parent = props;
      kept.push(prop);
    }
    list.length = 0;
    Array.prototype.push.apply(list, kept);
    ext.$parent = bo;
    // Through the command stack, so the change counts as an edit (undo, dirty state).
    modeler.get("modeling").updateProperties(element, { extensionElements: ext });
  }

  function getDocumentation(bo) {
    var docs = bo.get("documentation");
    return docs.length ? docs[0].text || "" : "";
  }

  function setDocumentation(modeler, element, text) {
    var bo = element.businessObject;
    var docs = bo.get("documentation").slice();
    if (docs.length) { docs[0].text = text; }
    else if (text) { docs.push(modeler.get("moddle").create("bpmn:Documentation", { text: text })); }
    modeler.get("modeling").updateProperties(element, { documentation: docs });
  }

  /* ---- Timers: the expression is Python, so an ISO value is written quoted ---- */

  function timerOf(bo) {
    var defs = bo.eventDefinitions || [];
    for (var i = 0; i < defs.length; i++) {
      if (defs[i].$type === "bpmn:TimerEventDefinition") { return defs[i]; }
    }
    return null;
  }

  function timerKind(timer) {
    return ["timeDuration", "timeDate", "timeCycle"].filter(function (k) { return timer[k]; })[0] || "timeDuration";
  }

  function timerText(timer) {
    var expr = timer[timerKind(timer)];
    var body = expr ? (expr.body || "").trim() : "";
    var quoted = body.match(/^["'](.*)["']$/);
    return quoted ? quoted[1] : body;
  }

  function timerExpression(text) {
    var value = text.trim();
    if (DURATION.test(value)) { return { kind: "timeDuration", body: '"' + value + '"' }; }
    if (DATE.test(value)) { return { kind: "timeDate", body: '"' + value + '"' }; }
    if (HELPER_CALL.test(value)) { return { kind: null, body: value }; }
    return null;
  }

  function setTimer(modeler, element, text) {
    var timer = timerOf(element.businessObject);
    var parsed = timerExpression(text);
    if (!timer || !parsed) { return false; }
    var kind = parsed.kind || timerKind(timer);
    var update = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
    update[kind] = modeler.get("moddle").create("bpmn:FormalExpression", { body: parsed.body });
    modeler.get("modeling").updateModdleProperties(element, timer, update);
    return true;
  }

  /* ---- The properties panel, built with DOM calls (no innerHTML with data) ---- */

  function field(key, control) {
    var wrap = document.createElement("div");
    var lab = document.createElement("label");
    control.id = "sala-prop-" + key;
    lab.htmlFor = control.id;
    lab.textContent = label(key);
    wrap.appendChild(lab);
    wrap.appendChild(control);
    panel.appendChild(wrap);
    return wrap;
  }

  function select(options, current, onChange, kind) {
    var el = document.createElement("select");
    var blank = document.createElement("option");
    blank.value = "";
    blank.textContent = label("choose");
    el.appendChild(blank);
    var known = false;
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o.value;
      opt.textContent = kind && labels[kind][o.value] ? labels[kind][o.value] : o.label;
      if (o.value === current) { opt.selected = true; known = true; }
      el.appendChild(opt);
    });
    if (current && !known) {
      var unknown = document.createElement("option");
      unknown.value = current;
      unknown.textContent = kind ? labelOf(kind, current) : current;
      unknown.selected = true;
      el.appendChild(unknown);
    }
    el.addEventListener("change", function () { onChange(el.value); });
    return el;
  }

  function input(tag, current, onChange) {
    var el = document.createElement(tag);
    el.value = current;
    el.addEventListener("change", function () { onChange(el.value.trim()); });
    return el;
  }

  function renderPanel(modeler, vocabulary, element) {
    if (!panel) { return; }
    panel.textContent = "";
    if (!element || element.type === "bpmn:Process" || element.type === "bpmn:Collaboration") {
      var none = document.createElement("p");
      none.textContent = label("none");
      panel.appendChild(none);
      return;
    }
    var bo = element.businessObject;
    var title = document.createElement("h2");
    var kind = element.type.replace("bpmn:", "");
    var shown = element.type === "bpmn:Lane" ? labelOf("roles", bo.name || "") : labelOf("names", bo.name || "");
    title.textContent = (shown || bo.id) + " · " + labelOf("types", kind);
    panel.appendChild(title);
    if (element.type === "bpmn:Lane") {
      field("lane", select(vocabulary.roles, bo.name || "", function (v) {
        modeler.get("modeling").updateProperties(element, { name: v });
      }, "roles"));
      return;
    }
    var nameField = field("name", input("input", bo.name || "", function (v) {
      modeler.get("modeling").updateProperties(element, { name: v });
    }));
    if (bo.name && labels.khmer[bo.name]) {
      var inKhmer = document.createElement("p");
      inKhmer.className = "hint";
      inKhmer.setAttribute("lang", "km");
      inKhmer.textContent = label("name-km") + " " + labels.khmer[bo.name];
      nameField.appendChild(inKhmer);
    }
    if (element.type === "bpmn:UserTask") { renderUserTask(modeler, vocabulary, element); }
    if (timerOf(bo)) { renderTimer(modeler, element); }
    field("doc-en", input("textarea", getDocumentation(bo), function (v) { setDocumentation(modeler, element, v); }));
    field("doc-km", input("textarea", getProperty(bo, "documentationKm"), function (v) {
      setProperty(modeler, element, "documentationKm", v);
    })).lastChild.setAttribute("lang", "km");
  }

  function renderUserTask(modeler, vocabulary, element) {
    var bo = element.businessObject;
    var set = function (name) { return function (v) { setProperty(modeler, element, name, v); }; };
    field("form", select(vocabulary.forms, getProperty(bo, "formKey"), set("formKey"), "forms"));
    field("sla", input("input", getProperty(bo, "slaTarget"), set("slaTarget")));
    field("calendar", select(vocabulary.calendars || [], getProperty(bo, "slaCalendar"), set("slaCalendar"),
      "calendars"));
    if (vocabulary.letters && vocabulary.letters.length) {
      field("letter", select(vocabulary.letters, getProperty(bo, "letter"), set("letter"), "letters"));
    }
  }

  function renderTimer(modeler, element) {
    var error = document.createElement("p");
    error.className = "field-error";
    var control = input("input", timerText(timerOf(element.businessObject)), function (v) {
      error.textContent = setTimer(modeler, element, v) ? "" : label("timer-bad");
    });
    field("timer", control).appendChild(error);
  }

  /* ---- Saving and publishing ---- */

  function save(modeler) {
    var note = document.getElementById("change-note");
    return modeler.saveXML({ format: true }).then(function (result) {
      var body = new URLSearchParams();
      body.set("bpmn_xml", result.xml);
      body.set("change_note", note ? note.value : "");
      return fetch(canvasEl.getAttribute("data-save-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": canvasEl.getAttribute("data-csrf-token") },
        body: body
      });
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error((data.errors || []).join(" ") || label("save-failed")); }
        say(data.message || label("saved"));
      });
    });
  }

  function wireEditor(modeler, vocabulary) {
    modeler.get("eventBus").on("selection.changed", function (event) {
      renderPanel(modeler, vocabulary, event.newSelection[0]);
    });
    renderPanel(modeler, vocabulary, null);
    var saveButton = document.getElementById("bpmn-save");
    if (saveButton) {
      saveButton.addEventListener("click", function () {
        save(modeler).catch(function (err) { say(err.message, true); });
      });
    }
    // Checking and publishing read the stored draft: save the diagram first.
    ["bpmn-publish", "bpmn-validate"].forEach(function (id) {
      var form = document.getElementById(id);
      if (!form) { return; }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        save(modeler).then(function () { form.submit(); }).catch(function (err) { say(err.message, true); });
      });
    });
    window.salaModeler = modeler;  // lets the browser tests drive the diagram
  }

  function mark(viewer, ids, marker) {
    var registry = viewer.get("elementRegistry");
    ids.forEach(function (id) {
      if (id && registry.get(id)) { viewer.get("canvas").addMarker(id, marker); }
    });
  }

  function markProblems(viewer) {
    var rows = document.querySelectorAll("#publish-problems [data-element-id]");
    mark(viewer, Array.prototype.map.call(rows, function (row) { return row.getAttribute("data-element-id"); }),
      "sala-problem");
    ["added", "changed"].forEach(function (kind) {
      var ids = (canvasEl.getAttribute("data-mark-" + kind) || "").split(" ");
      mark(viewer, ids, "sala-" + kind);
    });
  }

  /* ---- "Show in Khmer": a read-only diagram drawn with the catalog's Khmer names ---- */

  function inKhmer(xml) {
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) { return xml; }
    Array.prototype.forEach.call(doc.getElementsByTagName("*"), function (el) {
      var name = el.getAttribute("name");
      // Only BPMN elements: Sala's own properties (spiffworkflow:property name="formKey") keep their names.
      if (name && el.namespaceURI === "http://www.omg.org/spec/BPMN/20100524/MODEL" && labels.khmer[name]) {
        el.setAttribute("name", labels.khmer[name]);
      }
    });
    return new XMLSerializer().serializeToString(doc);
  }

  function draw(viewer, xml) {
    var khmer = khmerToggle && khmerToggle.checked;
    return viewer.importXML(khmer ? inKhmer(xml) : xml).then(function () {
      viewer.get("canvas").zoom("fit-viewport");
      markProblems(viewer);
      canvasEl.setAttribute("data-names", khmer ? "km" : "source");
    });
  }

  /* In the editor the Khmer view is a preview: the diagram as edited so far is kept, drawn with Khmer
     names, and nothing can be changed, saved or published until the source names are back. */
  function wireToggle(viewer, editing, xml, vocabulary) {
    var source = xml;
    khmerToggle.disabled = false;
    khmerToggle.addEventListener("change", function () {
      var showing = khmerToggle.checked;
      var kept = editing && showing
        ? viewer.saveXML({ format: true }).then(function (result) { source = result.xml; })
        : Promise.resolve();
      kept.then(function () { return draw(viewer, source); }).then(function () {
        if (editing) { lockEditor(viewer, vocabulary, showing); }
      }).catch(function (err) { say(err.message, true); });
    });
  }

  function lockEditor(viewer, vocabulary, locked) {
    canvasEl.style.pointerEvents = locked ? "none" : "";
    var buttons = document.querySelectorAll("#bpmn-save, #bpmn-publish button, #bpmn-validate button");
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = locked; });
    renderPanel(viewer, vocabulary, null);
    if (locked && panel) { panel.firstChild.textContent = label("preview"); }
  }

  function start() {
    var editing = canvasEl.getAttribute("data-mode") === "modeler";
    var vocabularyUrl = canvasEl.getAttribute("data-vocabulary-url");
    Promise.all([
      getJSON(canvasEl.getAttribute("data-moddle-url")),
      getText(canvasEl.getAttribute("data-bpmn-url")),
      editing && vocabularyUrl ? getJSON(vocabularyUrl) : Promise.resolve(null)
    ]).then(function (loaded) {
      var viewer = new window.BpmnJS({ container: canvasEl, moddleExtensions: { spiffworkflow: loaded[0] } });
      if (editing && khmerToggle) { khmerToggle.checked = false; }  // the editor opens on the source names
      return draw(viewer, loaded[1]).then(function () {
        if (editing) { wireEditor(viewer, loaded[2]); }
        if (khmerToggle) { wireToggle(viewer, editing, loaded[1], loaded[2]); }
        canvasEl.setAttribute("data-ready", "true");
      });
    }).catch(function (err) { say(err.message, true); });
  }

  start();
}());
