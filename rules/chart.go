package rules

import "github.com/hubaudit/hubaudit/kb"

// ExtraCharts is the Input.Extra key of the Zero to JupyterHub chart
// releases of an audit (*Charts).
const ExtraCharts = "z2jh_charts"

// Charts are the Zero to JupyterHub chart releases an audit is about:
// the one installed now (nil when unknown) and the one being upgraded to
// (nil unless --target names a chart).
type Charts struct {
	Current *kb.Chart `json:"current,omitempty"`
	// CurrentFrom says where the current chart version came from
	// ("--chart-version", "hub.image in values.yaml", "helm list").
	CurrentFrom string    `json:"current_from,omitempty"`
	Target      *kb.Chart `json:"target,omitempty"`
}

// Charts returns the chart releases of the audit (nil when it is not
// about a Zero to JupyterHub chart).
func (p *Pass) Charts() *Charts {
	c, _ := p.Extra[ExtraCharts].(*Charts)
	return c
}
