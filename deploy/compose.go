package deploy

import "github.com/hubaudit/hubaudit/internal/shell"

// Compose is jupyterhub/jupyterhub-deploy-docker's layout: the hub runs
// in a container built from a Dockerfile FROM quay.io/jupyterhub/jupyterhub
// (the version a build argument), the config and the database are
// mounted from the host, and the upgrade is an image rebuild.
func init() {
	register(&Spec{
		Kind: Compose, Title: "docker compose",
		Probes: []Probe{
			{Type: DirFile, Path: "compose.yaml", Why: "a compose file"},
			{Type: DirFile, Path: "compose.yml", Why: "a compose file"},
			{Type: DirFile, Path: "docker-compose.yml", Why: "a compose file"},
			{Type: DirFile, Path: "docker-compose.yaml", Why: "a compose file"},
		},
		Locations: Locations{Config: []string{"jupyterhub_config.py"}},
		HubPort:   defaultHubPort,
		Steps: map[StepID]Step{
			StepStop: {Commands: []string{"docker compose -f {{.Vars.compose_file}} stop {{.Vars.service}}"}},
			StepPackages: {
				Title: "Rebuild the hub image with jupyterhub {{.Target}}",
				Detail: "the hub's environment is its image, not this machine's Python: {{.Vars.pin}}; " +
					"rebuild it with the new version (and the companions its Dockerfile installs), and rebuild the user image {{.Vars.user_image}} with the same jupyterhub",
				HubInstall: []string{
					"{{if .Vars.pin_arg}}# set {{.Vars.pin_arg}}: \"{{.Target}}\" under build.args in {{.Vars.compose_file}}, so the next build pins it{{else}}# in {{.Vars.dockerfile}}: FROM quay.io/jupyterhub/jupyterhub:{{.Target}}{{end}}",
					"docker compose -f {{.Vars.compose_file}} build {{if .Vars.pin_arg}}--build-arg {{.Vars.pin_arg}}={{.Target}} {{end}}{{.Vars.service}}",
				},
			},
			StepUpgradeDB: {Commands: []string{"docker compose -f {{.Vars.compose_file}} run --rm {{.Vars.service}} jupyterhub upgrade-db -f {{.Vars.config_in_container}}"}},
			StepStart: {Commands: []string{
				"docker compose -f {{.Vars.compose_file}} up -d {{.Vars.service}}",
				"{{.Post}}",
			}},
		},
		NotApplicable: map[string]string{
			"HUB313": "the hub runs in its image (quay.io/jupyterhub/jupyterhub ships configurable-http-proxy); this machine's proxy is not the one it starts",
			"HUB315": "the hub runs in its image, with the image's Node.js; this machine's is not the one that runs the proxy",
		},
		Vars:    composeVars,
		Prepare: composePrepare,
		Refresh: func(f *Facts, flag, path string) string {
			if flag != "--hub-env" {
				return ""
			}
			v := composeVars(f, "")
			return "docker compose -f " + v["compose_file"] + " exec " + v["service"] + " pip freeze > " + shell.Quote(path)
		},
	})
}

// composeVars are the compose file, the hub service, the pin and the
// config's path in the container.
func composeVars(f *Facts, target string) map[string]string {
	v := map[string]string{"compose_file": "docker-compose.yml", "service": "hub", "pin": "the hub image's Dockerfile was not read",
		"pin_arg": "", "dockerfile": "Dockerfile", "config_in_container": "/srv/jupyterhub/jupyterhub_config.py", "user_image": "(none named)"}
	if f == nil || f.Compose == nil {
		return v
	}
	c := f.Compose
	// Paths as the audit found them: the commands run where it ran.
	v["compose_file"], v["service"] = shell.Quote(c.File), shell.Quote(c.Service)
	for _, vol := range c.Volumes {
		if len(vol.Target) > len("jupyterhub_config.py") && vol.Target[len(vol.Target)-len("jupyterhub_config.py"):] == "jupyterhub_config.py" {
			v["config_in_container"] = vol.Target
		}
	}
	if img := c.Environ()["DOCKER_NOTEBOOK_IMAGE"]; img != "" {
		v["user_image"] = img
	}
	if d := c.Dockerfile; d != nil {
		v["dockerfile"] = shell.Quote(d.Path)
		v["pin_arg"] = d.PinArg
		switch {
		case d.JupyterHub != "":
			v["pin"] = "its Dockerfile pins jupyterhub " + d.JupyterHub + " (" + d.PinnedBy + ")"
		case d.PinnedBy != "":
			v["pin"] = "its Dockerfile does not pin jupyterhub (" + d.PinnedBy + "): every build takes whatever that tag is that day"
		default:
			v["pin"] = "its Dockerfile does not install a known jupyterhub image or pin"
		}
	}
	return v
}
