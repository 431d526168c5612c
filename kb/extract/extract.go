package extract

import (
	"fmt"
	"strings"
)

// Facts are the facts of one JupyterHub release, derived from its source.
type Facts struct {
	// Version is the release (from jupyterhub/_version.py).
	Version string
	// Source says what the facts were read from ("installed package at
	// /usr/lib/python3/dist-packages").
	Source string
	// Migrations is the alembic chain shipped, base first; Head is its
	// last revision.
	Migrations []Migration
	Head       string
	// RequiresPython and where it came from (pyproject.toml, setup.py,
	// METADATA, PKG-INFO).
	RequiresPython       string
	RequiresPythonSource string
	// Requirements are the runtime requirements (optional extras left
	// out), and where they came from.
	Requirements       []Requirement
	RequirementsSource string
	// RequirementsIncomplete is true when the metadata was visibly edited
	// after the build (Debian's packaging strips requires.txt): the list
	// is what is left, not what the release declares.
	RequirementsIncomplete bool
	// Classes are the configurable classes, sorted by name.
	Classes []Class
	// Messages are the IDs of the known message formats the release
	// prints (only when Extract was given formats).
	Messages []string
	// Notes are things the reader should know (a metadata version that
	// disagrees with the source, parse errors left out).
	Notes []string
}

// Options tune Extract.
type Options struct {
	// Formats are the known message formats to look for.
	Formats []Format
}

// Extract derives the release's facts from pkg.
func Extract(pkg *Package, opts Options) (*Facts, error) {
	vsrc, ok := pkg.Files["jupyterhub/_version.py"]
	if !ok {
		return nil, fmt.Errorf("%s: no jupyterhub/_version.py", pkg.Path)
	}
	v, err := versionFromSource(vsrc)
	if err != nil {
		return nil, err
	}
	f := &Facts{Version: v, Source: pkg.Kind + " " + pkg.Path}
	if pkg.Path == "" {
		f.Source = pkg.Kind
	}
	if f.Migrations, err = pkg.migrations(); err != nil {
		return nil, err
	}
	f.Head = f.Migrations[len(f.Migrations)-1].Revision
	if err := pkg.metadata(f); err != nil {
		return nil, err
	}
	if f.Classes, err = pkg.classes(); err != nil {
		return nil, err
	}
	if len(opts.Formats) > 0 {
		f.Messages = printed(pkg.stringConstants(), opts.Formats)
	}
	return f, nil
}

// metadata fills the version check, Requires-Python and requirements:
// from a source tree's pyproject.toml, setup.py and requirements.txt,
// else from the installed or built metadata.
func (p *Package) metadata(f *Facts) error {
	if b, ok := p.Files["pyproject.toml"]; ok {
		rp, deps, dynamic, err := pyprojectFacts(b)
		if err != nil {
			return err
		}
		if rp != "" {
			f.RequiresPython, f.RequiresPythonSource = rp, "pyproject.toml"
		}
		if len(deps) > 0 && !dynamic {
			f.Requirements, f.RequirementsSource = deps, "pyproject.toml"
		}
	}
	if b, ok := p.Files["setup.py"]; ok && f.RequiresPython == "" {
		if rp := setupPythonRequires(b); rp != "" {
			f.RequiresPython, f.RequiresPythonSource = rp, "setup.py"
		}
	}
	if b, ok := p.Files["requirements.txt"]; ok && f.RequirementsSource == "" {
		f.Requirements, f.RequirementsSource = requirementsTxt(b), "requirements.txt"
	}
	meta := p.metadataDir()
	var hdr map[string][]string
	metaFile := ""
	for _, name := range []string{meta + "/METADATA", meta + "/PKG-INFO", "PKG-INFO"} {
		if b, ok := p.Files[name]; ok && (meta != "" || name == "PKG-INFO") {
			hdr, metaFile = headers(b), name
			break
		}
	}
	if hdr != nil {
		if mv := first(hdr["Version"]); mv != "" && mv != f.Version {
			f.Notes = append(f.Notes, fmt.Sprintf("%s says version %s, jupyterhub/_version.py says %s; the source's version is used", metaFile, mv, f.Version))
		}
		if f.RequiresPython == "" {
			f.RequiresPython, f.RequiresPythonSource = first(hdr["Requires-Python"]), metaFile
		}
		if f.RequirementsSource == "" && len(hdr["Requires-Dist"]) > 0 {
			f.Requirements, f.RequirementsSource = requiresDist(hdr["Requires-Dist"]), metaFile
		}
	}
	if b, ok := p.Files[meta+"/requires.txt"]; ok && meta != "" && f.RequirementsSource == "" {
		f.Requirements, f.RequirementsIncomplete = eggRequires(b)
		f.RequirementsSource = meta + "/requires.txt"
		if f.RequirementsIncomplete {
			f.Notes = append(f.Notes, fmt.Sprintf("%s was edited after the build (a marker section is empty, as Debian's packaging leaves it): its %d requirement(s) are not all the release declares", f.RequirementsSource, len(f.Requirements)))
		}
	}
	if f.RequiresPython == "" {
		return fmt.Errorf("%s: no Requires-Python found (pyproject.toml, setup.py or package metadata)", strings.TrimSpace(p.Path))
	}
	return nil
}
