/* kgbuild view, part 3 of 3: the events table, the filters, and drawing the page. */
  /* ---- the events table and the filters ---- */
  function eventRow(ev) {
    var tr = el("tr", { "data-id": ev.id });
    var who = ev.roles.filter(function (r) { return r.role !== "place"; })
      .map(function (r) { return label(r.entity) + " (" + human(r.role) + ")"; }).join(", ");
    tr.appendChild(el("td", ev.time ? {} : { title: "publication date of the article: the event has no date of its own" },
      ev.time || (ev.date ? ev.date + "*" : "")));
    tr.appendChild(el("td", {}, human(ev.event_type)));
    tr.appendChild(el("td", {}, who));
    tr.appendChild(el("td", {}, ev.place ? label(ev.place) : ""));
    tr.appendChild(el("td", {}, ev.status ? human(cap(ev.status)) : ""));
    tr.appendChild(el("td", {}, pct(ev.confidence)));
    tr.addEventListener("click", function () { select(ev.id); });
    return tr;
  }

  /* the entities the entity filter names: an exact label or QID, else every label containing the text */
  function entityFilter() {
    var v = document.getElementById("f-entity").value.trim().toLowerCase();
    if (!v) return null;
    var exact = data.entities.filter(function (e) { return e.label.toLowerCase() === v || (e.qid || "").toLowerCase() === v; });
    var hits = exact.length ? exact : data.entities.filter(function (e) { return e.label.toLowerCase().indexOf(v) >= 0; });
    return new Set(hits.map(function (e) { return e.id; }));
  }

  function applyFilters() {
    var ent = entityFilter(), type = document.getElementById("f-type").value.toLowerCase();
    var from = document.getElementById("f-from").value, to = document.getElementById("f-to").value;
    var withRelations = document.getElementById("f-rel").checked;
    var active = ent || type || from || to;
    var shown = new Set(), keepNodes = new Set();
    data.events.forEach(function (ev) {
      var ok = (!type || (ev.relation || "").toLowerCase() === type || ev.event_type.toLowerCase() === type) &&
        (!(from || to) || (ev.date && (!from || ev.date >= from) && (!to || ev.date <= to))) &&
        (!ent || ev.roles.some(function (r) { return ent.has(r.entity); }));
      if (ok) { shown.add(ev.id); ev.roles.forEach(function (r) { keepNodes.add(r.entity); }); }
    });
    var shownRels = new Set();
    data.relations.forEach(function (r) {
      var ok = withRelations && (!type || r.predicate.toLowerCase() === type) && (!ent || ent.has(r.subject) || ent.has(r.object)) &&
        (!(from || to) || r.events.some(function (id) { return shown.has(id); }));
      if (ok) { shownRels.add(r.id); keepNodes.add(r.subject); keepNodes.add(r.object); }
    });
    if (ent) ent.forEach(function (id) { keepNodes.add(id); });
    var tbody = document.querySelector("#events tbody");
    var rows = document.createDocumentFragment();
    data.events.forEach(function (ev) { if (shown.has(ev.id)) rows.appendChild(eventRow(ev)); });
    tbody.replaceChildren(rows);
    document.getElementById("f-count").textContent = "showing " + shown.size + " of " + data.events.length + " events" +
      (data.events.length ? "" : " (the graph has entities but no events)") +
      (data.events.some(function (ev) { return !ev.time && ev.date; }) ? " · * publication date" : "");
    if (cy) {
      cy.batch(function () {
        cy.nodes().forEach(function (n) {
          var vis = n.data("kind") === "event" ? shown.has(n.id()) : (!active || keepNodes.has(n.id()));
          n.toggleClass("hidden", !vis);
        });
        cy.edges(".relation").forEach(function (e) { e.toggleClass("hidden", !shownRels.has(e.id())); });
      });
    }
    return { events: shown.size, relations: shownRels.size };
  }

  function setupFilters() {
    var list = document.getElementById("f-entities");
    data.entities.forEach(function (e) { list.appendChild(el("option", { value: e.label })); });
    var types = new Set();
    data.events.forEach(function (ev) { types.add(ev.relation || ev.event_type); });
    data.relations.forEach(function (r) { types.add(r.predicate); });
    var sel = document.getElementById("f-type");
    Array.from(types).sort().forEach(function (t) { sel.appendChild(el("option", { value: t }, human(t))); });
    ["f-entity", "f-type", "f-from", "f-to", "f-rel"].forEach(function (id) {
      document.getElementById(id).addEventListener("input", applyFilters);
      document.getElementById(id).addEventListener("change", applyFilters);
    });
    document.getElementById("f-reset").addEventListener("click", function () {
      ["f-entity", "f-type", "f-from", "f-to"].forEach(function (id) { document.getElementById(id).value = ""; });
      document.getElementById("f-rel").checked = true;
      applyFilters();
    });
  }

  function header() {
    document.getElementById("counts").textContent = data.entities.length + " entities · " + data.events.length +
      " events · " + data.relations.length + " relations" + (data.totalNodes > data.entities.length + data.events.length
        ? " (of " + data.totalNodes + " nodes)" : "");
    var warn = document.getElementById("warnings");
    data.warnings.forEach(function (w) { warn.appendChild(el("p", {}, w)); });
  }

  function fail(msg) {
    document.body.setAttribute("data-error", msg);
    document.getElementById("warnings").appendChild(el("p", { "class": "error" }, "The view could not be drawn: " + msg));
  }

  window.addEventListener("error", function (e) { fail(String(e.message)); });
  header();
  setupFilters();
  if (typeof cytoscape !== "function") { fail("the graph library is missing"); applyFilters(); return; }
  cy = cytoscape({ container: document.getElementById("graph"), elements: elements(), style: STYLE,
    layout: { name: "preset" }, wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4 });
  cy.on("tap", "node, edge", function (evt) { showDetails(evt.target.id()); });
  applyFilters();
  var layout = cy.layout(layoutOptions());
  layout.one("layoutstop", function () { document.body.setAttribute("data-ready", "1"); });
  layout.run();
  window.kgView = { cy: cy, data: data, select: select, showDetails: showDetails, applyFilters: applyFilters };
