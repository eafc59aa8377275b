package binanceusdm

import (
	"bytes"
	"errors"
	"testing"

	"ems/core/event"
	"ems/feed"
	"ems/feed/binance"
)

// TestRecordings replays every recording of the venue and checks the acceptance facts of venue
// specs section 2.
func TestRecordings(t *testing.T) {
	sushi := top{bid: "7.612", bidQty: "303", ask: "7.616", askQty: "267"}
	tests := []struct {
		name     string
		files    []string
		snapshot string // "": none; "SUSHIUSDT" or "-" (symbol "") given first; "live": by receive time
		books    int
		messages int64
		applied  int64
		dropped  int64
		requests int
		top      top
		trades   int
		tickers  int
	}{
		{name: "diff/snapshot=symbol", files: []string{diffFile}, snapshot: "SUSHIUSDT",
			books: 1, messages: 255, applied: 252, dropped: 3, top: sushi},
		{name: "diff/snapshot=pending", files: []string{diffFile}, snapshot: "-",
			books: 1, messages: 255, applied: 252, dropped: 3, top: sushi},
		{name: "diff/snapshot=live", files: []string{diffFile}, snapshot: "live",
			books: 1, messages: 255, applied: 252, dropped: 3, requests: 1, top: sushi},
		{name: "diff/snapshot=none", files: []string{diffFile},
			books: 1, messages: 255, dropped: 255, requests: 1},
		{name: "all/snapshot=live", files: []string{diffFile, tickerFile, aggFile}, snapshot: "live",
			books: 1, messages: 255 + 305 + 40, applied: 252, dropped: 3, requests: 1, top: sushi,
			tickers: 305, trades: 40},
		{name: "bookTicker", files: []string{tickerFile}, tickers: 305},
		{name: "aggTrade", files: []string{aggFile}, trades: 40},
		// The INSURANCE_FUND trade is skipped; the one without X (2019) and the MARKET one are
		// trades. No book: nothing to report.
		{name: "tardis", files: []string{tardisFile}, trades: 2, tickers: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newInfer()
			out := feed.NewBatch(4096)
			snap := readLines(t, snapshotFile)[0]
			var lines []line
			for _, f := range tc.files {
				lines = append(lines, readLines(t, f)...)
			}
			switch tc.snapshot {
			case "SUSHIUSDT", "-":
				sym := tc.snapshot
				if sym == "-" {
					sym = ""
				}
				if err := d.LoadSnapshot(sym, snap.msg, snap.recv, out); err != nil {
					t.Fatal(err)
				}
			case "live":
				lines = append(lines, snap)
			}
			lines = byRecv(lines)
			var reqs []feed.Request
			var trades, tickers int
			for _, l := range lines {
				reqs = d.Requests(reqs)
				out.Reset()
				feedLines(t, d, out, []line{l})
				for _, e := range out.Events() {
					switch e.Kind {
					case event.KindTrade:
						trades++
					case event.KindTopOfBook:
						tickers++
					}
				}
			}
			reqs = d.Requests(reqs)
			if len(d.Books()) != tc.books {
				t.Fatalf("books = %d, want %d", len(d.Books()), tc.books)
			}
			if len(reqs) != tc.requests {
				t.Errorf("requests = %d, want %d", len(reqs), tc.requests)
			}
			if trades != tc.trades || tickers != tc.tickers {
				t.Errorf("trades, tickers = %d, %d, want %d, %d", trades, tickers, tc.trades, tc.tickers)
			}
			if d.Anomalies().Total() != 0 {
				var b bytes.Buffer
				d.Anomalies().WriteText(&b)
				t.Errorf("anomalies:\n%s", b.String())
			}
			if tc.books == 0 {
				return
			}
			r := d.Books()[0]
			s := r.Stats
			if s.Messages != tc.messages || s.Applied != tc.applied || s.Dropped != tc.dropped || s.Gaps != 0 || s.Resyncs != 0 {
				t.Errorf("stats %+v, want messages %d applied %d dropped %d", s, tc.messages, tc.applied, tc.dropped)
			}
			if got := bookTop(r); got != tc.top {
				t.Errorf("top %+v, want %+v", got, tc.top)
			}
			if tc.applied > 0 && (r.State() != event.BookLive || r.Book().Crossed()) {
				t.Errorf("state %v crossed %v", r.State(), r.Book().Crossed())
			}
		})
	}
}

// TestChain checks the recording's own facts behind the rule: pu == previous u on every pair,
// U == previous u + 1 on none, and the first applied diff has U == lastUpdateId.
func TestChain(t *testing.T) {
	lines := readLines(t, diffFile)
	var puChained, uChained int
	var prevU uint64
	firstApplied := uint64(0)
	for i, l := range lines {
		_, first, last, prev := ids(t, l.msg)
		if i > 0 {
			if prev == prevU {
				puChained++
			}
			if first == prevU+1 {
				uChained++
			}
		}
		if firstApplied == 0 && last >= 600859605926 {
			firstApplied = first
		}
		prevU = last
	}
	if puChained != 254 || uChained != 0 || firstApplied != 600859605926 {
		t.Errorf("pu chained %d/254, U chained %d/254, first applied U %d", puChained, uChained, firstApplied)
	}
}

// TestBookTickerCrossCheck: each bookTicker whose u equals the u of an applied diff equals the
// top of the book rebuilt up to that diff (venue specs section 2: 12 of them, all equal).
func TestBookTickerCrossCheck(t *testing.T) {
	d := newInfer()
	out := feed.NewBatch(4096)
	snap := readLines(t, snapshotFile)[0]
	if err := d.LoadSnapshot("", snap.msg, snap.recv, out); err != nil {
		t.Fatal(err)
	}
	afterDiff := map[uint64]top{}
	for _, l := range readLines(t, diffFile) {
		applied := int64(0)
		if bs := d.Books(); len(bs) > 0 {
			applied = bs[0].Stats.Applied
		}
		feedLines(t, d, out, []line{l})
		if r := d.Books()[0]; r.Stats.Applied == applied+1 {
			_, _, u, _ := ids(t, l.msg)
			afterDiff[u] = bookTop(r)
		}
	}
	r := d.Books()[0]
	matched := 0
	for _, l := range readLines(t, tickerFile) {
		out.Reset()
		feedLines(t, d, out, []line{l})
		e := &out.Events()[0]
		bk, ok := afterDiff[e.Seq]
		if !ok {
			continue
		}
		matched++
		tb := e.TopOfBook()
		tk := top{dec(tb.BidPrice, r.PriceScale()), dec(tb.BidQty, r.QtyScale()),
			dec(tb.AskPrice, r.PriceScale()), dec(tb.AskQty, r.QtyScale())}
		if tk != bk {
			t.Errorf("u %d: book %+v, bookTicker %+v", e.Seq, bk, tk)
		}
		if want := int64(1626992741012e6); e.ExchTS < want {
			t.Errorf("bookTicker ExchTS %d", e.ExchTS)
		}
	}
	if matched != 12 {
		t.Errorf("%d bookTickers share a u with an applied diff, want 12", matched)
	}
}

// TestGap deletes one diff: the next one's pu no longer matches, the book turns invalid, a
// snapshot is requested; a snapshot taken later (rendered from an unbroken replay) resyncs it to
// the unbroken book.
func TestGap(t *testing.T) {
	const missing, resyncAt = 100, 200
	lines := readLines(t, diffFile)
	snap := readLines(t, snapshotFile)[0]
	out := feed.NewBatch(4096)

	ref := newInfer()
	feedLines(t, ref, out, append([]line{snap}, lines[:resyncAt+1]...))
	_, _, u, _ := ids(t, lines[resyncAt].msg)
	resync := snapshotOf(ref.Books()[0], u)
	feedLines(t, ref, out, lines[resyncAt+1:])

	d := newInfer()
	feedLines(t, d, out, append([]line{snap}, lines[:missing]...))
	r := d.Books()[0]
	out.Reset()
	feedLines(t, d, out, lines[missing+1:missing+2])
	if r.Stats.Gaps != 1 || r.State() != event.BookInvalid || !r.Book().Empty() {
		t.Fatalf("after the gap: stats %+v state %v", r.Stats, r.State())
	}
	found := false
	for _, e := range out.Events() {
		if e.Kind == event.KindBookStatus {
			s := e.BookStatus()
			found = s.State == event.BookInvalid && s.Reason == event.BookReasonGap
		}
	}
	if !found {
		t.Error("no invalid/gap status event")
	}
	if reqs := d.Requests(nil); len(reqs) != 1 || reqs[0].Kind != feed.RequestSnapshot || reqs[0].Replica != r {
		t.Fatalf("requests %+v", reqs)
	}
	feedLines(t, d, out, lines[missing+2:resyncAt+3])
	if err := d.LoadSnapshot("SUSHIUSDT", resync, 0, out); err != nil {
		t.Fatal(err)
	}
	if r.Stats.Resyncs != 1 || r.State() != event.BookLive {
		t.Fatalf("after the new snapshot: stats %+v state %v", r.Stats, r.State())
	}
	feedLines(t, d, out, lines[resyncAt+3:])
	if got, want := bookTop(r), bookTop(ref.Books()[0]); got != want {
		t.Errorf("top %+v, want %+v", got, want)
	}
	if s := r.Stats; s.Applied+s.Dropped != int64(len(lines)-1) {
		t.Errorf("stats %+v", s)
	}
}

// TestForeign: the spot decoder refuses futures diffs and this one refuses spot diffs, so a
// replay given the wrong venue says so.
func TestForeign(t *testing.T) {
	spotDiff := []byte(`{"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate","E":1633998512568,"s":"NKNUSDT","U":499869753,"u":499869754,"b":[["0.35170000","4265.00000000"]],"a":[]}}`)
	if err := newInfer().Decode(spotDiff, 1, feed.NewBatch(8)); !errors.Is(err, feed.ErrForeign) {
		t.Errorf("spot diff: %v, want ErrForeign", err)
	}
	futDiff := readLines(t, diffFile)[0].msg
	if err := binance.New(feed.Config{InferUnknown: true}).Decode(futDiff, 1, feed.NewBatch(8)); !errors.Is(err, feed.ErrForeign) {
		t.Errorf("futures diff in the spot decoder: %v, want ErrForeign", err)
	}
}

func TestRule(t *testing.T) {
	const L = 600859605926
	fresh := binance.Position{Snapshot: L, Last: L, Fresh: true}
	live := binance.Position{Snapshot: L, Last: L + 100}
	tests := []struct {
		name     string
		pos      binance.Position
		U, u, pu uint64
		want     binance.Verdict
	}{
		{"first/older", fresh, L - 3000, L - 1, L - 4000, binance.Drop},
		{"first/u=L", fresh, L - 10, L, L - 20, binance.Apply}, // the edge case seen in real data
		{"first/U=L", fresh, L, L + 1497, L - 1102, binance.Apply},
		{"first/U<L<u", fresh, L - 5, L + 5, L - 9, binance.Apply},
		{"first/U>L", fresh, L + 1, L + 5, L, binance.Gap},
		{"next/chained", live, L + 250, L + 300, L + 100, binance.Apply},
		{"next/U-not-u+1", live, L + 101, L + 300, L + 100, binance.Apply},
		{"next/broken", live, L + 101, L + 300, L + 99, binance.Gap},
		{"next/repeat", live, L + 50, L + 100, L + 40, binance.Gap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := binance.Header{First: tc.U, Last: tc.u, Prev: tc.pu, HasPrev: true}
			if got := (Rule{}).Check(tc.pos, h); got != tc.want {
				t.Errorf("Check = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSubscribe(t *testing.T) {
	got := string(AppendSubscribe(nil, 7, "SUSHIUSDT"))
	want := `{"method":"SUBSCRIBE","params":["sushiusdt@depth@100ms","sushiusdt@bookTicker","sushiusdt@aggTrade"],"id":7}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := string(AppendSnapshotPath(nil, "sushiusdt", 0)); got != "/fapi/v1/depth?symbol=SUSHIUSDT&limit=1000" {
		t.Errorf("snapshot path %s", got)
	}
}
