//go:build !race

package okx

import (
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway"
)

// TestHotPathAllocs: encoding (WebSocket order, cancel, amend, batch, REST body and signature),
// parsing execution reports and refusing an order allocate nothing in steady state.
func TestHotPathAllocs(t *testing.T) {
	enc, m := newTestEncoder(t)
	btc := instByName(t, m, "BTC-USDT")
	ev := newOrderEvent(btc, event.Order{Order: 1 << 40, Price: 680001, Qty: 100_000, Side: event.SideBuy})
	cancel := event.Event{Kind: event.KindCancel, Instrument: btc}
	*cancel.Cancel() = event.Cancel{Order: 1 << 40}
	amend := event.Event{Kind: event.KindReplace, Instrument: btc}
	*amend.Replace() = event.Replace{Order: 1 << 40, Price: 679900, Qty: 200_000}
	batch := []event.Event{ev, ev, ev}
	signer := NewSigner([]byte(secret))
	dst := make([]byte, 0, 4096)
	sig := make([]byte, 0, SignatureLen)
	ts := make([]byte, 0, TimestampLen)
	now := time.Unix(1_700_000_000, 0)
	encode := func() {
		var err error
		if dst, err = enc.AppendRequest(dst[:0], &ev); err != nil {
			t.Fatal(err)
		}
		if dst, err = enc.AppendRequest(dst[:0], &cancel); err != nil {
			t.Fatal(err)
		}
		if dst, err = enc.AppendRequest(dst[:0], &amend); err != nil {
			t.Fatal(err)
		}
		if dst, err = enc.AppendBatch(dst[:0], batch); err != nil {
			t.Fatal(err)
		}
		if dst, err = enc.AppendOrderBody(dst[:0], &ev); err != nil {
			t.Fatal(err)
		}
		ts = AppendTimestamp(ts[:0], now)
		sig = signer.AppendRESTSignature(sig[:0], string(ts), "POST", "/api/v5/trade/order", dst)
	}
	encode()
	if n := testing.AllocsPerRun(200, encode); n != 0 {
		t.Errorf("encode: %v allocations, want 0", n)
	}

	p := newTestParser(t)
	msg, at := fillTemplate(t)
	reject := recorded(t, lineReject)
	postOnly := recorded(t, linePostOnly)
	var id uint64 = 1_000_000_000
	parse := func() {
		id++
		putDigits(msg[at:at+10], id)
		evs, _, err := p.Parse(msg, 1)
		if err != nil || len(evs) == 0 || evs[len(evs)-1].Kind != event.KindFill {
			t.Fatalf("fill not parsed: %v %d", err, len(evs))
		}
		if _, _, err := p.Parse(reject, 1); err != nil {
			t.Fatal(err)
		}
		if _, _, err := p.Parse(postOnly, 1); err != nil {
			t.Fatal(err)
		}
	}
	parse()
	if n := testing.AllocsPerRun(500, parse); n != 0 {
		t.Errorf("parse: %v allocations, want 0", n)
	}

	s, err := NewSession(Config{URL: "ws://127.0.0.1:1/ws/v5/private", Prefix: "t1", Master: m,
		Sink: func([]event.Event) {}, Credentials: gateway.Credentials{Key: "k", Secret: "s", Passphrase: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	refuse := func() {
		if err := s.Send(&ev); err != ErrNotReady {
			t.Fatal(err)
		}
	}
	refuse()
	if n := testing.AllocsPerRun(200, refuse); n != 0 {
		t.Errorf("refused Send: %v allocations, want 0", n)
	}
}

// TestLimiterAllocs: the shared limiter's lock takes no allocation.
func TestLimiterAllocs(t *testing.T) {
	l := NewLimiter(2, Limits{})
	now := int64(1)
	step := func() {
		now += int64(time.Second)
		if !l.AllowPlace(1, 1, now) || !l.AllowCancel(1, 1, now) || !l.AllowAmend(1, 1, now) || l.Throttled(now) {
			t.Fatal("refused")
		}
	}
	if n := testing.AllocsPerRun(200, step); n != 0 {
		t.Errorf("limiter: %v allocations, want 0", n)
	}
}
