package envrules

import "github.com/hubaudit/hubaudit/rules"

// Rules are the HUB3xx rules, in ID order.
var Rules = []*rules.Rule{}
