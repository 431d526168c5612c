package configrules

import "github.com/hubaudit/hubaudit/rules"

// Rules are the HUB1xx rules, in ID order.
var Rules = []*rules.Rule{}
