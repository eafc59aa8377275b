package tuning

import (
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testAgent records its calls. Its fields other than the atomics are owned
// by the thread running it and read by the test only after Close.
type testAgent struct {
	name     string
	log      *[]string // shared with the other agents of the same thread
	calls    atomic.Int64
	started  int
	closed   int
	affinity CPUList // read in OnStart
	affErr   error
	panicAt  int64  // DoWork call number that panics; 0 never
	startErr string // OnStart panics with this when set
	goexit   bool
}

func (a *testAgent) Name() string { return a.name }

func (a *testAgent) DoWork() int {
	n := a.calls.Add(1)
	if a.log != nil {
		*a.log = append(*a.log, a.name)
	}
	if a.panicAt != 0 && n == a.panicAt {
		panic(errors.New("boom in " + a.name))
	}
	if a.goexit {
		runtime.Goexit()
	}
	return 1
}

func (a *testAgent) OnStart() {
	a.started++
	a.affinity, a.affErr = ThreadAffinity()
	if a.startErr != "" {
		panic(a.startErr)
	}
}

func (a *testAgent) OnClose() { a.closed++ }

// waitCalls waits until a has run at least n duty cycles.
func waitCalls(t *testing.T, a *testAgent, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for a.calls.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("agent %q ran %d cycles, want %d", a.name, a.calls.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func yieldThread(name string, agents ...string) Thread {
	return Thread{Name: name, Agents: agents, Wait: WaitYield}
}

func cycles() int64 {
	if raceEnabled {
		return 50
	}
	return 500
}

func TestRunnerRoundRobin(t *testing.T) {
	var log []string
	a := &testAgent{name: "a", log: &log}
	b := &testAgent{name: "b", log: &log}
	c := &testAgent{name: "c", log: &log}
	r, err := Start(Layout{Threads: []Thread{yieldThread("t", "a", "b", "c")}}, []Agent{c, a, b})
	if err != nil {
		t.Fatal(err)
	}
	waitCalls(t, c, cycles())
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if int64(len(log)) < 3*cycles() {
		t.Fatalf("log has %d calls, want at least %d", len(log), 3*cycles())
	}
	order := []string{"a", "b", "c"}
	for i, name := range log {
		if name != order[i%3] {
			t.Fatalf("call %d went to %q, want %q (log starts %v)", i, name, order[i%3], log[:min(len(log), 9)])
		}
	}
	for _, ag := range []*testAgent{a, b, c} {
		if ag.started != 1 || ag.closed != 1 {
			t.Errorf("agent %q: OnStart %d times, OnClose %d times, want 1 and 1", ag.name, ag.started, ag.closed)
		}
	}
}

func TestRunnerStop(t *testing.T) {
	a, b := &testAgent{name: "a"}, &testAgent{name: "b"}
	l := Layout{Threads: []Thread{
		yieldThread("ta", "a"),
		{Name: "tb", Agents: []string{"b"}, Wait: WaitPark, MaxPark: time.Millisecond},
	}}
	r, err := Start(l, []Agent{a, b})
	if err != nil {
		t.Fatal(err)
	}
	waitCalls(t, a, 10)
	waitCalls(t, b, 10)
	if err := r.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	select {
	case <-r.Done():
	default:
		t.Fatal("Done not closed after Close")
	}
	na, nb := a.calls.Load(), b.calls.Load()
	time.Sleep(5 * time.Millisecond)
	if a.calls.Load() != na || b.calls.Load() != nb {
		t.Error("agents still ran after Close returned")
	}
	if err := r.Close(); err != nil { // idempotent
		t.Fatalf("second Close = %v", err)
	}
	if err := r.Wait(); err != nil {
		t.Fatalf("Wait = %v", err)
	}
	if a.closed != 1 || b.closed != 1 {
		t.Errorf("OnClose ran %d and %d times, want once each", a.closed, b.closed)
	}
}

func TestRunnerPanic(t *testing.T) {
	var log []string
	ok1 := &testAgent{name: "ok1", log: &log}
	bad := &testAgent{name: "bad", log: &log, panicAt: cycles()}
	other := &testAgent{name: "other"}
	l := Layout{Threads: []Thread{yieldThread("t1", "ok1", "bad"), yieldThread("t2", "other")}}
	r, err := Start(l, []Agent{ok1, bad, other})
	if err != nil {
		t.Fatal(err)
	}
	// Nobody calls Close: the panic alone must stop every thread.
	err = r.Wait()
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("Wait = %v, want a *PanicError", err)
	}
	if pe.Thread != "t1" || pe.Agent != "bad" || pe.Phase != "DoWork" || !strings.Contains(string(pe.Stack), "testAgent") {
		t.Errorf("PanicError = %+v", pe)
	}
	if want := `tuning: thread "t1": agent "bad" panicked in DoWork: boom in bad`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if errors.Unwrap(pe) == nil || !strings.Contains(errors.Unwrap(pe).Error(), "boom") {
		t.Error("PanicError does not unwrap to the panic's error")
	}
	if ok1.closed != 1 || bad.closed != 1 || other.closed != 1 {
		t.Errorf("OnClose counts %d %d %d, want 1 each", ok1.closed, bad.closed, other.closed)
	}
	if got := r.Close(); got == nil || got.Error() != err.Error() {
		t.Errorf("Close after the panic = %v, want the same error", got)
	}
}

func TestRunnerGoexit(t *testing.T) {
	a := &testAgent{name: "a", goexit: true}
	r, err := Start(Layout{Threads: []Thread{yieldThread("t", "a")}}, []Agent{a})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Wait(); err == nil || !strings.Contains(err.Error(), `agent "a" called runtime.Goexit`) {
		t.Errorf("Wait = %v, want the Goexit reported", err)
	}
}

func TestRunnerStartErrors(t *testing.T) {
	one := Layout{Threads: []Thread{yieldThread("t", "a")}}
	tests := []struct {
		name   string
		layout Layout
		agents []Agent
		want   string
	}{
		{"invalid layout", Layout{}, nil, "no threads"},
		{"missing agent", one, nil, `thread "t" names agent "a", which was not given`},
		{"extra agent", one, []Agent{&testAgent{name: "a"}, &testAgent{name: "x"}}, `agent "x" is on no thread`},
		{"nil agent", one, []Agent{nil}, "agent 0 is nil"},
		{"duplicate agent", one, []Agent{&testAgent{name: "a"}, &testAgent{name: "a"}}, `two agents named "a"`},
		{"bad CPU", Layout{Threads: []Thread{{Name: "t", Agents: []string{"a"}, CPUs: CPUList{MaxCPU}, Wait: WaitYield}}},
			[]Agent{&testAgent{name: "a"}}, `tuning: thread "t": sched_setaffinity(1023): invalid argument`},
		{"OnStart panics", one, []Agent{&testAgent{name: "a", startErr: "no ring"}}, `agent "a" panicked in OnStart: no ring`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Start(tt.layout, tt.agents)
			if err == nil || !strings.Contains(err.Error(), tt.want) || r != nil {
				t.Fatalf("Start = %v, %v; want error containing %q", r, err, tt.want)
			}
		})
	}
}

func TestRunnerStartFailureClosesOthers(t *testing.T) {
	good := &testAgent{name: "good"}
	bad := &testAgent{name: "bad", startErr: "cannot start"}
	after := &testAgent{name: "after"}
	l := Layout{Threads: []Thread{yieldThread("t1", "good"), yieldThread("t2", "bad", "after")}}
	_, err := Start(l, []Agent{good, bad, after})
	if err == nil || !strings.Contains(err.Error(), "cannot start") {
		t.Fatalf("Start = %v", err)
	}
	if good.calls.Load() != 0 || after.calls.Load() != 0 {
		t.Error("DoWork ran although start-up failed")
	}
	// good started and is closed; bad's OnStart panicked (not closed);
	// after never started.
	if good.closed != 1 || bad.closed != 0 || after.started != 0 || after.closed != 0 {
		t.Errorf("closed: good %d bad %d; after started %d closed %d", good.closed, bad.closed, after.started, after.closed)
	}
}

func TestRunnerPinning(t *testing.T) {
	avail, err := ThreadAffinity()
	if err != nil {
		t.Skip("cannot read affinity:", err)
	}
	// Pin one thread to each available CPU (at most 4) and one to all of them.
	var layout Layout
	var agents []*testAgent
	for i, cpu := range avail[:min(len(avail), 4)] {
		name := "pinned" + string(rune('0'+i))
		layout.Threads = append(layout.Threads, Thread{Name: name, Agents: []string{name}, CPUs: CPUList{cpu}, Wait: WaitYield})
		agents = append(agents, &testAgent{name: name})
	}
	layout.Threads = append(layout.Threads, Thread{Name: "wide", Agents: []string{"wide"}, CPUs: avail, Wait: WaitPark})
	agents = append(agents, &testAgent{name: "wide"})
	list := make([]Agent, len(agents))
	for i, a := range agents {
		list[i] = a
	}
	r, err := Start(layout, list)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	for i, a := range agents {
		if a.affErr != nil {
			t.Fatalf("agent %q: %v", a.name, a.affErr)
		}
		if want := layout.Threads[i].CPUs; !a.affinity.Equal(want) {
			t.Errorf("thread %q runs on CPUs %s, want %s", layout.Threads[i].Name, a.affinity, want)
		}
	}
	// The test's own thread keeps its mask: pinned threads are not reused.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if now, _ := ThreadAffinity(); !now.Equal(avail) {
		t.Errorf("affinity of a later thread is %s, want %s", now, avail)
	}
}

// TestRunOnThisHost is the start-up path of a binary: describe the host,
// pick and fit a default layout, run it, stop it.
func TestRunOnThisHost(t *testing.T) {
	h, err := CurrentHost()
	if err != nil {
		t.Fatal(err)
	}
	if len(h.CPUs) == 0 || h.Procs <= 0 {
		t.Fatalf("CurrentHost = %+v", h)
	}
	hot := []string{"core", "feed", "gateway"}
	bg := []string{"journal"}
	p, err := Plan(DefaultLayout(hot, bg, h), h)
	if err != nil {
		t.Fatal(err)
	}
	spinners := 0
	for _, th := range p.Layout.Threads {
		if th.Wait == WaitSpin {
			spinners++
		}
	}
	if spinners >= min(len(h.CPUs), h.Procs) {
		t.Fatalf("%d spinning threads planned on %d CPUs", spinners, len(h.CPUs))
	}
	var agents []Agent
	var all []*testAgent
	for _, name := range append(hot, bg...) {
		a := &testAgent{name: name}
		agents = append(agents, a)
		all = append(all, a)
	}
	r, err := Start(p.Layout, agents)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		waitCalls(t, a, 10)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}
