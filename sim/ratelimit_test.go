package sim

import (
	"strconv"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	const ms = int64(time.Millisecond)
	type call struct {
		key    string
		weight int
		at     int64 // ms
		ok     bool
		retry  time.Duration
	}
	tests := []struct {
		name   string
		weight int
		window time.Duration
		calls  []call
	}{
		{"unlimited", 0, time.Second, []call{{"a", 1000, 0, true, 0}, {"a", 1000, 0, true, 0}}},
		{"burst then refill", 10, time.Second, []call{
			{"a", 4, 0, true, 0},
			{"a", 6, 0, true, 0},
			{"a", 1, 0, false, 100 * time.Millisecond}, // 10 per second: one unit per 100 ms
			{"a", 1, 50, false, 50 * time.Millisecond},
			{"a", 1, 100, true, 0},
			{"a", 3, 150, false, 250 * time.Millisecond},
			{"a", 3, 400, true, 0},
		}},
		{"keys apart", 2, time.Second, []call{
			{"a", 2, 0, true, 0},
			{"b", 2, 0, true, 0},
			{"a", 1, 0, false, 500 * time.Millisecond},
		}},
		{"full after a window", 5, time.Second, []call{
			{"a", 5, 0, true, 0},
			{"a", 5, 5000, true, 0},
			{"a", 1, 5000, false, 200 * time.Millisecond},
		}},
		{"weight above capacity", 5, time.Second, []call{{"a", 6, 0, false, time.Second}}},
		{"zero weight", 1, time.Second, []call{{"a", 1, 0, true, 0}, {"a", 0, 0, true, 0}}},
		{"clock going back", 2, time.Second, []call{
			{"a", 2, 1000, true, 0},
			{"a", 1, 500, false, 500 * time.Millisecond},
		}},
		{"exact nanoseconds", 3, time.Second, []call{
			{"a", 3, 0, true, 0},
			{"a", 1, 0, false, 333333334}, // ceil(1e9/3)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLimiter(tc.weight, tc.window)
			for i, c := range tc.calls {
				ok, retry := l.Allow(c.key, c.weight, c.at*ms)
				if ok != c.ok || retry != c.retry {
					t.Fatalf("call %d %+v: got %v %v", i, c, ok, retry)
				}
			}
		})
	}
}

func TestLimiterManyKeys(t *testing.T) {
	// A new key every millisecond: buckets refill within a second, so the limiter forgets them.
	l := NewLimiter(1, time.Second)
	for i := range 3 * maxBuckets {
		if ok, _ := l.Allow("ip-"+strconv.Itoa(i), 1, int64(i)*int64(time.Millisecond)); !ok {
			t.Fatalf("key %d refused", i)
		}
	}
	if n := len(l.buckets); n > maxBuckets {
		t.Fatalf("%d buckets kept", n)
	}
}

func TestVenueLimits(t *testing.T) {
	v, _ := defaultVenue(t, "bybit", 1) // 600 weight per 5 s, 10 orders per second
	for i := range 10 {
		if ok, _ := v.AllowOrder("k", t0); !ok {
			t.Fatalf("order %d refused", i)
		}
	}
	if ok, retry := v.AllowOrder("k", t0); ok || retry != 100*time.Millisecond {
		t.Fatalf("11th order: %v %v", ok, retry)
	}
	if ok, _ := v.Allow("k", 600, t0); !ok {
		t.Fatal("request weight refused")
	}
	if ok, _ := v.Allow("k", 1, t0); ok {
		t.Fatal("weight beyond the limit allowed")
	}
}
