package main

import (
	"fmt"
	"io"

	"ems/tuning"
)

// runTune implements `ems tune check`: a read-only report of the host.
func runTune(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: ems tune check")
		return 2
	}
	report := tuning.Check(tuning.OSHost())
	if err := report.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "ems tune check: %v\n", err)
		return 1
	}
	host, err := tuning.CurrentHost()
	if err != nil {
		fmt.Fprintf(stderr, "ems tune check: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "thread layout for this host:")
	planned, err := tuning.Plan(defaultLayout(host), host)
	if err != nil {
		fmt.Fprintf(stderr, "ems tune check: %v\n", err)
		return 1
	}
	if err := planned.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "ems tune check: %v\n", err)
		return 1
	}
	return 0
}
