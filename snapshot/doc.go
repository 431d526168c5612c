// Package snapshot defines the file `hubaudit pre --snapshot` writes and
// `hubaudit post --baseline` reads: the collected facts, the findings and
// the (secret-redacted) config texts of a deployment at one moment, so that
// a later audit can say what changed and whether anything was lost.
package snapshot
