package extract

import "testing"

// TestReadProject covers the packaging layouts the companions' tags use
// (kb/facts/companions/releases.tsv): a literal install_requires, one
// built from requirements.txt at run time, a misspelt keyword
// (batchspawner 1.3.0's install_require), pyproject's static and dynamic
// dependencies.
func TestReadProject(t *testing.T) {
	reqs := []byte("# pinned\njupyterhub>=0.5\ntornado\n")
	cases := []struct {
		name             string
		files            map[string][]byte
		hub, py, reqFrom string
	}{
		{"literal list", map[string][]byte{"setup.py": []byte("from setuptools import setup\nsetup(name='x', python_requires='>=3.9', install_requires=['jupyterhub>=4.1.6', 'ldap3>=2.9.1'])\n")},
			">=4.1.6", ">=3.9", "setup.py:install_requires"},
		{"module-level list", map[string][]byte{"setup.py": []byte("reqs = ['jupyterhub>=0.9']\nsetup(install_requires=reqs)\n")},
			">=0.9", "", "setup.py:install_requires"},
		{"filled at run time", map[string][]byte{"requirements.txt": reqs,
			"setup.py": []byte("install_requires = []\nwith open('requirements.txt') as f:\n    for line in f:\n        install_requires.append(line)\nsetup_args = dict(install_requires=install_requires)\n")},
			">=0.5", "", "requirements.txt"},
		{"open() call", map[string][]byte{"requirements.txt": reqs, "setup.py": []byte("setup(install_requires=open('requirements.txt').read().splitlines(), python_requires='>=3.6')\n")},
			">=0.5", ">=3.6", "requirements.txt"},
		{"misspelt keyword", map[string][]byte{"setup.py": []byte("setup(python_requires='>=3.6', install_require={'jinja2', 'jupyterhub>=1.5.1'})\n")},
			"none", ">=3.6", ""},
		{"pyproject static", map[string][]byte{"pyproject.toml": []byte("[project]\nname = 'x'\nrequires-python = '>=3.7'\ndependencies = ['jupyterhub>=4.0.0']\n"), "setup.py": []byte("setup(python_requires='>=3.5')\n")},
			">=4.0.0", ">=3.7", "pyproject.toml:dependencies"},
		{"pyproject dynamic", map[string][]byte{"pyproject.toml": []byte("[project]\nname = 'x'\nrequires-python = '>=3.10'\ndynamic = ['dependencies']\n"), "requirements.txt": reqs},
			">=0.5", ">=3.10", "requirements.txt"},
	}
	for _, c := range cases {
		p, err := ReadProject(c.files)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		q, ok := p.Requirement("jupyterhub")
		hub := q.Specifier
		if !ok {
			hub = "none"
		}
		if hub != c.hub || p.RequiresPython != c.py || p.RequirementsSource != c.reqFrom {
			t.Errorf("%s: jupyterhub %q, Python %q, from %q; want %q, %q, %q", c.name, hub, p.RequiresPython, p.RequirementsSource, c.hub, c.py, c.reqFrom)
		}
	}
	if _, err := ReadProject(map[string][]byte{"pyproject.toml": []byte("[project\n")}); err == nil {
		t.Error("a broken pyproject.toml is not an error")
	}
}
