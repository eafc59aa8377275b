package tuning_test

import (
	"fmt"
	"os"

	"ems/tuning"
)

// A layout written for a big host, fitted to a 2-CPU CI machine.
func ExamplePlan() {
	layout, err := tuning.ParseLayout([]byte(`{"threads": [
		{"name": "core",    "agents": ["core"],               "cpus": "2", "wait": "spin"},
		{"name": "feeds",   "agents": ["feed.a", "feed.b"],   "cpus": "3", "wait": "spin"},
		{"name": "gateway", "agents": ["gateway.a"],          "cpus": "4", "wait": "spin"},
		{"name": "bg",      "agents": ["journal", "control"], "cpus": "0-1", "wait": "park"}
	]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ci := tuning.Host{CPUs: tuning.CPUList{0, 1}, Procs: 2}
	planned, err := tuning.Plan(layout, ci)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = planned.WriteText(os.Stdout)
	// Output:
	// THREAD        WAIT   CPUS        AGENTS
	// core+gateway  yield  any         core, gateway.a
	// feeds+bg      yield  0-1         feed.a, feed.b, journal, control
	// adjusted: thread "core": CPUs 2 are not available to this process (it may use 0-1); left unpinned
	// adjusted: thread "feeds": CPUs 3 are not available to this process (it may use 0-1); left unpinned
	// adjusted: thread "gateway": CPUs 4 are not available to this process (it may use 0-1); left unpinned
	// adjusted: threads "core", "gateway" merged into "core+gateway": 4 threads for 2 usable CPUs; its agents run round-robin
	// adjusted: threads "feeds", "bg" merged into "feeds+bg": 4 threads for 2 usable CPUs; its agents run round-robin
	// adjusted: thread "core+gateway": 2 spinning threads need 3 CPUs (one each plus one for the runtime) but 2 are usable; waits yield instead of spinning
	// adjusted: thread "feeds+bg": 2 spinning threads need 3 CPUs (one each plus one for the runtime) but 2 are usable; waits yield instead of spinning
}
