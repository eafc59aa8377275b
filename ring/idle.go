package ring

// Idler is a wait strategy: what a stage does between duty cycles.
//
// A stage runs a loop of "do work, then Idle(work done)". A positive
// workCount resets the strategy to its first, most eager step; zero advances
// it one step (spin, yield, or park). Implementations are stateful and not
// safe for concurrent use: each Idler value belongs to the one goroutine that
// calls it, like the ring side it waits on.
type Idler interface {
	// Idle waits one step when workCount is zero and resets otherwise.
	Idle(workCount int)
	// Reset returns the strategy to its first step.
	Reset()
}

// BusySpin is the Idler that never gives up its CPU: Idle returns at once and
// the caller polls again. It reacts fastest, and it costs a whole CPU per
// spinning thread, all the time. Use it only on a thread pinned to a CPU of
// its own (an isolated core); on a shared CPU it takes time from the very
// goroutine it waits for.
//
// Go exposes no spin-wait hint (the x86 PAUSE instruction), so the loop is a
// plain poll. The zero value is ready to use and holds no state.
type BusySpin struct{}

// Idle returns immediately.
func (BusySpin) Idle(int) {}

// Reset does nothing.
func (BusySpin) Reset() {}

// The strategies of this package.
var (
	_ Idler = BusySpin{}
	_ Idler = (*SpinThenYield)(nil)
	_ Idler = (*BackoffPark)(nil)
)
