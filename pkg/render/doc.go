// Package render draws territory maps: a static, print-ready SVG
// ([WriteSVG]) and one self-contained, interactive HTML page ([WriteHTML]),
// both from a [Map]: territories (with their boundaries when known, their
// label positions and statistics), accounts, rep homes and measure names,
// in a geographic (longitude, latitude in degrees) or planar space.
// [FromPlan] builds a Map from a problem, its plan, the plan's
// [report.Metrics] and, optionally, the territories' boundary polygons.
//
// # Projection
//
// Planar maps are drawn as they are, y up. Geographic maps use the Albers
// equal-area conic projection on a sphere of radius
// [spatial.EarthRadiusKm], fitted to the data: the central meridian halves
// the smallest arc of longitude that holds every point (so that data
// across the antimeridian stays in one piece). Data within the contiguous
// United States (125.5°W to 66°W, 23.5°N to 50°N) get the standard
// parallels of the USGS's maps of the country, 29.5°N and 45.5°N, so that
// a region is drawn alike whatever part of the country the data cover;
// other data get standard parallels one sixth of the latitude range inside
// its ends. Areas are true, and distances true along the standard
// parallels and within a few percent elsewhere on a map the size of the
// US. Data centred on the equator, where the cone degenerates, get
// Lambert's cylindrical equal-area projection instead. The HTML page
// projects with the same formulas and parameters in its script. The scale
// bar, of a round length (1, 2 or 5 times a power of ten), is in km for
// geographic maps and in [Map.Unit] ("units" by default) for planar ones.
//
// # Basemap
//
// Under the territories of a geographic map lie the outlines embedded in
// package basemap (the default, [BasemapOutlines]): water, land, the coast
// (with the US shores of the Great Lakes), the borders between US states
// and those between countries, faint so that the territories stand out,
// all in the map's projection. They are cut to what the map shows: the
// view (for the SVG its map area, for the HTML page a square three times
// the data's larger extent around its centre, as far as the page zooms
// out) is projected back to a box of longitudes and latitudes
// (lonLatWindow, which reaches to a pole or round every longitude where
// the view goes beyond them), the outlines clipped to that box, and, in
// the SVG, to the map area on the page. They are then simplified by
// Douglas-Peucker: in the SVG to a quarter of a pixel, in the page to a
// 2,000th of the data's extent near the data and a 400th farther out,
// with coordinates rounded to the outlines' thousandth of a degree; a map
// of the demo carries about 70 KB of them. Both maps credit the sources
// at the map's lower right. Planar maps have no basemap; [BasemapNone]
// draws none.
//
// [BasemapOSM] makes the HTML page draw OpenStreetMap's tiles
// (tile.openstreetmap.org, the zoom level whose 256-pixel tiles are
// nearest the view's scale) over the outlines, which show where a tile
// has not loaded, offline for one; the page is then drawn in the tiles'
// spherical (Web) Mercator projection, its scale bar true at the view's
// centre, with the attribution OpenStreetMap asks for ("© OpenStreetMap
// contributors", linked to its copyright page). The SVG, print-ready and
// loading nothing, draws the outlines whatever the basemap.
//
// # Colours
//
// Territories that touch get different colours. Two territories touch
// when
//
//   - both have a boundary and the boundaries share a stretch of edge of
//     positive length: corners do not count; the shared stretch is found
//     whether or not both sides have vertices at the same places (a
//     tolerance of 1e-7 of the map's extent absorbs rounding);
//   - or both have a boundary and the boundaries run alongside each other
//     across a gap narrower than 0.5% of the map's extent (about 5 px on
//     the SVG), along more than four times that width of either: point
//     territories are outlined only as far as their accounts reach, and
//     two neighbours across a narrow gap would otherwise read as one
//     territory; corners that (nearly) meet still do not count;
//   - or, when some territory has no boundary (see below): an account of
//     one is among the 8 nearest accounts of an account of the other on the
//     projected map (a proxy for the Delaunay neighbours, of which a point
//     has six on average), or the convex hulls drawn for them overlap.
//
// The territory graph is coloured by DSATUR (Brélaz 1979), a greedy
// colouring whose order is fixed by the graph alone (most distinct
// neighbour colours first, then most neighbours, then lowest index), so the
// same map always gets the same colours. Colours are then spread over the
// whole palette (each territory takes the least used of the colours its
// neighbours leave free), unless spreading would need a colour beyond it.
// The palette is Paul Tol's "muted" qualitative scheme ("Colour Schemes",
// SRON/EPS/TN/09-002, 2021; https://personal.sron.nl/~pault/), nine
// colours that stay distinct under the common forms of colour blindness,
// ordered so that the first ones differ most. A graph that needs more than
// nine colours (dense proximity graphs can) gets further colours by
// golden-angle hue rotation, distinct but not guaranteed colour-blind
// safe; see [Color]. Fills are the territory colour at 30% opacity with a
// dark outline; account dots are the colour itself.
//
// # Territories without boundaries
//
// A territory whose boundary is empty is drawn as the convex hull of its
// accounts, at half the fill opacity with a dashed outline in its colour,
// and the SVG's legend says so. Hulls of neighbouring territories may
// overlap; the boundaries, which do not, come from package features.
//
// # Levels
//
// A map's [Level]s (districts of territories, regions of districts) are
// drawn over the territories and their accounts, under the homes and
// labels: every parent's outline ([Level.Boundaries], the union of its
// territories' outlines) in near black, 2 px wide for the first level and
// 2.5 px wider for every level above, the highest level first, so that a
// border between two regions shows a region's width. The legend (the SVG's
// key, the page's list under its layer switches) has an entry per level,
// and every territory's statistics name its parents.
//
// # The SVG
//
// A 1600 × 1000 px page by default ([SVGOptions]): title and subtitle at
// the top, the map fitted to the area below at the largest scale that
// shows every account, home, centre and boundary, the legend in a column
// on the right. Account dots shrink from 3 to 1 px radius as their number
// grows. Above [DefaultMaxDots] accounts (SVGOptions.MaxDots), the dots
// are thinned: with step = ceil(accounts/MaxDots), the accounts at
// positions 0, step, 2·step, ... of the id order ([territory.CompareIDs])
// are drawn, so the choice depends neither on the input order nor on the
// plan, and the legend says "1 in step shown". Homes are diamonds in
// their territory's colour with a black outline.
//
// Labels (the territory id, and the rep's name when there are at most 40
// territories) sit at the territories' centres, at a size that shrinks
// with the fourth root of the number of territories, from 22 px (5 or
// fewer) to 8 px (1,000 and more). They are placed largest territory
// first; a label whose estimated box would overlap one already placed, or
// leave the map, is left out, and the legend counts those left out. The
// legend lists the territories in order with colour, id, rep and account
// count, as many as fit (about 45), then "… and N more". Every
// territory's statistics are in its tooltip (an SVG <title>).
//
// Coordinates are written with one digit after the point (a tenth of a
// pixel), so the same map gives the same bytes on every machine; there
// are no timestamps.
//
// # The HTML page
//
// One file that works offline: its script (assets/map.js, written for
// this package, no library) and style sheet are embedded, no fonts, tiles
// or other resources are loaded, and a Content-Security-Policy admits only
// that script and style sheet (by their SHA-256) and forbids every
// connection; with [BasemapOSM], the policy admits images from
// https://tile.openstreetmap.org and nothing else. The map is drawn on a
// <canvas>: territories as paths, accounts in one pass straight into an
// image buffer (so 100,000 accounts draw in a few milliseconds), level
// borders, homes, labels placed without overlap, a scale bar. Drag pans,
// the wheel and the buttons (and the + - 0 keys) zoom; frames are drawn on
// requestAnimationFrame. Hovering shows a tooltip and clicking shows in
// the side panel a territory's statistics or an account's id, name,
// territory, measures and location, found through a uniform grid of the
// accounts; layers (territories, accounts, level borders, homes, labels,
// the basemap) can be toggled; the balance table lists every territory and
// zooms to one when clicked.
//
// # The editor
//
// The page edits the plan it shows. A click selects an account, Shift- or
// Ctrl-click adds one (or takes it out), a drag with Shift (or the box
// tool, B) adds the accounts in a box, with Alt (or the lasso tool, L)
// those in a lasso, and Esc clears the selection. The menu, or the M key
// over a territory, moves the selection into a territory, as one step that
// Undo and Redo (Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y) take back and make again;
// Reset moves every account back as one more step. A grouped plan's
// accounts only move within their group.
//
// After each step the page updates, for the territories the step touched
// only: their loads of every balance rule ([Map.Rules]: each territory's
// target and band, as the reports have them), added and subtracted
// account by account (a territory left without edits gets the plan's
// loads back exactly); their pieces, counted by a breadth-first search
// over the graph the reports count pieces on ([spatial.ProximityGraph] of
// the accounts, or of every group's accounts on their own); the balance
// table's rows (load and % of target, in colour outside the band; pieces);
// the moved count; and a warning naming every rule the step broke and
// every territory it split. The map colours moved accounts' dots by their
// new territory, framed in black, and can fill the territories by a
// rule's % of target (green within the band, blue below, red above). The
// territories' outlines stay those of the plan as solved: solve --fix
// redraws them. An edit of a thousand accounts of 100,000 takes about
// 10 ms.
//
// The edits are kept in the browser's local storage under a key of the
// plan (the first 16 hex digits of the SHA-256 of every account's id and
// territory and every territory's id and rep), so that a reload finds
// them, with their history, and another plan's page does not. Two buttons
// save, as downloads of the page's own data (a Blob; nothing leaves the
// browser), edits.csv (account_id,territory_id: the moved accounts, in id
// order) and the whole edited assignments.csv, in the columns of the
// run's (the group, the distance, the levels' parents), its distance from
// each account to its territory's centre as solved, computed from the
// page's coordinates (rounded to about a metre, so that the last decimal
// may differ from the run's file). window.territoryMap gives scripts and
// tests an account's position on the screen and the editor's state.
//
// The data are embedded as JSON in <script type="application/json"
// id="data">: accounts as parallel arrays (ids, names, flat coordinates,
// territory indices, one value array per measure), coordinates rounded to
// 5 decimals for longitude and latitude (about a metre) or to a millionth
// of the extent of a planar map, measure values in their shortest exact
// form; the rules' targets and bands; the neighbour graph as base64
// varints (each edge once, as gaps between account indices: 4 to 10 bytes
// an account); the plan's key; and the groups of a grouped plan.
//
// # Escaping
//
// Every string of a Map is user text and reaches the outputs only as
// text:
//
//   - SVG: through [encoding/xml.EscapeText], in character data only (never
//     in attribute values); characters XML does not allow, and invalid
//     UTF-8, become U+FFFD, so the output is always well-formed XML and no
//     name can open an element or a comment.
//   - HTML: the title through [html.EscapeString]; all other text inside
//     the JSON, written by [encoding/json] with HTML escaping on (< > &
//     and U+2028/U+2029 as \u escapes), so no name can end the data block
//     or open a tag, and shown by the script through textContent only,
//     never innerHTML. The policy above would block an injected script
//     even if one got through.
//
// Validation ([Map.Validate]) refuses NaN, infinite or out-of-range
// coordinates and values and dangling territory indices before anything is
// written, so no NaN or Inf reaches an output.
package render
