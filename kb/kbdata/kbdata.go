// Package kbdata defines the serialized form of the hubaudit knowledge base:
// the JSON documents that the generator in kb/gen writes from
// kb/facts and that package kb embeds and loads. Both sides use these
// types so the format has one definition.
package kbdata

// Core is the small, always-loaded part of the knowledge base: releases,
// migrations, messages and database facts.
type Core struct {
	// SQLAlchemy maps a fact name to a version (kb/extra/sqlalchemy.tsv).
	SQLAlchemy map[string]string `json:"sqlalchemy,omitempty"`
	// Source says where the data came from (the facts folder README).
	Source       string      `json:"source"`
	Releases     []Release   `json:"releases"`
	Migrations   []Migration `json:"migrations"`
	Unreleased   []Migration `json:"unreleased_migrations"`
	Messages     []Message   `json:"messages"`
	AlembicLines []Message   `json:"alembic_messages"`
	// LogMessages are further log line formats (traitlets, JupyterHub
	// deprecations, proxy and spawner messages, the access line) from
	// kb/extra/log_messages.tsv.
	LogMessages []Message      `json:"log_messages"`
	LogFormats  []LogFormat    `json:"log_formats"`
	DBURLs      []DBURL        `json:"db_url"`
	Companions  []CompanionReq `json:"companion_requirements"`
	// CompanionReleases are every release of the companion packages
	// with what it requires (kb/facts/companions/releases.tsv), by
	// package, oldest first.
	CompanionReleases []CompanionRelease `json:"companion_releases,omitempty"`
	// Singleuser are the single-user compatibility facts of
	// kb/extra/singleuser.tsv.
	Singleuser []SingleuserFact `json:"singleuser,omitempty"`
	// Commands are the jupyterhub commands and database utilities each
	// release ships (kb/facts/jupyterhub/commands.tsv).
	Commands []Command `json:"commands,omitempty"`
	// DBDrivers are the DB-API drivers SQLAlchemy loads for each URL
	// scheme (kb/extra/sqlalchemy_drivers.tsv).
	DBDrivers []DBDriver `json:"db_drivers,omitempty"`
	// ClassDefaults are the subclass defaults of
	// kb/extra/class_defaults.tsv.
	ClassDefaults []ClassDefault `json:"class_defaults,omitempty"`
	// TraitConstraints are the validator rules of
	// kb/extra/trait_constraints.tsv.
	TraitConstraints []TraitConstraint `json:"trait_constraints,omitempty"`
	// UndeclaredRequirements are the constraints of
	// kb/extra/undeclared_requirements.tsv.
	UndeclaredRequirements []UndeclaredRequirement `json:"undeclared_requirements,omitempty"`
}

// Release is one JupyterHub release tag.
type Release struct {
	Version        string        `json:"version"`
	Date           string        `json:"date"`
	AlembicHead    string        `json:"alembic_head"`
	RequiresPython string        `json:"requires_python"`
	Prerelease     bool          `json:"prerelease,omitempty"`
	MigrationCount int           `json:"migration_count"`
	Requirements   []Requirement `json:"requirements"`
}

// Requirement is one runtime requirement line of a release.
type Requirement struct {
	Name      string `json:"name"`
	Specifier string `json:"specifier,omitempty"`
	Marker    string `json:"marker,omitempty"`
}

// Migration is one alembic revision file.
type Migration struct {
	Revision     string `json:"revision"`
	DownRevision string `json:"down_revision,omitempty"`
	// HeadOfOlder lists the releases before the covered range (0.9.0)
	// whose head this revision was.
	HeadOfOlder  []string `json:"head_of_older,omitempty"`
	Title        string   `json:"title"`
	DocAsLogged  string   `json:"doc_as_logged,omitempty"`
	Summary      string   `json:"summary,omitempty"`
	SQLiteNotes  string   `json:"sqlite_notes,omitempty"`
	DowngradeOK  string   `json:"downgrade_ok,omitempty"`
	FirstTag     string   `json:"first_tag,omitempty"`
	FirstRelease string   `json:"first_release,omitempty"`
	LastRelease  string   `json:"last_release,omitempty"`
	BatchAlter   bool     `json:"batch_alter,omitempty"`
	// DropsTables are the tables upgrade() drops; RevokesTokens is true
	// when that revokes API/OAuth tokens (kb/extra/migration_effects.tsv).
	DropsTables   []string `json:"drops_tables,omitempty"`
	RevokesTokens bool     `json:"revokes_tokens,omitempty"`
	Notes         string   `json:"notes,omitempty"`
}

// Message is one verbatim message format that JupyterHub (or alembic) prints,
// with the regular expression derived from it.
type Message struct {
	ID          string `json:"id"`
	Level       string `json:"level"`
	Format      string `json:"format"`
	Pattern     string `json:"pattern"`
	FirstTag    string `json:"first_tag,omitempty"`
	LastTag     string `json:"last_tag,omitempty"`
	Placeholder string `json:"placeholder_style,omitempty"`
	EmittedBy   string `json:"emitted_by,omitempty"`
	Notes       string `json:"notes,omitempty"`
}

// LogFormat is one logging setting of a JupyterHub component.
type LogFormat struct {
	Component string `json:"component"`
	Setting   string `json:"setting"`
	Value     string `json:"value"`
	FirstTag  string `json:"first_tag"`
	LastTag   string `json:"last_tag"`
	Notes     string `json:"notes,omitempty"`
}

// DBURL holds the db_url facts of one major line.
type DBURL struct {
	MajorLine     string `json:"major_line"`
	FirstTag      string `json:"first_tag"`
	LastTag       string `json:"last_tag"`
	Default       string `json:"default"`
	DefaultFile   string `json:"default_file"`
	PlainFileRule string `json:"plain_filename_rule"`
	BackupRule    string `json:"backup_rule"`
}

// CompanionReq is what one companion package release requires.
type CompanionReq struct {
	Package            string `json:"package"`
	Release            string `json:"release"`
	RequiresJupyterHub string `json:"requires_jupyterhub"`
	RequiresPython     string `json:"requires_python,omitempty"`
}

// CompanionRelease is one release (git tag) of a companion package and
// what its packaging declares.
type CompanionRelease struct {
	// Package is the PyPI distribution name, PEP 503 normalized.
	Package    string `json:"package"`
	Release    string `json:"release"`
	Prerelease bool   `json:"prerelease,omitempty"`
	Date       string `json:"date,omitempty"`
	// RequiresJupyterHub is the requirement on jupyterhub as declared
	// ("jupyterhub>=4.0.0", "jupyterhub" unpinned, "" none at all).
	RequiresJupyterHub string `json:"requires_jupyterhub,omitempty"`
	// RequiresPython is the Python floor ("" when none is declared).
	RequiresPython string `json:"requires_python,omitempty"`
	// RequiresSource and PythonSource name the file (and key) each was
	// read from at GitTag ("setup.py:install_requires").
	RequiresSource string `json:"requires_source,omitempty"`
	PythonSource   string `json:"python_source,omitempty"`
	GitTag         string `json:"git_tag,omitempty"`
}

// Traits is the configurable-trait catalog.
type Traits struct {
	// Classes holds every distinct class definition once: most classes
	// are the same from one release to the next.
	Classes []Class `json:"classes"`
	// Catalogs holds one entry per analysed (package, release).
	Catalogs []Catalog `json:"catalogs"`
	// History is sorted by package, class and trait.
	History []TraitHistory `json:"history"`
}

// Catalog lists the configurable classes of one package release.
type Catalog struct {
	Package    string `json:"package"`
	Release    string `json:"release"`
	Prerelease bool   `json:"prerelease,omitempty"`
	// ClassIDs are indexes into Traits.Classes.
	ClassIDs []int `json:"class_ids"`
}

// Class is one configurable class with the config traits it declares itself.
type Class struct {
	Name   string   `json:"name"`
	Module string   `json:"module,omitempty"`
	Bases  []string `json:"bases,omitempty"`
	Traits []Trait  `json:"traits,omitempty"`
}

// Trait is one config trait (or alias-only name) declared by a class.
type Trait struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	// Kind is trait, alias-only-ignored (only a key of an alias table),
	// alias-only-honored (a config hook rewrites it) or trait-unused
	// (declared, so traitlets accepts it silently, but nothing reads it).
	Kind            string `json:"kind"`
	Deprecated      bool   `json:"deprecated,omitempty"`
	DeprecatedSince string `json:"deprecated_since,omitempty"`
	Replacement     string `json:"replacement,omitempty"`
	Default         string `json:"default,omitempty"`
	// DefaultRef is the name a default that is a reference points at: the
	// class of a Type trait (JupyterHub.spawner_class: LocalProcessSpawner)
	// or a constant; empty for literal, computed and absent defaults.
	DefaultRef string `json:"default_ref,omitempty"`
	// VersionChanged lists the ".. versionchanged::" versions stated in
	// the help ("5.0", "1.2,5.2"): a behaviour of the option changed then.
	VersionChanged string `json:"version_changed,omitempty"`
}

// NoEffect reports whether setting the name changes nothing: an alias
// table entry without a trait, or a declared trait no code reads.
func (t Trait) NoEffect() bool {
	return t.Kind == "alias-only-ignored" || t.Kind == "trait-unused"
}

// TraitHistory summarizes one (package, class, trait) over the analysed
// releases of its package.
type TraitHistory struct {
	Package          string `json:"package"`
	Class            string `json:"class"`
	Trait            string `json:"trait"`
	FirstRelease     string `json:"first_release"`
	LastRelease      string `json:"last_release,omitempty"`
	DeprecatedIn     string `json:"deprecated_in,omitempty"`
	Replacement      string `json:"replacement,omitempty"`
	Note             string `json:"note,omitempty"`
	RemovedIn        string `json:"removed_in,omitempty"`
	PresentIn        string `json:"present_in,omitempty"`
	UndeprecatedIn   string `json:"undeprecated_in,omitempty"`
	ResolvesVia      string `json:"resolves_after_removal_via,omitempty"`
	FirstExactTag    string `json:"first_exact_tag,omitempty"`
	RemovedExact     string `json:"removed_exact_tag,omitempty"`
	DeprecationExact string `json:"deprecation_first_exact_tag,omitempty"`
}

// SingleuserFact is one single-user compatibility fact: which version
// difference the hub warns about, the known breaking releases, and which
// server package jupyterhub-singleuser needs.
type SingleuserFact struct {
	ID       string `json:"id"`
	FirstTag string `json:"first_tag"`
	LastTag  string `json:"last_tag,omitempty"`
	Value    string `json:"value"`
	Source   string `json:"source"`
	Notes    string `json:"notes,omitempty"`
}

// Command is a command line a JupyterHub release ships, over the release
// range FirstTag..LastTag.
type Command struct {
	ID       string `json:"id"`
	Command  string `json:"command"`
	FirstTag string `json:"first_tag"`
	LastTag  string `json:"last_tag,omitempty"`
	Source   string `json:"source"`
	Notes    string `json:"notes,omitempty"`
}

// DBDriver is the DB-API driver SQLAlchemy loads for a URL scheme, for
// the SQLAlchemy releases from SQLAlchemyFirst up to, not including,
// SQLAlchemyBefore (empty: open).
type DBDriver struct {
	Scheme           string   `json:"scheme"`
	SQLAlchemyFirst  string   `json:"sqlalchemy_first,omitempty"`
	SQLAlchemyBefore string   `json:"sqlalchemy_before,omitempty"`
	Distributions    []string `json:"distributions"`
	Module           string   `json:"module"`
}

// ClassDefault is a default that a subclass sets for an inherited trait
// (a @default method), from FirstTag to LastTag of Package.
type ClassDefault struct {
	Package  string `json:"package"`
	Class    string `json:"class"`
	Trait    string `json:"trait"`
	Default  string `json:"default"`
	FirstTag string `json:"first_tag"`
	LastTag  string `json:"last_tag"`
	Source   string `json:"source"`
}

// TraitConstraint is what a trait's validator demands of a value
// (Constraint "min_length": at least Value characters; "differs_from":
// not equal to trait Value), from FirstTag to LastTag of Package.
type TraitConstraint struct {
	Package    string `json:"package"`
	Class      string `json:"class"`
	Trait      string `json:"trait"`
	Constraint string `json:"constraint"`
	Value      string `json:"value"`
	FirstTag   string `json:"first_tag"`
	LastTag    string `json:"last_tag"`
	Source     string `json:"source"`
}

// UndeclaredRequirement is a constraint that the JupyterHub releases from
// FirstTag to LastTag need but do not declare.
type UndeclaredRequirement struct {
	Package   string `json:"package"`
	Specifier string `json:"specifier"`
	FirstTag  string `json:"first_tag"`
	LastTag   string `json:"last_tag"`
	Source    string `json:"source"`
	Notes     string `json:"notes,omitempty"`
}

// Packages is the data of packages_gen.go: the entry points of JupyterHub and its
// companions (kb/extra/entry_points.tsv) and the distribution of
// each top-level module (module_distributions.tsv).
type Packages struct {
	EntryPoints []EntryPoint      `json:"entry_points"`
	Modules     map[string]string `json:"modules"`
	// Z2JHKeys and Z2JHDefaults are what the Zero to JupyterHub chart's
	// jupyterhub_config.py does with values.yaml (z2jh_chart.tsv).
	Z2JHKeys     []ChartKey     `json:"z2jh_keys"`
	Z2JHDefaults []ChartDefault `json:"z2jh_defaults"`
	// SingleuserImages are the container images whose tags are the
	// jupyterhub version they pin (singleuser_images.tsv).
	SingleuserImages []SingleuserImage `json:"singleuser_images"`
	// TLJHReleases are The Littlest JupyterHub's releases and the
	// jupyterhub each installs (tljh_releases.tsv), in version order.
	TLJHReleases []TLJHRelease `json:"tljh_releases"`
	// UncatalogedClasses are classes of packages hubaudit has no trait
	// catalog for (uncataloged_classes.tsv): their options cannot be
	// checked, but the class is not unknown.
	UncatalogedClasses []UncatalogedClass `json:"uncataloged_classes"`
	// RecreatedTokens are the notes of the API tokens the hub creates
	// from its config at every start (recreated_tokens.tsv).
	RecreatedTokens []RecreatedToken `json:"recreated_tokens"`
	// SpawnerUserEnvs say where spawners run single-user servers from
	// (spawner_user_env.tsv).
	SpawnerUserEnvs []SpawnerUserEnv `json:"spawner_user_envs"`
}

// RecreatedToken is the note the hub gives the API tokens it creates from
// its config, in the JupyterHub releases FirstTag to LastTag.
type RecreatedToken struct {
	Note     string `json:"note"`
	FirstTag string `json:"first_tag"`
	LastTag  string `json:"last_tag"`
	Source   string `json:"source"`
}

// SpawnerUserEnv says where a spawner class runs single-user servers
// from: UserEnv "hub-path" is the hub's own environment (the
// jupyterhub-singleuser the hub's PATH finds), unless one of the traits in
// Unless is set, for JupyterHub releases JupyterHubFirst to
// JupyterHubLast.
type SpawnerUserEnv struct {
	Package         string   `json:"package"`
	Class           string   `json:"class"`
	UserEnv         string   `json:"user_env"`
	Unless          []string `json:"unless"`
	JupyterHubFirst string   `json:"jupyterhub_first"`
	JupyterHubLast  string   `json:"jupyterhub_last"`
	Source          string   `json:"source"`
}

// UncatalogedClass is a configurable class known by name only.
type UncatalogedClass struct {
	Package      string `json:"package"`
	Class        string `json:"class"`
	Module       string `json:"module"`
	Bases        string `json:"bases"`
	FirstRelease string `json:"first_release"`
}

// TLJHRelease is one release of The Littlest JupyterHub.
type TLJHRelease struct {
	Tag        string `json:"tag"`
	Prerelease bool   `json:"prerelease"`
	// JupyterHub is the specifier its installer installs jupyterhub
	// with; TraefikProxy that of jupyterhub-traefik-proxy.
	JupyterHub   string `json:"jupyterhub"`
	TraefikProxy string `json:"traefik_proxy"`
	// HubPort is the hub_port its jupyterhub_config.py sets.
	HubPort int `json:"hub_port"`
	// UpgradeDBInUnit is true when its systemd unit runs the hub with
	// --upgrade-db.
	UpgradeDBInUnit bool `json:"upgrade_db_in_unit"`
	// What its configurer (tljh/configurer.py) makes of config.yaml:
	// TraefikAPIClass is the class it sets traefik_api_username and
	// _password on, SetsEntrypoint whether it sets
	// TraefikProxy.traefik_entrypoint from https.enabled,
	// FirstUseAllowAll whether it sets FirstUseAuthenticator.allow_all
	// when the default authenticator has no users.allowed, and
	// DefaultApps the Spawner.default_url of each
	// user_environment.default_app it knows.
	TraefikAPIClass  string            `json:"traefik_api_class"`
	SetsEntrypoint   bool              `json:"sets_entrypoint"`
	FirstUseAllowAll bool              `json:"first_use_allow_all"`
	DefaultApps      map[string]string `json:"default_apps"`
	// ConfigKeys are the keys of its configurer's default dict, dotted
	// ("users.allowed"), with their defaults, in the order it lists them.
	ConfigKeys []TLJHConfigKey `json:"config_keys"`
}

// TLJHConfigKey is one key of a TLJH release's config.yaml, with the
// value its configurer uses when the file leaves it out.
type TLJHConfigKey struct {
	Key     string `json:"key"`
	Default any    `json:"default"`
}

// SingleuserImage is a container image repository whose tags are the
// jupyterhub version installed in it.
type SingleuserImage struct {
	Image  string `json:"image"`
	Source string `json:"source"`
}

// ChartKey is a chart-level values.yaml key and the trait the chart sets
// from it.
type ChartKey struct {
	Key   string `json:"key"`
	Trait string `json:"trait"`
}

// ChartDefault is a trait the chart sets whatever the values say (or that
// its own values.yaml sets, unless hub.config overrides it).
type ChartDefault struct {
	Trait string `json:"trait"`
	Value any    `json:"value"`
}

// EntryPoint is one name in a jupyterhub.authenticators / .spawners /
// .proxies entry-point group: what a *_class option may be set to.
type EntryPoint struct {
	Group        string `json:"group"`
	Name         string `json:"name"`
	Class        string `json:"class"`
	Module       string `json:"module"`
	Package      string `json:"package"`
	FirstRelease string `json:"first_release,omitempty"`
	LastRelease  string `json:"last_release,omitempty"`
}
