package binance

import (
	"sync"
	"time"
)

// Binance spot's published limits for one account and one address (GET /api/v3/exchangeInfo
// rateLimits; web-socket-api.md). order.place and order.cancel weigh 1; order.place also counts
// one order in both ORDERS windows. The venue counts in fixed intervals aligned to the clock
// (a 10-second window starts at a multiple of 10 s), and so does the Limiter.
const (
	DefaultOrders10s = 50      // ORDERS per 10 SECOND, per account
	DefaultOrdersDay = 160_000 // ORDERS per 1 DAY, per account
	DefaultWeight1m  = 6000    // REQUEST_WEIGHT per 1 MINUTE, per address

	WeightOrderPlace     = 1
	WeightOrderCancel    = 1
	WeightSubscribe      = 2
	WeightOrderStatus    = 4
	WeightOpenOrders     = 6  // openOrders.status with a symbol
	WeightOpenOrdersAll  = 80 // without
	WeightMyTrades       = 20 // GET /api/v3/myTrades
	WeightWSConnect      = 2
	defaultThrottleDelay = time.Second     // a 429 without retryAfter
	defaultBanDelay      = 2 * time.Minute // a 418 without retryAfter: Binance's shortest ban
)

// Limits are the budgets a Limiter enforces. Zero fields take Binance's defaults.
type Limits struct {
	Orders10s int
	OrdersDay int
	Weight1m  int
}

func (l Limits) withDefaults() Limits {
	if l.Orders10s <= 0 {
		l.Orders10s = DefaultOrders10s
	}
	if l.OrdersDay <= 0 {
		l.OrdersDay = DefaultOrdersDay
	}
	if l.Weight1m <= 0 {
		l.Weight1m = DefaultWeight1m
	}
	return l
}

// window is one fixed-interval counter.
type window struct {
	span  int64 // ns
	cap   int64 // the configured limit
	limit int64 // in force: the configured limit, or the venue's when lower
	start int64 // start of the current interval, ns
	count int64
}

func (w *window) roll(now int64) {
	if s := now - now%w.span; s != w.start {
		w.start, w.count = s, 0
	}
}

// Limiter tracks the request weight and order counts a session has used, refuses a request the
// budget cannot cover, and holds every request back after a throttle answer until the venue's
// retry time. The counts it keeps are raised to the venue's own (the rateLimits array of each
// response), and a venue's stated limit lower than the configured one is enforced instead.
//
// Binance counts orders per account (and request weight per client address), so every session
// of one account in a process should draw from one Limiter: pass it as Config.Limiter to each.
// A throttle answer seen by one of them then holds back all of them.
//
// Times are ns since the Unix epoch from the sessions' clocks (sessions sharing a limiter should
// share a clock). Safe for concurrent use: every method takes the limiter's own lock, which is
// never held while calling out (a session takes it inside its own lock, never the reverse).
// It never allocates.
type Limiter struct {
	mu                  sync.Mutex // guards everything below
	weight, orders, day window
	blockedUntil        int64
}

// NewLimiter returns a limiter for l (zero fields: Binance's defaults).
func NewLimiter(l Limits) *Limiter {
	l = l.withDefaults()
	return &Limiter{
		weight: window{span: int64(time.Minute), limit: int64(l.Weight1m), cap: int64(l.Weight1m)},
		orders: window{span: int64(10 * time.Second), limit: int64(l.Orders10s), cap: int64(l.Orders10s)},
		day:    window{span: int64(24 * time.Hour), limit: int64(l.OrdersDay), cap: int64(l.OrdersDay)},
	}
}

// Take charges weight (and one order when order is set) at now and reports true, or reports
// false and charges nothing when a budget would be exceeded or a throttle answer is in force.
func (l *Limiter) Take(now int64, weight int, order bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now < l.blockedUntil {
		return false
	}
	l.weight.roll(now)
	if l.weight.count+int64(weight) > l.weight.limit {
		return false
	}
	if order {
		l.orders.roll(now)
		l.day.roll(now)
		if l.orders.count+1 > l.orders.limit || l.day.count+1 > l.day.limit {
			return false
		}
		l.orders.count++
		l.day.count++
	}
	l.weight.count += int64(weight)
	return true
}

// RateLimitType is the rateLimitType of a rateLimits entry.
type RateLimitType uint8

const (
	RateLimitOther         RateLimitType = 0
	RateLimitRequestWeight RateLimitType = 1 // REQUEST_WEIGHT
	RateLimitOrders        RateLimitType = 2 // ORDERS
)

// RateLimit is one entry of a response's rateLimits array.
type RateLimit struct {
	Type  RateLimitType
	Span  int64 // interval × intervalNum, ns
	Limit int64
	Count int64
}

// Observe applies one rateLimits entry received at now: the venue's count replaces a lower local
// one, and its limit, when lower than the configured one, is enforced instead for the window with
// the same span. Entries of other spans are ignored.
func (l *Limiter) Observe(now int64, r RateLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var w *window
	switch {
	case r.Type == RateLimitRequestWeight && r.Span == l.weight.span:
		w = &l.weight
	case r.Type == RateLimitOrders && r.Span == l.orders.span:
		w = &l.orders
	case r.Type == RateLimitOrders && r.Span == l.day.span:
		w = &l.day
	default:
		return
	}
	w.roll(now)
	if r.Limit > 0 {
		w.limit = min(w.cap, r.Limit)
	}
	if r.Count > w.count {
		w.count = r.Count
	}
}

// Block refuses every request until until (ns). A later Block can only extend it.
func (l *Limiter) Block(until int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.block(until)
}

// block is Block. REQUIRES: l.mu held.
func (l *Limiter) block(until int64) {
	if until > l.blockedUntil {
		l.blockedUntil = until
	}
}

// Throttled answers the venue's throttle response received at now: status 429 or 418, with
// retryAfter (ms since the epoch, 0 when absent). It blocks until retryAfter, or for Binance's
// default delay of that status.
func (l *Limiter) Throttled(now int64, status int, retryAfterMs int64) {
	until := retryAfterMs * int64(time.Millisecond)
	if until <= now {
		d := defaultThrottleDelay
		if status == 418 {
			d = defaultBanDelay
		}
		until = now + int64(d)
	}
	l.Block(until)
}

// BlockedUntil returns the end of the current throttle block (0 when none was ever set).
func (l *Limiter) BlockedUntil() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.blockedUntil
}
