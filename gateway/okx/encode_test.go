package okx

import (
	"errors"
	"testing"

	"ems/core/event"
	"ems/core/instrument"
)

func newTestEncoder(t testing.TB) (*Encoder, *instrument.Master) {
	t.Helper()
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEncoder("e7k2", m)
	if err != nil {
		t.Fatal(err)
	}
	return e, m
}

func newOrderEvent(inst event.InstrumentID, o event.Order) event.Event {
	e := event.Event{Kind: event.KindNewOrder, Instrument: inst}
	*e.Order() = o
	return e
}

func instByName(t testing.TB, m *instrument.Master, name string) event.InstrumentID {
	t.Helper()
	in, ok := m.ByName(name)
	if !ok {
		t.Fatalf("no instrument %s", name)
	}
	return in.ID
}

func TestEncode(t *testing.T) {
	enc, m := newTestEncoder(t)
	btc := instByName(t, m, "BTC-USDT")
	perp := instByName(t, m, "BTC-USDT-PERP")
	cancel := event.Event{Kind: event.KindCancel, Instrument: btc}
	*cancel.Cancel() = event.Cancel{Order: 43}
	amend := event.Event{Kind: event.KindReplace, Instrument: btc}
	*amend.Replace() = event.Replace{Order: 44, Price: 679900, Qty: 200_000, NewOrder: 45}
	amendSz := event.Event{Kind: event.KindReplace, Instrument: btc}
	*amendSz.Replace() = event.Replace{Order: 44, Qty: 150_000}
	tests := []struct {
		name string
		ev   event.Event
		want string
	}{
		{"limit", newOrderEvent(btc, event.Order{Order: 42, Price: 680001, Qty: 100_000, Side: event.SideBuy}),
			`{"id":"n42","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.00100000","px":"68000.1","clOrdId":"e7k2x42"}]}`},
		{"post-only", newOrderEvent(btc, event.Order{Order: 1, Price: 680001, Qty: 1000, Side: event.SideSell, PostOnly: true}),
			`{"id":"n1","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"sell","ordType":"post_only","sz":"0.00001000","px":"68000.1","clOrdId":"e7k2x1"}]}`},
		{"ioc", newOrderEvent(btc, event.Order{Order: 2, Price: 5, Qty: 1, TIF: event.TIFIOC}),
			`{"id":"n2","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"ioc","sz":"0.00000001","px":"0.5","clOrdId":"e7k2x2"}]}`},
		{"fok", newOrderEvent(btc, event.Order{Order: 3, Price: 5, Qty: 1, TIF: event.TIFFOK}),
			`{"id":"n3","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"fok","sz":"0.00000001","px":"0.5","clOrdId":"e7k2x3"}]}`},
		{"spot-market", newOrderEvent(btc, event.Order{Order: 4, Qty: 200_000, Side: event.SideSell, Type: event.OrderMarket}),
			`{"id":"n4","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"sell","ordType":"market","sz":"0.00200000","tgtCcy":"base_ccy","clOrdId":"e7k2x4"}]}`},
		{"swap-limit", newOrderEvent(perp, event.Order{Order: 5, Price: 680001, Qty: 100, Side: event.SideBuy}),
			`{"id":"n5","op":"order","args":[{"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"limit","sz":"1.00","px":"68000.1","clOrdId":"e7k2x5"}]}`},
		{"cancel", cancel, `{"id":"c43","op":"cancel-order","args":[{"instId":"BTC-USDT","clOrdId":"e7k2x43"}]}`},
		{"amend", amend, `{"id":"a44","op":"amend-order","args":[{"instId":"BTC-USDT","clOrdId":"e7k2x44","newSz":"0.00200000","newPx":"67990.0"}]}`},
		{"amend-size", amendSz, `{"id":"a44","op":"amend-order","args":[{"instId":"BTC-USDT","clOrdId":"e7k2x44","newSz":"0.00150000"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := enc.AppendRequest([]byte("x"), &tt.ev)
			if err != nil || string(got) != "x"+tt.want {
				t.Fatalf("got %s, %v\nwant x%s", got, err, tt.want)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	enc, m := newTestEncoder(t)
	btc := instByName(t, m, "BTC-USDT")
	replace := event.Event{Kind: event.KindReplace, Instrument: btc}
	negPx := event.Event{Kind: event.KindReplace, Instrument: btc}
	*negPx.Replace() = event.Replace{Order: 1, Price: -1, Qty: 1}
	timer := event.Event{Kind: event.KindTimer, Instrument: btc}
	tests := []struct {
		name string
		ev   event.Event
		want error
	}{
		{"unknown-instrument", newOrderEvent(9999, event.Order{Order: 1, Price: 1, Qty: 1}), ErrUnknownInstrument},
		{"replace-zero-qty", replace, ErrReplace},
		{"replace-negative-price", negPx, ErrReplace},
		{"kind", timer, ErrKind},
		{"zero-qty", newOrderEvent(btc, event.Order{Order: 1, Price: 1}), ErrOrder},
		{"limit-no-price", newOrderEvent(btc, event.Order{Order: 1, Qty: 1}), ErrOrder},
	}
	for _, tt := range tests {
		if _, err := enc.AppendRequest(nil, &tt.ev); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := enc.AppendBatch(nil, nil); !errors.Is(err, ErrBatch) {
		t.Errorf("empty batch: %v", err)
	}
	if _, err := enc.AppendBatch(nil, make([]event.Event, MaxBatch+1)); !errors.Is(err, ErrBatch) {
		t.Errorf("batch of 21: %v", err)
	}
	if _, err := NewEncoder("BAD", m); err == nil {
		t.Error("bad prefix accepted")
	}
}

func TestEncodeBatchAndBody(t *testing.T) {
	enc, m := newTestEncoder(t)
	btc := instByName(t, m, "BTC-USDT")
	evs := []event.Event{
		newOrderEvent(btc, event.Order{Order: 7, Price: 10, Qty: 1000}),
		newOrderEvent(btc, event.Order{Order: 8, Price: 20, Qty: 1000, Side: event.SideSell}),
	}
	got, err := enc.AppendBatch(nil, evs)
	want := `{"id":"b7","op":"batch-orders","args":[` +
		`{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.00001000","px":"1.0","clOrdId":"e7k2x7"},` +
		`{"instId":"BTC-USDT","tdMode":"cash","side":"sell","ordType":"limit","sz":"0.00001000","px":"2.0","clOrdId":"e7k2x8"}]}`
	if err != nil || string(got) != want {
		t.Fatalf("batch: %s %v", got, err)
	}
	body, err := enc.AppendOrderBody(nil, &evs[0])
	if err != nil || string(body) != `{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.00001000","px":"1.0","clOrdId":"e7k2x7"}` {
		t.Fatalf("body: %s %v", body, err)
	}
}

func TestAppendLogin(t *testing.T) {
	s := NewSigner([]byte(secret))
	got := string(AppendLogin(nil, s, "985d5b66-57ce-40fb-b714-afc0b9787083", `pa"ss`, "1538054050"))
	want := `{"op":"login","args":[{"apiKey":"985d5b66-57ce-40fb-b714-afc0b9787083","passphrase":"pa\"ss","timestamp":"1538054050","sign":"+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M="}]}`
	if got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}
