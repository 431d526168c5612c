package config

// Facts is what the config collector found. It is serialized under
// facts.config in the JSON report.
type Facts struct {
	// Files are the config files read, in load order.
	Files []string `json:"files"`
	// Assignments are the statements that set or change a config trait,
	// in load order.
	Assignments []Assignment `json:"assignments"`
	// EmptyFiles are the config files with nothing but white space.
	EmptyFiles []string `json:"empty_files,omitempty"`
	// ParseErrors are the problems that kept (part of) a file from being
	// analysed. The rest of the file is still analysed.
	ParseErrors []ParseError `json:"parse_errors"`
	// Suppressions are the inline "# hubaudit: ignore[HUB101] reason"
	// comments.
	Suppressions []Suppression `json:"suppressions"`
	// DBURL is the last literal c.JupyterHub.db_url with its password
	// redacted; DBURLRaw is the same URL unredacted, for the orchestrator
	// to hand to the database collector. It is never serialized.
	DBURL    string `json:"db_url,omitempty"`
	DBURLRaw string `json:"-"`
	// DBURLEnv is the environment variable db_url is read from, when the
	// config reads it from the environment (DBURLEnvDefault is its
	// literal default, redacted like DBURL; the raw default is in
	// DBURLRaw).
	DBURLEnv        string `json:"db_url_env,omitempty"`
	DBURLEnvDefault string `json:"db_url_env_default,omitempty"`
	// DBURLFrom says where db_url was set ("file:line").
	DBURLFrom string `json:"db_url_from,omitempty"`
	// DBURLConditional lists, when db_url is set under a condition the
	// static reading cannot decide (after its last unconditional setting),
	// where ("file:line"). DBURL, DBURLRaw and DBURLEnv are then empty:
	// the database in use is not known from the config.
	DBURLConditional []string `json:"db_url_conditional,omitempty"`
	// AuthenticatorClass and SpawnerClass are the classes the config
	// selects (nil when the config leaves the default).
	AuthenticatorClass *ClassChoice `json:"authenticator_class,omitempty"`
	SpawnerClass       *ClassChoice `json:"spawner_class,omitempty"`
	// Proxy describes how the proxy is run.
	Proxy Proxy `json:"proxy"`
	// AllowedUsers and AdminUsers are the literal sets given to
	// Authenticator.allowed_users / admin_users (nil when not literal or
	// not set; see AllowedUsersSet).
	AllowedUsers    []string `json:"allowed_users,omitempty"`
	AllowedUsersSet bool     `json:"allowed_users_set,omitempty"`
	AdminUsers      []string `json:"admin_users,omitempty"`
	// Imports are the import statements.
	Imports []Import `json:"imports"`
	// Subconfigs are the load_subconfig(...) calls.
	Subconfigs []Subconfig `json:"load_subconfig"`
	// Handoffs are the calls that hand the config object to code the
	// config does not show (configurer.apply_config(cfg, c), a plugin
	// hook called with c=c, exec(...)): what they set is unknown.
	Handoffs []Handoff `json:"handoffs"`
	// Classes are the classes defined in the config.
	Classes []ClassDef `json:"classes"`
	// EnvRefs are the values read from the environment.
	EnvRefs []EnvRef `json:"env_refs"`
	// Secrets are the secrets written literally in the config (values
	// never recorded).
	Secrets []Secret `json:"secrets"`
	// CleanupServers is the literal JupyterHub.cleanup_servers, if set.
	CleanupServers *bool `json:"cleanup_servers,omitempty"`
	// TLJHConfig is the TLJH config.yaml that was read, if any.
	TLJHConfig string `json:"tljh_config,omitempty"`
	// TLJHRelease is the TLJH release whose configurer config.yaml was
	// read as, TLJHReleaseFrom why that one, and TLJHKeys the key paths
	// config.yaml sets.
	TLJHRelease     string    `json:"tljh_release,omitempty"`
	TLJHReleaseFrom string    `json:"tljh_release_from,omitempty"`
	TLJHKeys        []TLJHKey `json:"-"`
	// Rewrites counts the newer-than-3.4 constructs the pre-lexer handled.
	Rewrites map[string]int `json:"syntax_rewrites,omitempty"`
	// Charts are the Zero to JupyterHub chart values of the values files,
	// in load order.
	Charts []ChartValues `json:"charts,omitempty"`
}

// Assignment is one statement that sets or changes c.Class.trait.
type Assignment struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Trait is "Class.trait".
	Trait string `json:"trait"`
	// Op is "=", "+=" (or another augmented operator), "item" (an item or
	// attribute of the value is set), "append", "extend", "update",
	// "insert", "add", "setdefault", or "chart" (set by the Zero to
	// JupyterHub chart from a chart-level key).
	Op string `json:"op"`
	// Value is the literal value when it is one (nil otherwise). Values of
	// secret-looking traits are replaced by "<redacted>".
	Value any `json:"value,omitempty"`
	// ValueKind is "literal", "fstring", "env" (read from the
	// environment), "name" (a name or dotted reference, see Ref) or "expr".
	ValueKind string `json:"value_kind"`
	// Ref is the dotted name for ValueKind "name".
	Ref string `json:"ref,omitempty"`
	// Env is the environment variable for ValueKind "env".
	Env *EnvRef `json:"env,omitempty"`
	// Redacted is true when Value was hidden because it is a secret.
	Redacted bool `json:"redacted,omitempty"`
	// Conditional is true when the statement sits in a body that may not
	// run: under an if or a loop, in an except handler or a function.
	Conditional bool `json:"conditional,omitempty"`
	// Length is the length in characters of a literal string value,
	// redacted or not (a validator's minimum length is judged on it; the
	// value itself is never kept). Not part of any output.
	Length int `json:"-"`
	// Via is the values.yaml key that set it ("hub.config.JupyterHub.admin_access",
	// "hub.db.url", "chart default"); empty for Python statements.
	Via string `json:"via,omitempty"`
	// ClassStart, NameStart and NameEnd are byte offsets of the class
	// name, the trait name and its end in a .py file (0 when unknown;
	// used by fix-config).
	ClassStart int `json:"-"`
	NameStart  int `json:"-"`
	NameEnd    int `json:"-"`
	// raw keeps an unredacted db_url for DBURLRaw.
	raw string
	// decodesLiteral marks an "expr" value that decodes a literal of the
	// file (bytes.fromhex("...")): a secret trait set so is written in it.
	decodesLiteral bool
}

// Class returns the class part of Trait.
func (a Assignment) Class() string {
	for i := 0; i < len(a.Trait); i++ {
		if a.Trait[i] == '.' {
			return a.Trait[:i]
		}
	}
	return a.Trait
}

// Name returns the trait part of Trait.
func (a Assignment) Name() string {
	for i := 0; i < len(a.Trait); i++ {
		if a.Trait[i] == '.' {
			return a.Trait[i+1:]
		}
	}
	return ""
}

// ParseError is a part of a config file that could not be analysed.
type ParseError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
	Reason string `json:"reason"`
	// Skipped is the line range left out of the analysis ("12-20"),
	// empty when the whole file was refused.
	Skipped string `json:"skipped,omitempty"`
}

// Suppression is one "# hubaudit: ignore[HUB101,HUB102] reason" comment.
type Suppression struct {
	Rules []string `json:"rules"`
	File  string   `json:"file"`
	// Line is the line the suppression applies to: its own line, or the
	// next line with code when the comment stands alone.
	Line   int    `json:"line"`
	At     int    `json:"at"`
	Reason string `json:"reason"`
}

// ClassChoice is a class selected by a *_class option.
type ClassChoice struct {
	// Value is what the config says: an entry-point name ("github"), a
	// dotted path or a name bound by an import or class statement.
	Value string `json:"value"`
	// Class is the resolved class name ("GitHubOAuthenticator"); empty
	// when it could not be resolved.
	Class string `json:"class,omitempty"`
	// Package is the distribution that provides it when known
	// ("oauthenticator").
	Package string `json:"package,omitempty"`
	// Custom is true for a class defined in the config itself.
	Custom bool   `json:"custom,omitempty"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

// Proxy says how the proxy runs.
type Proxy struct {
	// Class is the proxy class ("ConfigurableHTTPProxy" by default).
	Class string `json:"class"`
	// ShouldStart is false when the hub does not start the proxy.
	ShouldStart bool `json:"should_start"`
	// External is true when the proxy runs outside the hub process tree,
	// so that restarting the hub keeps user servers reachable.
	External bool `json:"external"`
	// From says which setting decided it ("file:line"), empty for the
	// default.
	From string `json:"from,omitempty"`
}

// Import is one imported name.
type Import struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Module string `json:"module"`
	// Name is the imported name for "from module import name".
	Name string `json:"name,omitempty"`
	// As is the local name it is bound to.
	As string `json:"as"`
}

// Subconfig is one load_subconfig(...) call.
type Subconfig struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Target string `json:"target"`
	// Literal is false when the target is computed.
	Literal bool `json:"literal"`
	// Found is true when the file exists next to the config and was
	// read (its facts follow the file that loads it).
	Found bool `json:"found"`
}

// Handoff is a call that passes the config object to other code.
type Handoff struct {
	File string `json:"file"`
	Line int    `json:"line"`
	// Call is the dotted name of the function called ("exec" for exec).
	Call string `json:"call"`
}

// ClassDef is a class statement in a config.
type ClassDef struct {
	File  string   `json:"file"`
	Line  int      `json:"line"`
	Name  string   `json:"name"`
	Bases []string `json:"bases"`
	// Members are the names the class body binds at its top level:
	// attributes (allow_all = True overrides a trait's default) and
	// methods (def check_allowed), in order.
	Members []string `json:"members,omitempty"`
}

// EnvRef is a value read from the environment (os.environ.get("X", "d"),
// os.getenv, os.environ["X"]).
type EnvRef struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Var  string `json:"var"`
	// Default is the literal default (nil when none or not literal).
	Default    any  `json:"default,omitempty"`
	HasDefault bool `json:"has_default"`
	// Trait is the trait the value is assigned to, when it is.
	Trait string `json:"trait,omitempty"`
}

// ChartValues are the Zero to JupyterHub chart values of one values file.
type ChartValues struct {
	File string `json:"file"`
	// Path is the parent chart keys the chart sits under, joined by "."
	// ("" at the top of the file, "jupyterhub" in a BinderHub or
	// DaskHub values file, "basehub.jupyterhub").
	Path string `json:"path,omitempty"`
	Line int    `json:"line"`
	// HubImage is hub.image name:tag when the values set both (the
	// computed values of `helm get values --all` name the chart's own).
	HubImage string `json:"hub_image,omitempty"`
	// Keys are the mapping keys set, dotted from the chart's top, in file
	// order (not inside lists).
	Keys []ValuesKey `json:"-"`
	// Values are the chart's values as decoded, secrets included: for
	// rules that read chart settings, never serialized.
	Values map[string]any `json:"-"`
}

// ValuesKey is one key set in a values file.
type ValuesKey struct {
	// Key is the dotted path from the chart's top ("singleuser.image.name");
	// Name its last segment as written (it may hold a ".").
	Key  string
	Name string
	// Parent is the index in ChartValues.Keys of the key it is under (-1
	// at the chart's top).
	Parent int
	Line   int
	Column int
}
