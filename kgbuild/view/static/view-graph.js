/* kgbuild view, part 1 of 3: the data, small helpers, the graph's elements, style and layout.
   html.py joins view-graph.js, view-details.js and view-main.js inside one function, so they share these names.
   Every text from the graph goes into the page through textContent, never as HTML. */
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

