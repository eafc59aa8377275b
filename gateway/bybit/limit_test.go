package bybit

import (
	"sync"
	"testing"
	"time"

	"ems/core/instrument"
)

// TestLimiter: the budget per window, its refill, and the back-off after a throttle answer.
func TestLimiter(t *testing.T) {
	l := NewLimiter(Limits{SpotOrders: 3, Window: time.Second, Backoff: 2 * time.Second})
	now := int64(1e18)
	for i := 0; i < 3; i++ {
		if !l.allow(instrument.SegmentSpot, false, now) {
			t.Fatalf("order %d refused", i)
		}
	}
	if l.allow(instrument.SegmentSpot, false, now) {
		t.Fatal("4th order allowed")
	}
	if !l.allow(instrument.SegmentSpot, true, now) || !l.allow(instrument.SegmentDerivatives, false, now) {
		t.Fatal("cancels and linear orders have their own budgets")
	}
	if !l.allow(instrument.SegmentSpot, false, now+int64(time.Second/3)+1) {
		t.Fatal("no refill after a third of the window")
	}
	l.throttled(now)
	if l.allow(instrument.SegmentSpot, true, now+int64(time.Second)) {
		t.Fatal("allowed during the back-off")
	}
	if !l.allow(instrument.SegmentSpot, true, now+int64(2*time.Second)+int64(time.Second/10)) {
		t.Fatal("refused after the back-off")
	}
}

// TestLimiterShared: goroutines drawing from one Limiter at one instant get exactly its budget
// between them, and one goroutine's throttle answer stops the others.
func TestLimiterShared(t *testing.T) {
	l := NewLimiter(Limits{SpotOrders: 50, SpotCancels: 20, Window: time.Hour, Backoff: time.Hour})
	const workers, tries = 4, 40
	var orders, cancels [workers]int
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range tries {
				if l.allow(instrument.SegmentSpot, false, 1) {
					orders[w]++
				}
				if l.allow(instrument.SegmentSpot, true, 1) {
					cancels[w]++
				}
			}
		}()
	}
	wg.Wait()
	var o, c int
	for w := range workers {
		o += orders[w]
		c += cancels[w]
	}
	if o != 50 || c != 20 {
		t.Fatalf("shared budget handed out %d orders and %d cancels, want 50 and 20", o, c)
	}
	l.throttled(2)
	if l.allow(instrument.SegmentDerivatives, false, 3) {
		t.Fatal("a throttle answer does not hold back the other users of the Limiter")
	}
}
