//go:build linux

package ring

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// pinThread locks the calling goroutine to its OS thread and, when the host
// has at least two CPUs and cpu is in the process's affinity mask, restricts
// that thread to cpu. It reports whether the thread was pinned.
//
// REQUIRES: the goroutine exits without calling runtime.UnlockOSThread. The
// runtime then ends the thread, and its affinity with it, instead of handing
// a pinned thread to other goroutines.
func pinThread(cpu int) (bool, error) {
	runtime.LockOSThread()
	if runtime.NumCPU() < 2 {
		return false, nil
	}
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return false, fmt.Errorf("ring: reading thread affinity: %w", err)
	}
	if !set.IsSet(cpu) {
		return false, nil
	}
	set.Zero()
	set.Set(cpu)
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		return false, fmt.Errorf("ring: pinning thread to CPU %d: %w", cpu, err)
	}
	return true, nil
}
