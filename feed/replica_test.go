package feed

import (
	"strings"
	"testing"

	"ems/core/book"
	"ems/core/event"
)

func newTestReplica(t *testing.T, cfg ReplicaConfig) *Replica {
	t.Helper()
	r, err := NewReplica(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func set(t *testing.T, r *Replica, side book.Side, px, qty string) {
	t.Helper()
	if err := r.SetText(side, []byte(px), []byte(qty)); err != nil {
		t.Fatal(err)
	}
}

func TestReplicaSnapshotThenDiff(t *testing.T) {
	r := newTestReplica(t, ReplicaConfig{Venue: 1, Instrument: 2, Symbol: "BTCUSDT",
		Scales: Scales{Price: 2, Qty: 8, Tick: 1, Known: true}})
	out := NewBatch(16)
	r.Begin(out, 10, 5, 6)
	r.Snapshot()
	set(t, r, book.Bid, "67123.45", "1.50000000")
	set(t, r, book.Ask, "67123.46", "0.25")
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	evs := out.Events()
	if len(evs) != 3 || evs[2].Kind != event.KindBookStatus || evs[2].BookStatus().State != event.BookLive {
		t.Fatalf("snapshot events: %+v", evs)
	}
	if evs[0].Flags&event.FlagSnapshotBegin == 0 || evs[2].Flags&(event.FlagSnapshotEnd|event.FlagLastInBatch) != event.FlagSnapshotEnd|event.FlagLastInBatch {
		t.Fatalf("snapshot flags: %v %v", evs[0].Flags, evs[2].Flags)
	}
	if l := evs[0].BookLevel(); evs[0].Seq != 10 || evs[0].RecvTS != 6 || l.Price != 6712345 || l.Qty != 150000000 || l.Side != event.SideBuy {
		t.Fatalf("level event: %+v %+v", evs[0], *l)
	}
	out.Reset()
	r.Begin(out, 11, 0, 7)
	set(t, r, book.Bid, "67123.45", "0")
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	if r.Stats.Applied != 2 || r.Book().Len(book.Bid) != 0 || out.Len() != 1 || out.Events()[0].Flags != event.FlagLastInBatch {
		t.Fatalf("after delete: applied %d, bids %d, events %d", r.Stats.Applied, r.Book().Len(book.Bid), out.Len())
	}
}

func TestReplicaGapAndResync(t *testing.T) {
	r := newTestReplica(t, ReplicaConfig{Symbol: "X", Scales: Scales{Price: 1, Qty: 0, Tick: 1, Known: true}})
	out := NewBatch(4)
	r.Begin(out, 1, 0, 0)
	r.Snapshot()
	set(t, r, book.Bid, "1.0", "1")
	r.Commit()
	r.Begin(out, 3, 0, 0)
	r.Gap()
	if r.State() != event.BookInvalid || !r.Book().Empty() || r.Stats.Gaps != 1 {
		t.Fatalf("after gap: state %v, empty %v, gaps %d", r.State(), r.Book().Empty(), r.Stats.Gaps)
	}
	last := out.Events()[out.Len()-1]
	if last.Kind != event.KindBookStatus || last.BookStatus().Reason != event.BookReasonGap {
		t.Fatalf("no invalid status event: %+v", last)
	}
	r.Begin(out, 4, 0, 0)
	r.Drop()
	r.Begin(out, 9, 0, 0)
	r.Snapshot()
	set(t, r, book.Ask, "2.0", "3")
	r.Commit()
	if r.State() != event.BookLive || r.Stats.Resyncs != 1 || r.Stats.Dropped != 1 {
		t.Fatalf("after resync: %v %+v", r.State(), r.Stats)
	}
	r.Begin(out, 10, 0, 0)
	r.Checksum(false)
	r.Checksum(true)
	if r.Stats.ChecksumFailures != 1 || r.Stats.ChecksumsVerified != 1 || r.State() != event.BookInvalid {
		t.Fatalf("checksum: %+v %v", r.Stats, r.State())
	}
}

func TestReplicaInfersAndWidensScales(t *testing.T) {
	r := newTestReplica(t, ReplicaConfig{Symbol: "NKNUSDT"})
	out := NewBatch(4)
	r.Begin(out, 1, 0, 0)
	r.Snapshot()
	set(t, r, book.Bid, "0.35", "9602")
	set(t, r, book.Ask, "0.3531", "152.5")
	set(t, r, book.Ask, "0.36", "1")
	r.Commit()
	if r.PriceScale() != 4 || r.QtyScale() != 1 {
		t.Fatalf("scales %d/%d, want 4/1", r.PriceScale(), r.QtyScale())
	}
	if px, qty, _ := r.Book().BestBid(); px != 3500 || qty != 96020 {
		t.Fatalf("best bid after widening %d x %d", px, qty)
	}
	if l := out.Events()[0].BookLevel(); l.Price != 3500 || l.Qty != 96020 {
		t.Fatalf("event of this message not rescaled: %+v", *l)
	}
	got := string(r.AppendReport(nil, "binance"))
	want := `{"venue":"binance","symbol":"NKNUSDT","messages":0,"applied":1,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["0.35","9602"]],"asks":[["0.3531","152.5"],["0.36","1"]]}`
	if got != want {
		t.Fatalf("report\n got %s\nwant %s", got, want)
	}
}

func TestReplicaErrors(t *testing.T) {
	r := newTestReplica(t, ReplicaConfig{Symbol: "X", Scales: Scales{Price: 2, Qty: 0, Tick: 5, Known: true}})
	if err := r.SetLevel(book.Bid, 5, 1); err != ErrNoMessage {
		t.Fatalf("level outside a message: %v", err)
	}
	out := NewBatch(1)
	r.Begin(out, 1, 0, 0)
	for _, c := range []struct{ px, qty, want string }{
		{"1.234", "1", "more than 2 decimal places"},
		{"1.03", "1", "tick"},
		{"1.05", "-1", "negative"},
		{"abc", "1", "price"},
	} {
		err := r.SetText(book.Bid, []byte(c.px), []byte(c.qty))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetText(%s, %s) = %v, want an error about %q", c.px, c.qty, err, c.want)
		}
	}
}

func TestReplicaTruncatesToDepth(t *testing.T) {
	r := newTestReplica(t, ReplicaConfig{Symbol: "X", Depth: 2, Scales: Scales{Tick: 1, Known: true}})
	out := NewBatch(8)
	r.Begin(out, 1, 0, 0)
	r.Snapshot()
	for _, px := range []string{"10", "9", "8"} {
		set(t, r, book.Bid, px, "1")
	}
	r.Commit()
	if r.Book().Len(book.Bid) != 2 {
		t.Fatalf("bids after truncation: %d", r.Book().Len(book.Bid))
	}
	evs := out.Events()
	if e := evs[3]; e.Kind != event.KindBookLevel || e.BookLevel().Price != 8 || e.BookLevel().Qty != 0 {
		t.Fatalf("no delete event for the truncated level: %+v", evs)
	}
}

func TestAnomalies(t *testing.T) {
	var a Anomalies
	var log strings.Builder
	a.Log = &log
	a.Note("bad json", []byte("{x"), nil)
	a.Note("bad json", []byte("{y"), nil)
	a.Note("unknown event", []byte(strings.Repeat("z", 1000)), nil)
	if a.Total() != 3 || a.Count("bad json") != 2 || strings.Count(log.String(), "\n") != 2 {
		t.Fatalf("anomalies: total %d, log %q", a.Total(), log.String())
	}
	if len(a.kinds[1].sample) != MaxSample {
		t.Fatal("sample not capped")
	}
}

func TestResolverFrom(t *testing.T) {
	r := ResolverFrom(func(symbol []byte) (uint32, uint8, uint8, int64, bool) {
		return 7, 2, 8, 1, string(symbol) == "BTCUSDT"
	})
	if id, s, ok := r([]byte("BTCUSDT")); !ok || id != 7 || s != (Scales{Price: 2, Qty: 8, Tick: 1, Known: true}) {
		t.Fatalf("known symbol: %d %+v %v", id, s, ok)
	}
	if _, s, ok := r([]byte("XYZ")); ok || s.Known {
		t.Fatal("unknown symbol resolved")
	}
}
