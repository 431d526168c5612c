package rules

import (
	"fmt"
	"github.com/hubaudit/hubaudit/internal/shell"
	"strings"

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
//	chart               the target chart version (CHART when --target names none)
//	target_arg          what hubaudit's --target takes for this upgrade (chart:4.0.0)
//	values              the values file
//	db_type             hub.db.type (the chart's default when unset)
//	db_upgrade          hub.db.upgrade as the values set it ("true", "false", "" unset)
//	db_auto_upgrade     "yes" when the hub runs --upgrade-db itself: hub.db.upgrade
//	                    when set, else hub.db.type sqlite-pvc (the chart's hub deployment)
//	hub_pod             a shell expression for the hub pod's name
//	db_snapshot         the command that makes a consistent copy of the SQLite database
//	                    inside the hub pod, next to it on the hub-db-dir volume
//	db_backup           the command that copies that copy out of the pod
//	db_snapshot_rm      the command that removes the copy from the volume
//	db_local            the SQLite file the copy goes to on this machine: localDB, the
//	                    file the audit read (./jupyterhub.sqlite when none), so that the
//	                    plan's hubaudit commands read the copy
//	db_local_url        db_local as the --db of a hubaudit command
//
// Paths are shell-quoted where they need it.
// The db_ commands are "" unless hub.db.type is sqlite-pvc: the chart
// mounts the hub-db-dir claim at /srv/jupyterhub, the hub image's working
// directory, and points db_url at sqlite:///jupyterhub.sqlite there.
func (c *Charts) PlanVars(cf *config.Facts, localDB string) map[string]string {
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
		v["target_arg"] = "chart:" + chart.Version
	} else {
		chart = c.Current
	}
	var values map[string]any
	if cf != nil && len(cf.Charts) > 0 {
		v["values"] = shell.Quote(cf.Charts[0].File)
		values = cf.Charts[0].Values
	}
	hub, _ := values["hub"].(map[string]any)
	db, _ := hub["db"].(map[string]any)
	dbType, _ := db["type"].(string)
	if dbType == "" {
		// The chart's default; with no chart release known, the newest
		// one's (every release defaults to sqlite-pvc).
		if def := chart; def != nil {
			dbType = def.DefaultString("hub.db.type")
		} else if all := kb.Charts(); len(all) > 0 {
			dbType = all[len(all)-1].DefaultString("hub.db.type")
		}
	}
	v["db_type"] = dbType
	auto := dbType == "sqlite-pvc"
	v["db_upgrade"] = ""
	if up, ok := db["upgrade"].(bool); ok {
		auto = up
		v["db_upgrade"] = fmt.Sprint(up)
	}
	v["db_auto_upgrade"] = "no"
	if auto {
		v["db_auto_upgrade"] = "yes"
	}
	ns := "kubectl -n " + v["namespace"]
	sel := "component=hub"
	if c.Release != "" {
		sel += ",release=" + c.Release
	}
	v["hub_pod"] = "$(" + ns + " get pod -l " + sel + " -o jsonpath='{.items[0].metadata.name}')"
	v["db_snapshot"], v["db_backup"], v["db_snapshot_rm"] = "", "", ""
	v["db_local"] = localDB
	if localDB == "" {
		v["db_local"] = "./jupyterhub.sqlite"
	}
	v["db_local_url"] = shell.Quote("sqlite:///" + strings.TrimPrefix(v["db_local"], "./"))
	if dbType == "sqlite-pvc" {
		const db, snap = "/srv/jupyterhub/jupyterhub.sqlite", "/srv/jupyterhub/jupyterhub.sqlite.hubaudit-copy"
		v["db_snapshot"] = ns + " exec deploy/hub -c hub -- python3 -c \"import sqlite3; d = sqlite3.connect('" + snap +
			"'); sqlite3.connect('" + db + "').backup(d); d.close()\""
		v["db_backup"] = ns + " cp -c hub \"" + v["hub_pod"] + ":" + snap + "\" " + shell.Quote(v["db_local"])
		v["db_snapshot_rm"] = ns + " exec deploy/hub -c hub -- rm " + snap
	}
	return v
}

// Charts returns the chart releases of the audit (nil when it is not
// about a Zero to JupyterHub chart).
func (p *Pass) Charts() *Charts {
	c, _ := p.Extra[ExtraCharts].(*Charts)
	return c
}
