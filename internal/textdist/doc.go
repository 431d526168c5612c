// Package textdist measures how far apart two names are, for the
// did-you-mean suggestions of the config, log and environment rules.
package textdist
