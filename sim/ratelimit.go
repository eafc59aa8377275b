package sim

import (
	"sync"
	"time"
)

// Limiter is a set of token buckets, one per key (an API key, or a client address for public
// endpoints), each holding up to Weight units and refilling at Weight per Window. A request of
// weight w passes when its bucket holds w units, and takes them.
//
// The arithmetic is in integers: a bucket counts units × Window nanoseconds, so refill over e
// nanoseconds adds exactly e × Weight, and retry-after is exact to the nanosecond. Time is given
// by the caller (nanoseconds since the Unix epoch), so the same requests at the same times get the
// same answers.
//
// A Limiter is safe for concurrent use (a mutex: protocol servers call it from their connection
// goroutines; it is not on the EMS's hot path). Once more than maxBuckets keys are known, the
// buckets that have refilled completely are forgotten (which changes no answer), so memory
// follows the number of keys active within one window.
type Limiter struct {
	mu      sync.Mutex
	weight  int64 // bucket capacity, in units
	window  int64 // refill period of a full bucket, ns
	full    int64 // weight × window
	buckets map[string]*bucket
}

type bucket struct {
	level int64 // units × window
	last  int64 // time of the latest refill, ns
}

// maxBuckets is the number of keys above which full buckets are forgotten.
const maxBuckets = 1 << 14

// maxBucketScale bounds weight × window (ns) so no bucket arithmetic overflows.
const maxBucketScale = int64(1) << 62

// NewLimiter returns a Limiter allowing weight units per window per key. weight <= 0 or
// window <= 0 gives a Limiter that allows everything. A weight × window above 2^62 (a weight of
// a million over more than 53 days) is capped to it.
func NewLimiter(weight int, window time.Duration) *Limiter {
	l := &Limiter{buckets: make(map[string]*bucket)}
	if weight <= 0 || window <= 0 {
		return l
	}
	l.weight, l.window = int64(weight), int64(window)
	if l.window > maxBucketScale/l.weight {
		l.window = maxBucketScale / l.weight
	}
	l.full = l.weight * l.window
	return l
}

// Allow takes weight units from key's bucket at time now and reports whether the request may
// proceed. When it may not, retryAfter is how long until the bucket will hold weight units
// (for a weight above the bucket's capacity, which never passes, the full window). A weight
// <= 0 always passes and takes nothing.
func (l *Limiter) Allow(key string, weight int, now int64) (ok bool, retryAfter time.Duration) {
	if l.weight == 0 || weight <= 0 {
		return true, 0
	}
	w := int64(weight)
	if w > l.weight {
		return false, time.Duration(l.window)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{level: l.full, last: now}
		l.buckets[key] = b
	}
	if now > b.last {
		if e := now - b.last; e >= l.window {
			b.level = l.full
		} else {
			b.level = min(l.full, b.level+e*l.weight)
		}
		b.last = now
	}
	cost := w * l.window
	if b.level >= cost {
		b.level -= cost
		return true, 0
	}
	need := cost - b.level
	return false, time.Duration((need + l.weight - 1) / l.weight)
}

// prune forgets the buckets that are full at now (forgetting one changes no answer).
func (l *Limiter) prune(now int64) {
	for k, b := range l.buckets {
		if now-b.last >= l.window || b.level+(now-b.last)*l.weight >= l.full {
			delete(l.buckets, k)
		}
	}
}
