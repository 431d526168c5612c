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
