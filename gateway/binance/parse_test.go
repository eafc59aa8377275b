package binance

import (
	"strings"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
)

func testParser(t testing.TB, ms *Markets) *Parser {
	t.Helper()
	p, err := NewParser(ms, ParserConfig{Prefix: testPrefix, OrderIDs: 1024, TradeWindow: 64})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParseRealResponses: the documentation's order.place answers.
func TestParseRealResponses(t *testing.T) {
	p := testParser(t, NewMarkets(testMaster(t)))
	msgs := realMessages(t)
	for _, line := range msgs[:2] {
		out, kind, err := p.Parse([]byte(line), 1, nil)
		if err != nil || kind != MsgResponse || len(out) != 0 {
			t.Fatalf("%v %v %v", out, kind, err)
		}
		r := p.Response()
		if r.HasID || r.Status != 200 || r.Code != 0 || r.NLimits != 3 || r.SubscriptionID != -1 {
			t.Fatalf("%+v", *r) // the example's id is a UUID string: not one of the session's
		}
		want := []RateLimit{
			{RateLimitOrders, int64(10 * time.Second), 50, 1},
			{RateLimitOrders, int64(24 * time.Hour), 160000, 1},
			{RateLimitRequestWeight, int64(time.Minute), 6000, 1},
		}
		for i, w := range want {
			if r.Limits[i] != w {
				t.Errorf("limit %d = %+v, want %+v", i, r.Limits[i], w)
			}
		}
	}
}

func TestParseResponses(t *testing.T) {
	p := testParser(t, NewMarkets(testMaster(t)))
	cases := []struct {
		name string
		msg  string
		want Response
	}{
		{"filter", `{"id":7,"status":400,"error":{"code":-1013,"msg":"Filter failure: LOT_SIZE"},"rateLimits":[]}`,
			Response{ID: 7, HasID: true, Status: 400, Code: -1013, Msg: []byte("Filter failure: LOT_SIZE"), SubscriptionID: -1}},
		{"throttled", `{"id":8,"status":429,"error":{"code":-1015,"msg":"Too many new orders","data":{"serverTime":1000,"retryAfter":2000}}}`,
			Response{ID: 8, HasID: true, Status: 429, Code: -1015, Msg: []byte("Too many new orders"), RetryAfterMs: 2000, SubscriptionID: -1}},
		{"subscribed", `{"id":1,"status":200,"result":{"subscriptionId":0},"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":4}]}`,
			Response{ID: 1, HasID: true, Status: 200, SubscriptionID: 0, NLimits: 1,
				Limits: [maxRateLimits]RateLimit{{RateLimitRequestWeight, int64(time.Minute), 6000, 4}}}},
		{"null id", `{"id":null,"status":400,"error":{"code":-1135,"msg":"Invalid JSON Request"}}`,
			Response{Status: 400, Code: -1135, Msg: []byte("Invalid JSON Request"), SubscriptionID: -1}},
	}
	for _, c := range cases {
		_, kind, err := p.Parse([]byte(c.msg), 1, nil)
		if err != nil || kind != MsgResponse {
			t.Fatalf("%s: %v %v", c.name, kind, err)
		}
		r := *p.Response()
		if r.ID != c.want.ID || r.HasID != c.want.HasID || r.Status != c.want.Status || r.Code != c.want.Code ||
			string(r.Msg) != string(c.want.Msg) || r.RetryAfterMs != c.want.RetryAfterMs ||
			r.SubscriptionID != c.want.SubscriptionID || r.NLimits != c.want.NLimits || r.Limits != c.want.Limits {
			t.Errorf("%s: %+v, want %+v", c.name, r, c.want)
		}
	}
}

// TestParseRealReports: the captured executionReports. Their client ids belong to other
// systems (no event, counted as foreign); with a session id substituted they become events.
func TestParseRealReports(t *testing.T) {
	ms := NewMarkets(fineMaster(t))
	p := testParser(t, ms)
	msgs := realMessages(t)
	for _, line := range msgs[3:] {
		out, kind, err := p.Parse([]byte(line), 1, nil)
		if err != nil || kind != MsgExecReport || len(out) != 0 {
			t.Fatalf("%s: %v %v %v", line, out, kind, err)
		}
	}
	if p.Foreign != 2 {
		t.Fatalf("foreign %d", p.Foreign)
	}
	mine := func(line, id string) []byte {
		i := strings.Index(line, `"c":"`) + 5
		j := i + strings.IndexByte(line[i:], '"')
		return []byte(line[:i] + id + line[j:])
	}
	btc := btcMarket(t, ms).Listing.Instrument

	out, _, err := p.Parse(mine(msgs[3], "txx5"), 99, nil)
	if err != nil || len(out) != 1 || out[0].Kind != event.KindOrderAck {
		t.Fatalf("NEW: %v %v", out, err)
	}
	if a := out[0].OrderAck(); *a != (event.OrderAck{Order: 5, VenueOrder: a.VenueOrder, Price: 5278910, Qty: 284, Leaves: 284}) ||
		string(p.VenueOrder(a.VenueOrder)) != "5340845958" {
		t.Errorf("ack %+v", *a)
	}
	if h := out[0]; h.Venue != instrument.VenueBinance || h.Instrument != btc || h.ExchTS != 1616627567900*1e6 || h.RecvTS != 99 {
		t.Errorf("header %+v", h)
	}

	trade := mine(msgs[4], "txx6")
	out, _, err = p.Parse(trade, 1, nil)
	if err != nil || len(out) != 1 || out[0].Kind != event.KindFill {
		t.Fatalf("TRADE: %v %v", out, err)
	}
	f := out[0].Fill()
	want := event.Fill{Order: 6, VenueOrder: f.VenueOrder, Price: 5243685, Qty: 286, Fee: 0, TradeID: 726946523,
		Leaves: 0, Liquidity: event.LiquidityTaker, FeeAsset: f.FeeAsset}
	if *f != want || string(p.Asset(f.FeeAsset)) != "BTC" {
		t.Errorf("fill %+v, want %+v", *f, want) // 0.00000029 BTC truncates to 0 at scale 6
	}
	out, _, _ = p.Parse(trade, 1, nil)
	if len(out) != 0 || p.Duplicates != 1 {
		t.Errorf("repeated fill not dropped: %v", out)
	}
}

// report builds a simulator-shaped executionReport.
func report(x, status, c, orig, q, z, l, L, n, N, tid string, maker bool) string {
	m := "false"
	if maker {
		m = "true"
	}
	return `{"subscriptionId":0,"event":{"e":"executionReport","E":1735689600000,"s":"BTCUSDT","c":"` + c +
		`","S":"SELL","o":"LIMIT","f":"GTC","q":"` + q + `","p":"68000.00","P":"0.00000000","F":"0.00000000","g":-1,"C":"` + orig +
		`","x":"` + x + `","X":"` + status + `","r":"NONE","i":77,"l":"` + l + `","z":"` + z + `","L":"` + L +
		`","n":"` + n + `","N":` + N + `,"T":1735689600000,"t":` + tid + `,"I":1,"w":true,"m":` + m + `,"M":false}}`
}

func TestParseReports(t *testing.T) {
	ms := NewMarkets(testMaster(t))
	p := testParser(t, ms)
	cases := []struct {
		name  string
		msg   string
		kind  event.Kind
		check func(e *event.Event) bool
	}{
		{"new", report("NEW", "NEW", "txx1", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false), event.KindOrderAck,
			func(e *event.Event) bool {
				a := e.OrderAck()
				return a.Order == 1 && a.Price == 6800000 && a.Qty == 1000 && a.Leaves == 1000
			}},
		{"partial maker fill, quote fee", report("TRADE", "PARTIALLY_FILLED", "txx1", "", "0.01000", "0.00400", "0.00400", "68000.00", "0.27200000", `"USDT"`, "11", true), event.KindFill,
			func(e *event.Event) bool {
				f := e.Fill()
				return f.Qty == 400 && f.Leaves == 600 && f.Fee == 27 && f.Liquidity == event.LiquidityMaker && f.TradeID == 11
			}},
		{"cancel by new id", report("CANCELED", "CANCELED", "cancel-9", "txx1", "0.01000", "0.00400", "0.00000", "0.00", "0", "null", "-1", false), event.KindCancelAck,
			func(e *event.Event) bool { return e.CancelAck().Order == 1 && e.CancelAck().Leaves == 600 }},
		{"ioc expired", report("EXPIRED", "EXPIRED", "txx2", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false), event.KindCancelAck,
			func(e *event.Event) bool { return e.CancelAck().Order == 2 && e.CancelAck().Leaves == 1000 }},
		{"stp expiry", report("TRADE_PREVENTION", "EXPIRED", "txx3", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false), event.KindCancelAck,
			func(e *event.Event) bool { return e.CancelAck().Order == 3 }},
		{"rejected", report("REJECTED", "REJECTED", "txx4", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false), event.KindReject,
			func(e *event.Event) bool { return e.Reject().Order == 4 }},
		{"replaced", report("REPLACED", "NEW", "txx5", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false), event.KindNone, nil},
		{"foreign", report("NEW", "NEW", "web_abc", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false), event.KindNone, nil},
	}
	for _, c := range cases {
		out, kind, err := p.Parse([]byte(c.msg), 1, nil)
		if err != nil || kind != MsgExecReport {
			t.Fatalf("%s: %v %v", c.name, kind, err)
		}
		if c.kind == event.KindNone {
			if len(out) != 0 {
				t.Errorf("%s: %v", c.name, out)
			}
			continue
		}
		if len(out) != 1 || out[0].Kind != c.kind || !c.check(&out[0]) {
			t.Errorf("%s: %+v", c.name, out)
		}
	}
}

func TestParseMalformed(t *testing.T) {
	p := testParser(t, NewMarkets(testMaster(t)))
	bad := []string{
		``, `[]`, `{"subscriptionId":0,"event":{"e":"executionReport","s":"NOPE"}}`,
		report("NEW", "NEW", "txx1", "", "0.0100001", "0", "0", "0", "0", "null", "-1", false), // qty finer than the lot
		report("TRADE", "FILLED", "txx1", "", "0.01000", "0.01000", "x", "0", "0", "null", "5", false),
		report("TRADE", "FILLED", "txx1", "", "0.01000", "0.01000", "0.01000", "1.00", "0", "null", "-1", false), // no trade id
	}
	for _, b := range bad {
		out, _, err := p.Parse([]byte(b), 1, nil)
		if err == nil || len(out) != 0 {
			t.Errorf("%q: %v %v", b, out, err)
		}
	}
	for _, other := range []string{`{"subscriptionId":0,"event":{"e":"outboundAccountPosition"}}`, `{"result":null}`} {
		if out, kind, err := p.Parse([]byte(other), 1, nil); err != nil || kind != MsgOther || len(out) != 0 {
			t.Errorf("%q: %v %v %v", other, out, kind, err)
		}
	}
}

func TestParseTrunc(t *testing.T) {
	cases := []struct {
		in    string
		scale uint8
		want  int64
	}{
		{"0.00000029", 6, 0}, {"0.27200000", 2, 27}, {"1.99", 0, 1}, {"5", 2, 500}, {"0.123", 3, 123},
	}
	for _, c := range cases {
		if got, err := parseTrunc([]byte(c.in), c.scale); err != nil || got != c.want {
			t.Errorf("parseTrunc(%q, %d) = %d, %v; want %d", c.in, c.scale, got, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, l := range realMessages(f) {
		f.Add([]byte(l))
	}
	f.Add([]byte(report("TRADE", "FILLED", "txx1", "", "0.01000", "0.01000", "0.01000", "68000.00", "0.1", `"USDT"`, "5", true)))
	p := testParser(f, NewMarkets(testMaster(f)))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, _, _ := p.Parse(b, 1, nil)
		if len(out) > 1 {
			t.Fatalf("%d events from one message", len(out))
		}
	})
}
