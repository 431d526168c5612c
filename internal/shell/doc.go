// Package shell quotes words for the POSIX shell commands hubaudit
// prints (plan steps, hints), so that a path or value with spaces, quotes
// or shell syntax in it pastes as one word.
package shell
