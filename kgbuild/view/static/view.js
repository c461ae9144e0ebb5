/* kgbuild view: draws the data block #kg-data with cytoscape.js; details panel, events table, filters.
   Every text from the graph goes into the page through textContent, never as HTML. */
(function () {
  "use strict";
  var COLORS = { PER: "#e4572e", LOC: "#2e86ab", ORG: "#3bb273", MISC: "#9b5de5" };
  var TYPE_NAMES = { PER: "person", LOC: "place", ORG: "organisation", MISC: "other" };
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var entities = new Map(data.entities.map(function (e) { return [e.id, e]; }));
  var events = new Map(data.events.map(function (e) { return [e.id, e]; }));
  var relations = new Map(data.relations.map(function (r) { return [r.id, r]; }));
  var cy = null;

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] != null) node.setAttribute(k, attrs[k]); });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  var terms = data.terms || {};
  /* the ontology's label of a kg: term in the view's language, else "TreatySigning" -> "treaty signing" */
  function human(name) { return terms[name] || String(name || "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(); }
  function label(id) { var e = entities.get(id); return e ? e.label : id.replace(/^.*[\/#]/, ""); }
  function cap(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }
  function pct(x) { return x == null ? "–" : x.toFixed(2); }

  /* ---- the graph ---- */
  /* kgbuild's positions are laid out in a square: stretch them to the shape of the graph panel */
  var graphBox = document.getElementById("graph").getBoundingClientRect();
  var aspect = graphBox.height > 0 ? Math.max(0.5, Math.min(2.5, graphBox.width / graphBox.height)) : 1;
  function pos(id) { var p = (data.positions || {})[id]; return p ? { x: p.x * aspect, y: p.y } : { x: 0, y: 0 }; }
  function elements() {
    var out = [];
    data.entities.forEach(function (e) {
      out.push({ group: "nodes", classes: "entity" + (e.linked ? "" : " unlinked"), position: pos(e.id),
        data: { id: e.id, label: e.label + (e.linked ? "" : " ?"), color: COLORS[e.type] || COLORS.MISC, kind: "entity" } });
    });
    data.events.forEach(function (ev) {
      out.push({ group: "nodes", classes: "event " + (ev.status || ""), position: pos(ev.id),
        data: { id: ev.id, label: human(ev.event_type) + (ev.time ? "\n" + ev.time : ""), kind: "event" } });
      var byEntity = new Map();  /* one edge per participant: "host, place" */
      ev.roles.forEach(function (r) {
        if (!byEntity.has(r.entity)) byEntity.set(r.entity, []);
        byEntity.get(r.entity).push(human(r.role));
      });
      byEntity.forEach(function (roles, entity) {
        if (!entities.has(entity)) return;
        out.push({ group: "edges", classes: "role",
          data: { id: ev.id + "|" + entity, source: ev.id, target: entity, label: roles.join(", "), kind: "role", event: ev.id } });
      });
    });
    data.relations.forEach(function (r) {
      if (!entities.has(r.subject) || !entities.has(r.object)) return;
      out.push({ group: "edges", classes: "relation" + (r.symmetric ? " symmetric" : ""),
        data: { id: r.id, source: r.subject, target: r.object, label: human(r.predicate), kind: "relation" } });
    });
    return out;
  }

  var STYLE = [
    { selector: "node.entity", style: { "background-color": "data(color)", label: "data(label)", "font-size": 13,
      "text-valign": "bottom", "text-margin-y": 4, width: 34, height: 34, "text-outline-color": "#fff",
      "text-outline-width": 2, "border-width": 2, "border-color": "#fff", "min-zoomed-font-size": 6 } },
    { selector: "node.unlinked", style: { "border-style": "dashed", "border-width": 3, "border-color": "#444",
      "background-opacity": 0.45, "font-style": "italic" } },
    { selector: "node.event", style: { shape: "round-rectangle", "background-color": "#ffd166", label: "data(label)",
      "font-size": 11, "text-wrap": "wrap", "text-valign": "center", "text-halign": "center", width: "label",
      height: "label", padding: 6, "border-width": 1, "border-color": "#c9a227", "min-zoomed-font-size": 6 } },
    { selector: "node.event.planned, node.event.announced", style: { "border-style": "dashed", "border-width": 2,
      "background-color": "#ffe8a3" } },
    { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle",
      "arrow-scale": 0.8, label: "data(label)", "font-size": 10, color: "#555", "text-rotation": "autorotate",
      "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1,
      "min-zoomed-font-size": 7 } },
    { selector: "edge.role", style: { "line-color": "#bbb", "target-arrow-color": "#bbb" } },
    { selector: "edge.relation", style: { width: 2.5, "line-color": "#6c7a89", "target-arrow-color": "#6c7a89",
      "line-style": "dashed", color: "#34495e" } },
    { selector: "edge.symmetric", style: { "target-arrow-shape": "none" } },
    { selector: ":selected", style: { "border-width": 4, "border-color": "#0b5ed7", "line-color": "#0b5ed7",
      "target-arrow-color": "#0b5ed7" } },
    { selector: ".hidden", style: { display: "none" } }
  ];

  /* positions come from kgbuild (deterministic); small graphs are refined with cytoscape's cose from there */
  function layoutOptions() {
    if (data.layout === "preset") return { name: "preset", fit: true, padding: 20 };
    return { name: "cose", animate: false, fit: true, padding: 30, randomize: false, nodeDimensionsIncludeLabels: true,
      nodeRepulsion: function () { return 200000; }, idealEdgeLength: function () { return 90; },
      edgeElasticity: function () { return 100; }, gravity: 40, componentSpacing: 60, nodeOverlap: 20,
      numIter: data.entities.length + data.events.length > 150 ? 400 : 1500 };
  }

  /* ---- the details panel ---- */
  function highlighted(sentence, spans) {
    /* offsets count code points (Python, NIF), so slice an array of code points, not UTF-16 units */
    var quote = el("blockquote", { "class": "source" });
    var chars = Array.from(sentence.text), at = 0;
    function part(b, e) { return chars.slice(b, e).join(""); }
    spans.map(function (s) { return { b: s.begin - sentence.begin, e: s.end - sentence.begin, cls: s.cls }; })
      .filter(function (s) { return s.b >= 0 && s.e <= chars.length && s.b < s.e; })
      .sort(function (a, b) { return a.b - b.b || b.e - a.e; })
      .forEach(function (s) {
        if (s.b < at) return;
        quote.appendChild(document.createTextNode(part(at, s.b)));
        quote.appendChild(el("mark", { "class": s.cls }, part(s.b, s.e)));
        at = s.e;
      });
    quote.appendChild(document.createTextNode(part(at)));
    return quote;
  }
  function mentionSpans(sentenceId, entityIds) {
    var spans = [];
    entityIds.forEach(function (id) {
      var e = entities.get(id);
      (e ? e.mentions : []).forEach(function (m) {
        if (m.sentence === sentenceId) spans.push({ begin: m.begin, end: m.end, cls: "mention" });
      });
    });
    return spans;
  }
  function eventSource(ev) {
    var s = data.sentences[ev.sentence];
    var spans = [];
    if (ev.trigger_begin != null) spans.push({ begin: ev.trigger_begin, end: ev.trigger_end, cls: "trigger" });
    if (s) return highlighted(s, spans.concat(mentionSpans(s.id, ev.roles.map(function (r) { return r.entity; }))));
    if (!ev.evidence_text) return el("p", { "class": "hint" }, "no source sentence in the graph");
    var at = ev.trigger ? ev.evidence_text.indexOf(ev.trigger) : -1;
    var fake = { text: ev.evidence_text, begin: 0 };
    at = at >= 0 ? Array.from(ev.evidence_text.slice(0, at)).length : -1;
    return highlighted(fake, at >= 0 ? [{ begin: at, end: at + Array.from(ev.trigger).length, cls: "trigger" }] : []);
  }
  function jump(id, text) {
    var a = el("a", { "class": "jump", "data-id": id }, text);
    a.addEventListener("click", function () { select(id); });
    return a;
  }
  function facts(pairs) {
    var dl = el("dl", { "class": "facts" });
    pairs.forEach(function (p) { if (p[1] != null && p[1] !== "") { dl.appendChild(el("dt", {}, p[0])); dl.appendChild(el("dd", {}, p[1])); } });
    return dl;
  }
  function entityLink(id) { return entities.has(id) ? jump(id, label(id)) : document.createTextNode(label(id)); }

  function unique(xs) { return xs.filter(function (x, i) { return x && xs.indexOf(x) === i; }); }
  /* the linker's confidence over the entity's mentions: "0.90" or "0.55–0.90" */
  function mentionConfidence(e) {
    var cs = e.mentions.map(function (m) { return m.confidence; }).filter(function (c) { return c != null; });
    if (!cs.length) return null;
    var lo = cs.reduce(function (a, b) { return Math.min(a, b); }), hi = cs.reduce(function (a, b) { return Math.max(a, b); });
    return lo === hi ? pct(hi) : pct(lo) + "–" + pct(hi);
  }

  function showEntity(e) {
    var box = el("div", { "data-kind": "entity", "data-id": e.id });
    box.appendChild(el("h2", {}, e.label, el("span", { "class": "badge" }, TYPE_NAMES[e.type] || e.type),
      e.linked ? null : el("span", { "class": "badge unlinked" }, "unlinked")));
    var others = Object.keys(e.labels).filter(function (k) { return e.labels[k] !== e.label; })
      .map(function (k) { return e.labels[k] + (k ? " (" + k + ")" : ""); }).join(", ");
    box.appendChild(facts([
      ["Wikidata", e.url ? el("a", { href: e.url, target: "_blank", rel: "noopener" }, e.qid) : "not linked"],
      ["description", e.description], ["also", others], ["mentions", String(e.mentions.length)],
      ["confidence", mentionConfidence(e)], ["found by", unique(e.mentions.map(function (m) { return m.source; })).join(", ")]
    ]));
    var evList = el("ul", {});
    data.events.forEach(function (ev) {
      if (ev.roles.some(function (r) { return r.entity === e.id; })) {
        var roles = ev.roles.filter(function (r) { return r.entity === e.id; }).map(function (r) { return human(r.role); }).join(", ");
        evList.appendChild(el("li", {}, jump(ev.id, human(ev.event_type)), " as " + roles + (ev.status ? " · " + human(cap(ev.status)) : "")));
      }
    });
    data.relations.forEach(function (r) {
      if (r.subject === e.id || r.object === e.id) {
        evList.appendChild(el("li", {}, entityLink(r.subject), " " + human(r.predicate) + " ", entityLink(r.object), " (" + pct(r.confidence) + ")"));
      }
    });
    if (evList.childNodes.length) { box.appendChild(el("h3", {}, "facts")); box.appendChild(evList); }
    box.appendChild(el("h3", {}, "source sentences"));
    var seen = new Set();
    e.mentions.forEach(function (m) {
      var s = data.sentences[m.sentence];
      if (!s || seen.has(s.id)) return;
      seen.add(s.id);
      box.appendChild(highlighted(s, mentionSpans(s.id, [e.id])));
    });
    if (!seen.size) box.appendChild(el("p", { "class": "hint" }, "no mention with a sentence in the graph"));
    return box;
  }

  function showEvent(ev, role) {
    var box = el("div", { "data-kind": "event", "data-id": ev.id });
    box.appendChild(el("h2", {}, human(ev.event_type), ev.status ? el("span", { "class": "badge " + ev.status }, human(cap(ev.status))) : null));
    var who = el("span", {});
    ev.roles.forEach(function (r, i) { if (i) who.appendChild(document.createTextNode(", ")); who.appendChild(document.createTextNode(human(r.role) + ": ")); who.appendChild(entityLink(r.entity)); });
    var rel = ev.relation && ev.subject ? el("span", {}, entityLink(ev.subject), " " + human(ev.relation) + " ",
      ev.object && entities.has(ev.object) ? entityLink(ev.object) : (ev.object ? "the document" : "")) : null;
    box.appendChild(facts([
      ["relation", rel], ["roles", who], ["edge", role ? "role " + role : null], ["place", ev.place ? entityLink(ev.place) : null],
      ["when", ev.time || (ev.date ? ev.date + " (published)" : null)], ["status", ev.status ? human(cap(ev.status)) : null], ["confidence", pct(ev.confidence)],
      ["trigger", ev.trigger], ["position", ev.role_text], ["quote", ev.quote], ["extractor", ev.extractor], ["document", ev.doc]
    ]));
    box.appendChild(el("h3", {}, "source sentence"));
    box.appendChild(eventSource(ev));
    return box;
  }

  function showRelation(r) {
    var box = el("div", { "data-kind": "relation", "data-id": r.id });
    box.appendChild(el("h2", {}, human(r.predicate)));
    box.appendChild(facts([["from", entityLink(r.subject)], ["to", entityLink(r.object)], ["confidence", pct(r.confidence)],
      ["events", String(r.events.length)]]));
    box.appendChild(el("h3", {}, "source sentences"));
    r.events.forEach(function (id) { var ev = events.get(id); if (ev) { box.appendChild(el("p", {}, jump(id, human(ev.event_type)))); box.appendChild(eventSource(ev)); } });
    if (!r.events.length) box.appendChild(el("p", { "class": "hint" }, "no event in the graph supports this triple"));
    return box;
  }

  function showDetails(id) {
    var edge = cy ? cy.getElementById(id) : null;
    var node;
    if (entities.has(id)) node = showEntity(entities.get(id));
    else if (events.has(id)) node = showEvent(events.get(id));
    else if (relations.has(id)) node = showRelation(relations.get(id));
    else if (edge && edge.length && edge.data("kind") === "role") node = showEvent(events.get(edge.data("event")), edge.data("label"));
    else return;
    var details = document.getElementById("details");
    details.replaceChildren(node);
    details.scrollTop = 0;
    document.querySelectorAll("#events tr.selected").forEach(function (tr) { tr.classList.remove("selected"); });
    var row = document.querySelector('#events tr[data-id="' + CSS.escape(id) + '"]');
    if (row) row.classList.add("selected");
  }

  function select(id) {
    if (cy) {
      cy.elements().unselect();
      var ele = cy.getElementById(id);
      if (ele.length && !ele.hasClass("hidden")) {
        ele.select();
        var box = ele.renderedBoundingBox(), w = cy.width(), h = cy.height();
        if (box.x1 < 0 || box.y1 < 0 || box.x2 > w || box.y2 > h) cy.animate({ center: { eles: ele } }, { duration: 200 });
      }
    }
    showDetails(id);
  }

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
})();
