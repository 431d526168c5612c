package envrules

import (
	"fmt"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/rules"
)

// EnvUnreadable reports what the environment collector could not read.
var EnvUnreadable = &rules.Rule{
	ID: "HUB312", Name: "env-unreadable", Severity: rules.Warning, Source: rules.SourceEnv, Needs: envOnly,
	Title: "an environment, or part of one, could not be read",
	Doc: `The environment collector reads prefixes and package lists without running Python, and keeps
going when something is wrong: a path that does not exist or loops through symbolic links, a
file that is empty, binary or in no known format, a directory that is not a Python prefix, a
distribution whose METADATA is missing, truncated or garbage, an unparsable Requires-Dist or
entry_points.txt, a package installed twice, a line of a package list that is not a
requirement. Each becomes a finding here, so the other HUB3xx rules are known to have judged
less than everything. A whole environment that cannot be read is an error; a part of one is a
warning.

Fix: pass the right path (a venv/conda prefix, or the output of ` + "`pip freeze`" + `,
` + "`pip list --format=json`" + `, ` + "`conda list --export`" + ` or ` + "`conda env export`" + `); reinstall a package
whose metadata is damaged (` + "`pip install --force-reinstall <package>`" + `).`,
	Run: func(p *rules.Pass) error {
		for i := range p.Env.Environments {
			e := &p.Env.Environments[i]
			badLines, firstBad := 0, env.Problem{}
			for _, pr := range e.Problems {
				if pr.Kind == "bad-line" {
					if badLines == 0 {
						firstBad = pr
					}
					badLines++
					continue
				}
				whole := !e.Readable() || pr.Kind == "no-site-packages"
				f := rules.Finding{Location: rules.Location{File: pr.Path, Line: pr.Line, Subject: subject(e, "problem:"+pr.Kind)}}
				switch {
				case whole:
					f.Severity = rules.Error
					f.Message = fmt.Sprintf("%s could not be read: %s", describe(e), pr.Detail)
					f.Fix = &rules.Fix{Description: "pass a Python prefix (venv, conda env) or an exported package list (pip freeze, pip list --format=json, conda list --export, conda env export)"}
				case pr.Package != "":
					f.Location.Subject = subject(e, "problem:"+pr.Kind+":"+pr.Package)
					f.Message = fmt.Sprintf("package %s in %s: %s (%s); its requirements and entry points are not checked", pr.Package, describe(e), pr.Detail, pr.Kind)
					f.Fix = &rules.Fix{Description: "reinstall the package", Commands: []string{installCmd(e, "--force-reinstall", pr.Package)}}
				default:
					f.Message = fmt.Sprintf("%s: %s could not be read: %s", describe(e), pr.Path, pr.Detail)
				}
				p.Report(f)
			}
			if badLines > 0 {
				p.Report(rules.Finding{Location: rules.Location{File: firstBad.Path, Line: firstBad.Line, Subject: subject(e, "problem:bad-line")},
					Message: fmt.Sprintf("%s: %d %s not understood, the first: %s", describe(e), badLines, plural(badLines, "line was", "lines were"), firstBad.Detail)})
			}
		}
		return nil
	},
}
