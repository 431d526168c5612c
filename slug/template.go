package slug

import (
	"fmt"
	"strconv"
	"strings"
)

// Scheme is how KubeSpawner turns user and server names into template
// fields.
type Scheme string

// The schemes. SchemeLegacy is KubeSpawner before 7 (the escape scheme, with
// that release's set of fields); SchemeEscape and SchemeSafe are KubeSpawner 7's
// slug_scheme values ("safe" is its default).
const (
	SchemeLegacy Scheme = "legacy"
	SchemeEscape Scheme = "escape"
	SchemeSafe   Scheme = "safe"
)

// Server names one user's server: the user's name and id and the server
// name ("" for the default server).
type Server struct {
	User   string
	UserID int64
	Name   string
}

// Placeholders stand for the fields a template may use that do not
// depend on the names (the namespaces, and the resolved pod_name,
// pvc_name of KubeSpawner 7): the same under every scheme.
var Placeholders = map[string]string{
	"hubnamespace": "{hubnamespace}",
	"namespace":    "{namespace}",
	"pod_name":     "{pod_name}",
	"pvc_name":     "{pvc_name}",
}

// UnknownFieldError is a template field the scheme does not define (a
// KeyError in KubeSpawner: the server fails to start).
type UnknownFieldError struct{ Field string }

func (e *UnknownFieldError) Error() string {
	return fmt.Sprintf("unknown template field {%s}", e.Field)
}

// Fields returns the template fields KubeSpawner defines for s under
// scheme, as _expand_user_properties computes them (7.0.0; Legacy: 6.2.0).
func Fields(s Server, scheme Scheme) (map[string]string, error) {
	f := map[string]string{
		"userid":               strconv.FormatInt(s.UserID, 10),
		"unescaped_username":   s.User,
		"unescaped_servername": s.Name,
		"hubnamespace":         Placeholders["hubnamespace"],
	}
	escUser, escServer := Escape(s.User), Escape(s.Name)
	if scheme == SchemeLegacy {
		f["legacy_escape_username"] = legacyEscape(s.User)
		f["username"], f["servername"] = escUser, escServer
		return f, nil
	}
	for _, k := range []string{"namespace", "pod_name", "pvc_name"} {
		f[k] = Placeholders[k]
	}
	safeServer := ""
	if s.Name != "" {
		var err error
		if safeServer, err = Safe(s.Name, nil, FieldMaxLength); err != nil {
			return nil, err
		}
	}
	safeUser, err := Safe(s.User, nil, FieldMaxLength)
	if err != nil {
		return nil, err
	}
	var safeUserServer string
	switch {
	case len(safeUser)+len(safeServer)+2 > FieldMaxLength:
		if safeUserServer, err = Multi([]string{s.User, s.Name}, FieldMaxLength); err != nil {
			return nil, err
		}
	case s.Name != "":
		safeUserServer = safeUser + "--" + safeServer
	default:
		safeUserServer = safeUser
	}
	escUserServer := escUser
	if escServer != "" {
		escUserServer = escUser + "--" + escServer
	}
	f["safe_username"], f["safe_servername"], f["safe_user_server"] = safeUser, safeServer, safeUserServer
	f["escaped_username"], f["escaped_servername"], f["escaped_user_server"] = escUser, escServer, escUser+"--"+escServer
	switch scheme {
	case SchemeSafe:
		f["username"], f["servername"], f["user_server"] = safeUser, safeServer, safeUserServer
	case SchemeEscape:
		f["username"], f["servername"], f["user_server"] = escUser, escServer, escUserServer
	default:
		return nil, fmt.Errorf("slug scheme must be 'safe' or 'escape', not %q", scheme)
	}
	return f, nil
}

// legacyEscape is KubeSpawner 6's {legacy_escape_username}: the
// lower-cased name with every character but a-z and 0-9 made "-".
func legacyEscape(name string) string {
	var b strings.Builder
	for _, r := range pyLower(name) {
		if r < 0x80 && isLowerAlnum(byte(r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Expand renders template for s under scheme as KubeSpawner does: Python
// str.format with the scheme's fields, then trailing "-" stripped unless
// the template itself ends with one (the "{username}--{servername}" of a
// default server). Format specs, conversions and attribute or index
// access are not supported (an error).
func Expand(template string, s Server, scheme Scheme) (string, error) {
	f, err := Fields(s, scheme)
	if err != nil {
		return "", err
	}
	out, err := format(template, f)
	if err != nil {
		return "", err
	}
	if !strings.HasSuffix(template, "-") {
		out = strings.TrimRight(out, "-")
	}
	return out, nil
}

// UsedFields returns the fields template refers to, in order, and an
// error when it is not a valid str.format template.
func UsedFields(template string) ([]string, error) {
	var used []string
	_, err := render(template, func(name string) (string, error) {
		used = append(used, name)
		return "", nil
	})
	return used, err
}

func format(template string, fields map[string]string) (string, error) {
	return render(template, func(name string) (string, error) {
		v, ok := fields[name]
		if !ok {
			return "", &UnknownFieldError{Field: name}
		}
		return v, nil
	})
}

// render walks a str.format template: "{{" and "}}" are braces, "{name}"
// a field.
func render(t string, field func(string) (string, error)) (string, error) {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		switch c := t[i]; c {
		case '{':
			if i+1 < len(t) && t[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(t[i:], '}')
			if end < 0 {
				return "", fmt.Errorf("single '{' encountered in format string")
			}
			name := t[i+1 : i+end]
			if name == "" || strings.ContainsAny(name, "!:.[{") {
				return "", fmt.Errorf("template field {%s} is not supported (only plain names)", name)
			}
			v, err := field(name)
			if err != nil {
				return "", err
			}
			b.WriteString(v)
			i += end
		case '}':
			if i+1 < len(t) && t[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", fmt.Errorf("single '}' encountered in format string")
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
