package all

import "github.com/hubaudit/hubaudit/rules"

func rulesValidate() error { return rules.Validate(Rules()) }
