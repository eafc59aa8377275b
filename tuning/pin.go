package tuning

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// pinThread restricts the calling OS thread to cpus with sched_setaffinity
// (tid 0 is the calling thread, not the process).
// REQUIRES: the goroutine is locked to its thread (runtime.LockOSThread).
func pinThread(cpus CPUList) error {
	set := cpus.unixSet()
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		return fmt.Errorf("sched_setaffinity(%s): %w", cpus, err)
	}
	return nil
}

// ThreadAffinity returns the CPUs the calling OS thread may run on. It is
// meaningful on a goroutine locked to its thread, such as an agent's
// OnStart or DoWork; elsewhere the goroutine may move between threads.
func ThreadAffinity() (CPUList, error) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil, fmt.Errorf("tuning: sched_getaffinity: %w", err)
	}
	return cpuListOf(&set), nil
}
