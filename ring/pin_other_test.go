//go:build !linux

package ring

import "runtime"

// pinThread locks the calling goroutine to its OS thread; CPU affinity is set
// on Linux only.
//
// REQUIRES: the goroutine exits without calling runtime.UnlockOSThread.
func pinThread(cpu int) (bool, error) {
	runtime.LockOSThread()
	return false, nil
}
