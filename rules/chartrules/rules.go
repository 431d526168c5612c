package chartrules

import (
	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// Rules are the chart rules, in ID order.
var Rules = []*rules.Rule{UnknownChartKey, SlugSchemeChange, ChartUpgrade}

var cfg = []rules.Source{rules.SourceConfig}

// schemaChart is the chart release whose values.schema.yaml judges the
// values: the target chart, else the installed one; latest says the
// newest known release was used because neither is known.
func schemaChart(p *rules.Pass) (c *kb.Chart, latest bool) {
	if ch := p.Charts(); ch != nil {
		if ch.Target != nil {
			return ch.Target, false
		}
		if ch.Current != nil {
			return ch.Current, false
		}
	}
	c, err := kb.ResolveChart("latest")
	if err != nil {
		return nil, false
	}
	return c, true
}

// fullKey is a chart key as written in the file, with its parent keys.
func fullKey(cv config.ChartValues, key string) string {
	if cv.Path == "" {
		return key
	}
	return cv.Path + "." + key
}
