package extract

import (
	"github.com/go-python/gpython/ast"

	"github.com/hubaudit/hubaudit/checks/config"
)

// Project is what a Python project's packaging files declare: its
// Python floor and runtime requirements, each with the file it was read
// from.
type Project struct {
	// RequiresPython is the Requires-Python specifier ("" when none is
	// declared) and RequiresPythonSource the file and key it came from
	// ("setup.py:python_requires").
	RequiresPython       string
	RequiresPythonSource string
	// Requirements are the runtime requirements (extras left out) and
	// RequirementsSource where they came from
	// ("pyproject.toml:dependencies", "setup.py:install_requires",
	// "requirements.txt"); both are empty when none were found.
	Requirements       []Requirement
	RequirementsSource string
}

// Requirement returns the requirement on the normalized name, if any.
func (p Project) Requirement(name string) (Requirement, bool) {
	for _, q := range p.Requirements {
		if q.Normalized == name {
			return q, true
		}
	}
	return Requirement{}, false
}

// ReadProject reads a project's packaging files, keyed by their path at
// the project root ("pyproject.toml", "setup.py", "requirements.txt"), in
// that order of precedence: the static [project] table of pyproject.toml;
// else python_requires and a literal install_requires list of setup.py;
// else requirements.txt, which setup.py files that build install_requires
// at run time (open("requirements.txt")) and pyproject's dynamic
// dependencies read. Nothing is imported or run.
func ReadProject(files map[string][]byte) (Project, error) {
	var p Project
	dynamic := false
	if b, ok := files["pyproject.toml"]; ok {
		rp, deps, dyn, err := pyprojectFacts(b)
		if err != nil {
			return Project{}, err
		}
		dynamic = dyn
		if rp != "" {
			p.RequiresPython, p.RequiresPythonSource = rp, "pyproject.toml:requires-python"
		}
		if len(deps) > 0 && !dyn {
			p.Requirements, p.RequirementsSource = deps, "pyproject.toml:dependencies"
		}
	}
	if b, ok := files["setup.py"]; ok {
		if p.RequiresPython == "" {
			if rp := setupPythonRequires(b); rp != "" {
				p.RequiresPython, p.RequiresPythonSource = rp, "setup.py:python_requires"
			}
		}
		if p.RequirementsSource == "" && !dynamic {
			if reqs, ok := setupInstallRequires(b); ok {
				p.Requirements, p.RequirementsSource = reqs, "setup.py:install_requires"
			}
		}
	}
	if b, ok := files["requirements.txt"]; ok && p.RequirementsSource == "" {
		p.Requirements, p.RequirementsSource = requirementsTxt(b), "requirements.txt"
	}
	return p, nil
}

// setupInstallRequires finds install_requires in setup.py when it is a
// list (or tuple) of string literals, as a keyword argument or a dict
// entry, directly or through a module-level name bound to such a list;
// ok is false when it is missing or computed (a call, a list that starts
// empty and is filled at run time).
func setupInstallRequires(src []byte) (reqs []Requirement, ok bool) {
	m := config.ParsePython("setup.py", src)
	var found ast.Expr
	ast.Walk(&ast.Module{Body: m.Body}, func(n ast.Ast) bool {
		if found != nil {
			return false
		}
		switch v := n.(type) {
		case *ast.Keyword:
			if string(v.Arg) == "install_requires" {
				found = v.Value
			}
		case *ast.Dict:
			for i, k := range v.Keys {
				if strValue(k) == "install_requires" {
					found = v.Values[i]
				}
			}
		}
		return true
	})
	if n, named := found.(*ast.Name); named {
		found = nil // install_requires=reqs: the module's own reqs = [...]
		for _, st := range m.Body {
			if as, isAssign := st.(*ast.Assign); isAssign && len(as.Targets) == 1 && isName(as.Targets[0], string(n.Id)) {
				found = as.Value
			}
		}
		if l, isList := found.(*ast.List); isList && len(l.Elts) == 0 {
			return nil, false // reqs = [] filled at run time (from requirements.txt)
		}
	}
	var elts []ast.Expr
	switch v := found.(type) {
	case *ast.List:
		elts = v.Elts
	case *ast.Tuple:
		elts = v.Elts
	default:
		return nil, false
	}
	for _, e := range elts {
		s, isStr := e.(*ast.Str)
		if !isStr {
			return nil, false
		}
		if q, good := parseRequirement(string(s.S)); good {
			reqs = append(reqs, q)
		}
	}
	return reqs, true
}
