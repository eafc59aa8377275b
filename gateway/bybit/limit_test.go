package bybit

import (
	"testing"
	"time"

	"ems/core/instrument"
)

// TestLimiter: the budget per window, its refill, and the back-off after a throttle answer.
func TestLimiter(t *testing.T) {
	l := newLimiter(Limits{SpotOrders: 3, Window: time.Second, Backoff: 2 * time.Second})
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
