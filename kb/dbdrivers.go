package kb

import (
	"strings"

	"github.com/hubaudit/hubaudit/kb/kbdata"
	"github.com/hubaudit/hubaudit/pep440"
)

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
