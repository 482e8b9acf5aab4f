// The territory map: draws the data of the JSON block "data" on a canvas,
// with pan, zoom, hover and click. Written for this page; it loads nothing
// and writes the data into the page only as text (textContent), never as
// markup.
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('data').textContent);
  var canvas = document.getElementById('map');
  var ctx = canvas.getContext('2d');
  var tip = document.getElementById('tip');
  var info = document.getElementById('info');
  var legend = document.getElementById('legend');

  var RAD = Math.PI / 180;
  var layers = { basemap: true, territories: true, accounts: true, levels: true, homes: true, labels: true };
  var fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
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
  var AT = Int32Array.from(A.t);
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
  function fitBox(b, pad) {
    var w = Math.max(b.maxX - b.minX, 1e-9), h = Math.max(b.maxY - b.minY, 1e-9);
    var s = Math.min((W - 2 * pad) / w, (Hh - 2 * pad) / h);
    if (!(s > 0) || !isFinite(s)) s = 1;
    view.s = s;
    view.tx = W / 2 - s * (b.minX + b.maxX) / 2;
    view.ty = Hh / 2 + s * (b.minY + b.maxY) / 2;
  }
  function toData(sx, sy) { return [(sx - view.tx) / view.s, (view.ty - sy) / view.s]; }
  var moved = false; // the user has panned or zoomed
  function zoomAt(sx, sy, f) {
    moved = true;
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
  var selected = { account: -1, territory: -1 };
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

  function drawTerritories() {
    ctx.lineJoin = 'round';
    for (var k = 0; k < K; k++) {
      var t = T[k];
      if (!t.rings.length || !visible(t.box)) continue;
      ringPath(t.rings);
      ctx.fillStyle = t.color;
      ctx.globalAlpha = t.hull ? 0.15 : 0.3;
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
  // composited over the territories.
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
    for (var a = 0; a < n; a++) {
      var x = (tx + s * AXY[2 * a] - half) | 0, y = (ty - s * AXY[2 * a + 1] - half) | 0;
      if (x < 0 || y < 0 || x + size > pw || y + size > ph) continue;
      var c = COL32[AT[a]], o = y * pw + x;
      for (var dy = 0; dy < size; dy++, o += pw) {
        for (var dx = 0; dx < size; dx++) img32[o + dx] = c;
      }
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
      var x = view.tx + view.s * t.c[0], y = view.ty - view.s * t.c[1];
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
    drawScale();
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
      for (var m = 0; m < D.measures.length; m++) out.push([D.measures[m], fmt.format(A.values[m][a])]);
      var lx = fmtCoord.format(A.xy[2 * a]), ly = fmtCoord.format(A.xy[2 * a + 1]);
      out.push(D.space === 'geographic' ? ['Lat, lon', ly + ', ' + lx] : ['x, y', lx + ', ' + ly]);
      return { title: 'Account ' + A.ids[a], rows: out };
    }
    var tt = T[h.territory];
    return { title: tt.id + ' \u2014 ' + repLabel(tt.rep, tt.name), rows: tt.stats };
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
  }

  function showTip(h, sx, sy) {
    if (h.account < 0 && h.territory < 0) {
      tip.style.display = 'none';
      return;
    }
    var d = rows(h), lines = [d.title];
    for (var r = 0; r < d.rows.length && r < 12; r++) lines.push(d.rows[r][0] + ': ' + d.rows[r][1]);
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
    var items = legend.children;
    for (var k = 0; k < items.length; k++) items[k].classList.toggle('selected', k === h.territory);
    schedule();
  }

  // ---- Legend and layer toggles.
  (function () {
    for (var k = 0; k < K; k++) {
      var li = document.createElement('li');
      var sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = T[k].color;
      var id = document.createElement('span');
      id.className = 'tid';
      id.textContent = T[k].id;
      var rep = document.createElement('span');
      rep.className = 'rep';
      rep.textContent = repLabel(T[k].rep, T[k].name);
      rep.title = rep.textContent;
      var cnt = document.createElement('span');
      cnt.className = 'count';
      cnt.textContent = fmt.format(T[k].n);
      li.appendChild(sw);
      li.appendChild(id);
      li.appendChild(rep);
      li.appendChild(cnt);
      li.addEventListener('click', (function (k) {
        return function () {
          moved = true;
          fitBox(T[k].box, 40);
          if (view.s > fitScale * 1e5) view.s = fitScale * 1e5;
          select({ account: -1, territory: k });
        };
      })(k));
      legend.appendChild(li);
    }
    // The key to the level borders.
    var key = document.getElementById('key');
    for (var l = 0; l < LV.length; l++) {
      var item = document.createElement('li');
      var line = document.createElement('span');
      line.className = 'line';
      line.style.borderTopWidth = levelWidth(l) + 'px';
      item.appendChild(line);
      item.appendChild(document.createTextNode(LV[l].name.charAt(0).toUpperCase() + LV[l].name.slice(1) + ' border'));
      key.appendChild(item);
    }
    var boxes = document.querySelectorAll('#layers input');
    for (var b = 0; b < boxes.length; b++) {
      boxes[b].addEventListener('change', function (e) {
        layers[e.target.getAttribute('data-layer')] = e.target.checked;
        schedule();
      });
    }
  })();

  // ---- Pointer, wheel, buttons and keys.
  var drag = null;
  canvas.addEventListener('pointerdown', function (e) {
    drag = { x: e.clientX, y: e.clientY, tx: view.tx, ty: view.ty, moved: false };
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
    if (drag) {
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && dx * dx + dy * dy < 16) return;
      drag.moved = true;
      moved = true;
      canvas.classList.add('dragging');
      tip.style.display = 'none';
      view.tx = drag.tx + dx;
      view.ty = drag.ty + dy;
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
    if (d && !d.moved) {
      var rect = canvas.getBoundingClientRect();
      select(pick(e.clientX - rect.left, e.clientY - rect.top));
    }
  });
  canvas.addEventListener('pointerleave', function () {
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
  document.getElementById('zoom-in').addEventListener('click', function () { zoomAt(W / 2, Hh / 2, 1.5); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoomAt(W / 2, Hh / 2, 1 / 1.5); });
  document.getElementById('zoom-fit').addEventListener('click', function () { fitBox(bounds, 24); schedule(); });
  window.addEventListener('keydown', function (e) {
    if (e.target && e.target.tagName === 'INPUT') return;
    if (e.key === '+' || e.key === '=') zoomAt(W / 2, Hh / 2, 1.5);
    else if (e.key === '-' || e.key === '_') zoomAt(W / 2, Hh / 2, 1 / 1.5);
    else if (e.key === '0') { fitBox(bounds, 24); schedule(); }
  });
  // Redraw at once when the canvas changes size, so that no frame shows
  // the old bitmap stretched.
  // Until the user pans or zooms, the map stays fitted to the window.
  window.addEventListener('resize', function () {
    if (canvas.clientWidth === W && canvas.clientHeight === Hh) return;
    if (!moved) {
      resize();
      fitBox(bounds, 24);
      fitScale = view.s;
    }
    draw();
  });

  // The first frame is drawn at once, so that the map is there when the
  // page has loaded.
  resize();
  fitBox(bounds, 24);
  var fitScale = view.s;
  draw();
})();
