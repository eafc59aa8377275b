package tuning

import (
	"ems/ring"
	"errors"
	"fmt"
	"time"
)

// Wait names a thread's wait strategy in a Layout.
type Wait string

// Wait strategies, from most to least responsive.
const (
	WaitSpin  Wait = "spin"  // BusySpin: a CPU of its own, lowest latency
	WaitYield Wait = "yield" // SpinThenYield: shares CPUs, low latency
	WaitPark  Wait = "park"  // BackoffPark: sleeps when idle; off the hot path only
)

// rank orders waits by responsiveness (lower is more responsive).
func (w Wait) rank() int {
	switch w {
	case WaitSpin:
		return 0
	case WaitYield:
		return 1
	default:
		return 2
	}
}

func (w Wait) valid() bool {
	return w == WaitSpin || w == WaitYield || w == WaitPark
}

// Thread describes one OS thread: the agents it runs round-robin, the CPUs
// it is pinned to and how it waits when idle.
type Thread struct {
	Name   string   // unique among the layout's threads
	Agents []string // agent names, called in this order every duty cycle
	CPUs   CPUList  // affinity; empty means not pinned
	Wait   Wait     // spin, yield or park

	Spins   int           // yield, park: idle cycles spun before yielding
	Yields  int           // park: idle cycles yielded before sleeping
	MaxPark time.Duration // park: longest sleep; 0 means DefaultMaxPark
}

// NewIdler returns a fresh Idler for t's wait strategy.
// REQUIRES: t.Wait is valid (Layout.Validate passed).
func (t Thread) NewIdler() ring.Idler {
	switch t.Wait {
	case WaitSpin:
		return ring.BusySpin{}
	case WaitYield:
		return ring.NewSpinThenYield(t.Spins)
	default:
		maxPark := t.MaxPark
		if maxPark <= 0 {
			maxPark = DefaultMaxPark
		}
		p, err := ring.NewBackoffPark(t.Spins, t.Yields, min(DefaultMinPark, maxPark), maxPark)
		if err != nil {
			// Unreachable once Validate passed: counts are non-negative and maxPark positive.
			panic(err)
		}
		return p
	}
}

// Default back-off bounds of a parking thread.
const (
	DefaultMinPark = time.Microsecond
	DefaultMaxPark = time.Millisecond
)

// Layout assigns agents to threads and threads to CPUs. It is plain
// configuration: load it with ParseLayout or build it in code, fit it to the
// host with Plan, and run it with Start. Thread order is priority order:
// when Plan must take CPUs or spinning away, the earlier threads keep them.
type Layout struct {
	Threads []Thread
}

// Validate checks that the layout is well formed on its own, without regard
// to the host: at least one thread, unique non-empty thread names, every
// thread with at least one agent, each agent on exactly one thread, a known
// wait strategy and sane CPU lists and counts. Errors name the thread.
func (l Layout) Validate() error {
	if len(l.Threads) == 0 {
		return errors.New("tuning: layout: no threads")
	}
	threadOf := map[string]string{}
	names := map[string]bool{}
	var errs []error
	for i, t := range l.Threads {
		where := fmt.Sprintf("tuning: layout: thread %d (%q)", i, t.Name)
		if t.Name == "" {
			errs = append(errs, fmt.Errorf("%s: empty name", where))
		} else if names[t.Name] {
			errs = append(errs, fmt.Errorf("%s: duplicate thread name", where))
		}
		names[t.Name] = true
		if len(t.Agents) == 0 {
			errs = append(errs, fmt.Errorf("%s: no agents", where))
		}
		for _, a := range t.Agents {
			switch prev, dup := threadOf[a]; {
			case a == "":
				errs = append(errs, fmt.Errorf("%s: empty agent name", where))
			case dup:
				errs = append(errs, fmt.Errorf("%s: agent %q already runs on thread %q", where, a, prev))
			default:
				threadOf[a] = t.Name
			}
		}
		if t.Wait == "" {
			errs = append(errs, fmt.Errorf("%s: no wait (want spin, yield or park)", where))
		} else if !t.Wait.valid() {
			errs = append(errs, fmt.Errorf("%s: unknown wait %q (want spin, yield or park)", where, t.Wait))
		}
		if err := t.CPUs.check(); err != nil {
			errs = append(errs, fmt.Errorf("%s: cpus: %w", where, err))
		}
		if t.Spins < 0 || t.Yields < 0 || t.MaxPark < 0 {
			errs = append(errs, fmt.Errorf("%s: spins, yields and max_park must not be negative", where))
		}
	}
	return errors.Join(errs...)
}

// clone returns a deep copy of l.
func (l Layout) clone() Layout {
	out := Layout{Threads: make([]Thread, len(l.Threads))}
	for i, t := range l.Threads {
		t.Agents = append([]string(nil), t.Agents...)
		t.CPUs = append(CPUList(nil), t.CPUs...)
		if len(t.CPUs) == 0 {
			t.CPUs = nil
		}
		out.Threads[i] = t
	}
	return out
}
