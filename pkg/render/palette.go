package render

import (
	"fmt"
	"math"
)

// palette is Paul Tol's "muted" qualitative scheme (P. Tol, "Colour
// Schemes", SRON/EPS/TN/09-002, issue 3.2, 2021, figure 4): nine colours
// that stay distinct to readers with any common form of colour blindness
// and print well. Its tenth colour, pale grey #DDDDDD, is meant for
// missing data and is not used. The order differs from Tol's so that the
// first colours, which small maps use most, are far apart in hue.
var palette = [PaletteSize]string{
	"#332288", // indigo
	"#DDCC77", // sand
	"#44AA99", // teal
	"#CC6677", // rose
	"#88CCEE", // cyan
	"#117733", // green
	"#882255", // wine
	"#999933", // olive
	"#AA4499", // purple
}

// PaletteSize is the number of colour-blind-safe colours: the first
// PaletteSize colours of [Color].
const PaletteSize = 9

// goldenAngle spreads the extra hues of Color evenly around the wheel.
const goldenAngle = 137.50776405003785

// Color returns colour number i as "#RRGGBB": for the first nine the
// palette named in the package documentation, then hues rotated by the
// golden angle at 45% saturation and 50% lightness. The extra colours are
// distinct from each other and deterministic, but not guaranteed to be
// colour-blind safe; a map needs them only when its territory graph needs
// more than nine colours.
func Color(i int) string {
	if i < 0 {
		i = 0
	}
	if i < PaletteSize {
		return palette[i]
	}
	h := math.Mod(float64(i-PaletteSize)*goldenAngle+15, 360)
	r, g, b := hsl(h, 0.45, 0.5)
	return fmt.Sprintf("#%02X%02X%02X", r, g, b)
}

// hsl converts a hue in degrees, saturation and lightness in 0..1 to
// 8-bit RGB.
func hsl(h, s, l float64) (r, g, b uint8) {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var rf, gf, bf float64
	switch {
	case h < 60:
		rf, gf = c, x
	case h < 120:
		rf, gf = x, c
	case h < 180:
		gf, bf = c, x
	case h < 240:
		gf, bf = x, c
	case h < 300:
		rf, bf = x, c
	default:
		rf, bf = c, x
	}
	to8 := func(v float64) uint8 { return uint8(math.Round((v + m) * 255)) }
	return to8(rf), to8(gf), to8(bf)
}
