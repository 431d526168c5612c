package deploy

// Z2JH is the Zero to JupyterHub Helm chart: the config is a values file,
// the hub runs in the chart's hub image, and the upgrade is a helm
// upgrade to a chart version (whose hub image pins the jupyterhub).
// The chart's knowledge (chart releases, pinned packages, schema) and the
// chart-version variables come from the z2jh work; this entry gives the
// kind its place in the table.
func init() {
	register(&Spec{
		Kind: Z2JH, Title: "Zero to JupyterHub (Helm chart)",
		Probes: []Probe{
			{Type: ConfigYAMLKey, Path: "hub", Why: "a Zero to JupyterHub values file"},
			{Type: ConfigYAMLKey, Path: "singleuser", Why: "a Zero to JupyterHub values file"},
		},
		HubPort: defaultHubPort,
		Steps: map[StepID]Step{
			StepStop: {Omit: true},
			StepPackages: {
				Title:       "Upgrade the Helm release to the chart that ships jupyterhub {{.Target}}",
				Detail:      "the hub environment is the chart's hub image: helm upgrade replaces it, and the single-user image set in the values must move with it",
				HubInstall:  []string{"helm upgrade {{.Vars.release}} jupyterhub/jupyterhub --version {{.Vars.chart}} -f {{.Vars.values}}"},
				UserInstall: []string{},
			},
			StepConfig: {Commands: []string{"# edit {{.Vars.values}}: the config findings above name each key"}},
			StepUpgradeDB: {
				Title:    "The hub upgrades the database schema itself when it restarts (hub.db.type sqlite-pvc, or hub.db.upgrade: true)",
				Detail:   "the chart starts the hub with --upgrade-db for SQLite on its PVC, and for other databases when hub.db.upgrade is true",
				Commands: []string{},
			},
			StepStart: {Commands: []string{"kubectl rollout status deploy/hub", "{{.Post}}"}},
		},
		Vars: z2jhVars,
	})
}

// z2jhVars are the chart release's plan variables the audit found (helm
// list output, --target chart:X), over placeholders for what it did not.
func z2jhVars(f *Facts, target string) map[string]string {
	v := map[string]string{"release": "RELEASE", "chart": "CHART-VERSION", "values": "values.yaml"}
	if f != nil {
		for k, x := range f.Chart {
			v[k] = x
		}
	}
	return v
}
