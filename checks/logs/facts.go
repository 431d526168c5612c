package logs

// Facts is what the log collector found. It is serialized under facts.logs
// in the JSON report.
type Facts struct {
	Files []string `json:"files"`
	Lines int64    `json:"lines"`
	// HubVersion is the version of the newest "Running JupyterHub version"
	// line, if any.
	HubVersion string `json:"hub_version,omitempty"`

	// Bytes is how many bytes were read (after decompression).
	Bytes int64 `json:"bytes"`
	// Records is the number of log records after multi-line folding.
	Records int64 `json:"records"`
	// Since is the lower time bound given with --since (RFC 3339), if any.
	Since string `json:"since,omitempty"`
	// SinceLastStart says that only the lines after the last hub start
	// were judged (post mode).
	SinceLastStart bool `json:"since_last_start,omitempty"`
	// SkippedLines counts lines left out by Since or SinceLastStart.
	SkippedLines int64 `json:"skipped_lines,omitempty"`
	// Starts lists every hub start seen, oldest first.
	Starts []Start `json:"starts,omitempty"`
	// StartsDropped counts older starts left out of Starts (it keeps the
	// newest 1000).
	StartsDropped int64 `json:"starts_dropped,omitempty"`
	// Events are the recognised messages, folded: one entry per distinct
	// (id, parameters), in order of first occurrence.
	Events []*Event `json:"events"`
	// EventsDropped counts occurrences of distinct events beyond the cap
	// on distinct events (hostile or very noisy input).
	EventsDropped int64 `json:"events_dropped,omitempty"`
	// Problems are reading problems: unreadable files, truncated gzip,
	// binary data, over-long lines, decompression caps.
	Problems []Problem `json:"problems,omitempty"`
}

// Position is where a log record is: the file (as given), the 1-based line
// number of its first physical line, and its timestamp as written in the log
// (hub timestamps are local time without a zone).
type Position struct {
	File string `json:"file"`
	Line int64  `json:"line"`
	Time string `json:"time,omitempty"`
}

// Event is one recognised message with the parameters extracted from it,
// folded over all its identical occurrences.
type Event struct {
	// ID is the knowledge-base message id ("db.schema_mismatch.v1",
	// "traitlets.config_not_recognized", "hub.access", ...) or one of
	// the collector's own ids: "traceback", "log.error", "log.critical",
	// "log.warning", "proxy.error".
	ID string `json:"id"`
	// Level is the record level: debug, info, warning, error, critical,
	// or "bare" for text printed without a log prefix.
	Level string `json:"level"`
	// Logger is the logger name of the record ("JupyterHub",
	// "SingleUserNotebookApp", "alembic.runtime.migration",
	// "ConfigProxy"), empty for bare text.
	Logger string `json:"logger,omitempty"`
	// Params are the values extracted from the message (named after the
	// placeholders of the knowledge-base format, plus derived ones).
	Params map[string]string `json:"params,omitempty"`
	// Text is the first line of the first occurrence (redacted, capped).
	Text string `json:"text"`
	// Version is the JupyterHub version of the run the first occurrence
	// belongs to: the last hub start before it, or the start whose
	// config-loading warnings (logged just before its start line) it is
	// part of. Empty when no start precedes it.
	Version string `json:"version,omitempty"`
	// InTraceback says the event is the exception message of a traceback
	// (which is an event of its own, "traceback"): the same record.
	InTraceback bool     `json:"in_traceback,omitempty"`
	Count       int64    `json:"count"`
	First       Position `json:"first"`
	Last        Position `json:"last"`
}

// Start is one hub start ("Running JupyterHub version ...").
type Start struct {
	Version string `json:"version"`
	Position
}

// Problem is a reading problem. Kind is one of "unreadable",
// "truncated_gzip", "gzip_error", "decompression_cap", "binary_data",
// "long_line", "event_cap".
type Problem struct {
	Kind   string `json:"kind"`
	File   string `json:"file"`
	Line   int64  `json:"line,omitempty"`
	Count  int64  `json:"count,omitempty"`
	Detail string `json:"detail"`
}

// Param returns the named parameter of the event ("" when absent).
func (e *Event) Param(name string) string { return e.Params[name] }
