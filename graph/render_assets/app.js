/* clasgraph network page: legend and type filter, search, details, physics that settles once then
   freezes. Every text from the graph is written with textContent or as a vis title string (which
   vis-network shows with innerText): nothing from a report is ever parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("clasgraph-data").textContent);
  var state = { ready: false, stabilized: !data.physics, matches: [] };
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.clasgraph = { network: network, nodes: nodes, edges: edges, data: data, state: state };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function markReady() {
    if (state.ready) { return; }
    state.ready = true;
    document.body.setAttribute("data-ready", "1");
  }
  var progress = document.getElementById("progress");
  if (data.physics) {
    progress.textContent = "Arranging…";
    network.on("stabilizationProgress", function (p) {
      progress.textContent = "Arranging… " + Math.round(100 * p.iterations / Math.max(1, p.total)) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      // settle once, then freeze: nodes stay where the user drags them
      network.setOptions({ physics: { enabled: false } });
      state.stabilized = true;
      progress.textContent = "";
      network.fit({ animation: false });
      markReady();
    });
  } else {
    network.once("afterDrawing", function () { markReady(); });
  }

  // ---- legend and type filter
  var hiddenKinds = {};
  var kindBox = document.getElementById("legend-kinds");
  data.kinds.forEach(function (k) {
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = k.kind;
    box.setAttribute("data-kind", k.kind);
    box.addEventListener("change", function () { setKind(k.kind, box.checked); });
    var sw = el("span", k.glyph, "swatch");
    sw.style.color = k.color;
    label.appendChild(box);
    label.appendChild(sw);
    label.appendChild(el("span", k.label));
    label.appendChild(el("span", "(" + k.count + ")", "count"));
    kindBox.appendChild(label);
  });
  function setKind(kind, shown) {
    if (shown) { delete hiddenKinds[kind]; } else { hiddenKinds[kind] = true; }
    var updates = [];
    data.nodes.forEach(function (n) {
      if (n.kind === kind) { updates.push({ id: n.id, hidden: !shown }); }
    });
    nodes.update(updates);
  }
  function setAll(shown) {
    Array.prototype.forEach.call(kindBox.querySelectorAll("input[type=checkbox]"), function (b) {
      if (b.checked !== shown) { b.checked = shown; setKind(b.value, shown); }
    });
  }
  document.getElementById("show-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("show-none").addEventListener("click", function () { setAll(false); });
  var relBox = document.getElementById("legend-relations");
  data.relations.forEach(function (r) {
    var row = el("div");
    var line = el("span", null, "line" + (r.dashes ? " dashed" : ""));
    line.style.borderTopColor = r.color;
    row.appendChild(line);
    row.appendChild(el("span", r.label));
    row.appendChild(el("span", "(" + r.count + ")", "count"));
    relBox.appendChild(row);
  });

  // ---- details panel
  var details = document.getElementById("details-text");
  function showDetails(text) { details.textContent = text; }
  network.on("click", function (p) {
    if (p.nodes.length) { showDetails(byId[p.nodes[0]].title); }
    else if (p.edges.length) { var e = edges.get(p.edges[0]); if (e) { showDetails(e.title); } }
  });

  // ---- search
  var names = document.getElementById("search-names");
  if (data.nodes.length <= 3000) {
    var seen = {};
    data.nodes.forEach(function (n) {
      if (n.kind !== "_heading" && !seen[n.name]) {
        seen[n.name] = 1;
        var o = document.createElement("option");
        o.value = n.name;
        names.appendChild(o);
      }
    });
  }
  var input = document.getElementById("search");
  var status = document.getElementById("search-status");
  function search(q) {
    q = (q || "").trim().toLowerCase();
    if (!q) { status.textContent = ""; network.unselectAll(); state.matches = []; return []; }
    var exact = [], partial = [], hidden = 0;
    data.nodes.forEach(function (n) {
      var hit = n.search.indexOf(q) >= 0;
      if (!hit) { return; }
      if (hiddenKinds[n.kind]) { hidden += 1; return; }
      if (n.name.toLowerCase() === q || n.label.toLowerCase() === q || n.keys.indexOf(q) >= 0) { exact.push(n.id); }
      else { partial.push(n.id); }
    });
    var ids = exact.length ? exact : partial;
    state.matches = ids;
    if (!ids.length) {
      network.unselectAll();
      status.textContent = "No match for “" + q + "”" + (hidden ? " among the types shown (" + hidden + " hidden)" : "");
      return ids;
    }
    network.selectNodes(ids, true);
    if (ids.length === 1) {
      network.focus(ids[0], { scale: 1.1, animation: false });
      showDetails(byId[ids[0]].title);
    } else {
      network.fit({ nodes: ids, animation: false });
    }
    var shown = ids.slice(0, 5).map(function (id) { return byId[id].name; }).join("; ");
    status.textContent = ids.length + (ids.length === 1 ? " match: " : " matches: ") + shown + (ids.length > 5 ? "; …" : "");
    return ids;
  }
  window.clasgraph.search = search;
  document.getElementById("search-form").addEventListener("submit", function (ev) { ev.preventDefault(); search(input.value); });
  document.getElementById("search-clear").addEventListener("click", function () { input.value = ""; search(""); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: false }); });
})();
