package coinbase_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway/coinbase"
	"ems/sim"
)

// TestRejects: every venue refusal the gateway maps, produced by the simulator, and the
// gateway's own refusals (VenueCode 0).
func TestRejects(t *testing.T) {
	f := newFixture(t, nil)
	// Listings that disagree with the venue, as stale reference data would.
	variant := func(id event.InstrumentID, edit func(l *instrument.Listing)) coinbase.Market {
		l := *f.btc
		l.Instrument = id
		edit(&l)
		return coinbase.Market{Listing: &l, Quote: "USDT"}
	}
	const (
		unknownSym = event.InstrumentID(9001)
		fineTick   = event.InstrumentID(9002)
		fineLot    = event.InstrumentID(9003)
	)
	s, c := f.session("rej", f.keys[0], func(cfg *coinbase.Config) {
		cfg.Markets = append(cfg.Markets,
			variant(unknownSym, func(l *instrument.Listing) { l.Symbol = "DOGE-USDT" }),
			variant(fineTick, func(l *instrument.Listing) { l.PriceScale, l.Tick = 3, 1 }),
			variant(fineLot, func(l *instrument.Listing) { l.QtyScale, l.Lot, l.MinQty = 9, 1, 1 }))
	})
	btc := f.btc.Instrument
	bid, _ := f.best(event.SideBuy)
	ask, _ := f.best(event.SideSell)
	s.InjectOpenOrder(50, btc, 100_000, "00000001-0000-4000-8000-0000000fffff")
	s.InjectOpenOrder(51, btc, 100_000, "00000001-0000-4000-8000-0000000ffffe")
	code := func(name string) int64 {
		n, _ := coinbase.CodeOf([]byte(name))
		if n == 0 {
			t.Fatalf("%s is not a known code", name)
		}
		return n
	}
	tests := []struct {
		name   string
		ev     *event.Event
		reason event.RejectReason
		code   int64
	}{
		{"unknown-symbol", order(unknownSym, 10, event.SideBuy, bid, 100_000, event.TIFGTC, false),
			event.RejectUnknownSymbol, code("INVALID_PRODUCT_ID")},
		{"off-tick", order(fineTick, 11, event.SideBuy, bid*10-5, 100_000, event.TIFGTC, false),
			event.RejectPriceFilter, code("INVALID_PRICE_PRECISION")},
		{"off-lot", order(fineLot, 12, event.SideBuy, bid, 1_000_005, event.TIFGTC, false),
			event.RejectQtyFilter, code("INVALID_SIZE_PRECISION")},
		{"min-notional", order(btc, 13, event.SideBuy, bid, 1_000, event.TIFGTC, false),
			event.RejectMinNotional, code("PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL")},
		{"post-only-crossing", order(btc, 14, event.SideBuy, ask, 100_000, event.TIFGTC, true),
			event.RejectPostOnly, code("INVALID_LIMIT_PRICE_POST_ONLY")},
		{"unknown-order-at-venue", cancel(btc, 50), event.RejectUnknownOrder, code("UNKNOWN_CANCEL_ORDER")},
		// The gateway's own refusals.
		{"unknown-order-local", cancel(btc, 99), event.RejectUnknownOrder, 0},
		{"instrument-not-configured", order(4242, 15, event.SideBuy, bid, 100_000, event.TIFGTC, false),
			event.RejectUnknownSymbol, 0},
		{"post-only-ioc", order(btc, 16, event.SideBuy, bid, 100_000, event.TIFIOC, true),
			event.RejectInvalidRequest, 0},
		{"edit-unknown-order-at-venue", replace(btc, 51, bid-100_000, 100_000), event.RejectUnknownOrder, code("ORDER_NOT_FOUND")},
		{"edit-unknown-order-local", replace(btc, 60, bid-100_000, 100_000), event.RejectUnknownOrder, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Send(tc.ev); err != nil {
				t.Fatal(err)
			}
			id := orderOf(tc.ev)
			r := c.wait(t, event.KindReject, id, 1)[0].Reject()
			if r.Reason != tc.reason || r.VenueCode != tc.code || r.Parent != 7 {
				t.Fatalf("reject %+v (%s), want %s code %d (%s)", r, coinbase.CodeName(r.VenueCode), tc.reason, tc.code, coinbase.CodeName(tc.code))
			}
		})
	}
	if acks := c.match(event.KindOrderAck, 0); len(acks) != 0 {
		t.Fatalf("%d acks for refused orders", len(acks))
	}
}

// replace returns a replace (edit) event: new price and total quantity.
func replace(instr event.InstrumentID, id event.OrderID, price, qty int64) *event.Event {
	e := &event.Event{Kind: event.KindReplace, Instrument: instr}
	*e.Replace() = event.Replace{Order: id, Parent: 7, Price: price, Qty: qty, NewOrder: id + 1000}
	return e
}

// TestBadSignature: a key the venue does not know the private half of. The user channel refuses
// it (Start fails), and an order signed with it is answered 401 UNAUTHENTICATED, which the
// parser maps to RejectAuth. Neither error nor output quotes the secret.
func TestBadSignature(t *testing.T) {
	f := newFixture(t, nil)
	forged := ecKey(t, f.keys[0].Key, 1) // the right name, another private key
	cfg := f.config("bad", forged)
	s, err := coinbase.NewSession(cfg, func([]event.Event) {})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	err = s.Start(ctx)
	if err == nil {
		s.Close()
		t.Fatal("Start succeeded with a forged key")
	}
	if strings.Contains(err.Error(), forged.Secret) || strings.Contains(err.Error(), "PRIVATE KEY") {
		t.Fatalf("error quotes the secret: %v", err)
	}

	key, err := coinbase.ParseKey(forged.Key, forged.Secret)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(f.srv.RESTURL(), "http://")
	enc, err := coinbase.NewEncoder("bad", key, host)
	if err != nil {
		t.Fatal(err)
	}
	body, err := enc.AppendOrderBody(nil, order(f.btc.Instrument, 1, event.SideBuy, 6_000_000, 100_000, event.TIFGTC, false).Order(), f.btc)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := key.AppendRESTToken(nil, "POST", host, "/api/v3/brokerage/orders", f.clk.Load()/int64(time.Second))
	req, _ := http.NewRequest("POST", f.srv.RESTURL()+"/api/v3/brokerage/orders", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+string(tok))
	resp, err := (&http.Client{Timeout: ioTimeout}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	res, err := coinbase.NewParser().ParseCreate(resp.StatusCode, raw)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || res.Failure.Reason != event.RejectAuth || coinbase.CodeName(res.Failure.VenueCode) != "UNAUTHENTICATED" {
		t.Fatalf("status %d %s: %+v", resp.StatusCode, raw, res)
	}
}

// TestSecretNeverPrinted: the private key appears in no error, no formatted config and no
// event the session emits.
func TestSecretNeverPrinted(t *testing.T) {
	f := newFixture(t, nil)
	cfg := f.config("sec", f.keys[0])
	var out []string
	out = append(out, strings.ReplaceAll(sprint(cfg), "\n", " "))
	bad := cfg
	bad.Credentials.PrivateKey = f.keys[0].Secret[:len(f.keys[0].Secret)/2] // truncated PEM
	if _, err := coinbase.NewSession(bad, func([]event.Event) {}); err == nil {
		t.Fatal("truncated key accepted")
	} else {
		out = append(out, err.Error())
	}
	bad.Credentials.PrivateKey = "MHcCAQEEIGbHOX4ZzqRGPItBNVUnpXuubgiYuf9MnbBwH62igZx9oAoGCCqGSM49"
	if _, err := coinbase.NewSession(bad, func([]event.Event) {}); err == nil {
		t.Fatal("garbage key accepted")
	} else {
		out = append(out, err.Error())
	}
	s, c := f.session("sec", f.keys[0], nil)
	bid, _ := f.best(event.SideBuy)
	s.Send(order(f.btc.Instrument, 1, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false))
	c.wait(t, event.KindOrderAck, 1, 1)
	for _, e := range c.all() {
		out = append(out, string(e.Bytes()))
	}
	secretLines := strings.Split(strings.TrimSpace(f.keys[0].Secret), "\n")
	for _, o := range out {
		for _, line := range secretLines[1 : len(secretLines)-1] { // the Base64 lines of the PEM
			if strings.Contains(o, line) {
				t.Fatalf("output quotes the secret: %q", o)
			}
		}
		if strings.Contains(o, "PRIVATE KEY") {
			t.Fatalf("output names the key: %q", o)
		}
	}
}

var _ = sim.RateLimit{}
