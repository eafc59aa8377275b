package peers

import (
	"testing"

	"ems/feed"
	"ems/feed/binance"
)

// emsBook is ems's path: binance.Decoder.Decode (parse, U/u rule, fixed-point book update, level
// events) on a book built from the snapshot.
type emsBook struct {
	d   *binance.Decoder
	out *feed.Batch
	r   *feed.Replica
}

func newEMS(tb testing.TB, s *Stream) *emsBook {
	resolve := func([]byte) (uint32, feed.Scales, bool) {
		return 1, feed.Scales{Price: 8, Qty: 8, Tick: TickText, Known: true}, true
	}
	e := &emsBook{d: binance.New(feed.Config{Venue: 1, Resolve: resolve}), out: feed.NewBatch(256)}
	if err := e.d.LoadSnapshot(Symbol, s.Snapshot, 0, e.out); err != nil {
		tb.Fatal(err)
	}
	e.r = e.d.Books()[0]
	return e
}

func (e *emsBook) apply(tb testing.TB, msg []byte) {
	e.out.Reset()
	n := e.r.Stats.Applied
	if err := e.d.Decode(msg, 1, e.out); err != nil || e.r.Stats.Applied != n+1 {
		tb.Fatalf("ems: not applied: %v", err)
	}
}

// best returns the top of book as price ticks and integer quantities.
func (e *emsBook) best() [4]int {
	bp, bq, _ := e.r.Book().BestBid()
	ap, aq, _ := e.r.Book().BestAsk()
	return [4]int{int(bp / TickText), int(bq / 1e8), int(ap / TickText), int(aq / 1e8)}
}
