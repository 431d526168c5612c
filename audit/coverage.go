package audit

import (
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/checks/hub"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
)

// coverage says, per input, whether the audit read it and from where. The
// hub probe is listed in post only (pre has no --hub-url). userEnvNote
// says why the hub environment could not be taken for the user
// environment (hubServesUsers).
func coverage(opts Options, in *rules.Input, userEnvNote string) []report.InputCoverage {
	state := func(s rules.Source) (string, string) {
		st := in.States[s]
		switch st.Status {
		case "ok":
			return report.CoverageRead, ""
		case "failed":
			return report.CoverageFailed, st.Reason
		}
		return report.CoverageAbsent, st.Reason
	}
	var out []report.InputCoverage
	add := func(c report.InputCoverage) {
		if c.From == nil {
			c.From = []string{}
		}
		out = append(out, c)
	}

	c := report.InputCoverage{Input: report.InputConfig, Flag: "--config"}
	c.Status, c.Reason = state(rules.SourceConfig)
	if in.Config != nil {
		for _, f := range in.Config.Files {
			c.From = append(c.From, relPath(opts.Dir, f))
		}
	}
	add(c)

	c = report.InputCoverage{Input: report.InputDB, Flag: "--db"}
	c.Status, c.Reason = state(rules.SourceDB)
	if in.DB != nil {
		c.From = []string{in.DB.URL}
	}
	add(c)

	add(hubEnvCoverage(in))

	c = report.InputCoverage{Input: report.InputUserEnvs, Flag: "--user-env", Status: report.CoverageAbsent,
		Reason: "no --user-env given: user environments were not audited"}
	var unreadable []string
	if userEnvNote != "" {
		c.Reason += " (" + userEnvNote + ")"
	}
	for _, u := range in.Env.Users() {
		c.From = append(c.From, userEnvFrom(u))
		if !u.Readable() {
			unreadable = append(unreadable, u.Path)
		}
	}
	switch {
	case len(c.From) > 0 && len(unreadable) == len(c.From):
		c.Status, c.Reason = report.CoverageFailed, "could not read "+strings.Join(unreadable, ", ")
	case len(c.From) > 0:
		c.Status, c.Reason = report.CoverageRead, ""
		if len(unreadable) > 0 {
			c.Reason = "could not read " + strings.Join(unreadable, ", ")
		}
	case in.States[rules.SourceEnv].Status == "failed":
		c.Status, c.Reason = report.CoverageFailed, in.States[rules.SourceEnv].Reason
	}
	add(c)

	c = report.InputCoverage{Input: report.InputLogs, Flag: "--log"}
	c.Status, c.Reason = state(rules.SourceLogs)
	if in.Logs != nil {
		c.From = append(c.From, in.Logs.Files...)
	}
	add(c)

	if opts.Mode == rules.ModePost {
		c = report.InputCoverage{Input: report.InputHubProbe, Flag: "--hub-url", Status: report.CoverageAbsent, Reason: "no --hub-url given"}
		if h, ok := in.Extra[ExtraHub].(*hub.Facts); ok {
			c.From = []string{h.URL}
			c.Status, c.Reason = report.CoverageRead, ""
			if !h.Reachable {
				c.Status, c.Reason = report.CoverageFailed, "the hub did not answer as a JupyterHub"
				if len(h.Errors) > 0 {
					c.Reason += ": " + strings.Join(h.Errors, "; ")
				}
			}
		}
		add(c)
	}
	return out
}

// hubEnvCoverage describes the hub environment: given with --hub-env,
// found from the jupyterhub command on PATH, or neither.
func hubEnvCoverage(in *rules.Input) report.InputCoverage {
	c := report.InputCoverage{Input: report.InputHubEnv, Flag: "--hub-env", Status: report.CoverageAbsent,
		Reason: "no --hub-env given and no jupyterhub command on PATH"}
	if st := in.States[rules.SourceEnv]; st.Status == "failed" {
		c.Status, c.Reason = report.CoverageFailed, st.Reason
	}
	h := in.Env.Hub()
	if h == nil {
		return c
	}
	c.From = []string{envFrom(h)}
	switch {
	case !h.Readable():
		c.Status, c.Reason = report.CoverageFailed, "could not read "+h.Path
		if len(h.Problems) > 0 {
			c.Reason += ": " + h.Problems[0].Detail
		}
	case h.Packages["jupyterhub"] == "":
		c.Status, c.Reason = report.CoverageRead, "it has no jupyterhub package"
	default:
		c.Status, c.Reason = report.CoverageRead, ""
	}
	return c
}

// envFrom is where an environment was read, and how it was found when it
// was not named by a flag.
func envFrom(e *env.Environment) string {
	switch e.Found {
	case "path":
		return e.Path + " (the jupyterhub on PATH)"
	case "spawner-cmd":
		return e.Path + " (from c.Spawner.cmd)"
	}
	return e.Path
}

// userEnvFrom is where a user environment was read: the hub environment
// says why it is the user environment too, and an environment given more
// than once says how else it was given.
func userEnvFrom(e *env.Environment) string {
	var why []string
	if e.Role == env.RoleHub {
		why = append(why, "the hub environment: "+e.UserEnv)
	}
	if len(e.Aliases) > 0 {
		why = append(why, "also given as "+strings.Join(e.Aliases, ", "))
	}
	from := envFrom(e)
	if e.Role == env.RoleHub {
		from = e.Path
	}
	if len(why) == 0 {
		return from
	}
	if strings.HasSuffix(from, ")") {
		return strings.TrimSuffix(from, ")") + "; " + strings.Join(why, "; ") + ")"
	}
	return from + " (" + strings.Join(why, "; ") + ")"
}

// missing lists what the verdict's claim rests on and was not examined:
// in pre the config, the database and the hub environment; in post the
// installed version (hub environment or hub API), the database and a
// target to verify against.
func missing(opts Options, in *rules.Input, cov []report.InputCoverage) []report.Missing {
	byInput := map[string]report.InputCoverage{}
	for _, c := range cov {
		byInput[c.Input] = c
	}
	var out []report.Missing
	need := func(input, what string) {
		c := byInput[input]
		if c.Status == report.CoverageRead && c.Reason == "" {
			return
		}
		why := what + " was not read"
		if c.Reason != "" {
			why += " (" + c.Reason + ")"
		}
		out = append(out, report.Missing{Input: input, Why: why, Flag: c.Flag})
	}
	switch opts.Mode {
	case rules.ModePre:
		need(report.InputConfig, "the config")
		need(report.InputDB, "the database")
		need(report.InputHubEnv, "the hub environment")
	default:
		hubEnv, probe := byInput[report.InputHubEnv], byInput[report.InputHubProbe]
		envOK := hubEnv.Status == report.CoverageRead && hubEnv.Reason == ""
		h, _ := in.Extra[ExtraHub].(*hub.Facts)
		probeOK := h != nil && h.Reachable && h.Version != ""
		if !envOK && !probeOK {
			why := "the installed jupyterhub version is unknown: " + reasonOr(hubEnv, "no hub environment was read")
			if probe.Status != report.CoverageAbsent {
				why += "; " + reasonOr(probe, "the hub's API did not report a version")
			}
			out = append(out, report.Missing{Input: report.InputHubEnv, Why: why, Flag: "--hub-env or --hub-url"})
		}
		need(report.InputDB, "the database")
		if in.Target == nil {
			out = append(out, report.Missing{Input: "target", Flag: "--target or --baseline",
				Why: "no target version to verify the upgrade against"})
		}
	}
	return out
}

func reasonOr(c report.InputCoverage, def string) string {
	if c.Reason != "" {
		return c.Reason
	}
	return def
}
