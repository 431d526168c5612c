package main

import "github.com/spf13/cobra"

// addPendingCmds adds the commands whose packages are not wired yet.
func (e *env) addPendingCmds(root *cobra.Command) {}
