package logrules

import "github.com/hubaudit/hubaudit/rules"

// Rules are the HUB4xx rules, in ID order.
var Rules = []*rules.Rule{}
