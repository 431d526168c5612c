// Package docs renders hubaudit's rule documentation (docs/rules.md) from
// the rule registry; a test fails when the committed file is stale.
package docs

//go:generate go run ./gen
