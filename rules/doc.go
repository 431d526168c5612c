// Package rules is hubaudit's judge: a Rule is a value that reads collected
// facts from a Pass and reports Findings; the engine runs a set of rules,
// skips the ones whose inputs are missing, and post-processes what they
// report (selection, suppressions, severity overrides, de-duplication and a
// stable order). Rules never do I/O.
package rules
