// Package features reads accounts and units from GeoJSON (RFC 7946):
// FeatureCollections of Points, which are accounts at those points, or of
// Polygons and MultiPolygons, which are units such as counties or ZIP
// codes, with their measures in the feature properties.
//
// # Coordinates
//
// GeoJSON is always geographic: positions are [longitude, latitude] in
// degrees (WGS84), so the accounts read are in territory.Geographic space.
// A third number in a position (an altitude) is ignored. Longitudes must
// lie in [-180, 180] and latitudes in [-90, 90].
//
// # Properties
//
// The properties of all features together play the part of a table's
// header, and they are found through the same column model as the
// tabular package's columns ([territory.Columns]): names are normalised
// with [territory.NormalizeName] and matched against common names, or
// mapped explicitly through [Options.Columns] (keys id, name, owner and
// locked; the geometry is the location):
//
//	id      the feature "id" member when any feature has one; otherwise
//	        the first property of id, account_id, account, geoid,
//	        geoid20, geoid10, geo_id, fips, fips_code, zip, zip_code,
//	        zipcode, zcta, zcta5, zcta5ce20, zcta5ce10, postcode,
//	        postal_code, code, rep_id and, last, name
//	name    name, account_name, namelsad
//	owner   owner, rep, current_rep, territory, current_owner, rep_id
//	locked  true/false (JSON booleans or text), yes/no, 1/0, y/n; a
//	        locked account needs an owner
//
// Ids may be JSON strings or numbers (a number keeps the digits as
// written). Every other property whose non-null values are all numbers,
// JSON numbers or text holding one ("12.5"), is a measure named by its
// normalised name; missing, null and empty values count as 0. Properties
// with other values are ignored unless [Options.Measures] asks for them,
// in which case every value must be a finite number. Properties named like
// a location (lat, lon, x, y, intptlat, ...) are neither used nor
// measures. Measures are listed in the order their properties first
// appear, then the derived measures of [Options.Derived] (see package
// derive), computed from them for each feature.
//
// # Units
//
// For polygon features [ReadAccounts] returns [Units]: the geometries as
// orb.Polygon or orb.MultiPolygon values, their areas, and two adjacency
// graphs as sorted neighbour lists.
//
// A unit is located at its area-weighted centroid. Each geometry is
// projected with a sinusoidal projection centred on it (x = (lon - lon0)
// cos(lat), y = lat - lat0), which is equal-area, so every part and hole
// weighs by its true area; the planar centroid of the projected rings is
// projected back. For units the size of counties this differs from the
// centroid on the sphere by far less than the units' size. Areas are in
// square kilometres on a sphere of radius 6371.0088 km. Geometries that
// span more than 180 degrees of longitude are taken to cross the
// antimeridian. A unit of zero area (a ring collapsed by simplification)
// is located at the mean of its outer ring positions. The area and the
// centroid are those of the unit's outline as returned in [Units.Geoms]:
// rings that enclose nothing, and holes that cross their outer ring or
// lie outside it, are dropped from it (see Validation).
//
// Units are rook neighbours ([Units.Adjacency]) when they share a
// boundary segment of positive length, on the rings as read (a sliver
// dropped from a unit's outline may still lie along a neighbour's
// boundary). Positions are rounded to 1e-7
// degrees; edges that two units both have are found by sorting the
// edges. The remaining edges are compared within the cells of a grid
// (each edge in every cell it passes through, however long): two edges
// of different units share a stretch when two of their endpoints, more
// than 3e-5 degrees apart, each lie within 1.5e-5 degrees (about 1.7 m)
// of the other edge. This finds boundaries split at different positions
// on either side (T-junctions), edges that overlap in part, and
// boundaries whose sides were rounded apart: rounding to 5 decimal places
// can move a vertex 1.42e-5 degrees off the edge it lay on. Units that
// share a vertex but no segment touch at a corner ([Units.Corners]); rook
// and corner neighbours together are the queen adjacency. Units that
// touch only where a vertex of one lies on an edge of the other, and
// units farther apart than the tolerance, are neither.
//
// Compared with the Census county adjacency file, the rook graph of the
// 3,220 US counties (the 1:10m us-atlas polygons) has 8,942 pairs against
// the Census file's 9,479: 8,939 agree (precision 0.9997, recall 0.943,
// agreement 0.943 of the pairs in either). The Census file counts
// counties that touch at a point: at 174 points where four counties meet
// it lists both diagonal pairs (348 pairs, the Four Corners among them),
// and at most one diagonal of a point can share a boundary. It also lists
// 20 diagonals of four-way points whose other diagonal it does not (two
// junctions the 1:10m simplification moved into one point: the file
// cannot tell which diagonal shares the boundary), 8 other corners, and
// 164 pairs of counties facing each other across water whose boundaries
// meet only offshore (the Census boundaries extend into the water, the
// cartographic ones stop at the shore): 12 are less than 2 km apart, 76
// more than 12 km (the Great Lakes, Chesapeake Bay). No rule of distance
// separates them from counties that are not neighbours: within 2 km of
// each other lie 12 of these pairs and 195 pairs the Census file does
// not list. Taking the 348 as point contacts, a relation of shared
// boundaries agrees with the Census file on at most 0.963 of the pairs,
// even if it took every water crossing. With corners added (queen) 9,315
// of 9,339 pairs are in the Census file (precision 0.997, recall 0.983,
// agreement 0.980); the rook graph is the one contiguity uses.
//
// # Validation
//
// [ReadAccounts] never stops at the first problem: it checks the whole
// collection and returns every problem (up to 50, then a count of the
// rest) joined with errors.Join, each a *territory.InputError naming the
// file, the feature in Row (1-based, in the order of the features array;
// the message prints it as "row N") and, for a property, its name in
// Column. It refuses input that is not a FeatureCollection, invalid JSON
// (with the line, column and byte offset), features without a geometry
// or of other geometry types, empty, missing and duplicate ids,
// coordinates that are not finite numbers or out of range, rings that are
// not closed or have fewer than 4 positions, rings that cross themselves,
// collections mixing points and polygons, and bad measure and locked
// values.
//
// Files as they occur are simplified, and simplification leaves
// artefacts that enclose nothing wrong. These are accepted: spikes that
// retrace a boundary, rings pinched at a vertex, repeated positions, and
// crossings that cut off a loop of at most 1% of the ring's area (a tiny
// twist). A crossing that cuts off more, such as a bow tie drawn in the
// wrong order, is an error. Rings are checked by a sweep over their edges
// in longitude order; a pathological ring needing more than 2^24 edge
// tests is not checked.
//
// Some artefacts are mended, each with a warning to [Options.Warn] naming
// the feature (as its row) and the ring. A closed ring of two or three
// positions ([a, b, a], [a, a]) encloses nothing: a hole of that kind is
// dropped from the unit's outline, and so is a polygon of a MultiPolygon
// whose outer ring is one (with its holes); a unit left with nothing else
// keeps it, with no area, located at the mean of its positions. A hole
// that crosses its outer ring, or lies outside it, is dropped from the
// outline too, so that the unit's area and centroid are its outer ring's;
// these checks take the sides of edges exactly ([spatial.Orient]).
//
// The features are decoded by this package rather than by orb/geojson,
// whose decoder reads a one-number position as [x, 0], reports an
// unsupported geometry without naming it and loses the order of the
// properties; the geometries returned are orb's. encoding/json checks
// each feature and decodes its structure; the members of its properties
// object are scanned in the order written by the package's own JSON
// scanner (jsonscan.go). Member names ("type",
// "id", "properties", "geometry", "coordinates") are matched exactly, as
// RFC 7946 spells them. The whole input is read into memory. A feature may
// have at most 1,000,000 positions and the polygons of a file 10,000,000
// in all: a larger one is refused, naming its row, as soon as its
// positions pass the limit, so that an unsimplified or crafted file cannot
// exhaust memory.
// [ReadAccountsContext] and [ReadRepsContext] stop when their context
// ends: they look at it between their steps and every few thousand
// features.
//
// [DissolveUnits] and [PointCells] outline territories by cancelling the
// edges that units (or the Voronoi cells of point accounts, clipped to
// the accounts' reach) of one territory share, then chaining what is left
// into rings: outer rings counter-clockwise and holes clockwise, as RFC
// 7946 asks. [DissolveOutlines] merges territories' outlines the same way
// into those of their parents (districts, regions).
// [WriteTerritories] writes territories.geojson: one feature per territory
// with its statistics, and one point per centre. [ReadReps] reads reps as
// GeoJSON points (the point is the home).
package features
