package bybit

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"testing"

	"ems/core/event"
	"ems/core/instrument"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// testMaster is the default master with Bybit's spot BTCUSDT on the grid the recordings used
// (tick 0.10, lot 0.00001).
func testMaster(t testing.TB) *instrument.Master {
	t.Helper()
	data, err := os.ReadFile("../../core/instrument/instruments.json")
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"tick": "0.01",
          "lot": "0.000001",
          "min_qty": "0.000048",`), []byte(`"tick": "0.10",
          "lot": "0.00001",
          "min_qty": "0.00005",`), 1)
	m, err := instrument.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// listings returns Bybit's spot and linear BTCUSDT.
func listings(t testing.TB, m *instrument.Master) (spot, perp *instrument.Listing) {
	spot, ok1 := m.LookupIn(instrument.VenueBybit, instrument.SegmentSpot, []byte("BTCUSDT"))
	perp, ok2 := m.LookupIn(instrument.VenueBybit, instrument.SegmentDerivatives, []byte("BTCUSDT"))
	if !ok1 || !ok2 {
		t.Fatal("no Bybit BTCUSDT listings")
	}
	return spot, perp
}

// streamParser returns a parser for prefix "cap" tracking the orders of testdata/stream.jsonl.
func streamParser(t testing.TB) *Parser {
	t.Helper()
	m := testMaster(t)
	spot, perp := listings(t, m)
	p, err := NewParser(ParserConfig{Prefix: "cap", Master: m})
	if err != nil {
		t.Fatal(err)
	}
	for id := event.OrderID(1); id <= 11; id++ {
		l := spot
		if id == 2 || id == 9 {
			l = perp
		}
		e := event.Event{Kind: event.KindNewOrder, Instrument: l.Instrument}
		o := e.Order()
		o.Order, o.Parent, o.Price, o.Qty = id, event.ParentID(100+id), 1, 1
		if !p.Track(&e) {
			t.Fatal("Track refused")
		}
	}
	return p
}

func readLines(t testing.TB, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if len(sc.Bytes()) > 0 {
			out = append(out, append([]byte(nil), sc.Bytes()...))
		}
	}
	return out
}

// TestParseStream runs the recorded stream through a parser and compares its events with
// testdata/stream.golden.
func TestParseStream(t *testing.T) {
	p := streamParser(t)
	var out []byte
	for i, msg := range readLines(t, "testdata/stream.jsonl") {
		r, err := p.Parse(msg, int64(i+1))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		out = append(out, "# line "...)
		out = appendInt(out, i+1)
		out = append(out, " op="...)
		out = appendInt(out, int(r.Op))
		out = append(out, " ok="...)
		if r.OK {
			out = append(out, "true"...)
		} else {
			out = append(out, "false"...)
		}
		out = append(out, " code="...)
		out = appendInt(out, int(r.Code))
		if r.Throttled {
			out = append(out, " throttled"...)
		}
		out = append(out, '\n')
		for j := range r.Events {
			out = event.AppendText(out, &r.Events[j])
			out = append(out, '\n')
		}
	}
	if *update {
		if err := os.WriteFile("testdata/stream.golden", out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/stream.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Fatalf("parser output differs from testdata/stream.golden (run with -update to see):\n%s", out)
	}
	if p.Duplicates != 1 {
		t.Fatalf("Duplicates = %d, want 1 (the repeated execution push)", p.Duplicates)
	}
}

func appendInt(dst []byte, v int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(dst, b[i:]...)
}

// TestParseEvents checks the events that matter field by field.
func TestParseEvents(t *testing.T) {
	p := streamParser(t)
	var all []event.Event
	for i, msg := range readLines(t, "testdata/stream.jsonl") {
		r, err := p.Parse(msg, int64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, r.Events...)
	}
	find := func(k event.Kind, id event.OrderID) []event.Event {
		var out []event.Event
		for _, e := range all {
			var o event.OrderID
			switch k {
			case event.KindOrderAck:
				o = e.OrderAck().Order
			case event.KindFill:
				o = e.Fill().Order
			case event.KindReject:
				o = e.Reject().Order
			case event.KindCancelAck:
				o = e.CancelAck().Order
			}
			if e.Kind == k && o == id {
				out = append(out, e)
			}
		}
		return out
	}
	if a := find(event.KindOrderAck, 1); len(a) != 1 || a[0].OrderAck().VenueOrder == 0 {
		t.Fatalf("acks of 1: %v", a)
	}
	f := find(event.KindFill, 1)
	if len(f) != 1 {
		t.Fatalf("fills of 1: %d", len(f))
	}
	if x := f[0].Fill(); x.Price != 6800050 || x.Qty != 160150 || x.Leaves != 50000 || x.Fee != 1089 ||
		x.TradeID != 2100000000000000003 || x.Liquidity != event.LiquidityTaker || x.FeeAsset == 0 {
		t.Fatalf("fill of 1: %+v", *x)
	}
	if c := find(event.KindCancelAck, 3); len(c) != 1 || c[0].CancelAck().Leaves != 100000 {
		t.Fatalf("cancel acks of 3: %v", c)
	}
	for _, c := range []struct {
		id     event.OrderID
		reason event.RejectReason
		code   int64
		parent event.ParentID
	}{
		// The second cancel of 3 names an order no longer tracked: no parent.
		{3, event.RejectUnknownOrder, CodeSpotNotExist, 0},
		{6, event.RejectFOK, CodeECNoFullFil, 106},
		{7, event.RejectPriceFilter, CodeSpotPriceDec, 107},
		{8, event.RejectMinNotional, CodeSpotAmountMin, 108},
		{9, event.RejectPostOnly, CodeECPostOnly, 109},
		{10, event.RejectRateLimit, CodeTooManyVisits, 110},
		{11, event.RejectUnknownSymbol, CodeSpotSymbol, 111},
	} {
		r := find(event.KindReject, c.id)
		if len(r) != 1 || r[0].Reject().Reason != c.reason || r[0].Reject().VenueCode != c.code ||
			r[0].Reject().Parent != c.parent {
			t.Errorf("rejects of %d: %v, want %v %d", c.id, r, c.reason, c.code)
		}
	}
}

// TestRejectReason covers the code table, including the linear 10001 refinements.
func TestRejectReason(t *testing.T) {
	for _, c := range []struct {
		code int64
		msg  string
		want event.RejectReason
	}{
		{CodeParams, "params error: symbol invalid", event.RejectUnknownSymbol},
		{CodeParams, "params error: price invalid", event.RejectPriceFilter},
		{CodeParams, "params error: Qty invalid", event.RejectQtyFilter},
		{CodeParams, "The number of contracts exceeds minimum limit allowed: too small", event.RejectQtyFilter},
		{CodeParams, "params error: side invalid", event.RejectInvalidRequest},
		{CodeSign, "error sign!", event.RejectAuth},
		{CodeAPIKey, "", event.RejectAuth},
		{CodeTimestamp, "", event.RejectAuth},
		{CodeTooManyVisits, "", event.RejectRateLimit},
		{CodeOrderNotExist, "", event.RejectUnknownOrder},
		{CodeSpotNotExist, "", event.RejectUnknownOrder},
		{CodeLinkIDDup, "", event.RejectDuplicate},
		{CodeSpotLinkIDDup, "", event.RejectDuplicate},
		{CodeMinValue, "", event.RejectMinNotional},
		{CodeSpotAmountMin, "", event.RejectMinNotional},
		{CodeSpotSymbol, "", event.RejectUnknownSymbol},
		{CodeSpotPriceDec, "", event.RejectPriceFilter},
		{CodeSpotQtyDec, "", event.RejectQtyFilter},
		{CodeSpotQtyMin, "", event.RejectQtyFilter},
		{CodeSpotPostOnly, "", event.RejectPostOnly},
		{CodeBalance, "", event.RejectInsufficientFund},
		{CodeServer, "", event.RejectVenueUnavailable},
		{CodeOpNotFound, "", event.RejectInvalidRequest},
		{CodeSpotRejected, "", event.RejectUnknown},
		{999999, "", event.RejectUnknown},
	} {
		if got := RejectReason(c.code, []byte(c.msg)); got != c.want {
			t.Errorf("RejectReason(%d, %q) = %v, want %v", c.code, c.msg, got, c.want)
		}
	}
}

// TestReconcileLists applies the recorded REST answers.
func TestReconcileLists(t *testing.T) {
	p := streamParser(t)
	for i, msg := range readLines(t, "testdata/stream.jsonl") {
		if _, err := p.Parse(msg, int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	body := readLines(t, "testdata/rest_executions.json")[0]
	evs, err := p.ApplyExecList(body, 1)
	if err != nil || len(evs) != 0 {
		t.Fatalf("executions already seen: %d events, %v", len(evs), err)
	}
	q := streamParser(t) // a parser that saw nothing: every execution is new
	evs, err = q.ApplyExecList(body, 1)
	if err != nil || len(evs) == 0 || evs[0].Kind != event.KindFill {
		t.Fatalf("fresh parser: %d events, %v", len(evs), err)
	}
	found := map[event.OrderID]bool{}
	evs, err = q.ApplyOrderList(readLines(t, "testdata/rest_open_orders.json")[0], 1, true, found)
	if err != nil || !found[5] {
		t.Fatalf("open orders: %v %v", found, err)
	}
	if len(evs) == 0 || evs[0].Kind != event.KindOrderAck {
		t.Fatalf("open orders: events %v", evs)
	}
	evs, err = q.ApplyOrderList(readLines(t, "testdata/rest_order_by_link.json")[0], 1, false, found)
	if err != nil || len(evs) != 1 || evs[0].Kind != event.KindReject || evs[0].Reject().Reason != event.RejectFOK {
		t.Fatalf("order by link: %v %v", evs, err)
	}
	q.lost(8, 1)
	if len(q.evs) != 1 || q.evs[0].Reject().Reason != event.RejectVenueUnavailable {
		t.Fatalf("lost: %v", q.evs)
	}
}

// TestParseMalformed: garbage is an error, unknown messages are ignored.
func TestParseMalformed(t *testing.T) {
	p := streamParser(t)
	for _, msg := range []string{``, `[1]`, `{"topic":"order","data":[{"orderLinkId":"capx1","category":"spot","symbol":"BTCUSDT","qty":"x"}]}`,
		`{"topic":"execution","data":[{"orderLinkId":"capx1","category":"spot","symbol":"BTCUSDT"}]}`,
		`{"topic":"execution","data":[{"orderLinkId":"capx1","execId":"1","category":"nope","symbol":"BTCUSDT"}]}`} {
		if _, err := p.Parse([]byte(msg), 1); err == nil {
			t.Errorf("Parse(%q) accepted", msg)
		}
	}
	for _, msg := range []string{`{"topic":"wallet","data":[]}`, `{"op":"unknown"}`,
		`{"topic":"order","data":[{"orderLinkId":"someone-else"}]}`} {
		if r, err := p.Parse([]byte(msg), 1); err != nil || len(r.Events) != 0 {
			t.Errorf("Parse(%q) = %v, %v", msg, r.Events, err)
		}
	}
}
