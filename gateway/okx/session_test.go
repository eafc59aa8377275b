package okx_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway"
	okx "ems/gateway/okx"
	"ems/sim"
)

// TestRoundTrip: place → ack → partial fill → fill; cancel → cancel ack, against the simulator.
func TestRoundTrip(t *testing.T) {
	f := newVenue(t, nil)
	rec := &recorder{}
	s := startSession(t, f, rec, nil)
	btc := instID(t, f.master, "BTC-USDT")
	ask, askQty := f.best("BTC-USDT", event.SideSell)
	extra := int64(100_000) // 0.001 BTC rests after the best ask level is taken

	ev := order(btc, 1, event.SideBuy, ask, askQty+extra, nil)
	if err := s.Send(&ev); err != nil {
		t.Fatal(err)
	}
	evs := rec.wait(t, "partial fill", func(evs []event.Event) bool {
		fills := of(evs, event.KindFill, 1)
		return len(fills) > 0 && fills[len(fills)-1].Fill().Leaves == extra
	})
	acks := of(evs, event.KindOrderAck, 1)
	if len(acks) != 1 || acks[0].OrderAck().Price != ask || acks[0].OrderAck().Qty != askQty+extra || acks[0].OrderAck().VenueOrder == 0 {
		t.Fatalf("ack: %s", dump(acks))
	}
	var filled int64
	for _, e := range of(evs, event.KindFill, 1) {
		fl := e.Fill()
		filled += fl.Qty
		if fl.Price != ask || fl.Liquidity != event.LiquidityTaker || fl.Fee <= 0 || fl.TradeID == 0 || fl.FeeAsset == 0 {
			t.Fatalf("taker fill: %s", dump([]event.Event{e}))
		}
	}
	if filled != askQty {
		t.Fatalf("filled %d, want %d", filled, askQty)
	}
	f.trade("BTC-USDT", event.SideSell, ask, extra) // takes the resting remainder
	evs = rec.wait(t, "final fill", func(evs []event.Event) bool {
		fills := of(evs, event.KindFill, 1)
		return fills[len(fills)-1].Fill().Leaves == 0
	})
	last := of(evs, event.KindFill, 1)
	if fl := last[len(last)-1].Fill(); fl.Qty != extra || fl.Liquidity != event.LiquidityMaker {
		t.Fatalf("maker fill: %s", dump(last))
	}

	bid, _ := f.best("BTC-USDT", event.SideBuy)
	ev = order(btc, 2, event.SideBuy, bid-1000, 100_000, nil)
	if err := s.Send(&ev); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, "ack 2", func(evs []event.Event) bool { return len(of(evs, event.KindOrderAck, 2)) == 1 })
	c := cancelOf(btc, 2)
	if err := s.Send(&c); err != nil {
		t.Fatal(err)
	}
	evs = rec.wait(t, "cancel ack", func(evs []event.Event) bool { return len(of(evs, event.KindCancelAck, 2)) == 1 })
	if ca := of(evs, event.KindCancelAck, 2)[0].CancelAck(); ca.Leaves != 100_000 {
		t.Fatalf("cancel ack leaves %d", ca.Leaves)
	}
	if n := len(of(evs, event.KindReject, 0)); n != 0 {
		t.Fatalf("unexpected rejects:\n%s", dump(evs))
	}
	if s.Live() != 0 {
		t.Fatalf("%d orders still tracked", s.Live())
	}
}

// fineMaster is the default master with OKX BTC-USDT on a finer grid than the venue's (tick
// 0.01 at price scale 2, lot 10^-10 at quantity scale 10): the gateway can then send a price
// off the venue's tick and a size off its lot, as a stale instrument file would.
func fineMaster(t testing.TB) *instrument.Master {
	t.Helper()
	raw, err := os.ReadFile("../../core/instrument/instruments.json")
	if err != nil {
		t.Fatal(err)
	}
	old := `"venue": "okx",
          "symbol": "BTC-USDT",
          "price_scale": 1,
          "qty_scale": 8,
          "tick": "0.1",
          "lot": "0.00000001",`
	fine := `"venue": "okx",
          "symbol": "BTC-USDT",
          "price_scale": 2,
          "qty_scale": 10,
          "tick": "0.01",
          "lot": "0.0000000001",`
	if !strings.Contains(string(raw), old) {
		t.Fatal("instruments.json changed: update fineMaster")
	}
	m, err := instrument.Parse([]byte(strings.Replace(string(raw), old, fine, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRejects: every venue refusal the gateway maps, from the simulator's own answers.
func TestRejects(t *testing.T) {
	f := newVenue(t, func(vc *sim.VenueConfig) { vc.Instruments = []string{"BTC-USDT"} })
	rec := &recorder{}
	fine := fineMaster(t)
	s := startSession(t, f, rec, func(c *okx.Config) { c.Master = fine })
	btc, eth := instID(t, fine, "BTC-USDT"), instID(t, fine, "ETH-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)
	ask, _ := f.best("BTC-USDT", event.SideSell)
	bid, ask = bid*10, ask*10 // price scale 1 → 2
	tests := []struct {
		name   string
		ev     event.Event
		code   int64
		reason event.RejectReason
	}{
		{"unknown-symbol", order(eth, 11, event.SideBuy, 300000, 1_000_000, nil), 51001, event.RejectUnknownSymbol},
		{"off-tick", order(btc, 12, event.SideBuy, bid-1005, 1_000_000_0, nil), 51000, event.RejectPriceFilter},
		{"off-lot", order(btc, 13, event.SideBuy, bid-1000, 1_000_000_1, nil), 51121, event.RejectQtyFilter},
		{"min-size", order(btc, 14, event.SideBuy, bid-1000, 50_000, nil), 51020, event.RejectMinNotional},
		{"post-only-crossing", order(btc, 15, event.SideBuy, ask, 1_000_000, func(o *event.Order) { o.PostOnly = true }),
			okx.CancelPostOnly, event.RejectPostOnly},
		{"fok-unfillable", order(btc, 16, event.SideBuy, bid-1000, 1_000_000, func(o *event.Order) { o.TIF = event.TIFFOK }),
			okx.CancelFOK, event.RejectFOK},
		{"unknown-order", cancelOf(btc, 999), 51400, event.RejectUnknownOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Send(&tt.ev); err != nil {
				t.Fatal(err)
			}
			id := event.OrderID(0)
			if tt.ev.Kind == event.KindNewOrder {
				id = tt.ev.Order().Order
			} else {
				id = tt.ev.Cancel().Order
			}
			evs := rec.wait(t, tt.name, func(evs []event.Event) bool { return len(of(evs, event.KindReject, id)) > 0 })
			r := of(evs, event.KindReject, id)
			if len(r) != 1 || r[0].Reject().VenueCode != tt.code || r[0].Reject().Reason != tt.reason {
				t.Fatalf("got %s; want code %d reason %s", dump(r), tt.code, tt.reason)
			}
			if a := of(evs, event.KindOrderAck, id); len(a) != 0 {
				t.Fatalf("a rejected order was acknowledged: %s", dump(a))
			}
		})
	}
	if s.Live() != 0 {
		t.Fatalf("%d rejected orders still tracked", s.Live())
	}
}

// TestBadSignature: a wrong secret fails the login (60009); Run stops with ErrLogin, and
// neither the error nor any event or printed configuration shows the secret.
func TestBadSignature(t *testing.T) {
	f := newVenue(t, nil)
	rec := &recorder{}
	const wrong = "not-the-sim-okx-secret-9f8e7d"
	cfg := okx.Config{URL: f.srv.PrivateURL(), RESTURL: f.base, Prefix: testPfx, Master: f.master, Sink: rec.sink,
		Credentials: gateway.Credentials{Key: simKey, Secret: wrong, Passphrase: simPass}, Timeout: 5 * time.Second}
	s, err := okx.NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = s.Run(ctx)
	if !errors.Is(err, okx.ErrLogin) || !strings.Contains(err.Error(), "60009") {
		t.Fatalf("Run: %v, want ErrLogin with 60009", err)
	}
	if okx.RejectReasonOf(60009) != event.RejectAuth || okx.RejectReasonOf(50113) != event.RejectAuth {
		t.Fatal("auth codes not mapped to RejectAuth")
	}
	ev := order(instID(t, f.master, "BTC-USDT"), 1, event.SideBuy, 1, 1000, nil)
	if err := s.Send(&ev); !errors.Is(err, okx.ErrNotReady) {
		t.Fatalf("Send before login: %v", err)
	}
	out := fmt.Sprintf("%v %+v %#v %v %+v %s", err, cfg, cfg, s.Stats(), rec.all(), dump(rec.all()))
	for _, secret := range []string{wrong, simPass} {
		if strings.Contains(out, secret) {
			t.Fatalf("secret printed: %s", out)
		}
	}
	if r := of(rec.all(), event.KindReject, 1); len(r) != 1 || r[0].Reject().Reason != event.RejectVenueUnavailable {
		t.Fatalf("order while not ready: %s", dump(rec.all()))
	}
}

// TestLocalRateLimit: the gateway's own budget refuses the order past it without sending it,
// with a RejectRateLimit and a VenueThrottled status.
func TestLocalRateLimit(t *testing.T) {
	f := newVenue(t, nil)
	rec := &recorder{}
	s := startSession(t, f, rec, func(c *okx.Config) { c.Limits = okx.Limits{Place: 5, Window: time.Hour} })
	btc := instID(t, f.master, "BTC-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)
	for i := 1; i <= 6; i++ {
		ev := order(btc, event.OrderID(i), event.SideBuy, bid-100, 1000, nil)
		if err := s.Send(&ev); err != nil {
			t.Fatal(err)
		}
	}
	evs := rec.wait(t, "5 acks", func(evs []event.Event) bool { return len(of(evs, event.KindOrderAck, 0)) == 5 })
	r := of(evs, event.KindReject, 6)
	if len(r) != 1 || r[0].Reject().Reason != event.RejectRateLimit || r[0].Reject().VenueCode != 0 {
		t.Fatalf("6th order: %s", dump(evs))
	}
	if st := s.Stats(); st.Sent != 5 || st.Refused != 1 {
		t.Fatalf("stats %+v: the refused order must not be sent", st)
	}
	if !hasStatus(evs, event.VenueThrottled) {
		t.Fatalf("no VenueThrottled status:\n%s", dump(evs))
	}
}

// TestSharedRateLimit: two sessions of one account share one Limiter: the first session's
// orders use up the budget, and the second session's next order is refused locally with
// RejectRateLimit and never sent. Each session has its own client order id prefix, as sessions
// of one account must.
func TestSharedRateLimit(t *testing.T) {
	f := newVenue(t, nil)
	lim := okx.NewLimiter(len(f.master.Instruments()), okx.Limits{Place: 4, Window: time.Hour})
	recA, recB := &recorder{}, &recorder{}
	a := startSession(t, f, recA, func(c *okx.Config) { c.Limiter = lim; c.Limits = okx.Limits{Place: 1000} })
	b := startSession(t, f, recB, func(c *okx.Config) {
		c.Limiter, c.Limits, c.Prefix = lim, okx.Limits{Place: 1000}, "t2"
	})
	btc := instID(t, f.master, "BTC-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)
	for i := 1; i <= 3; i++ {
		ev := order(btc, event.OrderID(i), event.SideBuy, bid-100, 1000, nil)
		if err := a.Send(&ev); err != nil {
			t.Fatal(err)
		}
	}
	for i := 11; i <= 12; i++ {
		ev := order(btc, event.OrderID(i), event.SideBuy, bid-100, 1000, nil)
		if err := b.Send(&ev); err != nil {
			t.Fatal(err)
		}
	}
	recA.wait(t, "3 acks on the first session", func(evs []event.Event) bool { return len(of(evs, event.KindOrderAck, 0)) == 3 })
	evs := recB.wait(t, "an ack and a refusal on the second session", func(evs []event.Event) bool {
		return len(of(evs, event.KindOrderAck, 11)) == 1 && len(of(evs, event.KindReject, 12)) == 1
	})
	if r := of(evs, event.KindReject, 12)[0].Reject(); r.Reason != event.RejectRateLimit || r.VenueCode != 0 {
		t.Fatalf("second session's order past the shared budget: %s", dump(evs))
	}
	if !hasStatus(evs, event.VenueThrottled) {
		t.Fatalf("no VenueThrottled status on the second session:\n%s", dump(evs))
	}
	if st := b.Stats(); st.Sent != 1 || st.Refused != 1 {
		t.Fatalf("second session stats %+v: the refused order must not be sent", st)
	}
	if st := a.Stats(); st.Sent != 3 || st.Refused != 0 {
		t.Fatalf("first session stats %+v", st)
	}
	ev := order(btc, 4, event.SideBuy, bid-100, 1000, nil)
	if err := a.Send(&ev); err != nil {
		t.Fatal(err)
	}
	if r := of(recA.all(), event.KindReject, 4); len(r) != 1 || r[0].Reject().Reason != event.RejectRateLimit {
		t.Fatalf("first session's order past the shared budget: %s", dump(recA.all()))
	}
	small := okx.NewLimiter(0, okx.Limits{})
	if _, err := okx.NewSession(okx.Config{URL: "ws://x", Prefix: testPfx, Master: f.master, Sink: recA.sink,
		Credentials: gateway.Credentials{Key: simKey, Secret: simSecret, Passphrase: simPass}, Limiter: small}); err == nil {
		t.Fatal("a shared limiter smaller than the master accepted")
	}
}

// TestVenueRateLimit: the venue's 60 orders / 2 s per instrument answered 50011; the gateway
// reports those orders rejected, throttles, and refuses the next order itself.
func TestVenueRateLimit(t *testing.T) {
	f := newVenue(t, func(vc *sim.VenueConfig) {
		vc.RateLimit = sim.RateLimit{Weight: 1_000_000, Window: time.Second, Orders: 60, OrderWindow: 2 * time.Second}
	})
	rec := &recorder{}
	s := startSession(t, f, rec, func(c *okx.Config) { c.Limits = okx.Limits{Place: 1000, Backoff: time.Hour} })
	btc := instID(t, f.master, "BTC-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)
	const n = 64
	for i := 1; i <= n; i++ {
		ev := order(btc, event.OrderID(i), event.SideBuy, bid-100, 1000, nil)
		if err := s.Send(&ev); err != nil {
			t.Fatal(err)
		}
	}
	evs := rec.wait(t, "every answer", func(evs []event.Event) bool {
		return len(of(evs, event.KindOrderAck, 0))+len(of(evs, event.KindReject, 0)) >= n
	})
	var venue int
	for _, e := range of(evs, event.KindReject, 0) {
		if r := e.Reject(); r.VenueCode == okx.CodeRateLimit && r.Reason == event.RejectRateLimit {
			venue++
		}
	}
	if venue == 0 || !hasStatus(evs, event.VenueThrottled) {
		t.Fatalf("no 50011 reject or no throttle:\n%s", dump(evs))
	}
	ev := order(btc, n+1, event.SideBuy, bid-100, 1000, nil)
	if err := s.Send(&ev); err != nil {
		t.Fatal(err)
	}
	if r := of(rec.all(), event.KindReject, n+1); len(r) != 1 || r[0].Reject().VenueCode != 0 || r[0].Reject().Reason != event.RejectRateLimit {
		t.Fatalf("order during back-off: %s", dump(r))
	}
	if st := s.Stats(); st.Sent != n || st.Throttles == 0 {
		t.Fatalf("stats %+v", st)
	}
}

func hasStatus(evs []event.Event, st event.VenueState) bool {
	for i := range evs {
		if evs[i].Kind == event.KindVenueStatus && evs[i].VenueStatus().State == st {
			return true
		}
	}
	return false
}

// TestReconnectReconcile: the venue drops the connection instead of pushing an order's
// acknowledgement (a one-shot disconnect fault on the first push); while the session is away
// the order fills; orders sent meanwhile are refused. After the reconnect the session learns
// the order's state from /trade/order and the fill from /trade/fills, reports the OrderAck and
// then the Fill, each once, and accepts orders again.
func TestReconnectReconcile(t *testing.T) {
	f := newVenue(t, func(vc *sim.VenueConfig) {
		vc.Faults = []sim.Fault{{Kind: sim.FaultDisconnect, At: time.Nanosecond}}
	})
	rec := &recorder{}
	s := startSession(t, f, rec, func(c *okx.Config) { c.Reconnect = time.Second })
	btc := instID(t, f.master, "BTC-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)
	px := bid + 1 // inside the spread: the best bid
	ev := order(btc, 1, event.SideBuy, px, 200_000, nil)
	if err := s.Send(&ev); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, "disconnect", func(evs []event.Event) bool { return hasStatus(evs, event.VenueDisconnected) })
	f.trade("BTC-USDT", event.SideSell, px, 200_000) // fills order 1 while the session is away
	ev3 := order(btc, 3, event.SideBuy, bid-100, 1000, nil)
	if err := s.Send(&ev3); !errors.Is(err, okx.ErrNotReady) {
		t.Fatalf("Send while reconnecting: %v", err)
	}
	evs := rec.wait(t, "reconnect", func(evs []event.Event) bool {
		n := 0
		for i := range evs {
			if evs[i].Kind == event.KindVenueStatus && evs[i].VenueStatus().State == event.VenueConnected {
				n++
			}
		}
		return n >= 2
	})
	var seq []string
	for i := range evs {
		switch evs[i].Kind {
		case event.KindOrderAck, event.KindFill, event.KindCancelAck, event.KindReject, event.KindVenueStatus:
			seq = append(seq, evs[i].Kind.String())
		}
	}
	want := "venue_status venue_status reject order_ack fill venue_status" // connected, disconnected, order 3 refused, ...
	if strings.Join(seq, " ") != want {
		t.Fatalf("events %v, want %s:\n%s", seq, want, dump(evs))
	}
	fl := of(evs, event.KindFill, 1)[0].Fill()
	if fl.Qty != 200_000 || fl.Price != px || fl.Liquidity != event.LiquidityMaker || fl.Leaves != 0 {
		t.Fatalf("reconciled fill:\n%s", dump(evs))
	}
	if r := of(evs, event.KindReject, 3)[0].Reject(); r.Reason != event.RejectVenueUnavailable {
		t.Fatalf("order 3: %s", r.Reason)
	}
	if st := s.Stats(); s.Live() != 0 || st.Connects != 2 || st.Reconciled != 2 || st.UnknownLeft != 0 {
		t.Fatalf("live %d stats %+v", s.Live(), st)
	}
	ev = order(btc, 2, event.SideBuy, bid-100, 1000, nil)
	if err := s.Send(&ev); err != nil {
		t.Fatal(err)
	}
	evs = rec.wait(t, "ack after reconnect", func(evs []event.Event) bool { return len(of(evs, event.KindOrderAck, 2)) == 1 })
	if n, m := len(of(evs, event.KindFill, 1)), len(of(evs, event.KindOrderAck, 1)); n != 1 || m != 1 {
		t.Fatalf("order 1: %d fills, %d acks", n, m)
	}
}

// TestBatch: one batch-orders request places both orders; a refused one in the batch is
// rejected by its own sCode.
func TestBatch(t *testing.T) {
	f := newVenue(t, nil)
	rec := &recorder{}
	s := startSession(t, f, rec, nil)
	btc := instID(t, f.master, "BTC-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)
	evs := []event.Event{
		order(btc, 1, event.SideBuy, bid-100, 1000, nil),
		order(btc, 2, event.SideBuy, bid-100, 10, nil), // under minSz: 51020
		order(btc, 3, event.SideBuy, bid-101, 2000, nil),
	}
	if err := s.SendBatch(evs); err != nil {
		t.Fatal(err)
	}
	got := rec.wait(t, "two acks and a reject", func(evs []event.Event) bool {
		return len(of(evs, event.KindOrderAck, 0)) == 2 && len(of(evs, event.KindReject, 2)) == 1
	})
	if r := of(got, event.KindReject, 2)[0].Reject(); r.VenueCode != 51020 || r.Reason != event.RejectMinNotional {
		t.Fatalf("batch reject: %s", dump(got))
	}
	if s.Live() != 2 || s.Stats().Sent != 1 {
		t.Fatalf("live %d, stats %+v", s.Live(), s.Stats())
	}
}

// TestKeepAlive: a quiet connection sends the text "ping" and counts the venue's "pong".
func TestKeepAlive(t *testing.T) {
	f := newVenue(t, nil)
	rec := &recorder{}
	s := startSession(t, f, rec, func(c *okx.Config) { c.PingInterval = 10 * time.Millisecond })
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Pongs < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no pongs: %+v", s.Stats())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !s.Ready() {
		t.Fatal("keep-alive broke the session")
	}
}

// TestBatchOverBudget: a batch the instrument's budget cannot hold is refused whole and not
// sent; the budget it did not use stays available.
func TestBatchOverBudget(t *testing.T) {
	f := newVenue(t, nil)
	rec := &recorder{}
	s := startSession(t, f, rec, func(c *okx.Config) { c.Limits = okx.Limits{Place: 3, Window: time.Hour} })
	btc, eth := instID(t, f.master, "BTC-USDT"), instID(t, f.master, "ETH-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)
	ethBid, _ := f.best("ETH-USDT", event.SideBuy)
	batch := []event.Event{
		order(eth, 1, event.SideBuy, ethBid-100, 100_000, nil),
		order(btc, 2, event.SideBuy, bid-100, 1000, nil),
		order(btc, 3, event.SideBuy, bid-100, 1000, nil),
		order(btc, 4, event.SideBuy, bid-100, 1000, nil),
		order(btc, 5, event.SideBuy, bid-100, 1000, nil),
	}
	if err := s.SendBatch(batch); err != nil {
		t.Fatal(err)
	}
	if r := of(rec.all(), event.KindReject, 0); len(r) != 5 || s.Stats().Sent != 0 {
		t.Fatalf("batch over budget: %s", dump(rec.all()))
	}
	if err := s.SendBatch(batch[:4]); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, "4 acks", func(evs []event.Event) bool { return len(of(evs, event.KindOrderAck, 0)) == 4 })
	rep := event.Event{Kind: event.KindReplace, Instrument: btc}
	if err := s.Send(&rep); !errors.Is(err, okx.ErrReplace) {
		t.Fatalf("replace: %v", err)
	}
}
