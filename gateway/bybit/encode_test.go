package bybit

import (
	"errors"
	"testing"

	"ems/core/event"
	"ems/core/instrument"
)

func newOrderEvent(l *instrument.Listing, id event.OrderID, side event.Side, price, qty int64) event.Event {
	e := event.Event{Kind: event.KindNewOrder, Venue: instrument.VenueBybit, Instrument: l.Instrument}
	o := e.Order()
	o.Order, o.Side, o.Price, o.Qty = id, side, price, qty
	return e
}

func TestAppendRequest(t *testing.T) {
	m := testMaster(t)
	spot, perp := listings(t, m)
	enc, err := NewEncoder("e7k2", m, 0)
	if err != nil {
		t.Fatal(err)
	}
	post := newOrderEvent(spot, 42, event.SideBuy, 6800010, 30_000)
	post.Order().PostOnly = true
	ioc := newOrderEvent(perp, 43, event.SideSell, 680005, 1)
	ioc.Order().TIF = event.TIFIOC
	fok := newOrderEvent(perp, 44, event.SideSell, 680000, 1500)
	fok.Order().TIF = event.TIFFOK
	mkt := newOrderEvent(spot, 45, event.SideSell, 0, 1_000_000)
	mkt.Order().Type = event.OrderMarket
	lmkt := newOrderEvent(perp, 46, event.SideBuy, 0, 2)
	lmkt.Order().Type = event.OrderMarket
	cxl := event.Event{Kind: event.KindCancel, Instrument: spot.Instrument}
	cxl.Cancel().Order = 42
	amend := event.Event{Kind: event.KindReplace, Instrument: perp.Instrument}
	r := amend.Replace()
	r.Order, r.Price, r.Qty, r.NewOrder = 43, 679995, 2, 99
	for _, c := range []struct {
		name string
		e    event.Event
		want string
	}{
		{"post-only spot", post, `{"reqId":"c42.7",` + `"header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.create","args":[` +
			`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.03","price":"68000.1","timeInForce":"PostOnly","orderLinkId":"e7k2x42"}]}`},
		{"ioc linear", ioc, `{"reqId":"c43.7",` + `"header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.create","args":[` +
			`{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.001","price":"68000.5","timeInForce":"IOC","orderLinkId":"e7k2x43"}]}`},
		{"fok linear", fok, `{"reqId":"c44.7",` + `"header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.create","args":[` +
			`{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"1.5","price":"68000","timeInForce":"FOK","orderLinkId":"e7k2x44"}]}`},
		{"market spot", mkt, `{"reqId":"c45.7",` + `"header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.create","args":[` +
			`{"category":"spot","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"1","marketUnit":"baseCoin","orderLinkId":"e7k2x45"}]}`},
		{"market linear", lmkt, `{"reqId":"c46.7",` + `"header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.create","args":[` +
			`{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"0.002","orderLinkId":"e7k2x46"}]}`},
		{"cancel", cxl, `{"reqId":"x42.7",` + `"header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.cancel","args":[` +
			`{"category":"spot","symbol":"BTCUSDT","orderLinkId":"e7k2x42"}]}`},
		{"amend", amend, `{"reqId":"a43.7",` + `"header":{"X-BAPI-TIMESTAMP":"1709251200000","X-BAPI-RECV-WINDOW":"5000"},"op":"order.amend","args":[` +
			`{"category":"linear","symbol":"BTCUSDT","orderLinkId":"e7k2x43","qty":"0.002","price":"67999.5"}]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := enc.AppendRequest([]byte("x"), &c.e, 7, 1709251200000)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "x"+c.want {
				t.Fatalf("got  %s\nwant %s", got[1:], c.want)
			}
		})
	}
}

func TestAppendRequestErrors(t *testing.T) {
	m := testMaster(t)
	spot, _ := listings(t, m)
	enc, _ := NewEncoder("e7k2", m, 5000)
	noSide := newOrderEvent(spot, 1, event.SideNone, 100, 100)
	badRepl := event.Event{Kind: event.KindReplace, Instrument: spot.Instrument}
	badRepl.Replace().Qty = 5
	unknown := newOrderEvent(spot, 1, event.SideBuy, 100, 100)
	unknown.Instrument = 60000
	for _, c := range []struct {
		name string
		e    event.Event
		want error
	}{
		{"kind", event.Event{Kind: event.KindFill, Instrument: spot.Instrument}, ErrKind},
		{"instrument", unknown, ErrInstrument},
		{"qty", newOrderEvent(spot, 1, event.SideBuy, 100, 0), ErrQty},
		{"price", newOrderEvent(spot, 1, event.SideBuy, 0, 100), ErrPrice},
		{"side", noSide, ErrSide},
		{"replace price", badRepl, ErrPrice},
	} {
		dst := []byte("keep")
		got, err := enc.AppendRequest(dst, &c.e, 1, 1)
		if !errors.Is(err, c.want) || string(got) != "keep" {
			t.Errorf("%s: %q, %v; want dst unchanged and %v", c.name, got, err, c.want)
		}
	}
	if _, err := NewEncoder("Bad-Prefix", m, 0); err == nil {
		t.Error("bad prefix accepted")
	}
}

func TestReqID(t *testing.T) {
	for _, c := range []struct {
		op  byte
		id  event.OrderID
		seq uint64
	}{{reqCreate, 0, 0}, {reqCancel, 42, 7}, {reqAmend, ^event.OrderID(0), ^uint64(0)}} {
		b := appendReqID(nil, c.op, c.id, c.seq)
		op, id, ok := parseReqID(b)
		if !ok || op != c.op || id != c.id {
			t.Errorf("%s: %c %d %v", b, op, id, ok)
		}
	}
	for _, bad := range []string{"", "auth", "c", "c1", "c1.", "q1.1", "c.1", "c1a.1", "c18446744073709551616.1"} {
		if _, _, ok := parseReqID([]byte(bad)); ok {
			t.Errorf("parseReqID(%q) accepted", bad)
		}
	}
}

func TestAppendAuth(t *testing.T) {
	s := NewSigner(guideKey, []byte(guideSecret))
	got := string(AppendAuth(nil, s, 1662350400000))
	want := `{"op":"auth","args":["XXXXXXXXXX",1662350400000,"9f96338b434359fa6300c2d0040ffe25962cbc700dac649bfc7c59ef64431f89"]}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
