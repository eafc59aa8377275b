//go:build !race

package tuning

import (
	"ems/ring"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// countAgent does one unit of work per call and never allocates.
// With every > 1 it works on one call in every.
type countAgent struct {
	name  string
	every int64
	calls atomic.Int64
}

func (a *countAgent) Name() string { return a.name }
func (a *countAgent) DoWork() int {
	if n := a.calls.Add(1); a.every > 1 && n%a.every != 0 {
		return 0
	}
	return 1
}

// idleAgent never has work, so its thread idles every cycle.
type idleAgent struct {
	name  string
	calls atomic.Int64
}

func (a *idleAgent) Name() string { return a.name }
func (a *idleAgent) DoWork() int  { a.calls.Add(1); return 0 }

func TestDutyCycleAllocs(t *testing.T) {
	idlers := map[string]ring.Idler{
		"spin":  Thread{Wait: WaitSpin}.NewIdler(),
		"yield": Thread{Wait: WaitYield, Spins: 2}.NewIdler(),
		"park":  Thread{Wait: WaitPark, Spins: 1, Yields: 1, MaxPark: 2 * time.Microsecond}.NewIdler(),
	}
	for name, idler := range idlers {
		th := &thread{agents: []Agent{&idleAgent{name: "a"}, &idleAgent{name: "b"}}, idler: idler, current: -1}
		if n := testing.AllocsPerRun(100, func() { th.idler.Idle(th.cycle()) }); n != 0 {
			t.Errorf("wait=%s: %v allocations per duty cycle, want 0", name, n)
		}
	}
}

// TestRunnerSteadyStateAllocs runs a real Runner and counts every
// allocation in the process while its thread turns through busy and idle
// duty cycles.
func TestRunnerSteadyStateAllocs(t *testing.T) {
	busy, idle := &countAgent{name: "busy"}, &idleAgent{name: "idle"}
	l := Layout{Threads: []Thread{{Name: "t", Agents: []string{"idle", "busy"}, Wait: WaitYield}}}
	busy.every = 4 // work on one cycle in four, idle (yield) on the others
	r, err := Start(l, []Agent{busy, idle})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := testing.AllocsPerRun(20, func() {
		target := idle.calls.Load() + 200
		for idle.calls.Load() < target {
			runtime.Gosched()
		}
	})
	if n != 0 {
		t.Errorf("%v allocations per 200 duty cycles, want 0", n)
	}
}
