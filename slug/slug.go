package slug

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// hashLength is the length of the hash suffix of a hashed slug.
const hashLength = 8

// FieldMaxLength is the longest a single templated field ({username},
// {servername}, {user_server}) may be in the safe scheme.
const FieldMaxLength = 48

// Escape is the legacy "escape" slug of name: every character but a
// lower-case ASCII letter or digit becomes "-" followed by the
// hexadecimal value of each of its UTF-8 bytes, then the whole is
// lower-cased (escapism.escape with escape_char "-", as
// kubespawner.slugs.escape_slug). It is unique, but not always a valid
// Kubernetes name ("Capital" -> "-43apital").
func Escape(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(name[i:])
		for _, by := range []byte(name[i : i+n]) {
			fmt.Fprintf(&b, "-%x", by)
		}
		i += n
	}
	return b.String()
}

// IsValidObjectName reports whether s is a valid Kubernetes object name
// under both RFC 1035 and RFC 1123 DNS label rules: 1 to 63 lower-case
// ASCII letters, digits and "-", starting with a letter and ending with a
// letter or digit.
func IsValidObjectName(s string) bool {
	if len(s) < 1 || len(s) > 63 {
		return false
	}
	if !isLower(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLowerAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// IsValidLabel reports whether s is a valid Kubernetes label value the
// way KubeSpawner checks it: empty, or at most 63 characters of letters,
// digits, ".", "-" and "_" starting and ending with an ASCII letter or
// digit. Like KubeSpawner's case-insensitive Python pattern it also takes
// the four non-ASCII letters that match [a-z] case-insensitively (İ, ı,
// ſ and the Kelvin sign) inside the value.
func IsValidLabel(s string) bool {
	if s == "" {
		return true
	}
	if utf8.RuneCountInString(s) > 63 || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (isAlnum(byte(r)) || r == '.' || r == '-' || r == '_'):
		case r == 'İ' || r == 'ı' || r == 'ſ' || r == 'K':
		default:
			return false
		}
	}
	return true
}

// Validator says whether a name may be used unchanged.
type Validator func(string) bool

// Safe is the "safe" slug of name (kubespawner.slugs.safe_slug): name
// itself when valid (IsValidObjectName unless valid says otherwise),
// without "--" and not longer than maxLength (0: no limit but the
// validator's); otherwise a lower-case prefix of its letters and digits
// followed by "---" and a hash of the whole name, maxLength long at most
// (32 when maxLength is 0). maxLength below 12 leaves no room and is an
// error.
func Safe(name string, valid Validator, maxLength int) (string, error) {
	if valid == nil {
		valid = IsValidObjectName
	}
	if !strings.Contains(name, "--") && valid(name) && (maxLength == 0 || utf8.RuneCountInString(name) <= maxLength) {
		return name, nil
	}
	if maxLength == 0 {
		maxLength = 32
	}
	return stripAndHash(name, maxLength)
}

func stripAndHash(name string, maxLength int) (string, error) {
	n := maxLength - (hashLength + 3)
	if n < 1 {
		return "", fmt.Errorf("cannot make safe names shorter than %d", hashLength+4)
	}
	sum := sha256.Sum256([]byte(name))
	return safeSubstring(name, n) + "---" + hex.EncodeToString(sum[:])[:hashLength], nil
}

// safeSubstring is KubeSpawner's _extract_safe_name: the name
// lower-cased, each run of other characters than a-z and 0-9 made one
// "-", hyphens stripped from both ends, cut to maxLength, "x-" put in
// front when it does not start with a letter, "x" when nothing is left.
func safeSubstring(name string, maxLength int) string {
	var b strings.Builder
	dash := false
	for _, c := range []byte(pyLower(name)) {
		if isLowerAlnum(c) {
			b.WriteByte(c)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimLeft(b.String(), "-")
	if len(s) > maxLength {
		s = s[:maxLength]
	}
	s = strings.TrimRight(s, "-")
	if s != "" && !isLower(s[0]) {
		if maxLength-2 < len(s) {
			s = s[:max(maxLength-2, 0)]
		}
		s = "x-" + s
	}
	if s == "" {
		s = "x"
	}
	return s
}

// pyLower lower-cases s as Python's str.lower does where it matters
// here: the result's ASCII letters. Go's strings.ToLower maps İ (U+0130)
// to "i"; Python maps it to "i" and a combining dot above, which then
// becomes a "-".
func pyLower(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
}

// Multi is KubeSpawner's multi_slug: the safe substrings of each name
// joined by "--", then "---" and a hash of all the names (separated by
// the byte 0xFF), maxLength long at most.
func Multi(names []string, maxLength int) (string, error) {
	if len(names) == 0 {
		return "", fmt.Errorf("no names")
	}
	h := sha256.New()
	for i, n := range names {
		if i > 0 {
			h.Write([]byte{0xff})
		}
		h.Write([]byte(n))
	}
	sum := hex.EncodeToString(h.Sum(nil))[:hashLength]
	per := (maxLength-(hashLength+1))/len(names) - 2
	if per < 2 {
		return "", fmt.Errorf("not enough characters for %d names: %d", len(names), maxLength)
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = safeSubstring(n, per)
	}
	return strings.Join(parts, "--") + "---" + sum, nil
}

func isLower(c byte) bool      { return c >= 'a' && c <= 'z' }
func isLowerAlnum(c byte) bool { return isLower(c) || c >= '0' && c <= '9' }
func isAlnum(c byte) bool      { return isLowerAlnum(c) || c >= 'A' && c <= 'Z' }
