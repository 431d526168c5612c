// Package lazyre holds regular expressions that are compiled on first use
// instead of when their package is initialised. hubaudit is a short
// process: every command paid to compile the patterns of every package at
// start-up, also those of inputs the run never reads. The patterns are
// still all checked, by a test (Check). Data does the same for patterns
// that come from data checked where it loads (the knowledge base).
package lazyre
