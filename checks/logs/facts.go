package logs

// Facts is what the log collector found. It is serialized under facts.logs
// in the JSON report.
type Facts struct {
	Files []string `json:"files"`
	Lines int64    `json:"lines"`
	// HubVersion is the version of the newest "Running JupyterHub version"
	// line, if any.
	HubVersion string `json:"hub_version,omitempty"`
}
