package bybit

import (
	"sync"
	"time"

	"ems/core/instrument"
)

// Limits are the order rate limits the Session keeps to, per API key (Bybit counts per UID), in
// requests per Window. The defaults are Bybit's v5 limits for a non-VIP UID: order create and
// amend 20/s on spot and 10/s on linear, and the same for cancel (each endpoint has its own
// budget).
type Limits struct {
	SpotOrders, LinearOrders   int // order.create and order.amend per Window
	SpotCancels, LinearCancels int // order.cancel per Window
	Window                     time.Duration
	// Backoff is how long the Session sends nothing after the venue answers 10006 (Too many
	// visits) or 10018 (IP limit): requests in that time are refused locally.
	Backoff time.Duration
}

// defaultLimits are Bybit's v5 per-UID limits (read only).
var defaultLimits = Limits{SpotOrders: 20, LinearOrders: 10, SpotCancels: 20, LinearCancels: 10,
	Window: time.Second, Backoff: time.Second}

func (l Limits) withDefaults() Limits {
	d := defaultLimits
	if l.SpotOrders > 0 {
		d.SpotOrders = l.SpotOrders
	}
	if l.LinearOrders > 0 {
		d.LinearOrders = l.LinearOrders
	}
	if l.SpotCancels > 0 {
		d.SpotCancels = l.SpotCancels
	}
	if l.LinearCancels > 0 {
		d.LinearCancels = l.LinearCancels
	}
	if l.Window > 0 {
		d.Window = l.Window
	}
	if l.Backoff > 0 {
		d.Backoff = l.Backoff
	}
	return d
}

// bucket is a token bucket in integers: level counts tokens × window ns, refilled by elapsed ns ×
// rate, so refill is exact.
type bucket struct {
	rate   int64 // tokens per window
	window int64 // ns
	level  int64
	last   int64
}

func newBucket(rate int, window time.Duration) bucket {
	return bucket{rate: int64(rate), window: int64(window), level: int64(rate) * int64(window)}
}

// take takes one token at now (ns) and reports whether one was there.
func (b *bucket) take(now int64) bool {
	full := b.rate * b.window
	if now > b.last {
		if e := now - b.last; e >= b.window {
			b.level = full
		} else {
			b.level = min(full, b.level+e*b.rate)
		}
		b.last = now
	}
	if b.level >= b.window {
		b.level -= b.window
		return true
	}
	return false
}

// empty drains the bucket at now.
func (b *bucket) empty(now int64) { b.level, b.last = 0, now }

// Limiter applies Limits to the requests of an API key. Bybit counts them per UID, not per
// connection, so one Limiter per account is meant to be shared, through Config.Limiter, by every
// Session of that account in the process. Safe for concurrent use: each call takes the Limiter's
// own lock for a few integer operations; it never allocates.
type Limiter struct {
	backoff int64 // read only after NewLimiter

	mu              sync.Mutex // guards everything below
	orders, cancels [2]bucket  // by segment
	until           int64      // ns: nothing is sent before it (the venue's throttle answer)
}

// NewLimiter returns a Limiter keeping to l (zero fields: Bybit's limits).
func NewLimiter(l Limits) *Limiter {
	l = l.withDefaults()
	r := &Limiter{backoff: int64(l.Backoff)}
	r.orders[instrument.SegmentSpot] = newBucket(l.SpotOrders, l.Window)
	r.orders[instrument.SegmentDerivatives] = newBucket(l.LinearOrders, l.Window)
	r.cancels[instrument.SegmentSpot] = newBucket(l.SpotCancels, l.Window)
	r.cancels[instrument.SegmentDerivatives] = newBucket(l.LinearCancels, l.Window)
	return r
}

// allow takes a token for a request (cancel or not) in segment seg at now.
func (r *Limiter) allow(seg instrument.Segment, cancel bool, now int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now < r.until || int(seg) >= len(r.orders) {
		return false
	}
	if cancel {
		return r.cancels[seg].take(now)
	}
	return r.orders[seg].take(now)
}

// throttled records the venue's throttle answer at now: nothing is sent for the backoff, and
// the buckets restart empty.
func (r *Limiter) throttled(now int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.until = now + r.backoff
	for i := range r.orders {
		r.orders[i].empty(r.until)
		r.cancels[i].empty(r.until)
	}
}
