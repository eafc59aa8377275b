package okx

import (
	"sync"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	const s = int64(time.Second)
	l := NewLimiter(2, Limits{})
	now := int64(1_000) * s
	for i := 0; i < PlaceLimit; i++ {
		if !l.AllowPlace(0, 1, now) {
			t.Fatalf("order %d of the first 60 refused", i)
		}
	}
	if l.AllowPlace(0, 1, now) {
		t.Fatal("61st order in the window allowed")
	}
	if !l.AllowPlace(1, 1, now) || !l.AllowCancel(0, 1, now) {
		t.Fatal("budgets are per instrument and per operation")
	}
	// 60 per 2 s refills one order every 33.3 ms.
	if l.AllowPlace(0, 1, now+33*int64(time.Millisecond)) || !l.AllowPlace(0, 1, now+34*int64(time.Millisecond)) {
		t.Fatal("refill is not 60 per 2 s")
	}
	if !l.AllowPlace(0, PlaceLimit, now+3*s) || l.AllowPlace(0, PlaceLimit+1, now+10*s) {
		t.Fatal("a full bucket holds exactly 60")
	}
	l.Throttle(now + 20*s)
	if l.AllowPlace(1, 1, now+21*s) || !l.Throttled(now+21*s) || !l.AllowCancel(1, 1, now+21*s) {
		t.Fatal("a venue back-off refuses orders, not cancels")
	}
	if !l.AllowPlace(1, 1, now+22*s) || l.Throttled(now+22*s) {
		t.Fatal("the back-off lasts one window by default")
	}
}

func TestRefundPlace(t *testing.T) {
	l := NewLimiter(1, Limits{Place: 10, Window: time.Second})
	if !l.AllowPlace(0, 8, 1) || l.AllowPlace(0, 3, 1) {
		t.Fatal("budget of 10")
	}
	l.RefundPlace(0, 8)
	l.RefundPlace(0, 8) // never above a full bucket
	if !l.AllowPlace(0, 10, 1) || l.AllowPlace(0, 1, 1) {
		t.Fatal("refund")
	}
}

func TestLimitsDefaults(t *testing.T) {
	l := Limits{}.withDefaults()
	if l.Place != 60 || l.Cancel != 60 || l.Window != 2*time.Second || l.Backoff != 2*time.Second {
		t.Fatalf("%+v", l)
	}
}

// TestLimiterConcurrent: goroutines drawing from one shared Limiter at one instant get exactly
// its budget between them.
func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(1, Limits{Place: 50, Cancel: 20, Window: time.Hour})
	const workers, tries = 4, 40
	var place, cancel [workers]int
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range tries {
				if l.AllowPlace(0, 1, 1) {
					place[w]++
				}
				if l.AllowCancel(0, 1, 1) {
					cancel[w]++
				}
				l.Throttled(1)
			}
		}()
	}
	wg.Wait()
	var p, c int
	for w := range workers {
		p += place[w]
		c += cancel[w]
	}
	if p != 50 || c != 20 {
		t.Fatalf("shared budget handed out %d places and %d cancels, want 50 and 20", p, c)
	}
}
