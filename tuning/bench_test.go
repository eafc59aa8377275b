package tuning

import (
	"ems/ring"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// benchAgent returns one unit of work per call.
type benchAgent struct{ n int }

func (a *benchAgent) Name() string { return "b" + strconv.Itoa(a.n) }
func (a *benchAgent) DoWork() int  { return 1 }

// BenchmarkDutyCycle measures one duty cycle of N agents through the
// Agent interface, against calling the same agents directly (baseline).
func BenchmarkDutyCycle(b *testing.B) {
	for _, n := range []int{1, 4} {
		agents := make([]*benchAgent, n)
		ifaces := make([]Agent, n)
		for i := range agents {
			agents[i] = &benchAgent{n: i}
			ifaces[i] = agents[i]
		}
		b.Run("impl=baseline/agents="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				work := 0
				for _, a := range agents {
					work += a.DoWork()
				}
				if work != n {
					b.Fatalf("work %d, want %d", work, n)
				}
			}
		})
		b.Run("impl=thread/agents="+strconv.Itoa(n), func(b *testing.B) {
			th := &thread{agents: ifaces, idler: ring.BusySpin{}, current: -1}
			b.ReportAllocs()
			for b.Loop() {
				work := th.cycle()
				if work != n {
					b.Fatalf("work %d, want %d", work, n)
				}
				th.idler.Idle(work)
			}
		})
	}
}

// BenchmarkIdle measures one idle call of each strategy once it has backed
// off fully: spin is the baseline, yield is a runtime.Gosched, park is a 1us
// sleep request, which the kernel and the Go timer round up.
func BenchmarkIdle(b *testing.B) {
	idlers := []struct {
		name string
		idle ring.Idler
	}{
		{"spin", Thread{Wait: WaitSpin}.NewIdler()},
		{"yield", Thread{Wait: WaitYield}.NewIdler()},
		{"park", Thread{Wait: WaitPark, MaxPark: time.Microsecond}.NewIdler()},
	}
	for _, id := range idlers {
		b.Run("wait="+id.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				id.idle.Idle(0)
			}
		})
	}
}

// pongAgent answers each new ping by copying it to pong.
type pongAgent struct {
	ping, pong *atomic.Int64
	seen       int64
}

func (a *pongAgent) Name() string { return "pong" }
func (a *pongAgent) DoWork() int {
	p := a.ping.Load()
	if p == a.seen {
		return 0
	}
	a.seen = p
	a.pong.Store(p)
	return 1
}

// BenchmarkRoundTrip measures a ping to a Runner thread and its answer, by
// the wait strategy of the answering thread: what it costs to wake a thread
// that spins, yields or parks between messages. The pinging side yields
// while it waits, so the benchmark is safe on 2 CPUs.
func BenchmarkRoundTrip(b *testing.B) {
	for _, w := range []Thread{
		{Wait: WaitSpin},
		{Wait: WaitYield, Spins: 100},
		{Wait: WaitPark, Spins: 100, Yields: 10, MaxPark: 100 * time.Microsecond},
	} {
		b.Run("wait="+string(w.Wait), func(b *testing.B) {
			var ping, pong atomic.Int64
			w.Name, w.Agents = "pong", []string{"pong"}
			r, err := Start(Layout{Threads: []Thread{w}}, []Agent{&pongAgent{ping: &ping, pong: &pong}})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			b.ReportAllocs()
			i := int64(0)
			for b.Loop() {
				i++
				ping.Store(i)
				for pong.Load() != i {
					runtime.Gosched()
				}
				if w.Wait == WaitPark {
					// Let the thread go back to sleep so every round trip wakes it.
					time.Sleep(200 * time.Microsecond)
				}
			}
		})
	}
}
