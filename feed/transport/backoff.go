package transport

import (
	"math/rand/v2"
	"time"
)

// Defaults for the zero fields of Backoff.
const (
	DefaultBackoffInitial    = 250 * time.Millisecond
	DefaultBackoffMax        = 30 * time.Second
	DefaultBackoffResetAfter = time.Minute
)

// Backoff is the reconnect delay policy: the delay doubles with every consecutive failed or
// short-lived connection, from Initial up to Max, with "equal jitter" (half of it fixed, half
// drawn uniformly) so that many feeds dropped together do not reconnect together. A connection
// that stayed up ResetAfter or longer counts as healthy and starts the sequence again.
type Backoff struct {
	Initial    time.Duration // 0: DefaultBackoffInitial
	Max        time.Duration // 0: DefaultBackoffMax
	ResetAfter time.Duration // 0: DefaultBackoffResetAfter
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = DefaultBackoffInitial
	}
	if b.Max <= 0 {
		b.Max = DefaultBackoffMax
	}
	if b.Max < b.Initial {
		b.Max = b.Initial
	}
	if b.ResetAfter <= 0 {
		b.ResetAfter = DefaultBackoffResetAfter
	}
	return b
}

// Delay returns the wait before reconnect attempt number attempt (0 for the first after a healthy
// connection): d = min(Max, Initial·2^attempt), then d/2 + uniform[0, d/2]. Zero fields take
// their defaults. The result is a function of attempt and rng's state alone, so a seeded rng
// gives a reproducible sequence.
func (b Backoff) Delay(attempt int, rng *rand.Rand) time.Duration {
	b = b.withDefaults()
	d := b.Max
	if attempt < 62 && b.Initial <= b.Max>>attempt {
		d = b.Initial << attempt
	}
	half := d / 2
	return d - half + time.Duration(rng.Int64N(int64(half)+1))
}
