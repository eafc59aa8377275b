package okx

import (
	"sync"
	"time"
)

// OKX's trade rate limits (docs-v5 "Place order" / "Cancel order", WebSocket and REST share
// them): 60 requests per 2 seconds per instrument for place-order, and the same for
// cancel-order, and for amend-order; a batch of n orders costs n. An exceeded limit is answered
// with sCode 50011.
const (
	PlaceLimit  = 60
	CancelLimit = 60
	AmendLimit  = 60
	LimitWindow = 2 * time.Second
)

// Limits configures a Limiter. Zero fields take OKX's values.
type Limits struct {
	Place, Cancel int           // requests per Window per instrument
	Amend         int           // amend-order requests per Window per instrument
	Window        time.Duration // refill period of a full bucket
	// Backoff is how long every order is refused after the venue answered 50011 (0: Window).
	Backoff time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.Place <= 0 {
		l.Place = PlaceLimit
	}
	if l.Cancel <= 0 {
		l.Cancel = CancelLimit
	}
	if l.Amend <= 0 {
		l.Amend = AmendLimit
	}
	if l.Window <= 0 {
		l.Window = LimitWindow
	}
	if l.Backoff <= 0 {
		l.Backoff = l.Window
	}
	return l
}

// bucket is a token bucket in integer units: level counts requests × window nanoseconds, so a
// refill over e nanoseconds adds exactly e × limit.
type bucket struct {
	level, last int64
}

// Limiter holds OKX's per-instrument place, cancel and amend budgets, and the back-off the venue's
// throttle answers impose. It refuses rather than queues: a refused request is never sent.
// Time is passed in (ns since the epoch), so answers are reproducible.
//
// OKX counts these budgets per account (and instrument), not per connection, so one Limiter per
// account is meant to be shared, through Config.Limiter, by every Session of that account in the
// process; sessions sharing one must be built on the same instrument master (its buckets are
// indexed by the position of the OKX listing in the master). Safe for concurrent use: every
// method takes the limiter's own lock for a few integer operations and never allocates.
type Limiter struct {
	lim Limits // read only after NewLimiter

	mu            sync.Mutex // guards everything below
	place, cancel []bucket   // one per market index
	amend         []bucket   // one per market index
	until         int64      // no request before this time (venue back-off)
}

// NewLimiter returns a limiter for n instruments (at least the number of OKX listings in the
// master of every Session that uses it).
func NewLimiter(n int, l Limits) *Limiter {
	return &Limiter{lim: l.withDefaults(), place: make([]bucket, n), cancel: make([]bucket, n),
		amend: make([]bucket, n)}
}

// Instruments returns the number of instruments the limiter has budgets for.
func (l *Limiter) Instruments() int { return len(l.place) }

// take takes w requests from b with capacity limit at now. REQUIRES: l.mu held.
func (l *Limiter) take(b *bucket, limit, w int64, now int64) bool {
	win := int64(l.lim.Window)
	full := limit * win
	switch {
	case b.last == 0 || now-b.last >= win:
		b.level = full
	case now > b.last:
		b.level = min(full, b.level+(now-b.last)*limit)
	}
	if now > b.last {
		b.last = now
	}
	if b.level < w*win {
		return false
	}
	b.level -= w * win
	return true
}

// AllowPlace takes n place-order requests of market index i at now; false: refused (over the
// budget, or inside a venue back-off).
func (l *Limiter) AllowPlace(i int, n int, now int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now < l.until {
		return false
	}
	return l.take(&l.place[i], int64(l.lim.Place), int64(n), now)
}

// RefundPlace gives back n place requests of market index i taken by AllowPlace (a batch
// refused as a whole).
func (l *Limiter) RefundPlace(i int, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := &l.place[i]
	b.level = min(b.level+int64(n)*int64(l.lim.Window), int64(l.lim.Place)*int64(l.lim.Window))
}

// AllowCancel takes n cancel requests of market index i at now. Cancels are not held back by a
// venue back-off: they only reduce risk, and OKX counts them apart.
func (l *Limiter) AllowCancel(i int, n int, now int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.take(&l.cancel[i], int64(l.lim.Cancel), int64(n), now)
}

// AllowAmend takes n amend-order requests of market index i at now; false: refused (over the
// amend budget, or inside a venue back-off, as a new order is).
func (l *Limiter) AllowAmend(i int, n int, now int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now < l.until {
		return false
	}
	return l.take(&l.amend[i], int64(l.lim.Amend), int64(n), now)
}

// Throttle starts a back-off at now: the venue answered 50011.
func (l *Limiter) Throttle(now int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.until = max(l.until, now+int64(l.lim.Backoff))
}

// Throttled reports whether a venue back-off is in force at now.
func (l *Limiter) Throttled(now int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now < l.until
}
