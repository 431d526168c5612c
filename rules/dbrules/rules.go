package dbrules

import "github.com/hubaudit/hubaudit/rules"

// Rules are the HUB2xx rules, in ID order.
var Rules = []*rules.Rule{}
