package coinbase

import (
	"sync"
	"time"
)

// Rate limits (venue specs section 5). Advanced Trade allows 30 private REST requests per second
// per API key; past it the venue answers HTTP 429 RESOURCE_EXHAUSTED. The simulator (sim/coinbase,
// sim.DefaultConfig) enforces the same: one unit per REST request of a 30-per-second bucket per
// key, and one unit per order of a second 30-per-second bucket.

// Limits are the client-side budgets. The zero value is the venue's.
type Limits struct {
	Requests    int           // private REST requests per Window (0: 30)
	Window      time.Duration // 0: 1 s
	Orders      int           // orders per OrderWindow (0: 30)
	OrderWindow time.Duration // 0: 1 s
	Backoff     time.Duration // pause after a 429 (0: 1 s), doubled per consecutive 429
	MaxBackoff  time.Duration // 0: 16 s
}

func (l Limits) withDefaults() Limits {
	if l.Requests <= 0 {
		l.Requests = 30
	}
	if l.Window <= 0 {
		l.Window = time.Second
	}
	if l.Orders <= 0 {
		l.Orders = 30
	}
	if l.OrderWindow <= 0 {
		l.OrderWindow = time.Second
	}
	if l.Backoff <= 0 {
		l.Backoff = time.Second
	}
	if l.MaxBackoff <= 0 {
		l.MaxBackoff = 16 * time.Second
	}
	return l
}

// bucket is a token bucket holding up to n units, refilling n per window, in integer arithmetic:
// level counts units × window nanoseconds, so a refill over e ns adds exactly e × n. It is owned
// by its Limiter (guarded by the Limiter's lock).
type bucket struct {
	n, window int64
	level     int64 // units × window; may go negative after take
	last      int64 // time of the latest refill, ns
	started   bool
}

func newBucket(n int, window time.Duration) bucket {
	return bucket{n: int64(n), window: int64(window)}
}

func (b *bucket) refill(now int64) {
	full := b.n * b.window
	if !b.started {
		b.level, b.last, b.started = full, now, true
		return
	}
	if now > b.last {
		e := now - b.last
		if e >= b.window && b.level >= 0 {
			b.level = full
		} else {
			b.level = min(full, b.level+min(e, 1<<40)*b.n)
		}
		b.last = now
	}
}

// has reports whether units are available at now.
func (b *bucket) has(now, units int64) bool {
	b.refill(now)
	return b.level >= units*b.window
}

// take takes units at now, even past empty (the level goes negative: later requests wait).
func (b *bucket) take(now, units int64) {
	b.refill(now)
	b.level -= units * b.window
}

// Limiter is the pair of buckets of one API key plus the venue-imposed pause. Coinbase counts
// the budget per API key, not per connection, so one Limiter per account is meant to be shared,
// through Config.Limiter, by every Session of that account in the process. Safe for concurrent
// use: each call takes the Limiter's own lock for a few integer operations; it never allocates.
type Limiter struct {
	lim Limits // read only after NewLimiter

	mu       sync.Mutex // guards everything below
	requests bucket
	orders   bucket
	until    int64 // no request before this time (ns) after a 429
	strikes  int   // consecutive 429 answers
}

// NewLimiter returns a Limiter keeping to l (zero fields: the venue's limits).
func NewLimiter(l Limits) *Limiter {
	l = l.withDefaults()
	return &Limiter{lim: l, requests: newBucket(l.Requests, l.Window), orders: newBucket(l.Orders, l.OrderWindow)}
}

// allow takes one request unit (and one order unit when order) at now, or reports false and
// takes nothing.
func (l *Limiter) allow(now int64, order bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now < l.until || !l.requests.has(now, 1) || (order && !l.orders.has(now, 1)) {
		return false
	}
	l.requests.take(now, 1)
	if order {
		l.orders.take(now, 1)
	}
	return true
}

// force takes one request unit whatever the budget (fill retrieval must not be skipped).
func (l *Limiter) force(now int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests.take(now, 1)
}

// throttled records a 429 at now: nothing is sent for the back-off, doubled per consecutive 429
// (of any Session sharing the Limiter).
func (l *Limiter) throttled(now int64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.lim.Backoff << min(l.strikes, 8)
	d = min(d, l.lim.MaxBackoff)
	l.strikes++
	l.until = max(l.until, now+int64(d))
	return d
}

// ok records an answer that was not a 429.
func (l *Limiter) ok() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.strikes = 0
}
