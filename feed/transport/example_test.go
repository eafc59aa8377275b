package transport_test

import (
	"context"
	"math/rand/v2"
	"time"

	"ems/core/event"
	"ems/feed"
	"ems/feed/transport"
)

// ExampleSession wires one venue feed: the venue's decoder and its subscribe and keep-alive
// messages on one side, a sink (in the pipeline: the producer side of an SPSC ring) on the other.
// Run blocks on the feed's own goroutine until ctx is done.
func ExampleSession() {
	var dec feed.Decoder // the venue's decoder, e.g. okx.New(feed.Config{...})
	push := func(evs []event.Event) {
		// copy evs into the ring; the slice is reused after the call
	}
	s, err := transport.NewSession(transport.SessionConfig{
		URL:       "wss://ws.okx.com:8443/ws/v5/public",
		Venue:     2,
		Decoder:   dec,
		Sink:      push,
		Subscribe: [][]byte{[]byte(`{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}`)},
		KeepAlive: transport.KeepAlive{Interval: 20 * time.Second, Message: []byte("ping")},
		// Silence: Stale after 5 s, reconnect after 30 s.
		StaleAfter: 5 * time.Second,
		DeadAfter:  30 * time.Second,
		Backoff:    transport.Backoff{Initial: 250 * time.Millisecond, Max: 30 * time.Second, ResetAfter: time.Minute},
		Rand:       rand.New(rand.NewPCG(1, 2)),
	})
	if err != nil {
		return // dec is nil in this example
	}
	_ = s.Run(context.Background())
}
