package deploy

import (
	"github.com/hubaudit/hubaudit/internal/shell"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
)

// Z2JH is the Zero to JupyterHub Helm chart: the config is a values file,
// the hub runs in the chart's hub image, and the upgrade is a helm
// upgrade to a chart version (whose hub image pins the jupyterhub).
// The chart's knowledge (chart releases, pinned packages, schema) and the
// chart-version variables come from the z2jh work (rules.Charts.PlanVars,
// set on Facts.Chart where the charts are applied); this entry gives the
// kind its place in the table, its inputs and its plan.
//
// What the steps rely on, from the chart's templates: the hub is the
// Deployment "hub" (container "hub", pods labelled component=hub and
// release=RELEASE) behind the Service "hub" on port 8081; with
// hub.db.type sqlite-pvc the hub-db-dir claim is mounted at
// /srv/jupyterhub, the image's working directory, where db_url is
// sqlite:///jupyterhub.sqlite; the hub container gets --upgrade-db when
// hub.db.upgrade is true, or when it is unset and the type is sqlite-pvc.
func init() {
	register(&Spec{
		Kind: Z2JH, Title: "Zero to JupyterHub (Helm chart)",
		Probes: []Probe{
			{Type: ConfigYAMLKey, Path: "hub", Why: "a Zero to JupyterHub values file"},
			{Type: ConfigYAMLKey, Path: "singleuser", Why: "a Zero to JupyterHub values file"},
			{Type: DirYAMLKey, Path: "values.yaml", Key: "hub", Why: "a Zero to JupyterHub values file"},
			{Type: DirYAMLKey, Path: "values.yaml", Key: "singleuser", Why: "a Zero to JupyterHub values file"},
			{Type: DirYAMLKey, Path: "config.yaml", Key: "hub", Why: "a Zero to JupyterHub values file (the chart's docs call it config.yaml)"},
			{Type: DirYAMLKey, Path: "config.yaml", Key: "singleuser", Why: "a Zero to JupyterHub values file (the chart's docs call it config.yaml)"},
		},
		Locations: Locations{HubEnv: "hub-freeze.txt"},
		HubPort:   defaultHubPort,
		LogPipe: func(f *Facts) string {
			return "kubectl -n " + z2jhVar(f, "namespace", "NAMESPACE") + " logs deploy/hub -c hub --since=1h"
		},
		Steps: map[StepID]Step{
			StepBackup: {
				When:  "{{.Vars.db_backup}}",
				Title: "Copy the database out of the hub-db-dir volume, back it up, and keep this audit as the baseline",
				Detail: "the hub's SQLite file lives on its hub-db-dir volume in the cluster: make a consistent copy next to it in the pod (SQLite's backup API, safe while the hub runs), " +
					"copy that out with kubectl cp, remove it from the volume, and let hubaudit verify it; keep {{.Vars.values}} with it",
				Commands: []string{
					"{{.Vars.db_snapshot}}",
					"{{.Vars.db_backup}}",
					"{{.Vars.db_snapshot_rm}}",
					"hubaudit backup --db {{.Vars.db_local_url}} --config {{.Vars.values}} --to ./hubaudit-backup",
					"{{.Pre}}",
				},
			},
			StepStop: {Omit: true},
			StepPackages: {
				Title:       "Upgrade the Helm release to the chart that ships jupyterhub {{.Target}}",
				Detail:      "the hub environment is the chart's hub image: helm upgrade replaces it, and the single-user image set in the values must move with it",
				HubInstall:  []string{"helm upgrade {{.Vars.release}} jupyterhub/jupyterhub -n {{.Vars.namespace}} --version {{.Vars.chart}} -f {{.Vars.values}}{{if eq .Vars.db_auto_upgrade \"no\"}} --set hub.db.upgrade=true{{end}}"},
				UserInstall: []string{},
			},
			StepConfig: {Commands: []string{"# edit {{.Vars.values}}: the config findings above name each key"}},
			StepUpgradeDB: {
				Title: "{{if eq .Vars.db_auto_upgrade \"yes\"}}The hub upgrades the database schema itself when it restarts{{else}}Let the new hub upgrade the database schema: --set hub.db.upgrade=true on the helm upgrade{{end}}",
				Detail: "{{if eq .Vars.db_auto_upgrade \"yes\"}}" +
					"the chart starts the hub with --upgrade-db ({{if .Vars.db_upgrade}}hub.db.upgrade: true in {{.Vars.values}}{{else}}hub.db.type sqlite-pvc with hub.db.upgrade unset{{end}}), so the new hub pod runs the pending migrations (listed below when the database was read) before it serves; do not run upgrade-db by hand, and keep the backup" +
					"{{else}}" +
					"the chart starts the hub with --upgrade-db only for hub.db.upgrade: true, or for sqlite-pvc with it unset; here hub.db.type is {{.Vars.db_type}}{{if .Vars.db_upgrade}} and hub.db.upgrade {{.Vars.db_upgrade}}{{end}}. " +
					"A hub whose schema is behind refuses to start, and the new pod's image is the only place the new jupyterhub runs: the helm upgrade above passes --set hub.db.upgrade=true so that pod runs the pending migrations; " +
					"take the flag out of later upgrades if you want them to leave the schema alone{{end}}",
				Commands: []string{},
			},
			StepStart: {
				Title: "Wait for the new hub pod, and verify",
				Commands: []string{
					"kubectl -n {{.Vars.namespace}} rollout status deploy/hub",
					"kubectl -n {{.Vars.namespace}} port-forward svc/hub 8081:8081 &   # the hub's API on this machine, for post",
					"{{if .Vars.db_backup}}{{.Vars.db_snapshot}}{{end}}",
					"{{if .Vars.db_backup}}{{.Vars.db_backup}}   # the upgraded database, for post{{end}}",
					"{{if .Vars.db_backup}}{{.Vars.db_snapshot_rm}}{{end}}",
					"{{.Post}}",
				},
			},
		},
		Vars:    z2jhVars,
		Prepare: z2jhPrepare,
		Refresh: func(f *Facts, flag, path string) string {
			ns := shell.Quote(z2jhVar(f, "namespace", "NAMESPACE"))
			switch flag {
			case "--hub-env":
				return "kubectl -n " + ns + " exec deploy/hub -c hub -- pip freeze > " + shell.Quote(path)
			case "--chart-version":
				return "helm list -n " + ns + " -o json > " + shell.Quote(path)
			}
			return ""
		},
	})
}

// z2jhVars are the chart release's plan variables the audit found (helm
// list output, --target chart:X), over placeholders for what it did not.
func z2jhVars(f *Facts, target string) map[string]string {
	v := map[string]string{"release": "RELEASE", "namespace": "NAMESPACE", "chart": "CHART-VERSION", "values": "values.yaml",
		"target_arg": "", "db_type": "", "db_upgrade": "", "db_auto_upgrade": "yes", "db_snapshot": "", "db_backup": "", "db_snapshot_rm": ""}
	if f != nil {
		for k, x := range f.Chart {
			v[k] = x
		}
	}
	if v["chart"] == "CHART" || v["chart"] == "CHART-VERSION" {
		// A JupyterHub target: the newest chart whose hub image pins it.
		if t, err := pep440.Parse(target); err == nil {
			for _, c := range kb.Charts() {
				if !c.Prerelease && c.JupyterHub.Compare(t) == 0 {
					v["chart"] = c.Version
				}
			}
		}
	}
	return v
}

// z2jhVar is one chart plan variable, or def when the audit has none.
func z2jhVar(f *Facts, key, def string) string {
	if f != nil && f.Chart[key] != "" {
		return f.Chart[key]
	}
	return def
}

// z2jhPrepare takes the values file found in the deployment directory
// (a folder collected as the README's recipe shows) as the config.
func z2jhPrepare(l *Located, in *Inputs) {
	for _, name := range []string{"values.yaml", "config.yaml"} {
		p := l.Root + "/" + name
		if yamlHasKey(p, "hub") || yamlHasKey(p, "singleuser") {
			in.ConfigFiles = append(in.ConfigFiles, p)
			return
		}
	}
}
