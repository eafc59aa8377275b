package okx

import (
	"testing"

	"ems/core/event"
	"ems/gateway"
)

// TestParseAmend: amend answers and pushes → events: a refused amend is a Reject that keeps the
// order tracked; a push with amendResult "0" acknowledges the order again with its new price,
// size and leaves; amendResult "-1" and a successful answer add nothing.
func TestParseAmend(t *testing.T) {
	p := newTestParser(t)
	cl := string(gateway.AppendClientOrderID(nil, "t1", 5))
	push := func(px, sz, acc, state, amend string) []byte {
		return []byte(`{"arg":{"channel":"orders","instType":"SPOT","uid":"1"},"data":[{"instId":"BTC-USDT",` +
			`"ordId":"600000000000000500","clOrdId":"` + cl + `","px":"` + px + `","sz":"` + sz + `","accFillSz":"` + acc +
			`","fillSz":"0","tradeId":"","state":"` + state + `","cancelSource":"","amendResult":"` + amend + `","uTime":"1700000000000"}]}`)
	}
	answer := func(sCode, code string) []byte {
		return []byte(`{"id":"a5","op":"amend-order","data":[{"clOrdId":"` + cl + `","ordId":"600000000000000500",` +
			`"ts":"1700000000000","reqId":"","sCode":"` + sCode + `","sMsg":""}],"code":"` + code + `","msg":"","inTime":"1","outTime":"2"}`)
	}
	mk, ok := p.mk.bySymbol([]byte("BTC-USDT"))
	if !ok {
		t.Fatal("no BTC-USDT listing")
	}
	p.Track(5, mk.inst)
	tests := []struct {
		name string
		msg  []byte
		want []event.Event // Kind and payload checked
	}{
		{"first push", push("68000.1", "0.002", "0", "live", ""), []event.Event{ack(5, 680001, 200_000, 200_000)}},
		{"amend answer ok", answer("0", "0"), nil},
		{"amend push", push("67990.0", "0.003", "0.001", "partially_filled", "0"), []event.Event{ack(5, 679900, 300_000, 200_000)}},
		{"amend failed push", push("67990.0", "0.003", "0.001", "partially_filled", "-1"), nil},
		{"amend refused", answer("51503", "1"), []event.Event{rej(5, 51503, event.RejectUnknownOrder)}},
		{"amend of a canceled order", answer("51509", "1"), []event.Event{rej(5, 51509, event.RejectUnknownOrder)}},
		{"amend off lot", answer("51121", "1"), []event.Event{rej(5, 51121, event.RejectQtyFilter)}},
	}
	for _, tt := range tests {
		evs, _, err := p.Parse(tt.msg, 1)
		if err != nil || len(evs) != len(tt.want) {
			t.Fatalf("%s: %v, %d events, want %d", tt.name, err, len(evs), len(tt.want))
		}
		for i := range evs {
			w := &tt.want[i]
			switch {
			case evs[i].Kind != w.Kind:
				t.Fatalf("%s: kind %v, want %v", tt.name, evs[i].Kind, w.Kind)
			case w.Kind == event.KindOrderAck:
				g, x := *evs[i].OrderAck(), *w.OrderAck()
				g.VenueOrder = 0
				if g != x {
					t.Fatalf("%s: ack %+v, want %+v", tt.name, g, x)
				}
			case w.Kind == event.KindReject:
				if *evs[i].Reject() != *w.Reject() {
					t.Fatalf("%s: reject %+v, want %+v", tt.name, *evs[i].Reject(), *w.Reject())
				}
			}
		}
	}
	if p.Live() != 1 {
		t.Fatalf("live %d after refused amends, want 1", p.Live())
	}
}

func ack(id event.OrderID, px, qty, leaves int64) event.Event {
	e := event.Event{Kind: event.KindOrderAck}
	*e.OrderAck() = event.OrderAck{Order: id, Price: px, Qty: qty, Leaves: leaves}
	return e
}

func rej(id event.OrderID, code int64, r event.RejectReason) event.Event {
	e := event.Event{Kind: event.KindReject}
	*e.Reject() = event.Reject{Order: id, VenueCode: code, Reason: r}
	return e
}
