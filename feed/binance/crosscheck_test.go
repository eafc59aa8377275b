package binance

import (
	"testing"

	"ems/core/event"
	"ems/feed"
)

// TestBookTickerCrossCheck replays every NKNUSDT stream in arrival order after the REST snapshot:
// each bookTicker whose u equals the u of an applied diff must equal the top of the book rebuilt
// up to that diff (venue specs section 1.2: 19 such bookTickers, all equal).
func TestBookTickerCrossCheck(t *testing.T) {
	d := newInfer()
	out := feed.NewBatch(4096)
	snap := readLines(t, snapshotFile)[0]
	if err := d.LoadSnapshot("", snap.msg, snap.recv, out); err != nil {
		t.Fatal(err)
	}
	afterDiff := map[uint64]top{} // u of each applied diff -> top of book after it
	tickers := map[uint64]top{}   // u of each bookTicker -> its levels
	for _, l := range readLines(t, allFile) {
		out.Reset()
		applied := int64(0)
		if bs := d.Books(); len(bs) > 0 {
			applied = bs[0].Stats.Applied
		}
		if err := d.Decode(l.msg, l.recv, out); err != nil {
			t.Fatal(err)
		}
		r := d.Books()[0]
		kind, u := updateID(t, l.msg)
		if kind == "depthUpdate" && r.Stats.Applied == applied+1 {
			afterDiff[u] = bookTop(r)
		}
		for _, e := range out.Events() {
			if e.Kind != event.KindTopOfBook {
				continue
			}
			tb := e.TopOfBook()
			tickers[e.Seq] = top{
				bid: dec(tb.BidPrice, r.PriceScale()), bidQty: dec(tb.BidQty, r.QtyScale()),
				ask: dec(tb.AskPrice, r.PriceScale()), askQty: dec(tb.AskQty, r.QtyScale()),
			}
		}
	}
	matched := 0
	for u, tk := range tickers {
		bk, ok := afterDiff[u]
		if !ok {
			continue
		}
		matched++
		if bk != tk {
			t.Errorf("u %d: book %+v, bookTicker %+v", u, bk, tk)
		}
	}
	if matched != 19 {
		t.Errorf("%d bookTickers share a u with an applied diff, want 19", matched)
	}
}
