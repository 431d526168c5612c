// Package all assembles every hubaudit rule, in ID order.
package all

import (
	"sort"

	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/chartrules"
	"github.com/hubaudit/hubaudit/rules/configrules"
	"github.com/hubaudit/hubaudit/rules/dbrules"
	"github.com/hubaudit/hubaudit/rules/envrules"
	"github.com/hubaudit/hubaudit/rules/logrules"
	"github.com/hubaudit/hubaudit/rules/planrules"
)

// Rules returns every rule, sorted by ID.
func Rules() []*rules.Rule {
	var rs []*rules.Rule
	for _, set := range [][]*rules.Rule{chartrules.Rules, configrules.Rules, dbrules.Rules, envrules.Rules, logrules.Rules, planrules.Rules, rules.MetaRules} {
		rs = append(rs, set...)
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	return rs
}

// ByID returns the rule with the given ID or name.
func ByID(id string) (*rules.Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id || r.Name == id {
			return r, true
		}
	}
	return nil, false
}
