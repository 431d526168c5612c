package kb

import (
	"sort"
	"strconv"

	"github.com/hubaudit/hubaudit/pep440"
)

// SubclassDefault returns the default that class sets for trait with its
// own @default method, or computes with an expression (DockerSpawner's
// image), in release v of package pkg (class_defaults.tsv), and whether
// there is one.
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

// Constraint is what a trait's validator demands of a value in one
// release range (trait_constraints.tsv).
type Constraint struct {
	// Kind is "min_length" (at least Value characters) or
	// "differs_from" (not equal to the trait named by Value).
	Kind, Value string
}

// TraitConstraints returns what the validators of class.trait of package
// pkg demand of a value at release v (none when the table has no row).
func (k *KB) TraitConstraints(pkg, class, trait string, v pep440.Version) []Constraint {
	var out []Constraint
	for _, c := range k.core.TraitConstraints {
		if c.Package != pkg || c.Class != class || c.Trait != trait {
			continue
		}
		first, err1 := pep440.Parse(c.FirstTag)
		last, err2 := pep440.Parse(c.LastTag)
		if err1 == nil && err2 == nil && first.Compare(v) <= 0 && v.Compare(last) <= 0 {
			out = append(out, Constraint{Kind: c.Constraint, Value: c.Value})
		}
	}
	return out
}

// MinLength returns the minimum length class.trait of package pkg accepts
// at release v, and whether its validator has one.
func (k *KB) MinLength(pkg, class, trait string, v pep440.Version) (int, bool) {
	for _, c := range k.TraitConstraints(pkg, class, trait, v) {
		if c.Kind == "min_length" {
			n, err := strconv.Atoi(c.Value)
			return n, err == nil
		}
	}
	return 0, false
}

// TraitConstraintsOf lists the traits of class (package pkg) whose
// validators have constraints at release v, sorted.
func (k *KB) TraitConstraintsOf(pkg, class string, v pep440.Version) []string {
	var out []string
	for _, c := range k.core.TraitConstraints {
		if c.Package == pkg && c.Class == class && !contains(out, c.Trait) && len(k.TraitConstraints(pkg, class, c.Trait, v)) > 0 {
			out = append(out, c.Trait)
		}
	}
	sort.Strings(out)
	return out
}
