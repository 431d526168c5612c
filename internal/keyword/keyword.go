package keyword

import "strings"

// MayContain reports, without allocating, whether s may contain one of
// words (lower-case ASCII, non-empty) in any letter case. Text with a
// non-ASCII byte always may: a case-insensitive regexp folds some non-ASCII
// letters onto ASCII ones (the long s onto s, the Kelvin sign onto k), and
// such text is left to it.
func MayContain(s string, words []string) bool {
	// A set of the words' first bytes (folded to 6 bits: a collision only
	// costs a comparison) skips most bytes at once.
	var first uint64
	for _, w := range words {
		first |= 1 << (w[0] & 63)
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
		c := s[i] | 0x20
		if first&(1<<(c&63)) == 0 {
			continue
		}
		for _, w := range words {
			if w[0] == c && len(s)-i >= len(w) && strings.EqualFold(s[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}
