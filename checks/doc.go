// Package checks groups hubaudit's collectors. Each subpackage reads one
// part of a deployment (config files, the hub database, Python
// environments, logs) and describes it as typed facts. Collectors never
// judge and never import the rules or report packages.
package checks

// AbsentError is returned by a collector when its input was not given and
// could not be found: the source is skipped, which is not a failure.
type AbsentError struct {
	Reason string
}

// Error returns the reason.
func (e *AbsentError) Error() string { return e.Reason }

// Absent returns an AbsentError with the reason.
func Absent(reason string) error { return &AbsentError{Reason: reason} }
