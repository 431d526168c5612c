package textdist

import (
	"sort"
	"strings"
)

// Distance is the Damerau-Levenshtein distance of a and b (insertions,
// deletions, substitutions and adjacent transpositions count one each).
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// Closest returns up to three of names within a small distance of name
// (a third of its length, at least 2) or that start with it or it with
// them (four letters at least), nearest first, ignoring case.
func Closest(name string, names []string) []string {
	type cand struct {
		n string
		d int
	}
	var cs []cand
	limit := max(len(name)/3, 2)
	for _, n := range names {
		if n == name {
			continue
		}
		ln, lm := strings.ToLower(name), strings.ToLower(n)
		if d := Distance(ln, lm); d <= limit {
			cs = append(cs, cand{n, d})
		} else if len(ln) >= 4 && len(lm) >= 4 && (strings.HasPrefix(lm, ln) || strings.HasPrefix(ln, lm)) {
			// "generic" for "generic-oauth": a prefix, ranked last.
			cs = append(cs, cand{n, limit + 1})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].n < cs[j].n
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].n)
	}
	return out
}
