package binance

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
	snapshotFile = "nknusdt_rest_depth_snapshot.jsonl"
	diffFile     = "nknusdt_ws_depth_diff.jsonl"
	allFile      = "nknusdt_ws_all_streams_arrival_order.jsonl"
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

// merge returns the lines of several files in receive-time order (stable).
func merge(t testing.TB, names ...string) []line {
	var all []line
	for _, n := range names {
		all = append(all, readLines(t, n)...)
	}
	return byRecv(all)
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

// updateID returns the "u" of a recorded depthUpdate or bookTicker line (envelope or not).
func updateID(t testing.TB, msg []byte) (e string, u uint64) {
	t.Helper()
	var p fastjson.Parser
	v, err := p.ParseBytes(msg)
	if err != nil {
		t.Fatal(err)
	}
	if d := v.Get("data"); d != nil {
		v = d
	}
	return string(v.GetStringBytes("e")), v.GetUint64("u")
}

// snapshotOf renders r's book as a REST snapshot body with lastUpdateId last.
func snapshotOf(r *feed.Replica, last uint64) []byte {
	var b []byte
	b = append(b, `{"lastUpdateId":`...)
	b = fmtUint(b, last)
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

func fmtUint(b []byte, v uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

// sameBook reports whether two replicas hold the same levels (at their own scales).
func sameBook(t testing.TB, a, b *feed.Replica) {
	t.Helper()
	for _, side := range []book.Side{book.Bid, book.Ask} {
		la, lb := a.Book().Levels(side, -1, nil), b.Book().Levels(side, -1, nil)
		if len(la) != len(lb) {
			t.Fatalf("%v: %d levels, want %d", side, len(la), len(lb))
		}
		for i := range la {
			pa, qa := dec(la[i].Price, a.PriceScale()), dec(la[i].Qty, a.QtyScale())
			pb, qb := dec(lb[i].Price, b.PriceScale()), dec(lb[i].Qty, b.QtyScale())
			if pa != pb || qa != qb {
				t.Fatalf("%v level %d: %s x %s, want %s x %s", side, i, pa, qa, pb, qb)
			}
		}
	}
}

func newInfer() *Decoder { return New(feed.Config{Venue: 1, InferUnknown: true}) }
