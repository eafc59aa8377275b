package binance

import (
	"testing"
	"time"
)

const sec = int64(time.Second)

func TestLimiterOrders(t *testing.T) {
	l := NewLimiter(Limits{})
	now := 1000 * sec
	for i := 0; i < DefaultOrders10s; i++ {
		if !l.Take(now, WeightOrderPlace, true) {
			t.Fatalf("order %d refused", i)
		}
	}
	if l.Take(now, WeightOrderPlace, true) {
		t.Fatal("51st order in 10 s accepted")
	}
	if !l.Take(now, WeightOrderCancel, false) {
		t.Fatal("a cancel is not an order")
	}
	if !l.Take(now+10*sec, WeightOrderPlace, true) {
		t.Fatal("new window refused")
	}
}

func TestLimiterWeight(t *testing.T) {
	l := NewLimiter(Limits{Weight1m: 100})
	now := 60 * sec
	if !l.Take(now, 80, false) || l.Take(now, 21, false) || !l.Take(now, 20, false) {
		t.Fatal("weight budget")
	}
	if !l.Take(now+60*sec, 100, false) {
		t.Fatal("new minute refused")
	}
}

func TestLimiterObserve(t *testing.T) {
	l := NewLimiter(Limits{})
	now := 100 * sec
	l.Observe(now, RateLimit{RateLimitRequestWeight, int64(time.Minute), 6000, 5999})
	if l.Take(now, 2, false) || !l.Take(now, 1, false) {
		t.Fatal("venue's weight count not applied")
	}
	l.Observe(now, RateLimit{RateLimitOrders, 10 * sec, 2, 1}) // a venue limit lower than ours
	if !l.Take(now, 0, true) || l.Take(now, 0, true) {
		t.Fatal("venue's lower order limit not applied")
	}
	l.Observe(now, RateLimit{RateLimitOrders, 10 * sec, 1000, 0}) // higher: ours stays
	if l.orders.limit != DefaultOrders10s {
		t.Fatalf("limit %d", l.orders.limit)
	}
	l.Observe(now, RateLimit{RateLimitOrders, 3 * sec, 1, 1}) // unknown span: ignored
}

func TestLimiterThrottled(t *testing.T) {
	now := 100 * sec
	cases := []struct {
		status int
		retry  int64
		until  int64
	}{
		{429, 105_000, 105 * sec},
		{429, 0, now + sec},
		{418, 0, now + 120*sec},
		{429, 50_000, now + sec}, // a retry time in the past: the default delay
	}
	for _, c := range cases {
		l := NewLimiter(Limits{})
		l.Throttled(now, c.status, c.retry)
		if l.BlockedUntil() != c.until || l.Take(c.until-1, 1, false) || !l.Take(c.until, 1, false) {
			t.Errorf("%+v: blocked until %d", c, l.BlockedUntil())
		}
	}
}
