// Package fixconfig is the engine behind `hubaudit fix-config`: it applies
// the mechanical renames a target JupyterHub release asks for
// (c.Authenticator.whitelist -> allowed_users, c.DockerSpawner.container_image
// -> image, ...) to a config file, changing nothing else, and renders the
// change as a unified diff. It also holds Judge, the knowledge-base verdict
// on one c.Class.trait that the HUB1xx rules share.
package fixconfig
