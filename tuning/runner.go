package tuning

import (
	"ems/ring"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Runner runs a Layout: one goroutine per thread, locked to its OS thread
// and pinned to the thread's CPUs, calling its agents' DoWork round-robin
// and idling with the thread's wait strategy.
//
// A panic in any agent stops every thread; Wait and Close then return it as
// a *PanicError. The pinned OS threads are never unlocked: each exits with
// its goroutine, so no pinned thread returns to the Go scheduler's pool.
// Threads the runtime creates later are cloned from its unpinned template
// thread, not from the pinned ones.
//
// Close and Wait may be called from any goroutine, any number of times.
type Runner struct {
	stop atomic.Bool // set once to end every duty cycle
	done chan struct{}
	wg   sync.WaitGroup

	mu   sync.Mutex
	errs []error // guarded by mu; thread failures in the order they happened
}

// PanicError is an agent's panic, turned into an error by the Runner.
type PanicError struct {
	Thread string // thread the agent ran on
	Agent  string // agent whose DoWork, OnStart or OnClose panicked
	Phase  string // "OnStart", "DoWork", "OnClose" or "Idle" (the wait strategy)
	Value  any    // the value passed to panic
	Stack  []byte // the panicking goroutine's stack
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("tuning: thread %q: agent %q panicked in %s: %v", e.Thread, e.Agent, e.Phase, e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// thread is one running Layout thread.
// Owned by its goroutine once started, apart from the immutable fields.
type thread struct {
	spec    Thread
	agents  []Agent
	idler   ring.Idler
	current int // index of the agent being called; owned by the thread
}

// Start checks that the layout names exactly the given agents, starts one
// locked goroutine per thread, pins it and calls its agents' OnStart, all
// before any agent's first DoWork. If any thread fails to start (pinning
// refused, OnStart panicked), every thread is stopped, the agents that
// started are closed, and Start returns the error.
//
// The layout is run as given: fit it to the host with Plan first.
func Start(l Layout, agents []Agent) (*Runner, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	byName := make(map[string]Agent, len(agents))
	for i, a := range agents {
		if a == nil {
			return nil, fmt.Errorf("tuning: start: agent %d is nil", i)
		}
		if _, dup := byName[a.Name()]; dup {
			return nil, fmt.Errorf("tuning: start: two agents named %q", a.Name())
		}
		byName[a.Name()] = a
	}
	threads := make([]*thread, len(l.Threads))
	used := 0
	for i, spec := range l.Threads {
		t := &thread{spec: spec, idler: spec.NewIdler(), current: -1}
		for _, name := range spec.Agents {
			a, ok := byName[name]
			if !ok {
				return nil, fmt.Errorf("tuning: start: thread %q names agent %q, which was not given", spec.Name, name)
			}
			t.agents = append(t.agents, a)
			used++
		}
		threads[i] = t
	}
	if used != len(byName) {
		inLayout := map[string]bool{}
		for _, spec := range l.Threads {
			for _, name := range spec.Agents {
				inLayout[name] = true
			}
		}
		for _, a := range agents {
			if !inLayout[a.Name()] {
				return nil, fmt.Errorf("tuning: start: agent %q is on no thread of the layout", a.Name())
			}
		}
	}

	r := &Runner{done: make(chan struct{})}
	ready := make(chan error, len(threads))
	begin := make(chan struct{})
	for _, t := range threads {
		r.wg.Add(1)
		go r.run(t, ready, begin)
	}
	var startErr error
	for range threads {
		startErr = errors.Join(startErr, <-ready)
	}
	if startErr != nil {
		r.stop.Store(true)
	}
	close(begin)
	go func() {
		r.wg.Wait()
		close(r.done)
	}()
	if startErr != nil {
		<-r.done
		return nil, errors.Join(startErr, r.err())
	}
	return r, nil
}

// Close stops every thread after its current duty cycle, waits for all of
// them to run their agents' OnClose and exit, and returns what Wait returns.
// A parked thread notices the stop when its sleep ends (at most MaxPark).
func (r *Runner) Close() error {
	r.stop.Store(true)
	return r.Wait()
}

// Wait blocks until every thread has exited, after Close or after an agent
// panicked, and returns the failures joined (nil when none).
func (r *Runner) Wait() error {
	<-r.done
	return r.err()
}

// Done is closed when every thread has exited.
func (r *Runner) Done() <-chan struct{} { return r.done }

func (r *Runner) err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.errs...)
}

func (r *Runner) fail(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
	r.stop.Store(true)
}

// run is the body of one thread's goroutine.
func (r *Runner) run(t *thread, ready chan<- error, begin <-chan struct{}) {
	defer r.wg.Done()
	runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
	exited, reported := false, false
	defer func() {
		if exited {
			return
		}
		// runtime.Goexit from an agent unwinds past everything else.
		err := fmt.Errorf("tuning: thread %q: agent %q called runtime.Goexit", t.spec.Name, t.agentName())
		if !reported {
			ready <- err
			return
		}
		r.fail(err)
	}()

	started, err := t.start()
	if err != nil {
		reported = true
		ready <- errors.Join(err, t.close(started))
		exited = true
		return
	}
	reported = true
	ready <- nil
	<-begin
	err = t.loop(&r.stop)
	if err != nil {
		r.fail(err)
	}
	if err := t.close(started); err != nil {
		r.fail(err)
	}
	exited = true
}

func (t *thread) agentName() string {
	if t.current >= 0 && t.current < len(t.agents) {
		return t.agents[t.current].Name()
	}
	return "(none)"
}

// start pins the thread and runs OnStart, returning how many agents started.
func (t *thread) start() (int, error) {
	if len(t.spec.CPUs) > 0 {
		if err := pinThread(t.spec.CPUs); err != nil {
			return 0, fmt.Errorf("tuning: thread %q: %w", t.spec.Name, err)
		}
	}
	for i, a := range t.agents {
		t.current = i
		if s, ok := a.(Starter); ok {
			if err := t.guard(a, "OnStart", s.OnStart); err != nil {
				return i, err
			}
		}
	}
	return len(t.agents), nil
}

// close runs OnClose on the first n agents, in reverse order.
func (t *thread) close(n int) error {
	var errs []error
	for i := n - 1; i >= 0; i-- {
		t.current = i
		if c, ok := t.agents[i].(Closer); ok {
			errs = append(errs, t.guard(t.agents[i], "OnClose", c.OnClose))
		}
	}
	return errors.Join(errs...)
}

// guard calls f, turning a panic into a *PanicError.
func (t *thread) guard(a Agent, phase string, f func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Thread: t.spec.Name, Agent: a.Name(), Phase: phase, Value: v, Stack: debug.Stack()}
		}
	}()
	f()
	return nil
}

// loop runs duty cycles until stop is set or an agent panics.
func (t *thread) loop(stop *atomic.Bool) (err error) {
	defer func() {
		if v := recover(); v != nil {
			phase := "DoWork"
			if t.current < 0 {
				phase = "Idle"
			}
			err = &PanicError{Thread: t.spec.Name, Agent: t.agentName(), Phase: phase, Value: v, Stack: debug.Stack()}
		}
	}()
	for !stop.Load() {
		t.idler.Idle(t.cycle())
	}
	return nil
}

// cycle is one duty cycle: every agent's DoWork once, in layout order.
// It returns the total work done.
func (t *thread) cycle() int {
	work := 0
	for i, a := range t.agents {
		t.current = i
		work += a.DoWork()
	}
	t.current = -1
	return work
}
