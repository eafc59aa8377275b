package bybit

import (
	"testing"

	"ems/core/event"
)

// TestParseAmend: an amend is acknowledged once, with the new price, qty and leaves, by its
// answer or by the order stream's report, whichever comes first; a refused amend is a Reject
// (170213: RejectUnknownOrder) and leaves the order tracked as it was.
func TestParseAmend(t *testing.T) {
	m := testMaster(t)
	spot, _ := listings(t, m)
	p, err := NewParser(ParserConfig{Prefix: "cap", Master: m})
	if err != nil {
		t.Fatal(err)
	}
	track := func(e event.Event) {
		t.Helper()
		if !p.Track(&e) {
			t.Fatal("Track refused")
		}
	}
	amend := func(price, qty int64) event.Event {
		e := event.Event{Kind: event.KindReplace, Instrument: spot.Instrument}
		r := e.Replace()
		r.Order, r.Parent, r.Price, r.Qty = 1, 101, price, qty
		return e
	}
	push := func(price, qty, cum string) string {
		return `{"id":"1","topic":"order","creationTime":1795244508071,"data":[{"orderId":"77","orderLinkId":"capx1",` +
			`"symbol":"BTCUSDT","category":"spot","price":"` + price + `","qty":"` + qty + `","cumExecQty":"` + cum +
			`","orderStatus":"New","updatedTime":"1795244508071"}]}`
	}
	answer := func(reqID string, code int) string {
		return `{"reqId":"` + reqID + `","retCode":` + itoa(code) + `,"retMsg":"x","op":"order.amend","data":{"orderId":"77","orderLinkId":"capx1"}}`
	}
	newOrder := event.Event{Kind: event.KindNewOrder, Instrument: spot.Instrument}
	o := newOrder.Order()
	o.Order, o.Parent, o.Price, o.Qty = 1, 101, 6800000, 100000
	track(newOrder)

	type want struct {
		kind         event.Kind
		price, qty   int64
		leaves, code int64
	}
	steps := []struct {
		name  string
		track *event.Event
		msg   string
		want  []want
	}{
		{"create answer", nil, `{"reqId":"c1.1","retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"77","orderLinkId":"capx1"}}`,
			[]want{{event.KindOrderAck, 6800000, 100000, 100000, 0}}},
		{"create report", nil, push("68000", "0.1", "0"), nil},
		{"amend answer first", ptr(amend(6799000, 200000)), answer("a1.2", 0),
			[]want{{event.KindOrderAck, 6799000, 200000, 200000, 0}}},
		{"its report", nil, push("67990", "0.2", "0"), nil},
		{"amend report first", ptr(amend(6798000, 150000)), push("67980", "0.15", "0.05"),
			[]want{{event.KindOrderAck, 6798000, 150000, 100000, 0}}},
		{"its answer", nil, answer("a1.3", 0), nil},
		{"amend refused", ptr(amend(6797000, 150000)), answer("a1.4", CodeSpotNotExist),
			[]want{{event.KindReject, 0, 0, 0, CodeSpotNotExist}}},
		{"a report of the old state", nil, push("67980", "0.15", "0.05"), nil},
	}
	for _, s := range steps {
		if s.track != nil {
			track(*s.track)
		}
		r, err := p.Parse([]byte(s.msg), 1)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(r.Events) != len(s.want) {
			t.Fatalf("%s: %d events, want %d: %+v", s.name, len(r.Events), len(s.want), r.Events)
		}
		for i, w := range s.want {
			e := &r.Events[i]
			if e.Kind != w.kind {
				t.Fatalf("%s: kind %v, want %v", s.name, e.Kind, w.kind)
			}
			switch e.Kind {
			case event.KindOrderAck:
				if a := e.OrderAck(); a.Order != 1 || a.Price != w.price || a.Qty != w.qty || a.Leaves != w.leaves || a.VenueOrder == 0 {
					t.Fatalf("%s: ack %+v", s.name, *a)
				}
			case event.KindReject:
				if x := e.Reject(); x.Order != 1 || x.Parent != 101 || x.Reason != event.RejectUnknownOrder || x.VenueCode != w.code {
					t.Fatalf("%s: reject %+v", s.name, *x)
				}
			}
		}
	}
	if st := p.orders.get(1); st == nil || st.price != 6798000 || st.qty != 150000 || st.amendQty != 0 {
		t.Fatalf("order state after the refused amend: %+v", st)
	}
}

func ptr(e event.Event) *event.Event { return &e }

func itoa(v int) string { return string(appendInt(nil, v)) }
