package ring

import (
	"fmt"
	"runtime"
	"time"
)

// BackoffPark is the Idler that spins maxSpins times, then yields maxYields
// times, then parks the goroutine with time.Sleep, doubling the park from
// minPark up to maxPark on each further idle step. Any work resets it to
// spinning.
//
// Parking is what saves the CPU, and it is slow to come back from: Sleep
// parks the goroutine on a runtime timer and, when the thread has nothing else
// to run, the OS thread sleeps in the kernel. Waking it costs 40-100 us on the
// virtual machines this system runs on, whatever minPark says. Worse, when the
// whole process is idle the runtime waits for its timers in the kernel's
// poller, which counts whole milliseconds: a park shorter than 1 ms then
// lasts up to 1 ms (Sleep(1us) measured 0.65 ms on average on a 2-core VM).
// Use BackoffPark for stages that are idle most of the time (control, timers,
// a journal tailer), not for a hot path that must react in microseconds.
//
// Owned by one goroutine. Create with NewBackoffPark.
type BackoffPark struct {
	maxSpins  int
	maxYields int
	minPark   time.Duration
	maxPark   time.Duration

	spins  int           // spin steps since the last reset
	yields int           // yield steps since the last reset
	park   time.Duration // next park; minPark <= park <= maxPark
}

// NewBackoffPark returns a back-off strategy. It returns an error when a
// count is negative, minPark is not positive, or maxPark is below minPark.
func NewBackoffPark(maxSpins, maxYields int, minPark, maxPark time.Duration) (*BackoffPark, error) {
	switch {
	case maxSpins < 0 || maxYields < 0:
		return nil, fmt.Errorf("ring: back-off counts %d spins, %d yields must not be negative", maxSpins, maxYields)
	case minPark <= 0:
		return nil, fmt.Errorf("ring: back-off minimum park %v must be positive", minPark)
	case maxPark < minPark:
		return nil, fmt.Errorf("ring: back-off maximum park %v is below the minimum %v", maxPark, minPark)
	}
	return &BackoffPark{
		maxSpins:  maxSpins,
		maxYields: maxYields,
		minPark:   minPark,
		maxPark:   maxPark,
		park:      minPark,
	}, nil
}

// Idle spins, yields or parks when workCount is zero and resets otherwise.
func (p *BackoffPark) Idle(workCount int) {
	if workCount > 0 {
		p.Reset()
		return
	}
	switch {
	case p.spins < p.maxSpins:
		p.spins++
	case p.yields < p.maxYields:
		p.yields++
		runtime.Gosched()
	default:
		time.Sleep(p.park)
		p.grow()
	}
}

// grow doubles the next park, up to maxPark.
func (p *BackoffPark) grow() {
	p.park = min(p.park*2, p.maxPark)
	if p.park < p.minPark { // the doubling overflowed
		p.park = p.maxPark
	}
}

// Reset returns the strategy to spinning with the shortest park.
func (p *BackoffPark) Reset() {
	p.spins = 0
	p.yields = 0
	p.park = p.minPark
}
