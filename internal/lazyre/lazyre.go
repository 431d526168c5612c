package lazyre

import (
	"fmt"
	"regexp"
	"sync"
)

var (
	mu       sync.Mutex
	patterns []string
)

// New returns a function that compiles pattern on its first call and
// returns the same *regexp.Regexp on every call. pattern must compile
// (Check verifies every pattern given to New); like regexp.MustCompile, the
// first call panics otherwise.
func New(pattern string) func() *regexp.Regexp {
	mu.Lock()
	patterns = append(patterns, pattern)
	mu.Unlock()
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// Check compiles every pattern given to New so far (by the packages linked
// into the calling binary) and returns the first error.
func Check() error {
	mu.Lock()
	defer mu.Unlock()
	for _, p := range patterns {
		if _, err := regexp.Compile(p); err != nil {
			return fmt.Errorf("lazyre: %w", err)
		}
	}
	return nil
}

// Count returns how many patterns were given to New.
func Count() int {
	mu.Lock()
	defer mu.Unlock()
	return len(patterns)
}

// never matches no text.
var never = New(`[^\x00-\x{10FFFF}]`)

// Data returns a function that compiles pattern on its first call, for
// patterns that come from data and are checked where the data loads (the
// knowledge base's message formats), not registered for Check. A pattern
// that does not compile yields a regexp that matches nothing instead of a
// panic.
func Data(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp {
		re, err := regexp.Compile(pattern)
		if err != nil {
			return never()
		}
		return re
	})
}
