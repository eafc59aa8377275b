package binance

import (
	"strconv"
	"sync"
	"time"
)

// Rate limits. The venue's Limiter (token buckets) decides; this file turns its refusals into
// Binance's throttle errors and keeps the usage counts Binance reports (rateLimits in WebSocket
// API responses, X-MBX-USED-WEIGHT-* headers), counted like Binance in fixed intervals that start
// on the interval's boundary.
//
// Request weight is charged per client address, as Binance charges it per IP; the order count
// per account.

// intervalText spells a window the way Binance names limits: "1 MINUTE", "10 SECOND".
func intervalText(d time.Duration) string {
	n, unit := intervalOf(d)
	return strconv.Itoa(n) + " " + unit
}

// intervalTag spells a window as the X-MBX-* headers do: "1M", "10S".
func intervalTag(d time.Duration) string {
	n, unit := intervalOf(d)
	return strconv.Itoa(n) + unit[:1]
}

// intervalOf splits a window into Binance's intervalNum and interval.
func intervalOf(d time.Duration) (int, string) {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return int(d / (24 * time.Hour)), "DAY"
	case d >= time.Hour && d%time.Hour == 0:
		return int(d / time.Hour), "HOUR"
	case d >= time.Minute && d%time.Minute == 0:
		return int(d / time.Minute), "MINUTE"
	case d >= time.Second && d%time.Second == 0:
		return int(d / time.Second), "SECOND"
	}
	return max(1, int(d/time.Second)), "SECOND"
}

// usageKind is what a usage count counts.
type usageKind uint8

const (
	usageWeight usageKind = iota
	usageOrders
)

type usageKey struct {
	kind usageKind
	key  string
}

type usageWindow struct {
	start int64 // ns, the current interval's start
	count int64
}

// usage counts request weight and orders per key in fixed intervals. Safe for concurrent use.
type usage struct {
	mu sync.Mutex
	m  map[usageKey]*usageWindow
}

// maxUsageKeys bounds the counters kept: beyond it, counters of past intervals are forgotten.
const maxUsageKeys = 1 << 14

func newUsage() *usage { return &usage{m: map[usageKey]*usageWindow{}} }

// add counts n for key in the interval of length window holding now and returns the interval's
// total.
func (u *usage) add(kind usageKind, key string, n int64, now int64, window time.Duration) int64 {
	if window <= 0 {
		window = time.Minute
	}
	start := now - now%int64(window)
	u.mu.Lock()
	defer u.mu.Unlock()
	k := usageKey{kind, key}
	w := u.m[k]
	if w == nil {
		if len(u.m) >= maxUsageKeys {
			for kk, ww := range u.m {
				if ww.start != start {
					delete(u.m, kk)
				}
			}
		}
		w = &usageWindow{start: start}
		u.m[k] = w
	}
	if w.start != start {
		w.start, w.count = start, 0
	}
	w.count += n
	return w.count
}

// limitUse is the outcome of charging a request: the counts to report, or the throttle error.
type limitUse struct {
	weight  int64 // request weight used in the current interval
	orders  int64 // orders placed in the current interval (order requests only)
	isOrder bool
}

// chargeWeight charges weight units to key (a client address) and returns the interval's count,
// or the -1003 error when the venue's limiter refuses.
func (s *Server) chargeWeight(key string, weight int) (int64, *apiError) {
	rl := s.v.Config().RateLimit
	now := s.v.Now()
	if ok, retry := s.v.Allow(key, weight, now); !ok {
		return 0, errWeight(rl.Weight, rl.Window, retry)
	}
	return s.usage.add(usageWeight, key, int64(weight), now, rl.Window), nil
}

// chargeOrder counts one new order of account, or returns the -1015 error when the venue's order
// limiter refuses.
func (s *Server) chargeOrder(account uint32) (int64, *apiError) {
	rl := s.v.Config().RateLimit
	now := s.v.Now()
	key := "account:" + strconv.FormatUint(uint64(account), 10)
	if ok, retry := s.v.AllowOrder(key, now); !ok {
		return 0, errOrders(rl.Orders, rl.OrderWindow, retry)
	}
	return s.usage.add(usageOrders, key, 1, now, rl.OrderWindow), nil
}

// appendRateLimits appends the rateLimits array of a WebSocket API response:
// [{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":N},...].
// Limits the venue does not enforce are left out.
func (s *Server) appendRateLimits(dst []byte, u limitUse) []byte {
	rl := s.v.Config().RateLimit
	dst = append(dst, '[')
	first := true
	add := func(typ string, window time.Duration, limit int, count int64) {
		if limit <= 0 {
			return
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		n, unit := intervalOf(window)
		dst = append(dst, `{"rateLimitType":"`...)
		dst = append(dst, typ...)
		dst = append(dst, `","interval":"`...)
		dst = append(dst, unit...)
		dst = append(dst, `","intervalNum":`...)
		dst = strconv.AppendInt(dst, int64(n), 10)
		dst = append(dst, `,"limit":`...)
		dst = strconv.AppendInt(dst, int64(limit), 10)
		dst = append(dst, `,"count":`...)
		dst = strconv.AppendInt(dst, count, 10)
		dst = append(dst, '}')
	}
	if u.isOrder {
		add("ORDERS", rl.OrderWindow, rl.Orders, u.orders)
	}
	add("REQUEST_WEIGHT", rl.Window, rl.Weight, u.weight)
	return append(dst, ']')
}
