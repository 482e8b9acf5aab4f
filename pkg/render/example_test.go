package render_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/territory-optimizer/territory/pkg/render"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// twoTerritories is a planar map of two neighbouring territories of two
// accounts each, without boundaries.
func twoTerritories() *render.Map {
	return &render.Map{
		Space: territory.Planar,
		Title: "Two territories",
		Territories: []render.Territory{
			{ID: "T1", Rep: "R1", Name: "Ann", Center: territory.Point{X: 1, Y: 1}},
			{ID: "T2", Rep: "R2", Name: "Bob", Center: territory.Point{X: 3, Y: 1}},
		},
		Accounts: []render.Account{
			{ID: "a", Loc: territory.Point{X: 0.5, Y: 1}, Territory: 0},
			{ID: "b", Loc: territory.Point{X: 1.5, Y: 1.2}, Territory: 0},
			{ID: "c", Loc: territory.Point{X: 2.5, Y: 0.8}, Territory: 1},
			{ID: "d", Loc: territory.Point{X: 3.5, Y: 1}, Territory: 1},
		},
	}
}

func ExampleWriteSVG() {
	var b bytes.Buffer
	if err := render.WriteSVG(&b, twoTerritories(), render.SVGOptions{}); err != nil {
		log.Fatal(err)
	}
	// The account dots are grouped by territory, in its colour.
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(line, `<g fill="`) {
			fmt.Println(line[:len(`<g fill="#RRGGBB">`)], strings.Count(line, "<circle"), "dots")
		}
	}
	// Output:
	// <g fill="#332288"> 2 dots
	// <g fill="#DDCC77"> 2 dots
}

func ExampleWriteHTML() {
	m := twoTerritories()
	m.Territories[1].Name = "<script>alert(1)</script>"
	var b bytes.Buffer
	if err := render.WriteHTML(&b, m, render.HTMLOptions{}); err != nil {
		log.Fatal(err)
	}
	page := b.String()
	fmt.Println(strings.HasPrefix(page, "<!DOCTYPE html>"))
	fmt.Println(strings.Count(page, "<script"), "script elements: the data and the map's own")
	fmt.Println(strings.Contains(page, `"name":"\u003cscript\u003ealert(1)\u003c/script\u003e"`))
	// Output:
	// true
	// 2 script elements: the data and the map's own
	// true
}

func ExampleColor() {
	for i := range 3 {
		fmt.Print(render.Color(i), " ")
	}
	fmt.Println(render.Color(render.PaletteSize))
	// Output: #332288 #DDCC77 #44AA99 #B96346
}
