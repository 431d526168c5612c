// Package report holds hubaudit's report model (the JSON schema, version 1)
// and its printers: table (go-pretty), JSON, JUnit XML, SARIF 2.1.0 and
// Markdown. Printers only format, to an io.Writer; they are deterministic
// (sorted, no timestamps).
package report
