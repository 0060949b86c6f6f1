(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cg-data").textContent);
  var CFG = DATA.config;
  var docs = DATA.documents, orgs = DATA.organisations, countries = DATA.countries;
  var claims = DATA.claims, conflicts = DATA.conflicts, aggs = DATA.aggregates;
  var AGGREGATE_ABOVE = CFG.aggregateAbove, PHYSICS_ABOVE = CFG.physicsAbove;

  function $(id) { return document.getElementById(id); }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function words(s) { return (s || "").replace(/_/g, " "); }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }

  // ------------------------------------------------------------------ indexes
  var nodeInfo = Object.create(null);
  DATA.nodes.forEach(function (n) { nodeInfo[n.id] = n; });
  var docClaims = docs.map(function () { return []; });
  var orgClaims = orgs.map(function () { return []; });
  var orgDocs = orgs.map(function () { return []; });
  var countryClaims = countries.map(function () { return []; });
  docs.forEach(function (d, i) { if (d.pub !== undefined) { orgDocs[d.pub].push(i); } });
  claims.forEach(function (c, i) {
    if (c.doc >= 0) {
      docClaims[c.doc].push(i);
      var pub = docs[c.doc].pub;
      if (pub !== undefined) { orgClaims[pub].push(i); }
    }
    (c.orgs || []).forEach(function (o) { if (orgClaims[o].indexOf(i) < 0 || orgClaims[o][orgClaims[o].length - 1] !== i) { orgClaims[o].push(i); } });
    (c.countries || []).forEach(function (k) { countryClaims[k].push(i); });
  });
  orgClaims = orgClaims.map(function (list) { return list.filter(function (v, j) { return j === 0 || list[j - 1] !== v; }); });

  function countryCodes(c) { return (c.countries || []).map(function (k) { return countries[k].code; }).join("+"); }
  function claimDoc(c) { return c.doc >= 0 ? docs[c.doc] : null; }
  function claimOrgs(c) {
    var out = (c.orgs || []).slice();
    var d = claimDoc(c);
    if (d && d.pub !== undefined && out.indexOf(d.pub) < 0) { out.push(d.pub); }
    return out;
  }
  function searchText(c) {
    if (c._s === undefined) {
      var d = claimDoc(c);
      c._s = [c.quote, c.label, c.figure, c.mention, d && d.title, d && d.publisher, c.attributed_to,
              words(c.measure), c.population, countryCodes(c)].join("\n").toLowerCase();
    }
    return c._s;
  }

  // ------------------------------------------------------------------ datasets
  var kinds = CFG.edgeKinds, styles = CFG.edgeStyles;
  var edgeList = DATA.edges.map(function (e, i) {
    var kind = kinds[e[2]], st = styles[kind];
    var edge = {id: "e" + i, from: e[0], to: e[1], kind: kind, color: {color: st.color, highlight: st.color, hover: st.color},
                width: e.length > 3 ? e[3] : st.width, title: st.title};
    if (st.dashes) { edge.dashes = st.dashes; }
    if (st.arrows) { edge.arrows = st.arrows; }
    if (kind === "conflict") {
      var cf = conflicts[e[4]];
      edge.conflict = e[4];
      edge.title = "Conflict: " + cf.kind + " (severity " + cf.severity + ")" + (cf.reason ? "\n" + cf.reason : "");
      edge.smooth = {enabled: true, type: "curvedCW", roundness: 0.15};
    } else if (kind === "agg_conflict") {
      edge.title = fmt(e[4]) + " conflict(s) between these groups";
      edge.smooth = {enabled: true, type: "curvedCW", roundness: 0.15};
    }
    return edge;
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(edgeList);
  var visible = new Set();
  var nodesView = null, edgesView = null;  // made once the first filter pass has run

  // ------------------------------------------------------------------ controls
  var selCountry = $("filter-country"), selMeasure = $("filter-measure"), selOrg = $("filter-org");
  var chkConflicts = $("conflicts-only"), inpSearch = $("search");
  function addOptions(select, items) {
    items.forEach(function (it) {
      var o = document.createElement("option");
      o.value = it[0];
      o.textContent = it[1];
      select.appendChild(o);
    });
  }
  var measureCount = Object.create(null);
  claims.forEach(function (c) { if (c.measure) { measureCount[c.measure] = (measureCount[c.measure] || 0) + 1; } });
  addOptions(selCountry, countries.map(function (k, i) { return [String(i), k.code + " (" + fmt(countryClaims[i].length) + ")"]; })
    .sort(function (a, b) { return a[1] < b[1] ? -1 : 1; }));
  addOptions(selMeasure, DATA.measures.map(function (m) { return [m[0], m[1] + " (" + fmt(measureCount[m[0]] || 0) + ")"]; }));
  addOptions(selOrg, orgs.map(function (o, i) { return [String(i), o.name + " (" + fmt(orgClaims[i].length) + ")"]; })
    .sort(function (a, b) { return a[1].toLowerCase() < b[1].toLowerCase() ? -1 : 1; }));
  if (aggs.length) { $("legend-agg").hidden = false; }

  function readFilters() {
    return {
      country: selCountry.value === "" ? -1 : Number(selCountry.value),
      measure: selMeasure.value,
      org: selOrg.value === "" ? -1 : Number(selOrg.value),
      conflicts: chkConflicts.checked,
      q: inpSearch.value.trim().toLowerCase()
    };
  }
  function claimMatches(c, f) {
    if (f.country >= 0 && (c.countries || []).indexOf(f.country) < 0) { return false; }
    if (f.measure && c.measure !== f.measure) { return false; }
    if (f.org >= 0 && claimOrgs(c).indexOf(f.org) < 0) { return false; }
    if (f.conflicts && !(c.conflicts && c.conflicts.length)) { return false; }
    if (f.q && searchText(c).indexOf(f.q) < 0) { return false; }
    return true;
  }

  // ------------------------------------------------------------------ positions
  // Countries have one place in the detail layout and one in the overview; in the
  // grouped (big-graph) layout, documents and organisations follow the claims shown.
  var posDetail = Object.create(null), posAgg = Object.create(null);
  DATA.nodes.forEach(function (n) {
    if (n.kind === "aggregate") { posAgg[n.id] = {x: n.x, y: n.y}; return; }
    posDetail[n.id] = {x: n.x, y: n.y};
    if (n.ax !== undefined) { posAgg[n.id] = {x: n.ax, y: n.ay}; }
  });
  var placed = {mode: "detail", moved: false};
  function placeNodes(mode, ok, active) {
    var updates = [];
    if (mode !== placed.mode) {
      countries.forEach(function (k) {
        var p = (mode === "aggregate" ? posAgg : posDetail)[k.n];
        if (p) { updates.push({id: k.n, x: p.x, y: p.y}); }
      });
      placed.mode = mode;
    }
    if (mode === "detail" && DATA.layout === "grouped") {
      if (active && ok.length) {
        // the claims shown keep their places; their documents go on a ring around them,
        // organisations on a wider ring, each at the angle of the claims it is linked to
        var cx = 0, cy = 0, radius = 0;
        ok.forEach(function (ci) { var p = posDetail[claims[ci].n]; cx += p.x; cy += p.y; });
        cx /= ok.length; cy /= ok.length;
        ok.forEach(function (ci) { var p = posDetail[claims[ci].n]; radius = Math.max(radius, Math.hypot(p.x - cx, p.y - cy)); });
        var sums = Object.create(null);
        var add = function (id, p) {
          var s = sums[id] || (sums[id] = {x: 0, y: 0, n: 0});
          s.x += p.x; s.y += p.y; s.n += 1;
        };
        ok.forEach(function (ci) {
          var c = claims[ci], p = posDetail[c.n];
          if (c.doc >= 0) { add(docs[c.doc].n, p); }
          claimOrgs(c).forEach(function (o) { add(orgs[o].n, p); });
        });
        var ring = function (ids, r, minArc) {
          var list = ids.map(function (id) {
            var s = sums[id];
            return {id: id, a: Math.atan2(s.y / s.n - cy, s.x / s.n - cx)};
          }).sort(function (p, q) { return p.a - q.a; });
          r = Math.max(r, list.length * minArc / (2 * Math.PI));
          var sep = minArc / r;
          if (list.length * sep >= 2 * Math.PI - sep) {
            list.forEach(function (e, i) { e.a = 2 * Math.PI * i / list.length; });
          } else {
            for (var i = 1; i < list.length; i++) { list[i].a = Math.max(list[i].a, list[i - 1].a + sep); }
          }
          list.forEach(function (e) { updates.push({id: e.id, x: cx + r * Math.cos(e.a), y: cy + r * Math.sin(e.a)}); });
          return r;
        };
        var ids = Object.keys(sums);
        var docRing = ring(ids.filter(function (id) { return nodeInfo[id].kind === "document"; }), radius + 180, 200);
        ring(ids.filter(function (id) { return nodeInfo[id].kind === "organisation"; }), docRing + 200, 190);
        placed.moved = true;
      } else if (placed.moved) {
        docs.concat(orgs).forEach(function (e) { var p = posDetail[e.n]; updates.push({id: e.n, x: p.x, y: p.y}); });
        placed.moved = false;
      }
    }
    if (updates.length) { nodes.update(updates); }
  }

  // ------------------------------------------------------------------ state
  var state = {mode: "detail", matched: 0};
  function computeVisible() {
    var f = readFilters();
    var active = f.country >= 0 || !!f.measure || f.org >= 0 || f.conflicts || !!f.q;
    var ok = [], i;
    for (i = 0; i < claims.length; i++) { if (claimMatches(claims[i], f)) { ok.push(i); } }
    var next = new Set();
    var mode = (claims.length > AGGREGATE_ABOVE && ok.length > AGGREGATE_ABOVE) ? "aggregate" : "detail";
    if (mode === "detail") {
      ok.forEach(function (ci) {
        var c = claims[ci];
        next.add(c.n);
        if (c.doc >= 0) { next.add(docs[c.doc].n); }
        (c.countries || []).forEach(function (k) { next.add(countries[k].n); });
        claimOrgs(c).forEach(function (o) { next.add(orgs[o].n); });
      });
      if (!active) {
        docs.forEach(function (d) { next.add(d.n); });
        orgs.forEach(function (o) { next.add(o.n); });
        countries.forEach(function (k) { next.add(k.n); });
      }
    } else {
      var counts = new Array(aggs.length).fill(0);
      ok.forEach(function (ci) { (claims[ci].aggs || []).forEach(function (a) { counts[a]++; }); });
      var updates = [];
      aggs.forEach(function (a, ai) {
        if (!counts[ai]) { return; }
        next.add(a.n);
        if (a.country >= 0) { next.add(countries[a.country].n); }
        if (a.shown !== counts[ai]) {
          a.shown = counts[ai];
          updates.push({id: a.n, label: a.short + "\n" + fmt(counts[ai]) + " claims",
                        title: a.base + ": " + fmt(counts[ai]) + " matching claims"});
        }
      });
      if (updates.length) { nodes.update(updates); }
    }
    placeNodes(mode, ok, active);
    visible = next;
    state.mode = mode;
    state.matched = ok.length;
    state.active = active;
    state.filters = f;
  }

  function updateNotice() {
    var notice = $("notice"), f = state.filters;
    if (state.mode === "aggregate") {
      notice.hidden = false;
      notice.textContent = fmt(state.matched) + " claims match - too many to draw one by one (the limit is " + fmt(AGGREGATE_ABOVE) +
        "). Showing one node per country and measure, labelled with its claim count; red links join groups whose claims conflict. " +
        (f.country >= 0 ? "This country still has too many: pick a measure or another filter too." :
         "Pick a country in the filter (or narrow by measure, organisation or search) to see its individual claims.");
    } else if (claims.length > AGGREGATE_ABOVE) {
      notice.hidden = false;
      notice.textContent = "Showing the " + fmt(state.matched) + " individual claims that match the filters. Clear the filters (Reset) to go back to the country × measure overview.";
    } else if (state.active && state.matched === 0) {
      notice.hidden = false;
      notice.textContent = "No claim matches these filters.";
    } else {
      notice.hidden = true;
      notice.textContent = "";
    }
    var drawnClaims = state.mode === "detail" ? state.matched : 0;
    $("status").textContent = fmt(visible.size) + " nodes drawn · " + (state.mode === "aggregate" ? "overview of " + fmt(state.matched) :
      fmt(drawnClaims) + " of " + fmt(claims.length)) + " claims · " + fmt(conflicts.length) + " conflicts in total";
  }

  computeVisible();
  nodesView = new vis.DataView(nodes, {filter: function (n) { return visible.has(n.id); }});
  edgesView = new vis.DataView(edges, {filter: function (e) { return visible.has(e.from) && visible.has(e.to); }});
  // physics only helps small drawings; the overview and big graphs keep the Python layout
  var physicsOn = state.mode === "detail" && visible.size > 0 && visible.size <= PHYSICS_ABOVE;
  var options = DATA.options;
  options.physics.enabled = physicsOn;
  options.interaction.hideEdgesOnDrag = claims.length > 2000;
  var network = new vis.Network($("graph"), {nodes: nodesView, edges: edgesView}, options);

  var api = {
    nodes: nodes,
    edges: edges,
    nodesView: nodesView,
    edgesView: edgesView,
    network: network,
    mode: state.mode,
    ready: false,
    physicsAtStart: physicsOn,
    drawnNodeCount: function () { return network.body.nodeIndices.length; },
    drawnEdgeCount: function () { return network.body.edgeIndices.length; },
    select: function (id) { selectNode(id); },
    claimNodeId: function (iri) {
      for (var i = 0; i < claims.length; i++) { if (claims[i].iri === iri) { return claims[i].n; } }
      return null;
    },
    refresh: function () { refresh(); }
  };
  window.claimgraph = api;

  function markReady() {
    network.once("afterDrawing", function () { api.ready = true; });
    network.redraw();
  }
  function keepPositions() {
    var pos = network.getPositions();
    Object.keys(pos).forEach(function (id) { if (posDetail[id]) { posDetail[id] = {x: pos[id].x, y: pos[id].y}; } });
    nodes.update(Object.keys(pos).map(function (id) { return {id: id, x: pos[id].x, y: pos[id].y}; }));
  }
  // physics pushes small islands (a document without claims, say) far from the rest,
  // which shrinks everything on screen: bring them back next to the main component
  function packComponents() {
    var ids = nodesView.getIds(), adj = Object.create(null), seen = Object.create(null), comps = [];
    ids.forEach(function (id) { adj[id] = []; });
    edgesView.get().forEach(function (e) { adj[e.from].push(e.to); adj[e.to].push(e.from); });
    ids.forEach(function (id) {
      if (seen[id]) { return; }
      var comp = [id], i;
      seen[id] = true;
      for (i = 0; i < comp.length; i++) {
        adj[comp[i]].forEach(function (m) { if (!seen[m]) { seen[m] = true; comp.push(m); } });
      }
      comps.push(comp);
    });
    if (comps.length < 2) { return; }
    comps.sort(function (a, b) { return b.length - a.length; });
    var pos = network.getPositions(ids);
    var centre = function (comp) {
      var x = 0, y = 0, r = 0;
      comp.forEach(function (id) { x += pos[id].x; y += pos[id].y; });
      x /= comp.length; y /= comp.length;
      comp.forEach(function (id) { r = Math.max(r, Math.hypot(pos[id].x - x, pos[id].y - y)); });
      return {x: x, y: y, r: r};
    };
    var main = centre(comps[0]), taken = [];
    comps.slice(1).forEach(function (comp, k) {
      var c = centre(comp), dx = c.x - main.x, dy = c.y - main.y, d = Math.hypot(dx, dy);
      var angle = d > 0 ? Math.atan2(dy, dx) : k;
      var want = main.r + c.r + 90;
      // step round the main component until this island does not sit on an earlier one
      for (var tries = 0; tries < 36; tries++) {
        var tx = main.x + want * Math.cos(angle), ty = main.y + want * Math.sin(angle);
        var clash = taken.some(function (t) { return Math.hypot(t.x - tx, t.y - ty) < t.r + c.r + 70; });
        if (!clash) { break; }
        angle += Math.PI / 18;
      }
      if (d <= want && tries === 0) { taken.push(c); return; }
      var mx = tx - c.x, my = ty - c.y;
      comp.forEach(function (id) { network.moveNode(id, pos[id].x + mx, pos[id].y + my); });
      taken.push({x: tx, y: ty, r: c.r});
    });
  }
  if (physicsOn) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      packComponents();
      keepPositions();
      network.fit({animation: false});
      markReady();
    });
  } else {
    network.fit({animation: false});
    markReady();
  }

  function refresh() {
    computeVisible();
    nodesView.refresh();
    edgesView.refresh();
    api.mode = state.mode;
    updateNotice();
    network.fit({animation: false});
  }
  api.mode = state.mode;
  updateNotice();

  var timer = null;
  function refreshSoon() { clearTimeout(timer); timer = setTimeout(refresh, 150); }
  [selCountry, selMeasure, selOrg, chkConflicts].forEach(function (c) { c.addEventListener("change", refresh); });
  inpSearch.addEventListener("input", refreshSoon);
  $("reset").addEventListener("click", function () {
    selCountry.value = ""; selMeasure.value = ""; selOrg.value = ""; chkConflicts.checked = false; inpSearch.value = "";
    refresh();
  });

  // ------------------------------------------------------------------ details panel
  var panel = $("details");
  function row(dl, key, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(h("dt", null, key));
    var dd = h("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  function quoteEl(quote, mention) {
    var bq = h("blockquote", "quote");
    quote = quote || "";
    var at = mention ? quote.indexOf(mention) : -1;
    if (at < 0) {
      bq.textContent = quote || "(no quote)";
    } else {
      bq.appendChild(document.createTextNode(quote.slice(0, at)));
      bq.appendChild(h("mark", null, mention));
      bq.appendChild(document.createTextNode(quote.slice(at + mention.length)));
    }
    return bq;
  }
  function linkEl(url, text) {
    var a = h("a", null, text || url);
    if (/^https?:\/\//i.test(url || "")) {
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }
  function nodeLink(id, text) {
    var b = h("button", "link", text);
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }
  function claimSummary(c) {
    return c.figure + " " + [words(c.measure), c.population].filter(Boolean).join(" ") + (countryCodes(c) ? " (" + countryCodes(c) + ")" : "");
  }
  function docBlock(d) {
    var dl = h("dl");
    row(dl, "Title", d.title || d.source_file || d.iri);
    row(dl, "Publisher", d.publisher);
    row(dl, "Author", d.author);
    row(dl, "Date", d.date);
    if (d.url) { row(dl, "Link", linkEl(d.url)); }
    row(dl, "File", d.source_file);
    return dl;
  }
  function severityBar(sev) {
    var s = h("span", "sev");
    s.style.width = Math.round(8 + 60 * Math.max(0, Math.min(1, Number(sev) || 0))) + "px";
    return s;
  }

  function showClaim(ci) {
    var c = claims[ci], d = claimDoc(c);
    clear(panel);
    panel.appendChild(h("p", "kind", "Claim"));
    panel.appendChild(h("h2", "figure", c.figure));
    panel.appendChild(h("p", "sub", [words(c.measure), c.population].filter(Boolean).join(" · ") + (countryCodes(c) ? " — " + countryCodes(c) : "")));
    var dl = h("dl");
    row(dl, "Figure", c.figure);
    row(dl, "Qualifier", c.qualifier);
    row(dl, "Interval", c.interval);
    row(dl, "As of", c.as_of);
    row(dl, "Measure", words(c.measure));
    row(dl, "Population", c.population);
    row(dl, "Country", countryCodes(c));
    row(dl, "Place role", c.place_role);
    row(dl, "Region", c.region);
    row(dl, "Attributed to", c.attributed_to);
    row(dl, "Unit", c.unit);
    row(dl, "Rank", c.rank);
    if (c.derived >= 0) { row(dl, "Derived from", nodeLink(claims[c.derived].n, claimSummary(claims[c.derived]))); }
    panel.appendChild(dl);
    panel.appendChild(h("h3", null, "Evidence"));
    panel.appendChild(quoteEl(c.quote, c.mention));
    if (d) {
      panel.appendChild(h("h3", null, "Source document"));
      panel.appendChild(docBlock(d));
    }
    var list = (c.conflicts || []).slice().sort(function (a, b) { return conflicts[b].severity - conflicts[a].severity; });
    if (list.length) {
      panel.appendChild(h("h3", null, "Conflicts (" + list.length + ")"));
      list.forEach(function (k) { panel.appendChild(conflictBlock(conflicts[k], ci)); });
    }
    if (c.iri) { panel.appendChild(h("p", "muted", c.iri)); }
  }

  function conflictBlock(cf, fromClaim) {
    var box = h("div", "conflict");
    var head = h("div", "head", cf.kind + " · severity " + (cf.severity_text || cf.severity));
    head.appendChild(severityBar(cf.severity));
    box.appendChild(head);
    var dl = h("dl");
    row(dl, "Reason", cf.reason);
    row(dl, "Verdict", cf.verdict || "not reviewed");
    row(dl, "Note", cf.note);
    box.appendChild(dl);
    var sides = fromClaim === undefined ? [cf.a, cf.b] : [cf.a === fromClaim ? cf.b : cf.a];
    sides.forEach(function (oi) {
      var o = claims[oi], od = claimDoc(o);
      var other = h("div", "other");
      var label = h("div");
      label.appendChild(document.createTextNode(fromClaim === undefined ? "Claim: " : "Other claim: "));
      label.appendChild(nodeLink(o.n, claimSummary(o)));
      other.appendChild(label);
      other.appendChild(quoteEl(o.quote, o.mention));
      if (od) { other.appendChild(h("div", "muted", "— " + (od.title || od.source_file || "") + (od.publisher ? ", " + od.publisher : "") + (od.date ? ", " + od.date : ""))); }
      box.appendChild(other);
    });
    return box;
  }

  function claimList(indexes, limit) {
    var ul = h("ul", "items");
    indexes.slice(0, limit).forEach(function (ci) {
      var li = h("li");
      li.appendChild(nodeLink(claims[ci].n, claimSummary(claims[ci])));
      if (claims[ci].conflicts) { li.appendChild(h("span", "muted", " · " + claims[ci].conflicts.length + " conflict(s)")); }
      ul.appendChild(li);
    });
    if (indexes.length > limit) { ul.appendChild(h("li", "muted", "… and " + fmt(indexes.length - limit) + " more")); }
    return ul;
  }
  function conflictCount(indexes) {
    var seen = new Set();
    indexes.forEach(function (ci) { (claims[ci].conflicts || []).forEach(function (k) { seen.add(k); }); });
    return seen.size;
  }
  function breakdown(indexes, key) {
    var m = Object.create(null);
    indexes.forEach(function (ci) { var v = key(claims[ci]); if (v) { m[v] = (m[v] || 0) + 1; } });
    return Object.keys(m).sort(function (a, b) { return m[b] - m[a]; }).slice(0, 8).map(function (k) { return k + " " + fmt(m[k]); }).join(", ");
  }

  function showSummary(info) {
    clear(panel);
    var list, dl = h("dl");
    if (info.kind === "document") {
      var d = docs[info.ref];
      list = docClaims[info.ref];
      panel.appendChild(h("p", "kind", "Document"));
      panel.appendChild(h("h2", null, d.title || d.source_file || "document"));
      panel.appendChild(docBlock(d));
      panel.appendChild(h("h3", null, "In this document"));
      row(dl, "Claims", fmt(list.length));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      row(dl, "Countries", breakdown(list, countryCodes));
    } else if (info.kind === "organisation") {
      var o = orgs[info.ref];
      list = orgClaims[info.ref];
      panel.appendChild(h("p", "kind", "Organisation"));
      panel.appendChild(h("h2", null, o.name));
      row(dl, "Documents published", fmt(orgDocs[info.ref].length));
      row(dl, "Claims (published or attributed)", fmt(list.length));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      row(dl, "Countries", breakdown(list, countryCodes));
    } else if (info.kind === "country") {
      var k = countries[info.ref];
      list = countryClaims[info.ref];
      panel.appendChild(h("p", "kind", "Country"));
      panel.appendChild(h("h2", null, k.code));
      row(dl, "Claims", fmt(list.length));
      row(dl, "Documents", fmt(new Set(list.map(function (ci) { return claims[ci].doc; })).size));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      row(dl, "Measures", breakdown(list, function (c) { return words(c.measure); }));
    } else if (info.kind === "aggregate") {
      var a = aggs[info.ref];
      list = [];
      claims.forEach(function (c, ci) { if ((c.aggs || []).indexOf(info.ref) >= 0 && claimMatches(c, state.filters)) { list.push(ci); } });
      panel.appendChild(h("p", "kind", "Country × measure"));
      panel.appendChild(h("h2", null, a.base));
      row(dl, "Claims", fmt(list.length));
      row(dl, "Conflicts", fmt(conflictCount(list)));
      var btn = h("button", "link", "Show these claims");
      btn.type = "button";
      btn.addEventListener("click", function () {
        if (a.country >= 0) { selCountry.value = String(a.country); }
        selMeasure.value = a.measure || "";
        refresh();
      });
      row(dl, "Drill down", btn);
      panel.appendChild(dl);
      return;
    }
    panel.appendChild(dl);
    if (list.length) {
      panel.appendChild(h("h3", null, "Claims"));
      panel.appendChild(claimList(list, 25));
    }
  }

  function showNode(id) {
    var info = nodeInfo[id];
    if (!info) { return; }
    if (info.kind === "claim") { showClaim(info.ref); } else { showSummary(info); }
    panel.scrollTop = 0;
  }
  function selectNode(id) {
    if (visible.has(id)) {
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 0.8), animation: false});
    }
    showNode(id);
  }
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    if (e.kind === "conflict") {
      clear(panel);
      panel.appendChild(h("p", "kind", "Conflict"));
      panel.appendChild(conflictBlock(conflicts[e.conflict]));
    }
  }
  network.on("click", function (p) {
    if (p.nodes && p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges && p.edges.length === 1) { showEdge(p.edges[0]); }
  });
  api.showNode = showNode;
})();
