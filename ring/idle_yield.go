package ring

import "runtime"

// SpinThenYield is the Idler that polls spins times without pause and then
// calls runtime.Gosched on every further idle step, until work arrives. It is
// the default for tests and for hosts with fewer CPUs than hot goroutines.
//
// What a yield costs depends on the goroutine. An ordinary goroutine's Gosched
// lets the other goroutines of its P run and comes back in well under a
// microsecond (84 ns measured with nothing else to run). A goroutine locked to
// its OS thread (runtime.LockOSThread) cannot run anywhere else, so Gosched
// hands its P to another thread and sleeps until that thread hands it back:
// two thread wake-ups, about 6.5 us on a 2-core VM. On a locked thread a
// yield is therefore a short park: it frees the CPU, lets the other side of a
// ring build up a batch, and adds microseconds to the reaction time.
//
// Owned by one goroutine. Create with NewSpinThenYield; the zero value yields
// on every idle step.
type SpinThenYield struct {
	spins int // configured spin budget
	count int // idle steps since the last reset
}

// NewSpinThenYield returns a strategy that spins spins times before yielding.
// A negative spins counts as zero.
func NewSpinThenYield(spins int) *SpinThenYield {
	return &SpinThenYield{spins: max(spins, 0)}
}

// Idle spins or yields when workCount is zero and resets otherwise.
func (s *SpinThenYield) Idle(workCount int) {
	if workCount > 0 {
		s.count = 0
		return
	}
	if s.count < s.spins {
		s.count++
		return
	}
	runtime.Gosched()
}

// Reset returns the strategy to spinning.
func (s *SpinThenYield) Reset() { s.count = 0 }
