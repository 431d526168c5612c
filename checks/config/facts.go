package config

// Facts is what the config collector found. It is serialized under
// facts.config in the JSON report.
type Facts struct {
	// Files are the config files read, in load order.
	Files []string `json:"files"`
	// Assignments are the statements that set or change a config trait.
	Assignments []Assignment `json:"assignments"`
}

// Assignment is one statement that sets or changes c.Class.trait.
type Assignment struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Trait is "Class.trait".
	Trait string `json:"trait"`
	// Op is "=", "+=", "item", "append", "extend", "update", ...
	Op string `json:"op"`
	// Value is the literal value when it is one (nil otherwise).
	Value any `json:"value,omitempty"`
}
