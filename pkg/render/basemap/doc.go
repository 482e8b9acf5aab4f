// Package basemap holds the outlines that package render draws under
// geographic maps, so that a reader can tell where the territories are:
// the land, the borders between countries, the borders between the states
// of the United States and the US shores of the Great Lakes, as longitude
// and latitude in degrees.
//
// The outlines are embedded in the binary (outlines.bin, 155 KB) and
// decoded on first use ([Embedded], about 60,000 points); nothing is
// loaded from a network. They come from two npm packages by Mike Bostock,
// under the ISC licence (see NOTICE at the root of the repository, which
// release archives carry):
//
//   - world-atlas 2.0.2, countries-50m.json: Natural Earth's land and
//     Admin 0 country boundaries, version 4.1.0, at 1:50 million (public
//     domain);
//   - us-atlas 3.0.1, states-10m.json: the US Census Bureau's cartographic
//     state boundaries, 2017 edition, at 1:10 million (public domain).
//
// scripts/basemap converts them: it decodes the TopoJSON topologies,
// simplifies every arc once (so that shared borders stay shared) by
// Douglas-Peucker at [Tolerance] (about 1 km) in a local equirectangular
// plane, keeps the land's rings, the arcs that two countries share, the
// arcs that two states share and the US coast within the Great Lakes'
// box, and writes them with [Encode]. Lakes are not in the land (Natural
// Earth's countries reach across them to the border): the Great Lakes are
// drawn by their US shores only, and other lakes not at all.
//
// # Format
//
// An outlines file is "TBM1", then the number of units per degree (a
// uvarint, [Scale]), then four layers, each its name (a uvarint length
// and the bytes: "land", "borders", "states", "lakes"), its number of
// parts and, for every part, its number of points and the points:
// longitude and latitude in units, each as the zigzag varint difference
// from the point before it (the first point of the file from (0, 0)).
// The file is compressed with DEFLATE (compress/flate, level 9). Land
// parts are closed rings (first point repeated last), to be filled
// even-odd; the other layers are open lines.
package basemap
