// Package slug computes the names KubeSpawner gives a user's Kubernetes
// objects and templated fields: its legacy "escape" slug scheme (every
// KubeSpawner before 7, and slug_scheme = "escape" from 7 on) and the
// "safe" scheme that KubeSpawner 7 made the default, byte for byte as
// kubespawner/slugs.py and KubeSpawner._expand_user_properties (7.0.0)
// compute them, and the expansion of a template such as "{username}" or
// "claim-{user_server}" under each.
package slug
