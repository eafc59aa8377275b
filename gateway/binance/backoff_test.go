package binance

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// TestBackoff: each delay lies in [d/2, d] for a step d that doubles up to Max, and one seed
// gives one schedule.
func TestBackoff(t *testing.T) {
	cfg := Backoff{Initial: 100 * time.Millisecond, Max: time.Second}
	a, err := newBackoff(cfg, 42, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newBackoff(cfg, 42, nil)
	c, _ := newBackoff(cfg, 43, nil)
	steps := []time.Duration{100, 200, 400, 800, 1000, 1000}
	same := true
	for i, step := range steps {
		step *= time.Millisecond
		da, db, dc := a.delay(), b.delay(), c.delay()
		if da < step/2 || da > step {
			t.Errorf("delay %d: %v outside [%v, %v]", i, da, step/2, step)
		}
		if da != db {
			t.Errorf("delay %d: %v and %v from one seed", i, da, db)
		}
		same = same && da == dc
	}
	if same {
		t.Error("seeds 42 and 43 gave one schedule")
	}
	a.reset()
	if d := a.delay(); d > cfg.Initial {
		t.Errorf("after reset: %v", d)
	}
	r := rand.New(rand.NewPCG(1, 2))
	if d, _ := newBackoff(Backoff{}, 0, r); d.rng != r || d.cfg.Initial != DefaultBackoffInitial || d.cfg.Max != DefaultBackoffMax {
		t.Errorf("defaults %+v", d.cfg)
	}
	for _, bad := range []Backoff{{Initial: -1}, {Initial: time.Second, Max: time.Millisecond}} {
		if _, err := newBackoff(bad, 0, nil); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestLimiterConcurrent: sessions sharing a limiter from several goroutines get exactly the
// budget between them.
func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(Limits{Orders10s: 100})
	now := 1000 * sec
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := 0
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for i := 0; i < 50; i++ {
				if l.Take(now, WeightOrderPlace, true) {
					n++
				}
				l.Observe(now, RateLimit{RateLimitRequestWeight, int64(time.Minute), 6000, 0})
			}
			mu.Lock()
			got += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got != 100 {
		t.Fatalf("%d orders taken, want 100", got)
	}
}
