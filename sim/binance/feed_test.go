package binance

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"ems/core/book"
	"ems/core/event"
	"ems/core/instrument"
	"ems/feed"
	feedbinance "ems/feed/binance"
	"ems/feed/transport"
	"ems/sim"
)

// bookView is what the feed thread reports of one replica after each message.
type bookView struct {
	seq        uint64 // Seq of the last book event (the diff's u, the snapshot's lastUpdateId)
	moves      int    // times seq changed: snapshots and diffs applied
	state      event.BookState
	stats      feed.Stats
	bids, asks []book.Level
}

// feedRun runs the project's Binance decoder behind a transport.Session against the server and
// collects, on the feed thread, each book's state and levels after every message.
type feedRun struct {
	mu     sync.Mutex
	books  map[uint32]*bookView // by instrument id
	trades int
	tops   int
	sess   *transport.Session
	cancel context.CancelFunc
	done   chan error
}

func resolver(t testing.TB) feed.Resolver {
	res := testMaster(t).Resolver(instrument.VenueBinance)
	return func(sym []byte) (uint32, feed.Scales, bool) {
		id, p, q, tick, ok := res(sym)
		return id, feed.Scales{Price: p, Qty: q, Tick: tick, Known: ok}, ok
	}
}

func startFeed(t *testing.T, e *env, url string, subscribe [][]byte) *feedRun {
	t.Helper()
	dec := feedbinance.New(feed.Config{Venue: uint16(instrument.VenueBinance), Resolve: resolver(t)})
	fr := &feedRun{books: map[uint32]*bookView{}, done: make(chan error, 1)}
	sink := func(evs []event.Event) {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		for i := range evs {
			ev := &evs[i]
			switch ev.Kind {
			case event.KindTrade:
				fr.trades++
			case event.KindTopOfBook:
				fr.tops++
			case event.KindBookLevel, event.KindBookStatus:
				bv := fr.books[uint32(ev.Instrument)]
				if bv == nil {
					bv = &bookView{}
					fr.books[uint32(ev.Instrument)] = bv
				}
				if ev.Seq != bv.seq {
					bv.seq = ev.Seq
					bv.moves++
				}
			}
		}
		for _, r := range dec.Books() {
			bv := fr.books[uint32(r.Config().Instrument)]
			if bv == nil {
				continue
			}
			bv.state, bv.stats = r.State(), r.Stats
			bv.bids = r.Book().Levels(book.Bid, -1, bv.bids[:0])
			bv.asks = r.Book().Levels(book.Ask, -1, bv.asks[:0])
		}
	}
	hc := &http.Client{Timeout: 5 * time.Second}
	sess, err := transport.NewSession(transport.SessionConfig{
		URL:       url,
		Venue:     instrument.VenueBinance,
		Decoder:   dec,
		Sink:      sink,
		Subscribe: subscribe,
		Rand:      rand.New(rand.NewPCG(1, 2)),
		Snapshot: func(ctx context.Context, symbol string) ([]byte, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet,
				e.base+string(feedbinance.AppendSnapshotPath(nil, symbol, feedbinance.SnapshotLimit)), nil)
			if err != nil {
				return nil, err
			}
			resp, err := hc.Do(req)
			if err != nil {
				return nil, err
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err == nil && resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("snapshot: HTTP %d: %s", resp.StatusCode, b)
			}
			return b, err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	fr.sess, fr.cancel = sess, cancel
	go func() { fr.done <- sess.Run(ctx) }()
	t.Cleanup(fr.stop)
	return fr
}

func (fr *feedRun) stop() {
	if fr.cancel != nil {
		fr.cancel()
		<-fr.done
		fr.cancel = nil
	}
}

// engineBook is a market's book and sequence number read from the venue in one call.
type engineBook struct {
	seq        uint64
	bids, asks []book.Level
}

func (e *env) engineBooks() map[uint32]engineBook {
	out := map[uint32]engineBook{}
	e.v.Do(func(st *sim.State) {
		for _, m := range st.Markets() {
			eng := st.Engine(m)
			out[uint32(m.Listing.Instrument)] = engineBook{seq: st.Seq(m),
				bids: eng.Depth(event.SideBuy, -1, nil), asks: eng.Depth(event.SideSell, -1, nil)}
		}
	})
	return out
}

// waitSynced waits until every book the feed keeps stands at the engine's sequence number, then
// checks it equals the engine's book, is live, and saw no gap.
func (fr *feedRun) waitSynced(t *testing.T, want map[uint32]engineBook) {
	t.Helper()
	fr.waitBooks(t, want, false)
}

// waitBooks is waitSynced; with allowGaps, gaps and resyncs are expected (the gap fault).
func (fr *feedRun) waitBooks(t *testing.T, want map[uint32]engineBook, allowGaps bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		fr.mu.Lock()
		ready := len(fr.books) == len(want)
		for id, w := range want {
			if bv := fr.books[id]; bv == nil || bv.seq != w.seq {
				ready = false
			}
		}
		if ready {
			for id, w := range want {
				bv := fr.books[id]
				if bv.state != event.BookLive {
					t.Errorf("instrument %d: book state %v, want live", id, bv.state)
				}
				if !allowGaps && (bv.stats.Gaps != 0 || bv.stats.Resyncs != 0) {
					t.Errorf("instrument %d: %d gaps, %d resyncs on a clean stream", id, bv.stats.Gaps, bv.stats.Resyncs)
				}
				if !slices.Equal(bv.bids, w.bids) || !slices.Equal(bv.asks, w.asks) {
					t.Errorf("instrument %d: feed book (%d bids, %d asks) differs from the engine's (%d, %d)",
						id, len(bv.bids), len(bv.asks), len(w.bids), len(w.asks))
				}
			}
			fr.mu.Unlock()
			return
		}
		fr.mu.Unlock()
		if time.Now().After(deadline) {
			fr.mu.Lock()
			for id, w := range want {
				if bv := fr.books[id]; bv != nil {
					t.Logf("instrument %d: feed at %d (%v), engine at %d", id, bv.seq, bv.state, w.seq)
				}
			}
			fr.mu.Unlock()
			t.Fatal("the feed did not reach the engine's sequence number")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestFeedSync runs the project's feed decoder (feed/binance) through feed/transport against the
// server: it subscribes, fetches the REST snapshot, syncs by Binance's procedure, and keeps books
// equal to the engine's while the background flow trades, with no gap.
func TestFeedSync(t *testing.T) {
	cases := []struct {
		name      string
		path      string
		subscribe bool
	}{
		{"combined", "/stream?streams=btcusdt@depth@100ms/ethusdt@depth@100ms", false},
		{"raw+SUBSCRIBE", "/ws", true},
		{"combined-1000ms", "/stream?streams=btcusdt@depth/ethusdt@depth", false},
	}
	for _, c := range cases {
		t.Run("style="+c.name, func(t *testing.T) {
			e := newEnv(t, envConfig{})
			var sub [][]byte
			if c.subscribe {
				sub = [][]byte{feedbinance.AppendSubscribe(nil, 1, "BTCUSDT", "ETHUSDT")}
			}
			fr := startFeed(t, e, e.s.StreamURL()+c.path, sub)
			for round := 0; round < 2; round++ {
				for i := 0; i < stepsPerRound; i++ {
					e.advance(100 * time.Millisecond)
					time.Sleep(2 * time.Millisecond)
				}
				fr.waitSynced(t, e.engineBooks())
			}
			fr.mu.Lock()
			for id, bv := range fr.books {
				if bv.moves < 2 { // the snapshot, then diffs
					t.Errorf("instrument %d: the book moved %d times (%+v)", id, bv.moves, bv.stats)
				}
			}
			fr.mu.Unlock()
			if c.subscribe {
				fr.mu.Lock()
				trades, tops := fr.trades, fr.tops
				fr.mu.Unlock()
				if trades == 0 || tops == 0 {
					t.Errorf("%d trades and %d bookTickers decoded, want some of each", trades, tops)
				}
			}
			fr.stop() // Stats belong to the feed thread until Run returns
			if st := fr.sess.Stats(); st.DecodeErrors != 0 {
				t.Errorf("%d decode errors", st.DecodeErrors)
			}
		})
	}
}
