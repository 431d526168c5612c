package keyword

import "testing"

func TestMayContain(t *testing.T) {
	words := []string{"token", "api_key"}
	for s, want := range map[string]bool{
		"":                  false,
		"GET /hub/home 200": false,
		"tok en":            false,
		"the TOKEN is":      true,
		"Api_Key=1":         true,
		"ends with toke":    false,
		"api_ke":            false,
		"x=token":           true,
		"naïve":             true, // non-ASCII: left to the pattern
		"\u212a":            true, // Kelvin sign
		"API-KEY":           false,
	} {
		if got := MayContain(s, words); got != want {
			t.Errorf("MayContain(%q) = %v, want %v", s, got, want)
		}
	}
}
