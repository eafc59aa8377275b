// Command ems is the execution management system: it runs the pipeline and holds the tools that
// go with it (journal inspection, host check, feed replay).
//
//	ems run                       run the pipeline on its embedded default
//	ems journal dump|stats|verify inspect a journal (segment file or directory)
//	ems feed replay               replay recorded venue messages through the real feed code
//	ems sim                       simulated venues speaking the real protocols on loopback
//	ems tune check                report how well this host is set up for low latency
package main

import (
	"fmt"
	"io"
	"os"
)

// command is one subcommand: run gets the arguments after its name and returns the exit code.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "run the pipeline on its embedded default", runMain},
		{"journal", "dump, stats or verify a journal: ems journal dump|stats|verify [--json] PATH", runJournal},
		{"feed", "ems feed replay --venue VENUE [--snapshot FILE] FILE...: replay recorded messages", runFeed},
		{"sim", "ems sim [--config FILE] [--duration D]: simulated venues on loopback", runSim},
		{"tune", "ems tune check: report host tuning (read only)", runTune},
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "ems: unknown command %q\n", args[0])
	usage(stderr, cmds)
	return 2
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "usage: ems COMMAND [ARGS]")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
