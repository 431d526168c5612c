package kb

import (
	"strings"

	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules/kb/kbdata"
)

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

// DBDrivers returns the DB-API drivers SQLAlchemy may load for an URL
// scheme ("postgresql", "mysql+pymysql"): those of the SQLAlchemy release
// sqlalchemy, or of every release when it is zero (unknown). The scheme
// is matched case-insensitively.
func (k *KB) DBDrivers(scheme string, sqlalchemy pep440.Version) []kbdata.DBDriver {
	var out []kbdata.DBDriver
	for _, d := range k.core.DBDrivers {
		if !strings.EqualFold(d.Scheme, scheme) {
			continue
		}
		if !sqlalchemy.IsZero() {
			if v, err := pep440.Parse(d.SQLAlchemyFirst); err == nil && sqlalchemy.Less(v) {
				continue
			}
			if v, err := pep440.Parse(d.SQLAlchemyBefore); err == nil && !sqlalchemy.Less(v) {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}
