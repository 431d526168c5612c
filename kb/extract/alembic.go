package extract

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/go-python/gpython/ast"
	"github.com/go-python/gpython/py"
)

// Migration is one alembic revision file of the release.
type Migration struct {
	Revision     string
	DownRevision string
	// File is the path in the package.
	File string
	// Title is the first non-empty docstring line; DocAsLogged the first
	// paragraph, which alembic prints in "Running upgrade X -> Y, <doc>".
	Title       string
	DocAsLogged string
	// BatchAlter is true when upgrade or downgrade use op.batch_alter_table.
	BatchAlter bool
}

// versionsDir is where JupyterHub keeps its migrations.
const versionsDir = "jupyterhub/alembic/versions/"

// migrations reads every revision file and returns the chain from base
// to head. The chain must be one straight line with one head.
func (p *Package) migrations() ([]Migration, error) {
	byRev := map[string]Migration{}
	for _, f := range p.pyFiles(versionsDir) {
		if path.Dir(f)+"/" != versionsDir {
			continue
		}
		m := p.module(f)
		mig := Migration{File: f}
		set := false
		for _, s := range m.Body {
			switch n := s.(type) {
			case *ast.ExprStmt:
				if doc := strValue(n.Value); doc != "" && mig.Title == "" && !set {
					mig.Title, mig.DocAsLogged = docTitle(doc)
				}
			case *ast.Assign:
				if len(n.Targets) != 1 {
					continue
				}
				switch {
				case isName(n.Targets[0], "revision"):
					mig.Revision, set = strValue(n.Value), true
				case isName(n.Targets[0], "down_revision"):
					mig.DownRevision = strValue(n.Value)
					if nc, ok := n.Value.(*ast.NameConstant); !ok && mig.DownRevision == "" || ok && nc.Value != py.None {
						return nil, fmt.Errorf("%s: down_revision is not a single revision (a merge is not supported)", f)
					}
				}
			}
		}
		if mig.Revision == "" {
			if len(m.Errors) > 0 {
				return nil, fmt.Errorf("%s: line %d: %s", f, m.Errors[0].Line, m.Errors[0].Reason)
			}
			return nil, fmt.Errorf("%s: no revision", f)
		}
		mig.BatchAlter = strings.Contains(string(p.Files[f]), "batch_alter_table")
		if prev, dup := byRev[mig.Revision]; dup {
			return nil, fmt.Errorf("revision %s is in both %s and %s", mig.Revision, prev.File, f)
		}
		byRev[mig.Revision] = mig
	}
	if len(byRev) == 0 {
		return nil, fmt.Errorf("no migrations in %s", versionsDir)
	}
	children := map[string][]string{}
	for _, m := range byRev {
		children[m.DownRevision] = append(children[m.DownRevision], m.Revision)
	}
	var chain []Migration
	for cur := ""; ; {
		next := children[cur]
		sort.Strings(next)
		if len(next) == 0 {
			break
		}
		if len(next) > 1 {
			return nil, fmt.Errorf("alembic chain branches after %q: %s", cur, strings.Join(next, ", "))
		}
		chain = append(chain, byRev[next[0]])
		cur = next[0]
	}
	if len(chain) != len(byRev) {
		return nil, fmt.Errorf("alembic chain: %d of %d revisions are not reachable from the base", len(byRev)-len(chain), len(byRev))
	}
	return chain, nil
}

// docTitle returns a docstring's first non-empty line and its first
// paragraph (lines joined with spaces after trimming, as alembic logs it).
func docTitle(doc string) (title, para string) {
	lines := strings.Split(strings.TrimLeft(doc, "\n"), "\n")
	var p []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			break
		}
		p = append(p, l)
	}
	if len(p) > 0 {
		title = p[0]
	}
	return title, strings.Join(p, " ")
}
