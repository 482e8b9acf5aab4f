//go:build ignore

// Command vulnreport reads the findings of `govulncheck -format json` on
// stdin, prints the vulnerabilities that the code calls, one per line with
// an example call path, and counts the ones it only imports or requires.
//
// It exits 1 when the code calls a vulnerability in a required module. One
// in the standard library is fixed by a newer Go release, not by this
// repository's go.mod: with -stdlib=warn it is printed as a warning and
// does not fail the run; with -stdlib=fail it does.
//
//	go run golang.org/x/vuln/cmd/govulncheck@VERSION -format json ./... | go run .ci/vulnreport.go -stdlib=warn
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// message is one value of govulncheck's JSON stream; only the fields used
// here are declared.
type message struct {
	Config *struct {
		ScannerVersion string `json:"scanner_version"`
		DB             string `json:"db"`
		GoVersion      string `json:"go_version"`
	} `json:"config"`
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
}

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
	Position *struct {
		Filename string `json:"filename"`
		Line     int    `json:"line"`
	} `json:"position"`
}

func (f frame) symbol() string {
	s := f.Package + "."
	if f.Receiver != "" {
		s += strings.TrimPrefix(f.Receiver, "*") + "."
	}
	return s + f.Function
}

// vuln is what was found of one vulnerability: the deepest level
// (called, imported, required) and, when called, one call path.
type vuln struct {
	id, module, version, fixed string
	level                      int // 1 required, 2 imported, 3 called
	path                       string
}

func main() {
	stdlib := flag.String("stdlib", "warn", "what a called vulnerability in the standard library does: warn or fail")
	flag.Parse()
	if *stdlib != "warn" && *stdlib != "fail" {
		fmt.Fprintf(os.Stderr, "vulnreport: -stdlib %q: expected warn or fail\n", *stdlib)
		os.Exit(2)
	}

	vulns := map[string]*vuln{}
	summaries := map[string]string{}
	configs := 0
	dec := json.NewDecoder(os.Stdin)
	for {
		var m message
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "vulnreport: read govulncheck's output: %v\n", err)
			os.Exit(1)
		}
		switch {
		case m.Config != nil:
			configs++
			fmt.Printf("govulncheck %s, %s, database %s\n", m.Config.ScannerVersion, m.Config.GoVersion, m.Config.DB)
		case m.OSV != nil:
			summaries[m.OSV.ID] = m.OSV.Summary
		case m.Finding != nil && len(m.Finding.Trace) > 0:
			f := m.Finding
			top := f.Trace[0]
			level := 1
			switch {
			case top.Function != "":
				level = 3
			case top.Package != "":
				level = 2
			}
			v := vulns[f.OSV]
			if v == nil {
				v = &vuln{id: f.OSV, module: top.Module, version: top.Version, fixed: f.FixedVersion}
				vulns[f.OSV] = v
			}
			if level > v.level {
				v.level, v.path = level, ""
			}
			// govulncheck's order of traces varies: print the first by
			// name, so that two runs print the same.
			if level == 3 {
				if p := callPath(f.Trace); v.path == "" || p < v.path {
					v.path = p
				}
			}
		}
	}
	if configs == 0 {
		fmt.Println("vulnreport: no govulncheck output on stdin: the scan did not run")
		os.Exit(1)
	}

	ids := make([]string, 0, len(vulns))
	for id := range vulns {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var inModules, inStdlib, imported, required int
	for _, id := range ids {
		v := vulns[id]
		switch v.level {
		case 1:
			required++
			continue
		case 2:
			imported++
			continue
		}
		if v.module == "stdlib" {
			inStdlib++
		} else {
			inModules++
		}
		fixed := "not fixed yet"
		if v.fixed != "" {
			fixed = "fixed in " + v.fixed
		}
		fmt.Printf("called: %s in %s@%s (%s): %s\n    %s\n", id, v.module, v.version, fixed, summaries[id], v.path)
	}
	fmt.Printf("%d called in required modules, %d called in the standard library, %d more imported but not called, %d more in required modules only\n",
		inModules, inStdlib, imported, required)

	failed := inModules > 0
	if inStdlib > 0 {
		if *stdlib == "fail" {
			failed = true
		} else {
			fmt.Printf("WARNING: govulncheck is not clean: %d standard-library vulnerabilities are reachable; they are fixed by a newer Go release, not by go.mod (see above)\n", inStdlib)
		}
	}
	if failed {
		fmt.Println("FAIL: govulncheck found called vulnerabilities")
		os.Exit(1)
	}
}

// callPath prints a trace from the code's entry point down to the
// vulnerable symbol.
func callPath(trace []frame) string {
	var parts []string
	for i := len(trace) - 1; i >= 0; i-- {
		f := trace[i]
		s := f.symbol()
		if i == len(trace)-1 && f.Position != nil {
			s = fmt.Sprintf("%s:%d: %s", f.Position.Filename, f.Position.Line, s)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " -> ")
}
