// Package keyword tells cheaply whether text may hold one of a few key
// words in any letter case. The redaction patterns of the log scanner and
// of snapshots use it to skip text their case-insensitive regexps cannot
// match, which is nearly all of it.
package keyword
