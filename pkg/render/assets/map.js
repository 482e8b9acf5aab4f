// The territory map and its editor: draws the data of the JSON block
// "data" on a canvas, with pan, zoom, hover and click, and lets the user
// move accounts between territories, with the balance, the pieces of every
// territory and the moves kept up to date, undo and redo, the edits kept in
// the browser's local storage and exported as CSV files. Written for this
// page; it loads nothing and writes the data into the page only as text
// (textContent), never as markup.
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('data').textContent);
  var canvas = document.getElementById('map');
  var ctx = canvas.getContext('2d');
  var tip = document.getElementById('tip');
  var info = document.getElementById('info');
  var legend = document.getElementById('legend');
  function $(id) { return document.getElementById(id); }

  var RAD = Math.PI / 180;
  var layers = { basemap: true, territories: true, accounts: true, levels: true, homes: true, labels: true };
  var fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  var fmt1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var fmtShort = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  var fmtCoord = new Intl.NumberFormat('en-US', { maximumFractionDigits: 5 });

  // ---- Projection: the same as the SVG's (see projection in project.go).
  var P = D.proj;
  var MERC_MAX_LAT = 85.0511287798066; // Web Mercator's square world: atan(sinh(π))
  function wrapLon(l) { return ((l + 180) % 360 + 360) % 360 - 180; }
  function project(x, y, out, j) {
    if (P.kind === 'albers') {
      var lam = wrapLon(x - P.lon0) * RAD;
      var rho = Math.sqrt(Math.max(0, P.c - 2 * P.n * Math.sin(y * RAD))) / P.n;
      var th = P.n * lam;
      out[j] = P.r * rho * Math.sin(th);
      out[j + 1] = P.r * (P.rho0 - rho * Math.cos(th));
    } else if (P.kind === 'cylindrical') {
      out[j] = P.r * wrapLon(x - P.lon0) * RAD * P.cosStd;
      out[j + 1] = P.r * Math.sin(y * RAD) / P.cosStd;
    } else if (P.kind === 'mercator') {
      var lat = Math.max(-MERC_MAX_LAT, Math.min(MERC_MAX_LAT, y)) * RAD;
      out[j] = P.r * wrapLon(x - P.lon0) * RAD;
      out[j + 1] = P.r * Math.log(Math.tan(Math.PI / 4 + lat / 2));
    } else {
      out[j] = x;
      out[j + 1] = y;
    }
  }
  function projectAll(flat) {
    var out = new Float64Array(flat.length);
    for (var j = 0; j < flat.length; j += 2) project(flat[j], flat[j + 1], out, j);
    return out;
  }

  // ---- Data, projected once.
  var A = D.accounts;
  var n = A.ids.length;
  var AXY = projectAll(A.xy);
  // Every account's territory: AT as edited, ORIG as in the plan.
  var AT = Int32Array.from(A.t);
  var ORIG = Int32Array.from(A.t);
  var T = D.territories;
  var K = T.length;
  var bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  function extend(b, x, y) {
    if (x < b.minX) b.minX = x;
    if (y < b.minY) b.minY = y;
    if (x > b.maxX) b.maxX = x;
    if (y > b.maxY) b.maxY = y;
  }
  var i, k, j;
  for (i = 0; i < n; i++) extend(bounds, AXY[2 * i], AXY[2 * i + 1]);
  var COL32 = new Uint32Array(K);
  for (k = 0; k < K; k++) {
    var t = T[k];
    t.rings = t.rings.map(projectAll);
    t.c = projectAll(t.center);
    t.lc = projectAll(t.label);
    t.box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    for (j = 0; j < t.rings.length; j++) {
      var r = t.rings[j];
      for (var q = 0; q < r.length; q += 2) extend(t.box, r[q], r[q + 1]);
    }
    if (t.box.minX <= t.box.maxX) {
      extend(bounds, t.box.minX, t.box.minY);
      extend(bounds, t.box.maxX, t.box.maxY);
    }
    extend(bounds, t.c[0], t.c[1]);
    var hex = parseInt(t.color.slice(1), 16);
    // ImageData is RGBA in memory: on little-endian machines, ABGR as a uint32.
    COL32[k] = ((255 << 24) | ((hex & 255) << 16) | (hex & 0xff00) | ((hex >> 16) & 255)) >>> 0;
  }
  for (k = 0; k < K; k++) {
    if (T[k].box.minX > T[k].box.maxX) {
      T[k].box = { minX: T[k].c[0], minY: T[k].c[1], maxX: T[k].c[0], maxY: T[k].c[1] };
    }
  }
  // The levels of parents above the territories (districts, regions):
  // their outlines, projected once.
  var LV = D.levels || [];
  for (i = 0; i < LV.length; i++) {
    LV[i].rings = LV[i].rings.map(function (rs) { return rs.map(projectAll); });
  }
  var H = D.homes;
  for (i = 0; i < H.length; i++) {
    H[i].p = projectAll(H[i].xy);
    extend(bounds, H[i].p[0], H[i].p[1]);
  }
  if (!(bounds.minX <= bounds.maxX)) bounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };

  // The basemap's outlines, projected once; they do not widen the view.
  var BM = D.basemap || null;
  if (BM) {
    BM.land = BM.land.map(projectAll);
    BM.borders = BM.borders.map(projectAll);
    BM.states = BM.states.map(projectAll);
    BM.lakes = BM.lakes.map(projectAll);
  }
  var minSide = D.space === 'geographic' ? 10 : 1;
  if (bounds.maxX - bounds.minX < minSide && bounds.maxY - bounds.minY < minSide) {
    var mx = (bounds.minX + bounds.maxX) / 2, my = (bounds.minY + bounds.maxY) / 2;
    bounds = { minX: mx - minSide / 2, minY: my - minSide / 2, maxX: mx + minSide / 2, maxY: my + minSide / 2 };
  }

  // Labels are placed largest territory first.
  var labelOrder = [];
  for (k = 0; k < K; k++) labelOrder.push(k);
  labelOrder.sort(function (a, b) { return (T[b].n - T[a].n) || (a - b); });
  var baseFont = Math.round(Math.min(22, Math.max(8, 36 / Math.pow(Math.max(K, 1), 0.25))));

  // ---- Hit testing: the accounts in a uniform grid of about 2 per cell.
  var grid = (function () {
    var w = Math.max(bounds.maxX - bounds.minX, 1e-12), h = Math.max(bounds.maxY - bounds.minY, 1e-12);
    var cell = Math.sqrt(w * h / Math.max(n / 2, 1));
    var nx = Math.min(Math.max(Math.ceil(w / cell), 1), 2048), ny = Math.min(Math.max(Math.ceil(h / cell), 1), 2048);
    var cw = w / nx, ch = h / ny;
    var count = new Int32Array(nx * ny + 1), items = new Int32Array(n), cellOf = new Int32Array(n);
    for (var a = 0; a < n; a++) {
      var cx = Math.min(nx - 1, Math.max(0, Math.floor((AXY[2 * a] - bounds.minX) / cw)));
      var cy = Math.min(ny - 1, Math.max(0, Math.floor((AXY[2 * a + 1] - bounds.minY) / ch)));
      cellOf[a] = cy * nx + cx;
      count[cellOf[a] + 1]++;
    }
    for (var c = 0; c < nx * ny; c++) count[c + 1] += count[c];
    var fill = count.slice(0, nx * ny);
    for (a = 0; a < n; a++) items[fill[cellOf[a]]++] = a;
    return { nx: nx, ny: ny, cw: cw, ch: ch, start: count, items: items };
  })();

  function nearestAccount(x, y, radius) {
    var best = -1, bestD = radius * radius;
    var x0 = Math.max(0, Math.floor((x - radius - bounds.minX) / grid.cw));
    var x1 = Math.min(grid.nx - 1, Math.floor((x + radius - bounds.minX) / grid.cw));
    var y0 = Math.max(0, Math.floor((y - radius - bounds.minY) / grid.ch));
    var y1 = Math.min(grid.ny - 1, Math.floor((y + radius - bounds.minY) / grid.ch));
    for (var cy = y0; cy <= y1; cy++) {
      for (var cx = x0; cx <= x1; cx++) {
        var c = cy * grid.nx + cx;
        for (var s = grid.start[c], e = grid.start[c + 1]; s < e; s++) {
          var a = grid.items[s];
          var dx = AXY[2 * a] - x, dy = AXY[2 * a + 1] - y;
          var d = dx * dx + dy * dy;
          if (d < bestD || (d === bestD && a < best)) { bestD = d; best = a; }
        }
      }
    }
    return best;
  }

  function inRings(rings, x, y) {
    var inside = false;
    for (var r = 0; r < rings.length; r++) {
      var p = rings[r], m = p.length;
      for (var a = 0, b = m - 2; a < m; b = a, a += 2) {
        var ya = p[a + 1], yb = p[b + 1];
        if ((ya > y) !== (yb > y) && x < (p[b] - p[a]) * (y - ya) / (yb - ya) + p[a]) inside = !inside;
      }
    }
    return inside;
  }

  function territoryAt(x, y) {
    var found = -1, bestD = Infinity;
    for (var k = 0; k < K; k++) {
      var t = T[k], b = t.box;
      if (x < b.minX || x > b.maxX || y < b.minY || y > b.maxY || !inRings(t.rings, x, y)) continue;
      if (!t.hull) return k;
      // Hulls may overlap: take the one whose centre is nearest.
      var dx = t.c[0] - x, dy = t.c[1] - y, d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; found = k; }
    }
    return found;
  }

  // ---- The view: screen x = tx + s·x, screen y = ty - s·y (CSS pixels).
  var view = { s: 1, tx: 0, ty: 0 };
  var W = 0, Hh = 0, dpr = 1;
  function resize() {
    dpr = window.devicePixelRatio || 1;
    W = canvas.clientWidth;
    Hh = canvas.clientHeight;
    var pw = Math.max(1, Math.round(W * dpr)), ph = Math.max(1, Math.round(Hh * dpr));
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
  }
  // fitPad is the room the fitted view leaves around the data: the zoom
  // buttons on the left, and the labels of territories at the edge
  // (a label is centred on its territory and about 100 px wide).
  var fitPad = 64;
  function fitBox(b, pad) {
    var w = Math.max(b.maxX - b.minX, 1e-9), h = Math.max(b.maxY - b.minY, 1e-9);
    var s = Math.min((W - 2 * pad) / w, (Hh - 2 * pad) / h);
    if (!(s > 0) || !isFinite(s)) s = 1;
    view.s = s;
    view.tx = W / 2 - s * (b.minX + b.maxX) / 2;
    view.ty = Hh / 2 + s * (b.minY + b.maxY) / 2;
  }
  function toData(sx, sy) { return [(sx - view.tx) / view.s, (view.ty - sy) / view.s]; }
  var viewMoved = false; // the user has panned or zoomed
  function zoomAt(sx, sy, f) {
    viewMoved = true;
    // Out to a quarter of the fitted scale, or half with a basemap: its
    // outlines reach that far.
    var s = Math.min(Math.max(view.s * f, fitScale / (BM ? 2 : 4)), fitScale * 1e5);
    f = s / view.s;
    view.tx = sx - (sx - view.tx) * f;
    view.ty = sy - (sy - view.ty) * f;
    view.s = s;
    schedule();
  }

  // ---- Drawing.
  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(draw);
    }
  }
  var hover = { account: -1, territory: -1 };
  var selected = { account: -1, territory: -1 }; // what the panel shows
  var off = document.createElement('canvas');
  var offCtx = off.getContext('2d');
  var img = null, img32 = null;

  function ringPath(rings) {
    ctx.beginPath();
    for (var r = 0; r < rings.length; r++) {
      var p = rings[r];
      for (var a = 0; a < p.length; a += 2) {
        var x = view.tx + view.s * p[a], y = view.ty - view.s * p[a + 1];
        if (a === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.closePath();
    }
  }
  function visible(b) {
    return view.tx + view.s * b.maxX >= 0 && view.tx + view.s * b.minX <= W &&
      view.ty - view.s * b.minY >= 0 && view.ty - view.s * b.maxY <= Hh;
  }

  // ---- The basemap: water, land, coast, state and country borders, the
  // colours of the SVG's (svg.go); OpenStreetMap's tiles over them when the
  // page has a tile URL.
  function linePath(parts, closed) {
    ctx.beginPath();
    for (var r = 0; r < parts.length; r++) {
      var p = parts[r];
      for (var a = 0; a < p.length; a += 2) {
        var x = view.tx + view.s * p[a], y = view.ty - view.s * p[a + 1];
        if (a === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      if (closed) ctx.closePath();
    }
  }
  // The coast runs along the land's rings, but for the segments listed in
  // coastGaps (the sides of the clipping window, the antimeridian).
  function coastPath() {
    ctx.beginPath();
    for (var r = 0; r < BM.land.length; r++) {
      var p = BM.land[r], gaps = BM.coastGaps[r], g = 0;
      for (var a = 0; a < p.length; a += 2) {
        var x = view.tx + view.s * p[a], y = view.ty - view.s * p[a + 1];
        if (g < gaps.length && gaps[g] === a / 2) {
          g++;
          ctx.moveTo(x, y);
        } else if (a === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
    }
  }
  function drawBasemap() {
    ctx.fillStyle = '#eaf0f4';
    ctx.fillRect(0, 0, W, Hh);
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    linePath(BM.land, true);
    ctx.fillStyle = '#fcfbf8';
    ctx.fill('evenodd');
    coastPath();
    ctx.strokeStyle = '#9cb3c3';
    ctx.lineWidth = 0.7;
    ctx.stroke();
    var strokes = [[BM.lakes, '#9cb3c3', 0.7], [BM.states, '#918c84', 0.9], [BM.borders, '#6f6a62', 1]];
    for (var i = 0; i < strokes.length; i++) {
      linePath(strokes[i][0], false);
      ctx.strokeStyle = strokes[i][1];
      ctx.lineWidth = strokes[i][2];
      ctx.stroke();
    }
    ctx.lineCap = 'butt';
    if (BM.tiles) drawTiles();
  }

  // Tiles of the Web Mercator square world: at zoom z, 2^z × 2^z tiles of
  // 2πR/2^z km; the zoom is the one whose tiles are nearest 256 device
  // pixels wide. A tile not loaded yet is left out and the frame redrawn
  // when it arrives; tiles that fail stay out (the outlines show there).
  var tiles = {}, tileCount = 0;
  function tile(z, x, y) {
    var key = z + '/' + x + '/' + y, t = tiles[key];
    if (t) return t;
    if (tileCount > 2000) { tiles = {}; tileCount = 0; }
    t = { img: new Image(), ok: false };
    t.img.onload = function () { t.ok = true; schedule(); };
    t.img.src = BM.tiles.replace('{z}', z).replace('{x}', x).replace('{y}', y);
    tiles[key] = t;
    tileCount++;
    return t;
  }
  function drawTiles() {
    var world = 2 * Math.PI * P.r;
    var z = Math.round(Math.log(view.s * dpr * world / 256) / Math.LN2);
    z = Math.max(0, Math.min(19, z));
    var nt = Math.pow(2, z), ts = view.s * world / nt;
    // The screen position of the world's top left corner: 180°W (shifted by
    // the central meridian) and Mercator's northern edge.
    var x0 = view.tx + view.s * (-Math.PI * P.r - P.lon0 * RAD * P.r);
    var y0 = view.ty - view.s * Math.PI * P.r;
    var i0 = Math.floor(-x0 / ts), i1 = Math.floor((W - x0) / ts);
    var j0 = Math.max(0, Math.floor(-y0 / ts)), j1 = Math.min(nt - 1, Math.floor((Hh - y0) / ts));
    for (var j = j0; j <= j1; j++) {
      for (var i = i0; i <= i1; i++) {
        var t = tile(z, ((i % nt) + nt) % nt, j);
        if (t.ok) ctx.drawImage(t.img, x0 + i * ts, y0 + j * ts, ts + 0.5, ts + 0.5);
      }
    }
  }

  // The fill of territory k: its colour, or, when the map is coloured by
  // a rule's % of target, how its load stands against its band: green
  // inside, blue below, red above, deeper the farther out (full at 10% of
  // the target beyond the band's end).
  var colorBy = -1; // -1: the territories' colours; r: rule r's % of target
  function fillOf(k) {
    if (colorBy < 0) return { color: T[k].color, alpha: T[k].hull ? 0.15 : 0.3 };
    var ex = excess(k, colorBy), tg = Math.abs(RT[colorBy][k]) || 1;
    if (ex === 0) return { color: '#5aae61', alpha: 0.35 };
    var f = Math.min(1, Math.abs(ex) / (0.1 * tg));
    return { color: ex < 0 ? '#2166ac' : '#d6301d', alpha: 0.3 + 0.45 * f };
  }

  function drawTerritories() {
    ctx.lineJoin = 'round';
    for (var k = 0; k < K; k++) {
      var t = T[k];
      if (!t.rings.length || !visible(t.box)) continue;
      ringPath(t.rings);
      var f = fillOf(k);
      ctx.fillStyle = f.color;
      ctx.globalAlpha = f.alpha;
      ctx.fill('evenodd');
      ctx.globalAlpha = 1;
      if (t.hull) {
        ctx.setLineDash([5, 3]);
        ctx.strokeStyle = t.color;
        ctx.lineWidth = 1.5;
      } else {
        ctx.setLineDash([]);
        ctx.strokeStyle = '#333';
        ctx.lineWidth = 0.8;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  // Accounts are written straight into an ImageData, in one pass, and
  // composited over the territories: each a square in its territory's
  // colour, a moved one (in another territory than the plan's) framed in
  // black, a selected one larger and framed in black and yellow.
  var BLACK = 0xff000000 >>> 0, YELLOW = 0xff00ccff >>> 0; // ABGR: #ffcc00
  function square(pw, ph, x, y, size, c) {
    var x0 = Math.max(x, 0), y0 = Math.max(y, 0), x1 = Math.min(x + size, pw), y1 = Math.min(y + size, ph);
    for (var yy = y0; yy < y1; yy++) {
      for (var o = yy * pw + x0, e = yy * pw + x1; o < e; o++) img32[o] = c;
    }
  }
  function drawAccounts() {
    var pw = canvas.width, ph = canvas.height;
    if (!img || img.width !== pw || img.height !== ph) {
      off.width = pw;
      off.height = ph;
      img = offCtx.createImageData(pw, ph);
      img32 = new Uint32Array(img.data.buffer);
    } else {
      img32.fill(0);
    }
    var zoom = view.s / fitScale;
    var size = Math.max(1, Math.round(dpr * Math.min(5, 2 + Math.log(Math.max(zoom, 1)) / Math.LN2 / 2)));
    var half = size >> 1;
    var s = view.s * dpr, tx = view.tx * dpr, ty = view.ty * dpr;
    var b = Math.max(1, Math.round(dpr)); // a frame's width
    for (var a = 0; a < n; a++) {
      var x = (tx + s * AXY[2 * a] - half) | 0, y = (ty - s * AXY[2 * a + 1] - half) | 0;
      if (x < -b || y < -b || x + size + b > pw || y + size + b > ph) continue;
      var c = COL32[AT[a]];
      if (AT[a] !== ORIG[a]) {
        square(pw, ph, x - b, y - b, size + 2 * b, BLACK);
        square(pw, ph, x, y, size, c);
        continue;
      }
      var o = y * pw + x;
      if (x < 0 || y < 0 || x + size > pw || y + size > ph) continue;
      for (var dy = 0; dy < size; dy++, o += pw) {
        for (var dx = 0; dx < size; dx++) img32[o + dx] = c;
      }
    }
    for (var i = 0; i < selList.length; i++) {
      a = selList[i];
      x = (tx + s * AXY[2 * a] - half) | 0;
      y = (ty - s * AXY[2 * a + 1] - half) | 0;
      if (x < -4 * b || y < -4 * b || x > pw + 3 * b || y > ph + 3 * b) continue;
      square(pw, ph, x - 3 * b, y - 3 * b, size + 6 * b, YELLOW);
      square(pw, ph, x - 2 * b, y - 2 * b, size + 4 * b, BLACK);
      square(pw, ph, x - b, y - b, size + 2 * b, COL32[AT[a]]);
    }
    offCtx.putImageData(img, 0, 0);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(off, 0, 0);
    ctx.restore();
  }

  // Level borders: the outlines of the parents, the highest level first
  // and widest (as the SVG's: 2 px for the first level, 2.5 px more a
  // level up), over the territories and their accounts.
  function levelWidth(l) { return 2 + 2.5 * l; }
  function drawLevels() {
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#1a1a1a';
    for (var l = LV.length - 1; l >= 0; l--) {
      ctx.lineWidth = levelWidth(l);
      for (var p = 0; p < LV[l].rings.length; p++) {
        if (!LV[l].rings[p].length) continue;
        ringPath(LV[l].rings[p]);
        ctx.stroke();
      }
    }
  }

  function diamond(x, y, r) {
    ctx.beginPath();
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
    ctx.closePath();
  }
  function drawHomes() {
    ctx.lineWidth = 1.2;
    ctx.strokeStyle = '#000';
    for (var i = 0; i < H.length; i++) {
      var x = view.tx + view.s * H[i].p[0], y = view.ty - view.s * H[i].p[1];
      if (x < -10 || y < -10 || x > W + 10 || y > Hh + 10) continue;
      diamond(x, y, 7);
      ctx.fillStyle = T[H[i].t].color;
      ctx.fill();
      ctx.stroke();
    }
  }

  function drawLabels() {
    var zoom = view.s / fitScale;
    var fs = Math.min(26, Math.round(baseFont * Math.min(1.6, Math.pow(zoom, 0.25))));
    var names = K <= 40 || zoom >= 4;
    var placed = [];
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#111';
    ctx.lineWidth = 3;
    for (var o = 0; o < K; o++) {
      var k = labelOrder[o], t = T[k];
      var x = view.tx + view.s * t.lc[0], y = view.ty - view.s * t.lc[1];
      if (x < 0 || y < 0 || x > W || y > Hh) continue;
      ctx.font = 'bold ' + fs + 'px system-ui, sans-serif';
      var w = ctx.measureText(t.id).width, h = fs;
      var name = names && t.name ? t.name : '';
      var ns = Math.round(fs * 0.75);
      if (name.length > 24) name = name.slice(0, 23) + '\u2026';
      if (name) {
        ctx.font = ns + 'px system-ui, sans-serif';
        w = Math.max(w, ctx.measureText(name).width);
        h += ns + 2;
      }
      var b = [x - w / 2 - 2, y - fs * 0.8 - 2, x + w / 2 + 2, y - fs * 0.8 + h + 2];
      var free = true;
      for (var p = 0; p < placed.length && free; p++) {
        var q = placed[p];
        if (b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3]) free = false;
      }
      if (!free) continue;
      placed.push(b);
      ctx.font = 'bold ' + fs + 'px system-ui, sans-serif';
      ctx.strokeText(t.id, x, y);
      ctx.fillText(t.id, x, y);
      if (name) {
        ctx.font = ns + 'px system-ui, sans-serif';
        ctx.strokeText(name, x, y + ns + 2);
        ctx.fillText(name, x, y + ns + 2);
      }
    }
  }

  function roundLength(v) {
    if (!(v > 0)) return 0;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    if (5 * p <= v) return 5 * p;
    if (2 * p <= v) return 2 * p;
    return p;
  }
  function drawScale() {
    // Mercator's scale grows with the latitude: the bar is true at the
    // latitude of the view's centre.
    var k = 1;
    if (P.kind === 'mercator') k = 1 / Math.cosh((view.ty - Hh / 2) / view.s / P.r);
    var len = roundLength(120 / view.s * k);
    if (!len) return;
    var px = len / k * view.s, x = 16, y = Hh - 16;
    var label = D.unit === 'km' && len < 1 ? fmt.format(len * 1000) + ' m' : fmt.format(len) + ' ' + D.unit;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 4;
    ctx.beginPath();
    ctx.moveTo(x, y - 6); ctx.lineTo(x, y); ctx.lineTo(x + px, y); ctx.lineTo(x + px, y - 6);
    ctx.stroke();
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#111';
    ctx.strokeText(label, x + px / 2, y - 9);
    ctx.fillText(label, x + px / 2, y - 9);
  }

  function outline(k, width) {
    var t = T[k];
    if (t.rings.length) {
      ringPath(t.rings);
      ctx.setLineDash([]);
      ctx.strokeStyle = '#000';
      ctx.lineWidth = width;
      ctx.stroke();
    }
  }
  function ringAccount(a) {
    var x = view.tx + view.s * AXY[2 * a], y = view.ty - view.s * AXY[2 * a + 1];
    ctx.beginPath();
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  // The box or lasso being dragged.
  function drawSweep() {
    var p = sweep.pts;
    ctx.beginPath();
    if (sweep.kind === 'box') {
      ctx.rect(Math.min(p[0], p[2]), Math.min(p[1], p[3]), Math.abs(p[2] - p[0]), Math.abs(p[3] - p[1]));
    } else {
      for (var i = 0; i < p.length; i += 2) {
        if (i === 0) ctx.moveTo(p[i], p[i + 1]); else ctx.lineTo(p[i], p[i + 1]);
      }
      ctx.closePath();
    }
    ctx.fillStyle = 'rgba(30, 90, 200, 0.08)';
    ctx.fill();
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = '#1e5ac8';
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.setLineDash([]);
  }

  function draw() {
    pending = false;
    resize();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, Hh);
    if (BM && layers.basemap) drawBasemap();
    if (layers.territories) drawTerritories();
    if (layers.accounts && n > 0) drawAccounts();
    if (layers.levels && LV.length) drawLevels();
    if (selected.territory >= 0) outline(selected.territory, 3);
    if (hover.territory >= 0 && hover.territory !== selected.territory) outline(hover.territory, 2);
    if (layers.homes) drawHomes();
    if (layers.labels) drawLabels();
    if (selected.account >= 0) ringAccount(selected.account);
    if (hover.account >= 0) ringAccount(hover.account);
    if (sweep) drawSweep();
    drawScale();
  }

  // ---- The editor's model: every account's territory now (AT) and in
  // the plan (ORIG), every territory's load of every rule and its pieces,
  // the selection and the history of moves.

  // The rules: the values each sums (null: 1 an account), every
  // territory's target and band (open ends as ±Infinity).
  var RULES = D.rules || [], NR = RULES.length;
  var RV = [], RT = [], RLO = [], RHI = [];
  for (var r0 = 0; r0 < NR; r0++) {
    var ru = RULES[r0];
    RV.push(ru.m >= 0 ? Float64Array.from(A.values[ru.m]) : null);
    RT.push(ru.target);
    RLO.push(ru.lo.map(function (v) { return v === null ? -Infinity : v; }));
    RHI.push(ru.hi.map(function (v) { return v === null ? Infinity : v; }));
  }
  var loads = new Float64Array(K * NR), counts = new Int32Array(K);
  for (i = 0; i < n; i++) {
    counts[AT[i]]++;
    for (var r1 = 0; r1 < NR; r1++) loads[AT[i] * NR + r1] += RV[r1] ? RV[r1][i] : 1;
  }
  // The plan's loads, restored exactly when a territory's edits are all
  // undone (sums taken in another order may differ in the last bits).
  var LOADS0 = Float64Array.from(loads), COUNTS0 = Int32Array.from(counts);
  // How far a load lies outside its band, as territory.Band.Excess:
  // positive above, negative below, 0 inside (within 1e-9 of the target).
  function excess(k, r) {
    var v = loads[k * NR + r], lo = RLO[r][k], hi = RHI[r][k];
    var eps = 1e-9 * Math.max(Math.abs(RT[r][k]), 1);
    if (v > hi + eps) return v - hi;
    if (v < lo - eps) return v - lo;
    return 0;
  }
  function pct(k, r) { return RT[r][k] ? 100 * loads[k * NR + r] / RT[r][k] : 0; }

  // The accounts' neighbours (Delaunay edges, or the units' shared
  // boundaries), decoded from base64 LEB128 varints (see encodeGraph in
  // html.go) into compressed rows: the neighbours of a are
  // NB[NOFF[a]..NOFF[a+1]).
  var NOFF = new Int32Array(n + 1), NB;
  (function () {
    var s = atob(D.graph || ''), pos = 0, a, m, j, g;
    function uv() {
      var v = 0, mul = 1, c;
      do {
        c = s.charCodeAt(pos++);
        v += (c & 127) * mul;
        mul *= 128;
      } while (c & 128 && pos < s.length);
      return v;
    }
    var deg = new Int32Array(n);
    for (a = 0; a < n && pos < s.length; a++) {
      m = uv();
      for (j = a, g = 0; g < m; g++) {
        j += uv();
        if (j < n) { deg[a]++; deg[j]++; }
      }
    }
    for (a = 0; a < n; a++) NOFF[a + 1] = NOFF[a] + deg[a];
    NB = new Int32Array(NOFF[n]);
    var fill = NOFF.slice(0, n);
    pos = 0;
    for (a = 0; a < n && pos < s.length; a++) {
      m = uv();
      for (j = a, g = 0; g < m; g++) {
        j += uv();
        if (j < n) { NB[fill[a]++] = j; NB[fill[j]++] = a; }
      }
    }
  })();

  // Pieces: the connected parts of each territory's accounts in that
  // graph, counted by a breadth-first search over the territories asked
  // for (every account is looked at once, the edges of those territories'
  // accounts once each).
  var pieces = new Int32Array(K);
  var seen = new Int32Array(n), seenGen = 0, queue = new Int32Array(Math.max(n, 1));
  var want = new Uint8Array(K);
  function countPieces(ts) {
    var q, k, a;
    for (q = 0; q < ts.length; q++) { want[ts[q]] = 1; pieces[ts[q]] = 0; }
    seenGen++;
    for (a = 0; a < n; a++) {
      k = AT[a];
      if (!want[k] || seen[a] === seenGen) continue;
      pieces[k]++;
      var head = 0, tail = 0;
      queue[tail++] = a;
      seen[a] = seenGen;
      while (head < tail) {
        var b = queue[head++];
        for (var e = NOFF[b], end = NOFF[b + 1]; e < end; e++) {
          var c = NB[e];
          if (seen[c] !== seenGen && AT[c] === k) {
            seen[c] = seenGen;
            queue[tail++] = c;
          }
        }
      }
    }
    for (q = 0; q < ts.length; q++) want[ts[q]] = 0;
  }
  var ALL = [];
  for (k = 0; k < K; k++) ALL.push(k);
  countPieces(ALL);
  var PIECES0 = Int32Array.from(pieces);

  // Groups: a grouped plan keeps every account in a territory of its group.
  var G = D.groups || null;

  // Moves. touched[k] counts the moved accounts that came from or went to
  // territory k; movedCount all of them.
  var movedCount = 0, touched = new Int32Array(K);
  var mark = new Uint8Array(K);
  // setTerritories puts every account acc[i] into to(i) and keeps loads,
  // counts, moves and pieces up to date; it returns the territories whose
  // accounts changed.
  function setTerritories(acc, to) {
    var changed = [], i, r;
    for (i = 0; i < acc.length; i++) {
      var a = acc[i], t0 = AT[a], t1 = to(i);
      if (t0 === t1) continue;
      for (r = 0; r < NR; r++) {
        var v = RV[r] ? RV[r][a] : 1;
        loads[t0 * NR + r] -= v;
        loads[t1 * NR + r] += v;
      }
      counts[t0]--;
      counts[t1]++;
      if (t0 !== ORIG[a]) { movedCount--; touched[ORIG[a]]--; touched[t0]--; }
      if (t1 !== ORIG[a]) { movedCount++; touched[ORIG[a]]++; touched[t1]++; }
      AT[a] = t1;
      if (!mark[t0]) { mark[t0] = 1; changed.push(t0); }
      if (!mark[t1]) { mark[t1] = 1; changed.push(t1); }
    }
    for (i = 0; i < changed.length; i++) {
      var k = changed[i];
      mark[k] = 0;
      if (touched[k] === 0) {
        for (r = 0; r < NR; r++) loads[k * NR + r] = LOADS0[k * NR + r];
      }
    }
    countPieces(changed);
    return changed;
  }

  // What is wrong with territory k: its rules broken and its pieces.
  function status(k) {
    var s = { broken: [], pieces: pieces[k] };
    for (var r = 0; r < NR; r++) if (excess(k, r) !== 0) s.broken.push(r);
    return s;
  }

  // The history: every op moves the accounts a to territory to (-1: back
  // to the plan's); from holds where they were, for undo.
  var ops = [], pos = 0;
  function targetOf(op) {
    return op.to >= 0 ? function () { return op.to; } : function (i) { return ORIG[op.a[i]]; };
  }
  function doOp(op) {
    op.from = new Int32Array(op.a.length);
    for (var i = 0; i < op.a.length; i++) op.from[i] = AT[op.a[i]];
    return setTerritories(op.a, targetOf(op));
  }
  function undoOp(op) {
    return setTerritories(op.a, function (i) { return op.from[i]; });
  }

  // ---- Keeping the edits: in the browser's local storage, under the
  // plan's key, so that a reload finds them and another plan's page does
  // not.
  var STORE = 'territory-map-edits:' + D.key;
  var storeNote = '';
  function save() {
    try {
      if (!ops.length) {
        window.localStorage.removeItem(STORE);
      } else {
        window.localStorage.setItem(STORE, JSON.stringify({
          v: 1, n: n, pos: pos,
          ops: ops.map(function (o) { return [o.to].concat(Array.prototype.slice.call(o.a)); })
        }));
      }
      storeNote = '';
    } catch (err) {
      storeNote = 'The browser does not keep these edits (' + err.name + '): export them before closing the page.';
    }
  }
  function restore() {
    var raw;
    try {
      raw = window.localStorage.getItem(STORE);
    } catch (err) {
      storeNote = 'The browser does not keep edits for this page (' + err.name + ').';
      return;
    }
    if (!raw) return;
    try {
      var st = JSON.parse(raw);
      if (st.v !== 1 || st.n !== n || !Array.isArray(st.ops)) throw new Error('another format');
      var list = st.ops.map(function (o) {
        var to = o[0], a = Int32Array.from(o.slice(1));
        if (!(to >= -1 && to < K)) throw new Error('territory ' + to);
        for (var i = 0; i < a.length; i++) if (!(a[i] >= 0 && a[i] < n)) throw new Error('account ' + a[i]);
        return { a: a, to: to };
      });
      var p = Math.min(Math.max(st.pos | 0, 0), list.length);
      for (var i = 0; i < p; i++) doOp(list[i]);
      ops = list;
      pos = p;
    } catch (err) {
      storeNote = 'The edits kept for this page could not be read (' + err.message + ') and were left out.';
    }
  }

  // ---- The selection.
  var isSel = new Uint8Array(n), selList = [];
  function clearSelection() {
    for (var i = 0; i < selList.length; i++) isSel[selList[i]] = 0;
    selList = [];
  }
  function addToSelection(a) {
    if (!isSel[a]) { isSel[a] = 1; selList.push(a); }
  }
  function toggleSelection(a) {
    if (!isSel[a]) { addToSelection(a); return; }
    isSel[a] = 0;
    selList.splice(selList.indexOf(a), 1);
  }

  // ---- Moving the selection, undo and redo, and what the page shows of
  // them.
  var lastEditMs = 0;
  var warnings = $('warnings');
  function say(lines, kind) {
    warnings.textContent = '';
    for (var i = 0; i < lines.length; i++) {
      var li = document.createElement('li');
      li.textContent = lines[i];
      li.className = kind || '';
      warnings.appendChild(li);
    }
  }
  function ruleLabel(r) { return RULES[r].name; }
  function measureLabel(r) { return RULES[r].m >= 0 ? D.measures[RULES[r].m] : 'count'; }
  // brokenText says how territory k breaks rule r.
  function brokenText(k, r) {
    var ex = excess(k, r);
    return T[k].id + ': ' + measureLabel(r) + ' ' + fmt1.format(pct(k, r)) + '% of target, ' +
      (ex > 0 ? 'above' : 'below') + ' its band (' + ruleLabel(r) + ')';
  }

  // moveSelection moves the selected accounts into territory to, as one
  // step of the history, and says which rules and territories the move
  // broke.
  function moveSelection(to) {
    if (to < 0 || to >= K) return;
    var start = performance.now();
    var acc = [], other = 0, i, a;
    for (i = 0; i < selList.length; i++) {
      a = selList[i];
      if (AT[a] === to) continue;
      if (G && G.of[a] !== G.territories[to]) { other++; continue; }
      acc.push(a);
    }
    var notes = [];
    if (other) {
      notes.push(fmt.format(other) + (other === 1 ? ' account stays: it is' : ' accounts stay: they are') + ' of another ' +
        G.column + ' than ' + T[to].id + ' (' + G.names[G.territories[to]] + '), and a grouped plan keeps accounts in their group.');
    }
    if (!acc.length) {
      say(notes.length ? notes : [selList.length ? 'The selected accounts are in ' + T[to].id + ' already.' : 'Select accounts first.'], 'note');
      return;
    }
    // The state of the territories the move touches, before it.
    var ks = [to];
    mark[to] = 1;
    for (i = 0; i < acc.length; i++) {
      if (!mark[AT[acc[i]]]) { mark[AT[acc[i]]] = 1; ks.push(AT[acc[i]]); }
    }
    for (i = 0; i < ks.length; i++) mark[ks[i]] = 0;
    var before = ks.map(status);
    var op = { a: Int32Array.from(acc), to: to };
    ops.length = pos;
    ops.push(op);
    pos++;
    var changed = doOp(op);
    var broke = [];
    for (i = 0; i < ks.length; i++) {
      var k = ks[i], now = status(k);
      if (now.pieces > before[i].pieces) broke.push(T[k].id + ' is now in ' + now.pieces + ' pieces');
      for (var r = 0; r < now.broken.length; r++) {
        if (before[i].broken.indexOf(now.broken[r]) < 0) broke.push(brokenText(k, now.broken[r]));
      }
    }
    var head = 'Moved ' + fmt.format(acc.length) + (acc.length === 1 ? ' account' : ' accounts') + ' to ' + T[to].id + '.';
    if (broke.length) {
      say([head + ' This move breaks:'].concat(broke, notes), 'warn');
    } else {
      say([head].concat(notes), notes.length ? 'note' : '');
    }
    afterEdit(changed);
    lastEditMs = performance.now() - start;
  }
  function undo() {
    if (pos === 0) return;
    var op = ops[--pos];
    var changed = undoOp(op);
    say(['Undid the move of ' + fmt.format(op.a.length) + (op.a.length === 1 ? ' account.' : ' accounts.')], '');
    afterEdit(changed);
  }
  function redo() {
    if (pos >= ops.length) return;
    var op = ops[pos++];
    var changed = doOp(op);
    say(['Redid the move of ' + fmt.format(op.a.length) + (op.a.length === 1 ? ' account.' : ' accounts.')], '');
    afterEdit(changed);
  }
  // reset moves every moved account back, as one step that can be undone.
  function reset() {
    var acc = [];
    for (var a = 0; a < n; a++) if (AT[a] !== ORIG[a]) acc.push(a);
    if (!acc.length) return;
    ops.length = pos;
    var op = { a: Int32Array.from(acc), to: -1 };
    ops.push(op);
    pos++;
    var changed = doOp(op);
    say(['Moved ' + fmt.format(acc.length) + (acc.length === 1 ? ' account' : ' accounts') + ' back to the plan\'s territories (Undo brings the edits back).'], '');
    afterEdit(changed);
  }
  function afterEdit(changed) {
    save();
    for (var i = 0; i < changed.length; i++) updateRow(changed[i]);
    updateEditBar();
    if (selected.account >= 0 || selected.territory >= 0) showInfo(selected);
    schedule();
  }

  // ---- The edit bar: the selection, the moves, undo and redo.
  var moveTo = $('move-to');
  for (k = 0; k < K; k++) {
    var opt = document.createElement('option');
    opt.value = String(k);
    opt.textContent = T[k].id + (T[k].name || T[k].rep ? ' \u2014 ' + repLabel(T[k].rep, T[k].name) : '');
    moveTo.appendChild(opt);
  }
  function updateEditBar() {
    var sel = $('selection');
    if (!selList.length) {
      sel.textContent = 'No accounts selected. Click an account (Shift-click adds one), or drag a box with Shift or a lasso with Alt.';
      sel.className = 'hint';
    } else {
      var from = {}, list = [];
      for (var i = 0; i < selList.length; i++) {
        var k = AT[selList[i]];
        if (!from[k]) { from[k] = 1; list.push(k); }
      }
      list.sort(function (x, y) { return x - y; });
      var names = list.slice(0, 6).map(function (k) { return T[k].id; }).join(', ') + (list.length > 6 ? ', \u2026' : '');
      sel.textContent = fmt.format(selList.length) + (selList.length === 1 ? ' account' : ' accounts') + ' selected, in ' + names +
        '. Move with the menu, or press M over a territory.';
      sel.className = '';
    }
    $('move').disabled = !selList.length;
    $('clear').disabled = !selList.length;
    $('undo').disabled = pos === 0;
    $('redo').disabled = pos >= ops.length;
    $('reset').disabled = movedCount === 0;
    $('export-edits').disabled = movedCount === 0;
    var m = $('moved');
    m.textContent = movedCount ? fmt.format(movedCount) + (movedCount === 1 ? ' account' : ' accounts') + ' moved' : 'No accounts moved';
    // The overall state: which territories break a rule or are in pieces.
    var out = 0, split = 0;
    for (var k2 = 0; k2 < K; k2++) {
      var st = status(k2);
      if (st.broken.length) out++;
      if (st.pieces > 1) split++;
    }
    var parts = [];
    if (out) parts.push(fmt.format(out) + (out === 1 ? ' territory breaks' : ' territories break') + ' a rule');
    if (split) parts.push(fmt.format(split) + (split === 1 ? ' territory is' : ' territories are') + ' in more than one piece');
    var o = $('overall');
    o.textContent = parts.length ? parts.join('; ') + '.' : NR ? 'Every territory is within its bands and in one piece.' : 'Every territory is in one piece.';
    o.className = parts.length ? 'warn' : 'ok';
    if (storeNote) o.textContent += ' ' + storeNote;
  }

  // ---- The balance table: a row per territory, the load and % of target
  // of every rule (in colour outside the band) and the pieces; a row
  // whose territory has edits is marked.
  var rowOf = [];
  (function () {
    var head = $('balance-head');
    var cols = ['Territory', 'Accts'];
    for (var r = 0; r < NR; r++) cols.push(measureLabel(r));
    cols.push('Pieces');
    for (var c = 0; c < cols.length; c++) {
      var th = document.createElement('th');
      th.textContent = cols[c];
      if (c === 1) th.title = 'Accounts';
      if (c >= 2 && c < 2 + NR) th.title = ruleLabel(c - 2) + ': load and % of target';
      if (c === cols.length - 1) th.title = 'Connected pieces: 1 for a territory in one piece';
      head.appendChild(th);
    }
    for (var k = 0; k < K; k++) {
      var tr = document.createElement('tr');
      var td = document.createElement('td');
      var who = document.createElement('div');
      who.className = 'who';
      var sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = T[k].color;
      var id = document.createElement('span');
      id.className = 'tid';
      id.textContent = T[k].id;
      var rep = document.createElement('span');
      rep.className = 'rep';
      rep.textContent = T[k].name || T[k].rep;
      td.title = T[k].id + ' \u2014 ' + repLabel(T[k].rep, T[k].name);
      who.appendChild(sw);
      who.appendChild(id);
      who.appendChild(rep);
      td.appendChild(who);
      tr.appendChild(td);
      var cells = { tr: tr, n: document.createElement('td'), rules: [], pieces: null };
      cells.n.className = 'num';
      tr.appendChild(cells.n);
      for (r = 0; r < NR; r++) {
        var rc = document.createElement('td');
        rc.className = 'num';
        cells.rules.push(rc);
        tr.appendChild(rc);
      }
      cells.pieces = document.createElement('td');
      cells.pieces.className = 'num';
      tr.appendChild(cells.pieces);
      tr.addEventListener('click', (function (k) {
        return function () {
          viewMoved = true;
          fitBox(T[k].box, 40);
          if (view.s > fitScale * 1e5) view.s = fitScale * 1e5;
          select({ account: -1, territory: k });
        };
      })(k));
      legend.appendChild(tr);
      rowOf.push(cells);
      updateRow(k);
    }
  })();
  function updateRow(k) {
    var c = rowOf[k];
    if (!c) return;
    c.tr.classList.toggle('edited', touched[k] > 0);
    c.n.textContent = fmt.format(counts[k]);
    c.n.title = touched[k] > 0 ? fmt.format(COUNTS0[k]) + ' in the plan' : '';
    for (var r = 0; r < NR; r++) {
      var ex = excess(k, r), cell = c.rules[r];
      cell.textContent = fmtShort.format(loads[k * NR + r]) + ' ' + (RT[r][k] ? fmt1.format(pct(k, r)) + '%' : '\u2014');
      cell.className = 'num' + (ex > 0 ? ' hi' : ex < 0 ? ' lo' : '');
      cell.title = measureLabel(r) + ' ' + fmt.format(loads[k * NR + r]) + ', target ' + fmt.format(RT[r][k]) +
        ' (' + ruleLabel(r) + (ex ? ', outside its band' : '') + ')' +
        (touched[k] > 0 ? '; ' + fmt.format(LOADS0[k * NR + r]) + ' in the plan' : '');
    }
    c.pieces.textContent = fmt.format(pieces[k]);
    c.pieces.className = 'num' + (pieces[k] > 1 ? ' hi' : '');
  }

  // ---- Exports: edits.csv (the moves) and assignments.csv (the whole
  // edited plan, in the columns of the run's), downloaded from the page.
  // The ids are sorted as territory.CompareIDs sorts them: ids of digits
  // alone first, by number, then all others by their UTF-8 bytes (code
  // points), ties in the accounts' order.
  function digits(s) { return /^[0-9]+$/.test(s); }
  function codePointCompare(a, b) {
    var m = Math.min(a.length, b.length);
    for (var i = 0; i < m; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x === y) continue;
      // UTF-16 code units order code points above U+FFFF (surrogates,
      // 0xD800-0xDFFF) before U+E000-U+FFFF; UTF-8 bytes do not.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  function compareIDs(a, b) {
    var da = digits(a), db = digits(b);
    if (da && !db) return -1;
    if (!da && db) return 1;
    if (da && db) {
      var ta = a.replace(/^0+/, ''), tb = b.replace(/^0+/, '');
      if (ta.length !== tb.length) return ta.length < tb.length ? -1 : 1;
      if (ta !== tb) return ta < tb ? -1 : 1;
    }
    return codePointCompare(a, b);
  }
  var ORDER = null;
  function idOrder() {
    if (!ORDER) {
      ORDER = new Int32Array(n);
      for (var i = 0; i < n; i++) ORDER[i] = i;
      ORDER.sort(function (x, y) { return compareIDs(A.ids[x], A.ids[y]) || x - y; });
    }
    return ORDER;
  }
  // csvField quotes a field as Go's encoding/csv does.
  function csvField(s) {
    if (s === '') return s;
    if (s === '\\.' || /[",\r\n]/.test(s) || /^\s/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
    return s;
  }
  function csvRow(fields) { return fields.map(csvField).join(',') + '\n'; }
  // distance from account a to territory k's centre as solved, as
  // spatial.Distance computes it.
  function distance(a, k) {
    var c = T[k].center, x = A.xy[2 * a], y = A.xy[2 * a + 1];
    if (D.space !== 'geographic') return Math.hypot(x - c[0], y - c[1]);
    var lat1 = y * RAD, lat2 = c[1] * RAD;
    var sLat = Math.sin((lat2 - lat1) / 2), sLon = Math.sin((c[0] - x) * RAD / 2);
    var h = Math.min(1, Math.max(0, sLat * sLat + Math.cos(lat1) * Math.cos(lat2) * sLon * sLon));
    return 2 * P.r * Math.asin(Math.sqrt(h));
  }
  function fixed3(v) {
    var s = v.toFixed(3);
    return s === '-0.000' ? '0.000' : s;
  }
  function editsCSV() {
    var out = ['account_id,territory_id\n'], order = idOrder();
    for (var i = 0; i < n; i++) {
      var a = order[i];
      if (AT[a] !== ORIG[a]) out.push(csvRow([A.ids[a], T[AT[a]].id]));
    }
    return out.join('');
  }
  function assignmentsCSV() {
    var head = ['account_id'];
    if (G) head.push(G.column);
    head.push('territory_id', 'rep_id', D.distance);
    for (var l = 0; l < LV.length; l++) head.push(LV[l].name + '_id');
    var out = [csvRow(head)], order = idOrder();
    for (var i = 0; i < n; i++) {
      var a = order[i], k = AT[a], row = [A.ids[a]];
      if (G) row.push(G.names[G.of[a]]);
      row.push(T[k].id, T[k].rep, fixed3(distance(a, k)));
      for (l = 0; l < LV.length; l++) row.push(LV[l].ids[LV[l].of[k]]);
      out.push(csvRow(row));
    }
    return out.join('');
  }
  function download(name, text) {
    var url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ---- What is under the pointer, and the panel and tooltip showing it.
  function pick(sx, sy) {
    var p = toData(sx, sy);
    var a = layers.accounts && n > 0 ? nearestAccount(p[0], p[1], 6 / view.s) : -1;
    if (a >= 0) return { account: a, territory: AT[a] };
    return { account: -1, territory: layers.territories ? territoryAt(p[0], p[1]) : -1 };
  }

  function repLabel(id, name) {
    if (!name || name === id) return id;
    if (!id) return name;
    return name + ' (' + id + ')';
  }
  // rows returns the label/value pairs that describe a hit.
  function rows(h) {
    var out = [];
    if (h.account >= 0) {
      var a = h.account, t = T[AT[a]];
      if (A.names.length && A.names[a]) out.push(['Name', A.names[a]]);
      out.push(['Territory', t.id + ' \u2014 ' + repLabel(t.rep, t.name)]);
      if (AT[a] !== ORIG[a]) out.push(['Moved from', T[ORIG[a]].id + ' \u2014 ' + repLabel(T[ORIG[a]].rep, T[ORIG[a]].name)]);
      for (var m = 0; m < D.measures.length; m++) out.push([D.measures[m], fmt.format(A.values[m][a])]);
      var lx = fmtCoord.format(A.xy[2 * a]), ly = fmtCoord.format(A.xy[2 * a + 1]);
      out.push(D.space === 'geographic' ? ['Lat, lon', ly + ', ' + lx] : ['x, y', lx + ', ' + ly]);
      return { title: 'Account ' + A.ids[a], rows: out };
    }
    var k = h.territory, tt = T[k];
    if (touched[k] > 0) {
      // The numbers with the edits, then those of the plan as solved.
      out.push(['Accounts now', fmt.format(counts[k]) + ' (' + fmt.format(touched[k]) + ' moved in or out)']);
      for (var r = 0; r < NR; r++) {
        var ex = excess(k, r);
        out.push([measureLabel(r) + ' now', fmt.format(loads[k * NR + r]) +
          (RT[r][k] ? ' (' + fmt1.format(pct(k, r)) + '% of target)' : '') + (ex ? ' outside ' + ruleLabel(r) : '')]);
      }
      out.push(['Pieces now', fmt.format(pieces[k])]);
      out.push(['As solved', '']);
    }
    return { title: tt.id + ' \u2014 ' + repLabel(tt.rep, tt.name), rows: out.concat(tt.stats) };
  }

  function showInfo(h) {
    info.textContent = '';
    if (h.account < 0 && h.territory < 0) {
      var p = document.createElement('p');
      p.className = 'hint';
      p.textContent = 'Nothing here. Hover over or click a territory or an account.';
      info.appendChild(p);
      return;
    }
    var d = rows(h);
    var h3 = document.createElement('h3');
    h3.textContent = d.title;
    info.appendChild(h3);
    var table = document.createElement('table');
    for (var r = 0; r < d.rows.length; r++) {
      var tr = document.createElement('tr');
      var td1 = document.createElement('td'), td2 = document.createElement('td');
      td1.textContent = d.rows[r][0];
      td2.textContent = d.rows[r][1];
      tr.appendChild(td1);
      tr.appendChild(td2);
      table.appendChild(tr);
    }
    info.appendChild(table);
    if (h.account < 0 && counts[h.territory] > 0) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = 'Select its ' + fmt.format(counts[h.territory]) + (counts[h.territory] === 1 ? ' account' : ' accounts');
      b.addEventListener('click', function () {
        for (var a = 0; a < n; a++) if (AT[a] === h.territory) addToSelection(a);
        selectionChanged();
      });
      info.appendChild(b);
    }
  }

  function showTip(h, sx, sy) {
    if (h.account < 0 && h.territory < 0) {
      tip.style.display = 'none';
      return;
    }
    var d = rows(h), lines = [d.title];
    for (var r = 0; r < d.rows.length && r < 12; r++) lines.push(d.rows[r][0] + (d.rows[r][1] ? ': ' + d.rows[r][1] : ''));
    tip.textContent = lines.join('\n');
    tip.style.display = 'block';
    var x = sx + 14, y = sy + 14;
    if (x + tip.offsetWidth > W) x = Math.max(0, sx - 14 - tip.offsetWidth);
    if (y + tip.offsetHeight > Hh) y = Math.max(0, sy - 14 - tip.offsetHeight);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  function select(h) {
    selected = h;
    showInfo(h);
    for (var k = 0; k < rowOf.length; k++) rowOf[k].tr.classList.toggle('selected', k === h.territory);
    if (h.territory >= 0 && rowOf[h.territory]) rowOf[h.territory].tr.scrollIntoView({ block: 'nearest' });
    schedule();
  }
  function selectionChanged() {
    updateEditBar();
    schedule();
  }

  // ---- The key, layer toggles and the colouring.
  var key = $('key');
  function updateKey() {
    key.textContent = '';
    function item(sample, text) {
      var li = document.createElement('li');
      li.appendChild(sample);
      li.appendChild(document.createTextNode(text));
      key.appendChild(li);
    }
    for (var l = 0; l < LV.length; l++) {
      var line = document.createElement('span');
      line.className = 'line';
      line.style.borderTopWidth = levelWidth(l) + 'px';
      item(line, LV[l].name.charAt(0).toUpperCase() + LV[l].name.slice(1) + ' border');
    }
    if (colorBy >= 0) {
      var kinds = [['#2166ac', 'below its band'], ['#5aae61', 'within its band'], ['#d6301d', 'above its band']];
      for (var i = 0; i < kinds.length; i++) {
        var sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = kinds[i][0];
        item(sw, measureLabel(colorBy) + ' ' + kinds[i][1]);
      }
    }
  }
  (function () {
    var boxes = document.querySelectorAll('#layers input');
    for (var b = 0; b < boxes.length; b++) {
      boxes[b].addEventListener('change', function (e) {
        layers[e.target.getAttribute('data-layer')] = e.target.checked;
        schedule();
      });
    }
    var by = $('color-by');
    var o = document.createElement('option');
    o.value = '-1';
    o.textContent = 'by territory';
    by.appendChild(o);
    for (var r = 0; r < NR; r++) {
      o = document.createElement('option');
      o.value = String(r);
      o.textContent = 'by ' + measureLabel(r) + ' % of target';
      by.appendChild(o);
    }
    by.addEventListener('change', function () {
      colorBy = parseInt(by.value, 10);
      updateKey();
      schedule();
    });
    updateKey();
  })();

  // ---- Selecting by a box or a lasso: the accounts whose dots lie
  // inside, looked up in the grid cells the shape covers.
  var sweep = null; // {kind: 'box' | 'lasso', pts: screen coordinates}
  function inPolygon(p, x, y) {
    var inside = false, m = p.length;
    for (var a = 0, b = m - 2; a < m; b = a, a += 2) {
      var ya = p[a + 1], yb = p[b + 1];
      if ((ya > y) !== (yb > y) && x < (p[b] - p[a]) * (y - ya) / (yb - ya) + p[a]) inside = !inside;
    }
    return inside;
  }
  function selectSwept(sw) {
    var poly = sw.pts;
    if (sw.kind === 'box') {
      var x0 = poly[0], y0 = poly[1], x1 = poly[2], y1 = poly[3];
      poly = [x0, y0, x1, y0, x1, y1, x0, y1];
    }
    var b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    var dp = [];
    for (var i = 0; i < poly.length; i += 2) {
      var q = toData(poly[i], poly[i + 1]);
      dp.push(q[0], q[1]);
      extend(b, q[0], q[1]);
    }
    var cx0 = Math.max(0, Math.floor((b.minX - bounds.minX) / grid.cw)), cx1 = Math.min(grid.nx - 1, Math.floor((b.maxX - bounds.minX) / grid.cw));
    var cy0 = Math.max(0, Math.floor((b.minY - bounds.minY) / grid.ch)), cy1 = Math.min(grid.ny - 1, Math.floor((b.maxY - bounds.minY) / grid.ch));
    var added = 0;
    for (var cy = cy0; cy <= cy1; cy++) {
      for (var cx = cx0; cx <= cx1; cx++) {
        var c = cy * grid.nx + cx;
        for (var s = grid.start[c], e = grid.start[c + 1]; s < e; s++) {
          var a = grid.items[s], x = AXY[2 * a], y = AXY[2 * a + 1];
          if (x < b.minX || x > b.maxX || y < b.minY || y > b.maxY || isSel[a] || !inPolygon(dp, x, y)) continue;
          addToSelection(a);
          added++;
        }
      }
    }
    return added;
  }

  // ---- Pointer, wheel, buttons and keys. A drag pans; with Shift it
  // draws a box, with Alt a lasso (or plainly, with the box or lasso tool
  // on), whose accounts join the selection. A click selects an account
  // (Shift or Ctrl adds it, or takes it out) or shows a territory.
  var drag = null, tool = 'pan', pointer = null;
  function setTool(t) {
    tool = tool === t ? 'pan' : t;
    $('tool-box').setAttribute('aria-pressed', String(tool === 'box'));
    $('tool-lasso').setAttribute('aria-pressed', String(tool === 'lasso'));
    canvas.classList.toggle('selecting', tool !== 'pan');
  }
  canvas.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) return;
    var rect = canvas.getBoundingClientRect();
    var sx = e.clientX - rect.left, sy = e.clientY - rect.top;
    var kind = e.altKey ? 'lasso' : e.shiftKey ? 'box' : tool === 'pan' ? 'pan' : tool;
    drag = { x: e.clientX, y: e.clientY, sx: sx, sy: sy, tx: view.tx, ty: view.ty, moved: false, kind: kind };
    try {
      canvas.setPointerCapture(e.pointerId);
    } catch (err) {
      // A pointer the browser does not track (a synthetic event) is not
      // captured; dragging still works while it stays over the canvas.
    }
  });
  canvas.addEventListener('pointermove', function (e) {
    var rect = canvas.getBoundingClientRect();
    var sx = e.clientX - rect.left, sy = e.clientY - rect.top;
    pointer = [sx, sy];
    if (drag) {
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && dx * dx + dy * dy < 16) return;
      drag.moved = true;
      tip.style.display = 'none';
      if (drag.kind === 'pan') {
        viewMoved = true;
        canvas.classList.add('dragging');
        view.tx = drag.tx + dx;
        view.ty = drag.ty + dy;
      } else if (drag.kind === 'box') {
        sweep = { kind: 'box', pts: [drag.sx, drag.sy, sx, sy] };
      } else {
        if (!sweep) sweep = { kind: 'lasso', pts: [drag.sx, drag.sy] };
        sweep.pts.push(sx, sy);
      }
      schedule();
      return;
    }
    var h = pick(sx, sy);
    if (h.account !== hover.account || h.territory !== hover.territory) {
      hover = h;
      schedule();
    }
    showTip(h, sx, sy);
  });
  canvas.addEventListener('pointerup', function (e) {
    var d = drag;
    drag = null;
    canvas.classList.remove('dragging');
    if (!d) return;
    if (d.moved && sweep) {
      var added = selectSwept(sweep);
      sweep = null;
      say([added ? 'Added ' + fmt.format(added) + (added === 1 ? ' account' : ' accounts') + ' to the selection.' : 'No accounts in that ' + (d.kind === 'box' ? 'box.' : 'lasso.')], 'note');
      selectionChanged();
      return;
    }
    if (d.moved) return;
    var rect = canvas.getBoundingClientRect();
    var h = pick(e.clientX - rect.left, e.clientY - rect.top);
    var add = e.shiftKey || e.ctrlKey || e.metaKey;
    if (h.account >= 0) {
      if (add) toggleSelection(h.account);
      else {
        clearSelection();
        addToSelection(h.account);
      }
    } else if (!add) {
      clearSelection();
    }
    selectionChanged();
    select(h);
  });
  canvas.addEventListener('pointerleave', function () {
    pointer = null;
    if (drag) return;
    tip.style.display = 'none';
    if (hover.account >= 0 || hover.territory >= 0) {
      hover = { account: -1, territory: -1 };
      schedule();
    }
  });
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    var rect = canvas.getBoundingClientRect();
    var dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomAt(e.clientX - rect.left, e.clientY - rect.top, Math.exp(-dy * 0.0015));
  }, { passive: false });
  $('zoom-in').addEventListener('click', function () { zoomAt(W / 2, Hh / 2, 1.5); });
  $('zoom-out').addEventListener('click', function () { zoomAt(W / 2, Hh / 2, 1 / 1.5); });
  $('zoom-fit').addEventListener('click', function () { fitBox(bounds, fitPad); schedule(); });
  $('tool-box').addEventListener('click', function () { setTool('box'); });
  $('tool-lasso').addEventListener('click', function () { setTool('lasso'); });
  $('move').addEventListener('click', function () { moveSelection(parseInt(moveTo.value, 10)); });
  $('clear').addEventListener('click', function () { clearSelection(); selectionChanged(); });
  $('undo').addEventListener('click', undo);
  $('redo').addEventListener('click', redo);
  $('reset').addEventListener('click', reset);
  $('export-edits').addEventListener('click', function () { download('edits.csv', editsCSV()); });
  $('export-plan').addEventListener('click', function () { download('assignments.csv', assignmentsCSV()); });
  moveTo.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') {
      e.preventDefault();
      moveSelection(parseInt(moveTo.value, 10));
    }
  });
  // The territory under the pointer: that of the account there, else the
  // territory whose outline holds it.
  function territoryUnderPointer() {
    if (!pointer) return -1;
    return pick(pointer[0], pointer[1]).territory;
  }
  window.addEventListener('keydown', function (e) {
    var tag = e.target && e.target.tagName;
    var mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey && (e.key === 'z' || e.key === 'Z')) {
      e.preventDefault();
      if (e.shiftKey) redo(); else undo();
      return;
    }
    if (mod && !e.altKey && (e.key === 'y' || e.key === 'Y')) {
      e.preventDefault();
      redo();
      return;
    }
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || mod || e.altKey) return;
    if (e.key === '+' || e.key === '=') zoomAt(W / 2, Hh / 2, 1.5);
    else if (e.key === '-' || e.key === '_') zoomAt(W / 2, Hh / 2, 1 / 1.5);
    else if (e.key === '0') { fitBox(bounds, fitPad); schedule(); }
    else if (e.key === 'm' || e.key === 'M') {
      var k = territoryUnderPointer();
      if (k >= 0) moveSelection(k);
      else say(['Point at a territory and press M to move the selection into it.'], 'note');
    } else if (e.key === 'Escape') {
      clearSelection();
      sweep = null;
      selectionChanged();
    } else if (e.key === 'b' || e.key === 'B') setTool('box');
    else if (e.key === 'l' || e.key === 'L') setTool('lasso');
  });
  // Redraw at once when the canvas changes size, so that no frame shows
  // the old bitmap stretched.
  // Until the user pans or zooms, the map stays fitted to the window.
  window.addEventListener('resize', function () {
    if (canvas.clientWidth === W && canvas.clientHeight === Hh) return;
    if (!viewMoved) {
      resize();
      fitBox(bounds, fitPad);
      fitScale = view.s;
    }
    draw();
  });

  // For scripts and tests that drive the page: where an account is drawn
  // (in the page's CSS pixels), and the editor's state.
  var byID = null;
  window.territoryMap = {
    screenOf: function (id) {
      if (!byID) {
        byID = new Map();
        for (var i = n - 1; i >= 0; i--) byID.set(A.ids[i], i);
      }
      var a = byID.has(id) ? byID.get(id) : -1;
      if (a < 0) return null;
      var rect = canvas.getBoundingClientRect();
      return [rect.left + view.tx + view.s * AXY[2 * a], rect.top + view.ty - view.s * AXY[2 * a + 1]];
    },
    state: function () {
      return { selected: selList.length, moved: movedCount, steps: pos, lastEditMs: lastEditMs };
    }
  };

  // The first frame is drawn at once, so that the map is there when the
  // page has loaded; the edits kept for this plan are applied first.
  restore();
  for (k = 0; k < K; k++) updateRow(k);
  updateEditBar();
  if (pos > 0) say(['Restored ' + fmt.format(movedCount) + (movedCount === 1 ? ' moved account' : ' moved accounts') + ' kept by this browser for this plan.'], 'note');
  resize();
  fitBox(bounds, fitPad);
  var fitScale = view.s;
  draw();
})();
