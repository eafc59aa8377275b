package binanceusdm

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/fixed"
	"ems/feed"
	"ems/feed/replay"
)

const (
	snapshotFile = "sushiusdt_rest_depth_snapshot.jsonl"
	diffFile     = "sushiusdt_ws_depth_diff.jsonl"
	tickerFile   = "sushiusdt_ws_bookTicker.jsonl"
	aggFile      = "sushiusdt_ws_aggTrade.jsonl"
	tardisFile   = "ws_trade_and_bookTicker_tardis.jsonl"
)

// line is one recorded message with its receive time.
type line struct {
	msg  []byte
	recv int64 // ns
	file string
}

// readLines returns the lines of testdata/name with the receive times of its .recv_ts sidecar
// (or the line number when there is none), as feed/replay reads recordings.
func readLines(t testing.TB, name string) []line {
	t.Helper()
	rec, err := replay.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]line, len(rec))
	for i, l := range rec {
		out[i] = line{msg: l.Msg, recv: l.Recv, file: name}
	}
	return out
}

// byRecv sorts lines by receive time, keeping the order of equal times.
func byRecv(ls []line) []line {
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].recv < ls[j].recv })
	return ls
}

// top is a book's or a bookTicker's best levels as decimal text.
type top struct{ bid, bidQty, ask, askQty string }

func bookTop(r *feed.Replica) top {
	var t top
	if px, q, ok := r.Book().BestBid(); ok {
		t.bid, t.bidQty = dec(px, r.PriceScale()), dec(q, r.QtyScale())
	}
	if px, q, ok := r.Book().BestAsk(); ok {
		t.ask, t.askQty = dec(px, r.PriceScale()), dec(q, r.QtyScale())
	}
	return t
}

func dec(v int64, scale uint8) string { return string(fixed.AppendTrim(nil, v, scale)) }

// ids returns the event type and U, u, pu of a recorded line (envelope or not).
func ids(t testing.TB, msg []byte) (e string, first, last, prev uint64) {
	t.Helper()
	var p fastjson.Parser
	v, err := p.ParseBytes(msg)
	if err != nil {
		t.Fatal(err)
	}
	if d := v.Get("data"); d != nil {
		v = d
	}
	return string(v.GetStringBytes("e")), v.GetUint64("U"), v.GetUint64("u"), v.GetUint64("pu")
}

// snapshotOf renders r's book as a futures REST snapshot body with lastUpdateId last.
func snapshotOf(r *feed.Replica, last uint64) []byte {
	b := fixed.AppendTrim([]byte(`{"lastUpdateId":`), int64(last), 0)
	b = append(b, `,"E":1,"T":1`...)
	for i, side := range []book.Side{book.Bid, book.Ask} {
		if i == 0 {
			b = append(b, `,"bids":[`...)
		} else {
			b = append(b, `],"asks":[`...)
		}
		for j, l := range r.Book().Levels(side, -1, nil) {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `["`...)
			b = fixed.Append(b, l.Price, r.PriceScale())
			b = append(b, `","`...)
			b = fixed.Append(b, l.Qty, r.QtyScale())
			b = append(b, `"]`...)
		}
	}
	return append(b, "]}"...)
}

func newInfer() *Decoder { return New(feed.Config{Venue: 2, InferUnknown: true}) }

// feedLines decodes lines into d (a line of the snapshot file is loaded as the snapshot), failing
// on any error.
func feedLines(t testing.TB, d *Decoder, out *feed.Batch, lines []line) {
	t.Helper()
	for _, l := range lines {
		var err error
		if l.file == snapshotFile {
			err = d.LoadSnapshot("SUSHIUSDT", l.msg, l.recv, out)
		} else {
			err = d.Decode(l.msg, l.recv, out)
		}
		if err != nil {
			t.Fatalf("%.100s: %v", l.msg, err)
		}
	}
}
