package db

// Facts is what the database collector found. It is serialized under
// facts.db in the JSON report.
type Facts struct {
	// Dialect is "sqlite", "postgresql" or "mysql".
	Dialect string `json:"dialect"`
	// URL is the database URL with any password redacted.
	URL string `json:"url"`
	// Revision is the alembic_version stamp ("" when there is none).
	Revision string `json:"revision"`
	// JupyterHubVersions are the releases whose head is Revision.
	JupyterHubVersions []string `json:"jupyterhub_versions"`
	// Counts holds row counts by name (users, groups, roles, services,
	// api_tokens, servers_running, named_servers, ...).
	Counts map[string]int64 `json:"counts"`
}
