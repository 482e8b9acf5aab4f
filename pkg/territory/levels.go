package territory

import (
	"fmt"
	"strconv"
	"strings"
)

// Level asks for a level of parents above the territories: K parents
// (districts, regions), each a contiguous group of the units of the level
// below (the territories for the first level, the parents of the level
// before for the others), balanced by Rules.
type Level struct {
	// Name names the level ("district"): a normalised name, which the
	// outputs use for its column (district_id) and its parents' ids
	// (district-01).
	Name string
	K    int
	// Rules balance the parents. Their measures are those of the accounts,
	// summed over the parent's accounts, and TerritoriesMeasure, the number
	// of territories under the parent.
	Rules []BalanceRule
}

// TerritoriesMeasure is the measure of a level's problem that counts the
// territories under a unit: balancing it gives every parent as many
// territories (reps to manage) as it can.
const TerritoriesMeasure = "territories"

// ParseLevel reads a level given as NAME=K ("district=12").
func ParseLevel(s string) (Level, error) {
	name, k, ok := strings.Cut(s, "=")
	if !ok {
		return Level{}, fmt.Errorf("level %q: expected NAME=K, such as district=12", s)
	}
	l := Level{Name: NormalizeName(name)}
	if l.Name == "" {
		return Level{}, fmt.Errorf("level %q: missing level name (expected NAME=K, such as district=12)", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(k))
	if err != nil || n < 1 {
		return Level{}, fmt.Errorf("level %q: %q is not a number of parents (expected a whole number, 1 or more)", s, strings.TrimSpace(k))
	}
	l.K = n
	return l, nil
}

// String writes the level as ParseLevel reads it.
func (l Level) String() string { return l.Name + "=" + strconv.Itoa(l.K) }

// ParentIDs returns the ids of the level's parents: its name, a dash and
// the parent's number, padded to the width of K (district-01..district-12).
func (l Level) ParentIDs() []string {
	ids := make([]string, l.K)
	width := len(strconv.Itoa(l.K))
	for k := range ids {
		ids[k] = fmt.Sprintf("%s-%0*d", l.Name, width, k+1)
	}
	return ids
}

// Parents is one level of a plan's hierarchy: the parent of every unit of
// the level below.
type Parents struct {
	// Level is the level's name ("district").
	Level string
	// IDs holds the id of every parent.
	IDs []string
	// Of holds the parent (an index into IDs) of every unit of the level
	// below: of every territory for the first level, of every parent of
	// the level before for the others.
	Of []int
}

// TerritoryParents returns, for every level of pl, the parent of every
// territory at that level: composed through the levels below.
func (pl *Plan) TerritoryParents(k int) [][]int {
	out := make([][]int, len(pl.Levels))
	unit := make([]int, k)
	for t := range unit {
		unit[t] = t
	}
	for l, lv := range pl.Levels {
		of := make([]int, k)
		for t := range of {
			unit[t] = lv.Of[unit[t]]
			of[t] = unit[t]
		}
		out[l] = of
	}
	return out
}

// checkLevels verifies that the levels of pl fit a problem of k
// territories: every unit has a parent in range.
func (pl *Plan) checkLevels(k int) error {
	units := k
	for _, lv := range pl.Levels {
		if len(lv.Of) != units {
			return fmt.Errorf("plan: level %q has parents for %d units, not %d", lv.Level, len(lv.Of), units)
		}
		for _, p := range lv.Of {
			if p < 0 || p >= len(lv.IDs) {
				return fmt.Errorf("plan: level %q: parent %d not in 0..%d", lv.Level, p, len(lv.IDs)-1)
			}
		}
		units = len(lv.IDs)
	}
	return nil
}

// LevelRule is a balance rule of one level of parents.
type LevelRule struct {
	Level string // the level's normalised name
	Rule  BalanceRule
}

// ParseLevelRule reads a level's rule given as LEVEL:RULE
// ("district:revenue:5%"), the rule as ParseBalanceRule reads it.
func ParseLevelRule(s string) (LevelRule, error) {
	level, rule, ok := strings.Cut(s, ":")
	if !ok || NormalizeName(level) == "" {
		return LevelRule{}, fmt.Errorf("level rule %q: expected LEVEL:RULE, such as district:revenue:5%%", s)
	}
	r, err := ParseBalanceRule(rule)
	if err != nil {
		return LevelRule{}, fmt.Errorf("level rule %q: %w", s, err)
	}
	return LevelRule{Level: NormalizeName(level), Rule: r}, nil
}

// String writes the rule as ParseLevelRule reads it.
func (r LevelRule) String() string { return r.Level + ":" + r.Rule.String() }

// LevelTolerance is the least tolerance of the rules a level takes from
// the territories: whole territories rarely sum closer to an equal share.
// A parent of ten territories moves by a tenth when one changes hands, and
// by 5% for a half-time rep: on the example of a million accounts (1,000
// territories, 50 of them half time, into 100 districts), 96 districts
// are within 5% and all within 10%.
const LevelTolerance = 0.10

// ResolveLevels gives every level its rules: those of rules that name it,
// or, for a level that none names, the territories' measures
// (territoryRules), each within its tolerance or LevelTolerance, whichever
// is wider (a territory's min and max say nothing of a parent's sum). A
// rule for a level not in levels, a level named twice and two rules of one
// level for one measure are errors.
func ResolveLevels(levels []Level, rules []LevelRule, territoryRules []BalanceRule) ([]Level, error) {
	out := make([]Level, len(levels))
	seen := make(map[string]bool)
	for i, l := range levels {
		if seen[l.Name] {
			return nil, fmt.Errorf("level %q is given twice", l.Name)
		}
		seen[l.Name] = true
		out[i] = Level{Name: l.Name, K: l.K}
	}
	for _, r := range rules {
		i := -1
		for j := range out {
			if out[j].Name == r.Level {
				i = j
			}
		}
		if i < 0 {
			names := make([]string, len(levels))
			for j, l := range levels {
				names[j] = strconv.Quote(l.Name)
			}
			return nil, fmt.Errorf("level rule %s: no level %q (the levels are %s)", r, r.Level, strings.Join(names, ", "))
		}
		for _, o := range out[i].Rules {
			if o.Measure == r.Rule.Measure {
				return nil, fmt.Errorf("level rule %s: a second rule for measure %q of level %q: combine them into one", r, r.Rule.Measure, r.Level)
			}
		}
		out[i].Rules = append(out[i].Rules, r.Rule)
	}
	for i := range out {
		if out[i].Rules != nil {
			continue
		}
		for _, r := range territoryRules {
			tol := LevelTolerance
			if r.HasTolerance {
				tol = max(tol, r.Tolerance)
			}
			out[i].Rules = append(out[i].Rules, BalanceRule{Measure: r.Measure, HasTolerance: true, Tolerance: tol})
		}
	}
	for i := 1; i < len(out); i++ {
		if out[i].K > out[i-1].K {
			return nil, fmt.Errorf("level %s has more parents than the level below it, %s: levels go up, each with fewer parents", out[i], out[i-1])
		}
	}
	return out, nil
}
