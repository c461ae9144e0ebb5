/* kgbuild view, part 2 of 3: the details panel (facts and source sentences) and selection. */
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

