package rules

import (
	"path/filepath"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/kb"
)

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
	// Release and Namespace are the Helm release's, when helm list
	// output named them.
	Release   string `json:"release,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

// PlanVars are the values a Zero to JupyterHub upgrade plan's commands
// need, from the charts and the first chart values of cf:
//
//	release, namespace  the Helm release (RELEASE, NAMESPACE when unknown)
//	chart               the target chart version
//	values              the values file
//	db_type             hub.db.type (the chart's default when unset)
//	db_auto_upgrade     "yes" when the hub runs --upgrade-db itself: hub.db.upgrade
//	                    when set, else hub.db.type sqlite-pvc (the chart's hub deployment)
//	db_backup           the command that copies the SQLite database out of the
//	                    hub pod's hub-db-dir volume ("" for other databases)
func (c *Charts) PlanVars(cf *config.Facts) map[string]string {
	v := map[string]string{"release": "RELEASE", "namespace": "NAMESPACE", "chart": "CHART", "values": "values.yaml"}
	if c.Release != "" {
		v["release"] = c.Release
	}
	if c.Namespace != "" {
		v["namespace"] = c.Namespace
	}
	chart := c.Target
	if chart != nil {
		v["chart"] = chart.Version
	} else {
		chart = c.Current
	}
	var values map[string]any
	if cf != nil && len(cf.Charts) > 0 {
		v["values"] = filepath.Base(cf.Charts[0].File)
		values = cf.Charts[0].Values
	}
	hub, _ := values["hub"].(map[string]any)
	db, _ := hub["db"].(map[string]any)
	dbType, _ := db["type"].(string)
	if dbType == "" && chart != nil {
		dbType = chart.DefaultString("hub.db.type")
	}
	v["db_type"] = dbType
	auto := dbType == "sqlite-pvc"
	if up, ok := db["upgrade"].(bool); ok {
		auto = up
	}
	v["db_auto_upgrade"] = "no"
	if auto {
		v["db_auto_upgrade"] = "yes"
	}
	if dbType == "sqlite-pvc" {
		v["db_backup"] = "kubectl cp -n " + v["namespace"] + " \"$(kubectl get pod -n " + v["namespace"] +
			" -l component=hub -o jsonpath='{.items[0].metadata.name}')\":/srv/jupyterhub/jupyterhub.sqlite ./jupyterhub.sqlite"
	}
	return v
}

// Charts returns the chart releases of the audit (nil when it is not
// about a Zero to JupyterHub chart).
func (p *Pass) Charts() *Charts {
	c, _ := p.Extra[ExtraCharts].(*Charts)
	return c
}
