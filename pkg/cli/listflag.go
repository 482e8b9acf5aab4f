package cli

import (
	"fmt"
	"strings"

	"github.com/territory-optimizer/territory/pkg/derive"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// listValue is a repeatable flag (--balance, --measure, --level,
// --balance-level): every value is parsed when it is given, so that a bad
// one is a usage error naming it, and appended to the list.
type listValue[T fmt.Stringer] struct {
	items *[]T
	parse func(string) (T, error)
	typ   string // the value's form in --help: RULE, NAME=K, ...
}

func (v *listValue[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.items = append(*v.items, x)
	return nil
}

func (v *listValue[T]) Type() string { return v.typ }

func (v *listValue[T]) String() string {
	if v.items == nil {
		return ""
	}
	s := make([]string, len(*v.items))
	for i, x := range *v.items {
		s[i] = x.String()
	}
	return strings.Join(s, " ")
}

// rulesFlag is --balance: balance rules, as territory.ParseBalanceRule
// reads them.
func rulesFlag(rules *[]territory.BalanceRule) *listValue[territory.BalanceRule] {
	return &listValue[territory.BalanceRule]{items: rules, parse: territory.ParseBalanceRule, typ: "RULE"}
}

// measuresFlag is --measure: derived measures, each compiled when given
// (an expression that does not compile names the character of the
// mistake).
func measuresFlag(measures *[]*derive.Measure) *listValue[*derive.Measure] {
	return &listValue[*derive.Measure]{items: measures, parse: derive.Parse, typ: "NAME=EXPR"}
}

// levelsFlag is --level: levels of parents, NAME=K.
func levelsFlag(levels *[]territory.Level) *listValue[territory.Level] {
	return &listValue[territory.Level]{items: levels, parse: territory.ParseLevel, typ: "NAME=K"}
}

// levelRulesFlag is --balance-level: the rules of a level, LEVEL:RULE.
func levelRulesFlag(rules *[]territory.LevelRule) *listValue[territory.LevelRule] {
	return &listValue[territory.LevelRule]{items: rules, parse: territory.ParseLevelRule, typ: "LEVEL:RULE"}
}
