// Package spatial computes distances and nearest neighbours for territory
// problems.
//
// Geographic points (longitude, latitude in degrees) are measured by
// great-circle distance in kilometres on a sphere of radius
// [EarthRadiusKm]; planar points by Euclidean distance in their own unit.
// For search and averaging, points are embedded in three dimensions
// ([Embed]): geographic points on the sphere's surface (kilometres from the
// Earth's centre), planar points in the z = 0 plane. In that space the
// straight-line (chord) distance orders neighbours exactly as great-circle
// distance does, and differs from it by less than 0.03% up to 500 km.
//
// Nearest-neighbour queries ([Index]) use a flat k-d tree whose every
// decision is a comparison of coordinates or of [Dist2] values, so they give
// exactly the answer of a linear scan, ties broken by index, on every
// machine; one Index serves any number of goroutines at once.
//
// [Delaunay] triangulates planar points (project geographic ones with
// [Project]: equirectangular kilometres around the data's centre) with
// exact orientation tests, deterministically, merging duplicate points; its
// Neighbours are the proximity graph of point accounts; [ProximityGraph]
// builds the connected graph that contiguity is measured on, for points or
// for polygon units with their adjacency. [ConvexHull] outlines a set of
// points in the plane, exactly, with [Orient]: the one orientation test of
// the project, whose fast path is [Cross], the floating signed area that
// callers needing its value (where two segments cross) use. [VoronoiCells]
// clips every point's cell to a box ([MarginBound]); neighbouring cells
// share their edges bit for bit, so merged cells tile without gaps.
// [VoronoiCellsWithin] clips them further to a reach around every point
// (a radius per point, blended smoothly between neighbours), which leaves
// gaps where the points lie far apart for their reach and still shares
// the edges bit for bit.
package spatial
