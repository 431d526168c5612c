package chartrules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// ChartUpgrade says what the target chart's hub image brings.
var ChartUpgrade = &rules.Rule{
	ID: "HUB521", Name: "chart-upgrade", Severity: rules.Note, Source: rules.SourceUpgrade, Needs: []rules.Source{}, NeedsTarget: true, Phase: rules.PhasePre,
	Title: "what a Zero to JupyterHub chart upgrade changes in the hub image",
	Doc: "With `--target chart:X` the hub environment after the upgrade is the chart's hub image, whose " +
		"`images/hub/requirements.txt` pins every package (kb/facts/z2jh). hubaudit names the JupyterHub, " +
		"KubeSpawner and authenticator releases the upgrade moves to, from the installed chart's " +
		"(`--chart-version`, or the hub image that `helm get values --all` output names) when it is known.\n\n" +
		"A Zero to JupyterHub deployment (a values file) audited with a plain `--target` (a JupyterHub " +
		"release) gets a note instead: which chart releases' hub images pin that JupyterHub, and what the " +
		"same number means as a chart release (`--target 4.0.0` is JupyterHub 4.0.0; chart 4.0.0 ships 5.2.1).\n\n" +
		"Fix: read the chart's upgrade notes for each major version crossed, and the changelogs of the " +
		"packages named; for the note, audit with `--target chart:VERSION`.",
	Run: func(p *rules.Pass) error {
		ch := p.Charts()
		if (ch == nil || ch.Target == nil) && p.Deployment != nil && p.Deployment.Kind == deploy.Z2JH && p.Target != nil {
			p.Report(plainTarget(p.Target.Version))
			return nil
		}
		if ch == nil || ch.Target == nil {
			return nil
		}
		to := ch.Target.HubPins()
		var from map[string]string
		if ch.Current != nil {
			from = ch.Current.HubPins()
		}
		var names []string
		for n := range to {
			if n == "jupyterhub" || n == "jupyterhub-kubespawner" || strings.Contains(n, "authenticator") || n == "sqlalchemy" || n == "jupyterhub-idle-culler" {
				names = append(names, n)
			}
		}
		sort.Slice(names, func(i, j int) bool {
			return rank(names[i]) < rank(names[j]) || rank(names[i]) == rank(names[j]) && names[i] < names[j]
		})
		var parts []string
		for _, n := range names {
			switch {
			case from == nil:
				parts = append(parts, n+" "+to[n])
			case from[n] == "":
				parts = append(parts, n+" "+to[n]+" (new)")
			case from[n] != to[n]:
				parts = append(parts, n+" "+from[n]+" -> "+to[n])
			}
		}
		var msg string
		if ch.Current != nil {
			msg = fmt.Sprintf("chart %s -> %s: the hub image moves %s", ch.Current.Version, ch.Target.Version, strings.Join(parts, ", "))
		} else {
			msg = fmt.Sprintf("chart %s's hub image pins %s; the installed chart is unknown (pass --chart-version, or helm get values --all output as --config)", ch.Target.Version, strings.Join(parts, ", "))
		}
		p.Report(rules.Finding{Message: msg, Location: rules.Location{Subject: "chart:" + ch.Target.Version}})
		return nil
	},
}

// plainTarget is the note for a Zero to JupyterHub deployment audited
// against a JupyterHub release: the chart releases that ship it, and
// what the same number means as a chart release.
func plainTarget(v pep440.Version) rules.Finding {
	msg := fmt.Sprintf("--target %s names a JupyterHub release; a Zero to JupyterHub deployment upgrades to a chart release", v)
	var ships []string
	for _, c := range kb.Charts() {
		if !c.Prerelease && c.JupyterHub.Compare(v) == 0 {
			ships = append(ships, c.Version)
		}
	}
	f := rules.Finding{Location: rules.Location{Subject: "chart-target:" + v.String()}}
	if len(ships) > 0 {
		msg += fmt.Sprintf(": jupyterhub %s is in the hub image of chart %s", v, strings.Join(ships, ", "))
		f.Fix = &rules.Fix{Description: fmt.Sprintf("audit the chart upgrade: hubaudit pre --target chart:%s", ships[len(ships)-1])}
	} else {
		msg += fmt.Sprintf(": no chart release's hub image pins jupyterhub %s", v)
		f.Fix = &rules.Fix{Description: "audit the chart upgrade with --target chart:VERSION (" + strings.Join(kb.ChartVersions(), ", ") + ")"}
	}
	if c, err := kb.ResolveChart(v.String()); err == nil && c.Version == v.String() {
		msg += fmt.Sprintf("; chart %s, if that is what was meant, ships jupyterhub %s (--target chart:%s)", c.Version, c.JupyterHub, c.Version)
	}
	f.Message = msg
	return f
}

func rank(n string) int {
	switch n {
	case "jupyterhub":
		return 0
	case "jupyterhub-kubespawner":
		return 1
	}
	return 2
}
