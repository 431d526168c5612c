package deploy

import (
	"github.com/hubaudit/hubaudit/internal/shell"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

// TLJH keeps everything under one prefix (tljh/config.py: INSTALL_PREFIX
// /opt/tljh): the hub environment in hub/, the user environment in user/,
// config.yaml and jupyterhub_config.d in config/, the database in state/
// (the unit's working directory). The hub runs from TLJH's own
// jupyterhub_config.py inside the tljh package, under the systemd unit
// jupyterhub.service, with --upgrade-db.
func init() {
	register(&Spec{
		Kind: TLJH, Title: "The Littlest JupyterHub",
		HubUpgradesDB: "TLJH's jupyterhub.service starts the hub with --upgrade-db",
		Probes: []Probe{
			{Type: DirFile, Path: "config/config.yaml", Why: "TLJH's config file"},
			{Type: DirFile, Path: "hub/lib/python3*/site-packages/tljh", Why: "TLJH's hub environment"},
			{Type: ConfigFile, Path: "config.yaml", Why: "a TLJH config file"},
			{Type: RootFile, Path: "/opt/tljh/config/config.yaml", Why: "TLJH's config file"},
			{Type: RootFile, Path: "/opt/tljh/hub/lib/python3*/site-packages/tljh", Why: "TLJH's hub environment"},
		},
		Locations: Locations{
			Config:  []string{"hub/lib/python3*/site-packages/tljh/jupyterhub_config.py"},
			DB:      "state/jupyterhub.sqlite",
			HubEnv:  "hub",
			UserEnv: []string{"user"},
			Unit:    "jupyterhub",
		},
		HubPort: 15001,
		Steps: map[StepID]Step{
			StepStop: {Omit: true},
			StepPackages: {
				Title: "Upgrade TLJH with its installer (TLJH {{.Vars.tljh_release}} installs jupyterhub {{.Vars.tljh_range}})",
				Detail: "TLJH is upgraded by running its bootstrap script again with --version: it upgrades the tljh package and the hub environment {{.Vars.hub_env}} " +
					"to the requirements of that release (jupyterhub {{.Vars.tljh_range}}, the newest release in that range on the day it runs), and restarts jupyterhub.service and traefik. " +
					"{{if .Vars.hold}}To hold jupyterhub at exactly {{.Target}}, install it in the hub environment after the installer, then restart the hub. {{end}}" +
					"{{if .Vars.no_release}}No TLJH release installs jupyterhub {{.Target}}: {{.Vars.no_release}}. {{end}}" +
					"The installer also upgrades jupyterhub in the user environment {{.Vars.user_env}} (and nothing else there).",
				HubInstall: []string{
					"curl -L https://tljh.jupyter.org/bootstrap.py | sudo python3 - --version={{.Vars.tljh_release}}",
					"{{if .Vars.hold}}sudo {{.Vars.hub_python}} -m pip install 'jupyterhub=={{.Target}}' && sudo systemctl restart jupyterhub{{end}}",
				},
				UserInstall: []string{"{{if .Vars.hold}}sudo {{.Vars.user_env}}/bin/python -m pip install 'jupyterhub=={{.Target}}'{{end}}"},
			},
			StepUpgradeDB: {
				Title:    "The hub upgrades the database schema itself when it restarts",
				Detail:   "{{.Facts.HubUpgradesDB}}, so the installer's restart runs the migrations listed below; do not run upgrade-db by hand, and keep the backup",
				Commands: []string{},
			},
			StepStart: {
				Title:    "Check that the hub restarted, and verify",
				Commands: []string{"sudo systemctl status jupyterhub traefik", "{{.Post}}"},
			},
		},
		NotApplicable: map[string]string{
			"HUB313": "TLJH's proxy is traefik, run by traefik.service, not configurable-http-proxy",
			"HUB315": "TLJH's proxy is traefik, run by traefik.service, not configurable-http-proxy",
		},
		Vars:    tljhVars,
		Prepare: tljhPrepare,
		Refresh: func(f *Facts, flag, path string) string {
			if flag != "--hub-env" {
				return ""
			}
			return tljhVars(f, "")["hub_python"] + " -m pip freeze > " + shell.Quote(path)
		},
	})
}

// tljhVars names the TLJH release to install for the target.
func tljhVars(f *Facts, target string) map[string]string {
	v := map[string]string{"user_env": "/opt/tljh/user", "hold": "", "no_release": "", "hub_python": "/opt/tljh/hub/bin/python", "hub_env": "/opt/tljh/hub"}
	if f != nil && f.Root != "" {
		v["user_env"] = shell.Quote(f.Root + "/user")
		v["hub_python"] = shell.Quote(f.Root + "/hub/bin/python")
		v["hub_env"] = shell.Quote(f.Root + "/hub")
	}
	rel, ok := TLJHReleaseFor(target)
	if !ok {
		// The newest final release, and why it does not fit.
		rels := kb.TLJHReleases()
		for i := len(rels) - 1; i >= 0; i-- {
			if !rels[i].Prerelease {
				rel = rels[i]
				break
			}
		}
		v["no_release"] = "the newest, " + rel.Tag + ", installs jupyterhub " + rel.JupyterHub + "; pass --version a TLJH git reference whose requirements-hub-env.txt admits it, or choose a target in that range"
	} else if !tljhInstallsExactly(rel, target) {
		v["hold"] = "true"
	}
	v["tljh_release"], v["tljh_range"] = rel.Tag, rel.JupyterHub
	return v
}

// TLJHReleaseFor returns the newest final TLJH release whose installer's
// jupyterhub range holds version v.
func TLJHReleaseFor(v string) (kbdata.TLJHRelease, bool) {
	ver, err := pep440.Parse(v)
	if err != nil {
		return kbdata.TLJHRelease{}, false
	}
	rels := kb.TLJHReleases()
	for i := len(rels) - 1; i >= 0; i-- {
		r := rels[i]
		if r.Prerelease {
			continue
		}
		if spec, err := pep440.ParseSpecifier(r.JupyterHub); err == nil && spec.Contains(ver) {
			return r, true
		}
	}
	return kbdata.TLJHRelease{}, false
}

// tljhReleaseFor is TLJHReleaseFor's tag, "" when none.
func tljhReleaseFor(v string) string {
	if r, ok := TLJHReleaseFor(v); ok {
		return r.Tag
	}
	return ""
}

// tljhInstallsExactly reports whether a TLJH release's range admits only
// the target (never, for TLJH's ranges: the installer picks the newest).
func tljhInstallsExactly(r kbdata.TLJHRelease, target string) bool {
	return r.JupyterHub == "=="+target
}

// TLJHReleaseOf returns the TLJH release an installed
// the-littlest-jupyterhub version is: the newest release tag at or before
// it (a development build between releases runs its last release's
// configurer, as far as hubaudit knows).
func TLJHReleaseOf(version string) (kbdata.TLJHRelease, bool) {
	v, err := pep440.Parse(version)
	if err != nil {
		return kbdata.TLJHRelease{}, false
	}
	rels := kb.TLJHReleases()
	for i := len(rels) - 1; i >= 0; i-- {
		if t, err := pep440.Parse(rels[i].Tag); err == nil && t.Compare(v) <= 0 {
			return rels[i], true
		}
	}
	return kbdata.TLJHRelease{}, false
}
