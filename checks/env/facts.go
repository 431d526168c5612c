package env

// Facts is what the environment collector found. It is serialized under
// facts.env in the JSON report.
type Facts struct {
	Environments []Environment `json:"environments"`
}

// Environment is one Python environment.
type Environment struct {
	// Role is "hub" or "user".
	Role string `json:"role"`
	Name string `json:"name,omitempty"`
	Path string `json:"path"`
	// Python is the interpreter version, when known.
	Python string `json:"python,omitempty"`
	// Packages maps normalized (PEP 503) names to versions.
	Packages map[string]string `json:"packages"`
}
