package okx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"ems/core/book"
	"ems/core/event"
	"ems/core/instrument"
	"ems/feed"
	okxfeed "ems/feed/okx"
	"ems/feed/transport"
)

// replicaView is a copy of one replica, taken on the feed thread.
type replicaView struct {
	state      event.BookState
	stats      feed.Stats
	bids, asks []book.Level
}

// feedHarness runs the project's OKX decoder in a transport.Session against the server.
type feedHarness struct {
	t      testing.TB
	dec    *okxfeed.Decoder
	cancel context.CancelFunc
	done   chan error

	mu    sync.Mutex
	views map[string]replicaView
	stats transport.SessionStats
	msgs  int64
}

// startFeed subscribes a Session to the books of insts.
func startFeed(t testing.TB, f *fixture, insts ...string) *feedHarness {
	t.Helper()
	res := f.master.Resolver(instrument.VenueOKX)
	dec := okxfeed.New(feed.Config{
		Venue: uint16(instrument.VenueOKX),
		Resolve: func(sym []byte) (uint32, feed.Scales, bool) {
			id, p, q, tick, ok := res(sym)
			return id, feed.Scales{Price: p, Qty: q, Tick: tick, Known: true}, ok
		},
	})
	h := &feedHarness{t: t, dec: dec, done: make(chan error, 1), views: map[string]replicaView{}}
	var sess *transport.Session
	sess, err := transport.NewSession(transport.SessionConfig{
		URL:       f.srv.PublicURL(),
		Venue:     instrument.VenueOKX,
		Decoder:   dec,
		Subscribe: [][]byte{okxfeed.AppendSubscribe(nil, "1", "books", insts...)},
		KeepAlive: transport.KeepAlive{Interval: 20 * time.Second, Message: []byte(okxfeed.Ping)},
		Resubscribe: func(r feed.Request) [][]byte {
			sym := r.Replica.Config().Symbol
			return [][]byte{okxfeed.AppendUnsubscribe(nil, "", "books", sym), okxfeed.AppendSubscribe(nil, "", "books", sym)}
		},
		Rand: rand.New(rand.NewPCG(1, 2)),
		Sink: func([]event.Event) {
			h.mu.Lock()
			defer h.mu.Unlock()
			for _, r := range dec.Books() {
				v := h.views[r.Config().Symbol]
				v.state, v.stats = r.State(), r.Stats
				v.bids = r.Book().Levels(book.Bid, -1, v.bids[:0])
				v.asks = r.Book().Levels(book.Ask, -1, v.asks[:0])
				h.views[r.Config().Symbol] = v
			}
			h.stats = sess.Stats()
			h.msgs++
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- sess.Run(ctx) }()
	t.Cleanup(func() { h.stop() })
	return h
}

// view returns the latest copy of inst's replica.
func (h *feedHarness) view(inst string) replicaView {
	h.mu.Lock()
	defer h.mu.Unlock()
	v := h.views[inst]
	v.bids, v.asks = slices.Clone(v.bids), slices.Clone(v.asks)
	return v
}

// sessionStats returns the Session's counters as of the latest message.
func (h *feedHarness) sessionStats() transport.SessionStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}

// stop ends the Session (idempotent) and returns the decoder's anomaly count.
func (h *feedHarness) stop() int64 {
	if h.cancel == nil {
		return h.dec.Anomalies().Total()
	}
	h.cancel()
	h.cancel = nil
	if err := <-h.done; err != nil && !errors.Is(err, context.Canceled) {
		h.t.Errorf("session: %v", err)
	}
	return h.dec.Anomalies().Total()
}

// waitLive waits until inst's book is live.
func (h *feedHarness) waitLive(inst string) {
	h.t.Helper()
	eventually(h.t, inst+" live", func() bool { return h.view(inst).state == event.BookLive })
}

// waitEqual waits until inst's replica equals the engine's book (full depth, at most 400).
func (h *feedHarness) waitEqual(f *fixture, inst string) replicaView {
	h.t.Helper()
	var v replicaView
	var diff string
	deadline := time.Now().Add(10 * time.Second)
	for {
		bids, asks := f.depth(inst, event.SideBuy, DefaultDepth), f.depth(inst, event.SideSell, DefaultDepth)
		v = h.view(inst)
		diff = levelDiff("bids", v.bids, bids) + levelDiff("asks", v.asks, asks)
		if diff == "" && v.state == event.BookLive {
			return v
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: replica (state %v) never matched the engine: %s", inst, v.state, diff)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func levelDiff(side string, got, want []book.Level) string {
	if slices.Equal(got, want) {
		return ""
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s: %d levels, engine %d", side, len(got), len(want))
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			fmt.Fprintf(&b, "; first difference at %d: %v vs %v", i, got[i], want[i])
			break
		}
	}
	return b.String() + "; "
}

// TestFeedSyncs: the project's decoder, in a transport.Session, syncs both books from the server,
// verifies every sequence link and checksum, and ends equal to the Engine's book.
func TestFeedSyncs(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	h := startFeed(t, f, "BTC-USDT", "ETH-USDT")
	h.waitLive("BTC-USDT")
	h.waitLive("ETH-USDT")
	f.stepSettled(flowSteps, 100*time.Millisecond)
	for _, inst := range []string{"BTC-USDT", "ETH-USDT"} {
		v := h.waitEqual(f, inst)
		st := v.stats
		if st.Gaps != 0 || st.ChecksumFailures != 0 || st.Resyncs != 0 || st.Dropped != 0 {
			t.Errorf("%s: %+v, want no gap, checksum failure, resync or drop", inst, st)
		}
		if st.Applied < flowSteps/2 || st.ChecksumsVerified != st.Applied {
			t.Errorf("%s: %+v, want every applied message (at least %d) checksum-verified", inst, st, flowSteps/2)
		}
		if len(v.bids) < 100 || len(v.asks) < 100 {
			t.Errorf("%s: %d bids, %d asks: the book should be deep", inst, len(v.bids), len(v.asks))
		}
	}
	if n := h.stop(); n != 0 {
		var b bytes.Buffer
		_ = h.dec.Anomalies().WriteText(&b)
		t.Errorf("%d anomalies: %s", n, b.String())
	}
}

// TestFeedChecksumOff: with Options.Checksum false every message carries checksum 0, which the
// decoder does not verify (OKX since 2026); the book still syncs on the seqId chain alone.
func TestFeedChecksumOff(t *testing.T) {
	opts := DefaultOptions()
	opts.Checksum = false
	f := newFixture(t, opts, nil)
	h := startFeed(t, f, "BTC-USDT")
	h.waitLive("BTC-USDT")
	f.stepSettled(flowSteps/2, 100*time.Millisecond)
	v := h.waitEqual(f, "BTC-USDT")
	if v.stats.ChecksumsVerified != 0 || v.stats.ChecksumFailures != 0 || v.stats.Gaps != 0 || v.stats.Applied == 0 {
		t.Errorf("stats %+v: want messages applied, none checksum-verified", v.stats)
	}
}
