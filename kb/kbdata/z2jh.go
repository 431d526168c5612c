package kbdata

// Z2JH is the data of z2jh_gen.go: what each Zero to JupyterHub chart
// release ships, read from the chart's repository at its release tags
// (kb/facts/z2jh, derived by kb/facts/z2jh/derive).
type Z2JH struct {
	// Charts are the chart releases, oldest first (semantic version
	// order). The First and Last of every ChartFact name one of them.
	Charts []ChartRelease `json:"charts"`
	// HubPins are the hub image's pinned requirements (package ->
	// version), SingleuserPins the single-user sample image's jupyterhub
	// and server pins.
	HubPins        []ChartFact `json:"hub_pins"`
	SingleuserPins []ChartFact `json:"singleuser_pins"`
	// Images are the images values.yaml names (values key -> name:tag,
	// "{chart}" standing for the chart version).
	Images []ChartFact `json:"images"`
	// Defaults are values.yaml's leaf values (dotted key -> JSON).
	Defaults []ChartFact `json:"defaults"`
	// SchemaKeys are the keys values.schema.yaml describes (dotted key,
	// "." for the top level, "*" for a patternProperties segment) and
	// their node kind: closed, open, leaf, or "pattern RE..." (a closed
	// object that also takes keys matching RE).
	SchemaKeys []ChartFact `json:"schema_keys"`
	// Templated are the KubeSpawner traits expanded as templates, with
	// the effect of a changed expansion (kubespawner_templates.tsv).
	Templated []TemplatedTrait `json:"templated"`
	// SafeSlugSince is the KubeSpawner release whose slug_scheme
	// defaults to "safe".
	SafeSlugSince string `json:"safe_slug_since"`
}

// TemplatedTrait is a KubeSpawner trait whose strings are templates.
type TemplatedTrait struct {
	Trait string `json:"trait"`
	// Effect is "data", "remembered", "value" or "name".
	Effect string `json:"effect"`
}

// ChartRelease is one release of the chart.
type ChartRelease struct {
	Version    string `json:"version"`
	Prerelease bool   `json:"prerelease,omitempty"`
	Date       string `json:"date"`
	AppVersion string `json:"app_version"`
	// JupyterHub and KubeSpawner are the hub image's pins;
	// SingleuserJupyterHub the single-user sample image's ("" before it
	// pinned one).
	JupyterHub           string `json:"jupyterhub"`
	KubeSpawner          string `json:"kubespawner"`
	SingleuserJupyterHub string `json:"singleuser_jupyterhub,omitempty"`
}

// ChartFact is a key's value over a run of chart releases, First to Last
// inclusive in release order.
type ChartFact struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	First string `json:"first"`
	Last  string `json:"last"`
}
