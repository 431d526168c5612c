package kb

import "github.com/hubaudit/hubaudit/pep440"

// SubclassDefault returns the default that class sets for trait with its
// own @default method in release v of package pkg (class_defaults.tsv),
// and whether there is one.
func (k *KB) SubclassDefault(pkg, class, trait string, v pep440.Version) (string, bool) {
	for _, d := range k.core.ClassDefaults {
		if d.Package != pkg || d.Class != class || d.Trait != trait {
			continue
		}
		first, err1 := pep440.Parse(d.FirstTag)
		last, err2 := pep440.Parse(d.LastTag)
		if err1 == nil && err2 == nil && first.Compare(v) <= 0 && v.Compare(last) <= 0 {
			return d.Default, true
		}
	}
	return "", false
}
