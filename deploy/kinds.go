package deploy

// The plain kinds: what the hub's Python prefix is. Their plans differ
// only in how packages are installed.

// pipInPlace is the hub install command of the kinds pip may install
// into: the prefix's own interpreter, so that the packages land in that
// prefix whatever python3 is first on PATH.
var pipInPlace = []string{"{{.Python}} -m pip install --upgrade {{.Packages}}"}

// upgradeDBInPrefix runs the prefix's own jupyterhub.
var upgradeDBInPrefix = Step{Commands: []string{"{{.Prefix}}/bin/jupyterhub upgrade-db -f {{.ConfigFile}}"}}

func init() {
	register(&Spec{
		Kind: Venv, Title: "virtualenv",
		Probes:  []Probe{{Type: PrefixFile, Path: "pyvenv.cfg", Why: "a virtualenv"}},
		HubPort: defaultHubPort,
		Steps: map[StepID]Step{
			StepPackages:  {HubInstall: pipInPlace},
			StepUpgradeDB: upgradeDBInPrefix,
		},
	})
	register(&Spec{
		Kind: Conda, Title: "conda environment",
		Probes:  []Probe{{Type: PrefixFile, Path: "conda-meta", Why: "a conda environment"}},
		HubPort: defaultHubPort,
		Steps: map[StepID]Step{
			StepPackages:  {HubInstall: []string{"conda install -p {{.Prefix}} -c conda-forge {{.CondaPackages}}"}},
			StepUpgradeDB: upgradeDBInPrefix,
		},
	})
	register(&Spec{
		Kind: Managed, Title: "distribution-managed Python",
		Probes: []Probe{
			{Type: PrefixFile, Path: "lib/python3*/EXTERNALLY-MANAGED", Why: "PEP 668 marker: pip refuses to install here"},
			{Type: PrefixDpkg, Why: "jupyterhub is installed by the distribution's package manager"},
		},
		HubPort: defaultHubPort,
		Extra: []ExtraStep{{ID: "virtualenv", Before: StepPackages, Step: Step{
			Title: "Move the hub to a virtualenv (the distribution's Python cannot be upgraded with pip)",
			Detail: "{{.Prefix}} belongs to the distribution{{with .Facts.Python}}{{if .ExternallyManaged}} (PEP 668 marker {{.ExternallyManaged}}){{end}}{{if .DebPackage}}; jupyterhub comes from the Debian package {{.DebPackage}}{{end}}{{end}}: " +
				"`pip install` there fails with externally-managed-environment, and `--break-system-packages` would overwrite files the package manager owns. " +
				"Create a virtualenv for the hub, install jupyterhub {{.Target}} and its companions in it, and point the hub's service (ExecStart, PATH) at it; " +
				"the config, the database and configurable-http-proxy stay where they are. Servers spawned from the distribution's jupyterhub-singleuser keep that version until the user environment moves too. " +
				"Keep the distribution's package installed until the new hub runs, so you can go back.",
			Commands: []string{
				"python3 -m venv {{.Vars.venv}}   # needs the distribution's venv module (Debian: apt install python3-venv)",
				"{{.Vars.venv}}/bin/python -m pip install {{.Packages}}",
				"systemctl edit --full jupyterhub   # ExecStart={{.Vars.venv}}/bin/jupyterhub -f {{.ConfigFile}}",
			},
		}}},
		Steps: map[StepID]Step{
			StepPackages:  {HubInstall: []string{}, Detail: "the hub's packages go into the virtualenv of the previous step, not into {{.Prefix}}", AppendDetail: true},
			StepUpgradeDB: {Commands: []string{"{{.Vars.venv}}/bin/jupyterhub upgrade-db -f {{.ConfigFile}}"}},
		},
		NewHubEnv: "the plan installs the hub into a new virtualenv, where pip resolves the target's requirements afresh",
		Vars:      func(*Facts, string) map[string]string { return map[string]string{"venv": ManagedVenv} },
	})
	register(&Spec{
		Kind: Prefix, Title: "Python prefix",
		Probes:  []Probe{{Type: HubPrefix, Why: "a Python prefix that is neither a virtualenv, a conda environment nor managed by the distribution"}},
		HubPort: defaultHubPort,
		Steps: map[StepID]Step{
			StepPackages:  {HubInstall: pipInPlace},
			StepUpgradeDB: upgradeDBInPrefix,
		},
	})
	register(&Spec{
		Kind: Export, Title: "exported package list",
		Probes:  []Probe{{Type: HubExport, Why: "the hub environment is known from its package list only"}},
		HubPort: defaultHubPort,
	})
}

// ManagedVenv is the virtualenv the plan moves a hub to when its Python is
// managed by the distribution; fixes that install a package for that hub
// name it too.
const ManagedVenv = "/opt/jupyterhub"
