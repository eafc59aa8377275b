package binance

import (
	"errors"
	"math/rand/v2"
	"time"
)

// Automatic reconnect. When the connection drops (the reader fails, or a write fails), the
// session reports VenueStatus disconnected and starts one retry goroutine, which waits a
// back-off delay and calls Reconnect: dial, subscribe, reconcile (reconcile.go), and only then
// VenueStatus connected. A failed attempt doubles the delay up to Backoff.Max; each delay is
// drawn from [d/2, d] ("equal jitter") by a PCG generator seeded from Config.Seed, so a test's
// retry schedule is reproducible and sessions of one process do not retry in lock step. Orders
// are refused (RejectVenueUnavailable) until the session is connected again. The loop ends on
// success, on Close, and when the Start context is done.

// Default back-off.
const (
	DefaultBackoffInitial = 250 * time.Millisecond
	DefaultBackoffMax     = 30 * time.Second
)

// Backoff bounds the delays between automatic reconnect attempts. Zero fields take the
// defaults.
type Backoff struct {
	Initial time.Duration // delay before the first attempt (before jitter)
	Max     time.Duration // the delay doubles after each failure up to Max
}

// backoff draws the retry delays. Used by the retry loop only (one at a time).
type backoff struct {
	cfg  Backoff
	rng  *rand.Rand
	next time.Duration
}

func newBackoff(cfg Backoff, seed uint64, rng *rand.Rand) (backoff, error) {
	if cfg.Initial == 0 {
		cfg.Initial = DefaultBackoffInitial
	}
	if cfg.Max == 0 {
		cfg.Max = DefaultBackoffMax
	}
	if cfg.Initial < 0 || cfg.Max < cfg.Initial {
		return backoff{}, errors.New("binance: back-off needs 0 < Initial <= Max")
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
	return backoff{cfg: cfg, rng: rng, next: cfg.Initial}, nil
}

// reset starts the schedule again from Initial.
func (b *backoff) reset() { b.next = b.cfg.Initial }

// delay returns the next delay, in [d/2, d] for the current step d, and doubles the step.
func (b *backoff) delay() time.Duration {
	d := b.next
	b.next = min(2*d, b.cfg.Max)
	half := d / 2
	return half + time.Duration(b.rng.Int64N(int64(d-half)+1))
}

// retryLocked starts the retry loop after a drop, unless it runs already, the owner reconnects
// (NoAutoReconnect), the session is closing or its Start context is done. REQUIRES: s.mu held.
func (s *Session) retryLocked() {
	if s.cfg.NoAutoReconnect || s.reconnecting || s.closing || s.life == nil || s.life.Err() != nil {
		return
	}
	s.reconnecting = true
	s.retries.Add(1)
	go s.retry()
}

// retry reconnects with back-off until the session is connected, closed or its context done.
func (s *Session) retry() {
	defer s.retries.Done()
	s.backoff.reset()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		t.Reset(s.backoff.delay())
		select {
		case <-s.life.Done():
			s.endRetry()
			return
		case <-t.C:
		}
		err := s.Reconnect(s.life)
		s.mu.Lock()
		switch {
		case s.closing || s.life.Err() != nil:
			s.reconnecting = false
			s.mu.Unlock()
			return
		case s.connected:
			s.reconnecting = false
			s.mu.Unlock()
			return
		case err == nil: // connected, then dropped again before this check: start over
			s.backoff.reset()
		default:
			s.stats.RetryFailures++
		}
		s.mu.Unlock()
	}
}

func (s *Session) endRetry() {
	s.mu.Lock()
	s.reconnecting = false
	s.mu.Unlock()
}
