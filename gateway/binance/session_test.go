package binance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/gateway"
	"ems/gateway/binance"
	"ems/sim"
	simbinance "ems/sim/binance"
)

// Accounts of the simulated venue: the session under test trades as key1; key2 is the
// counterparty that takes its orders.
const (
	key1, secret1 = "gw-test-key-1", "gw-test-secret-1-do-not-print"
	key2, secret2 = "gw-test-key-2", "gw-test-secret-2-do-not-print"
)

// epoch is where the venue clock starts (2025-01-01T00:00:00Z).
const epoch = int64(1735689600) * 1e9

// simEnv is a simulated Binance venue on loopback driven by a clock the test owns.
type simEnv struct {
	t     *testing.T
	v     *sim.Venue
	base  string
	ws    string
	srv   *simbinance.Server
	clock atomic.Int64
}

func loadMaster(t testing.TB) *instrument.Master {
	t.Helper()
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// newSim starts the default configuration's binance venue (BTCUSDT and ETHUSDT, a 20-tick
// spread, no latency) with limit (zero: generous).
func newSim(t *testing.T, limit sim.RateLimit, faults ...sim.Fault) *simEnv {
	t.Helper()
	e := &simEnv{t: t}
	e.clock.Store(epoch)
	def := sim.DefaultConfig()
	vc := def.Venues[0]
	if vc.Name != "binance" {
		t.Fatalf("default venue 0 is %s", vc.Name)
	}
	vc.Latency = 0
	vc.RateLimit = limit
	vc.Faults = faults
	if limit == (sim.RateLimit{}) {
		vc.RateLimit = sim.RateLimit{Weight: 1_000_000, Window: time.Minute, Orders: 100_000, OrderWindow: 10 * time.Second}
	}
	vc.Keys = []sim.APIKey{{Key: key1, Secret: secret1, Account: 1}, {Key: key2, Secret: secret2, Account: 2}}
	vc.Clock = func() int64 { return e.clock.Load() }
	for i := range vc.Markets {
		vc.Markets[i].SpreadTicks = 20
		vc.Markets[i].GapTicks = 1
	}
	v, err := sim.NewVenue(vc, loadMaster(t), def.Seed)
	if err != nil {
		t.Fatal(err)
	}
	s, err := simbinance.New(v, simbinance.Options{FastInterval: 10 * time.Millisecond, SlowInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	e.v, e.base, e.srv = v, base, s
	e.ws = "ws" + strings.TrimPrefix(base, "http") + "/ws-api/v3"
	return e
}

// touch returns BTCUSDT's best bid and ask (price scale 2).
func (e *simEnv) touch() (bid, ask int64) {
	e.t.Helper()
	resp, err := http.Get(e.base + "/api/v3/depth?symbol=BTCUSDT&limit=5")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var d struct{ Bids, Asks [][2]string }
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		e.t.Fatal(err)
	}
	if len(d.Bids) == 0 || len(d.Asks) == 0 {
		e.t.Fatal("empty book")
	}
	bid, _ = fixed.ParseString(d.Bids[0][0], 2)
	ask, _ = fixed.ParseString(d.Asks[0][0], 2)
	return bid, ask
}

// recorder collects a session's events.
type recorder struct {
	mu  sync.Mutex
	evs []event.Event
}

func (r *recorder) sink(evs []event.Event) {
	r.mu.Lock()
	r.evs = append(r.evs, evs...)
	r.mu.Unlock()
}

func (r *recorder) all() []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event.Event(nil), r.evs...)
}

// wait returns the first event from index from on that pred accepts, and the index after it.
func (r *recorder) wait(t *testing.T, from int, what string, pred func(*event.Event) bool) (event.Event, int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		for i := from; i < len(r.evs); i++ {
			if pred(&r.evs[i]) {
				e := r.evs[i]
				r.mu.Unlock()
				return e, i + 1
			}
		}
		r.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no %s event within 5 s; got %v", what, r.all())
	return event.Event{}, 0
}

func isKind(k event.Kind, id event.OrderID) func(*event.Event) bool {
	return func(e *event.Event) bool {
		if e.Kind != k {
			return false
		}
		switch k {
		case event.KindOrderAck:
			return e.OrderAck().Order == id
		case event.KindFill:
			return e.Fill().Order == id
		case event.KindCancelAck:
			return e.CancelAck().Order == id
		case event.KindReject:
			return e.Reject().Order == id
		}
		return true
	}
}

func isStatus(st event.VenueState) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.Kind == event.KindVenueStatus && e.VenueStatus().State == st }
}

// session starts a session trading as key, secret on e.
func (e *simEnv) session(t *testing.T, prefix, key, secret string, m *instrument.Master, url string, lim binance.Limits) (*binance.Session, *recorder) {
	t.Helper()
	rec := &recorder{}
	if m == nil {
		m = loadMaster(t)
	}
	if url == "" {
		url = e.ws
	}
	s, err := binance.NewSession(binance.Config{URL: url, Credentials: gateway.Credentials{Key: key, Secret: secret},
		Prefix: prefix, Master: m, Now: e.clock.Load, Limits: lim}, rec.sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	rec.wait(t, 0, "connected", isStatus(event.VenueConnected))
	return s, rec
}

func btc(t testing.TB, m *instrument.Master) event.InstrumentID {
	in, ok := m.ByName("BTC-USDT")
	if !ok {
		t.Fatal("no BTC-USDT")
	}
	return in.ID
}

func newOrder(instr event.InstrumentID, id event.OrderID, side event.Side, price, qty int64, tif event.TimeInForce, postOnly bool) *event.Event {
	e := &event.Event{Kind: event.KindNewOrder, Venue: instrument.VenueBinance, Instrument: instr}
	*e.Order() = event.Order{Order: id, Parent: 7, Price: price, Qty: qty, Side: side, TIF: tif, PostOnly: postOnly}
	return e
}

func cancelOf(instr event.InstrumentID, id event.OrderID) *event.Event {
	e := &event.Event{Kind: event.KindCancel, Venue: instrument.VenueBinance, Instrument: instr}
	*e.Cancel() = event.Cancel{Order: id, Parent: 7}
	return e
}

func send(t *testing.T, s *binance.Session, e *event.Event) {
	t.Helper()
	if err := s.Send(e); err != nil {
		t.Fatal(err)
	}
}

// TestRoundTrip: place → ack → partial fill → fill; place → cancel → cancel ack.
func TestRoundTrip(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	instr := btc(t, m)
	a, ra := e.session(t, "maker", key1, secret1, m, "", binance.Limits{})
	b, rb := e.session(t, "taker", key2, secret2, m, "", binance.Limits{})
	_, ask := e.touch()
	price := ask - 5 // inside the spread: rests

	send(t, a, newOrder(instr, 1, event.SideSell, price, 1000, event.TIFGTC, false))
	ack, i := ra.wait(t, 0, "ack", isKind(event.KindOrderAck, 1))
	if o := ack.OrderAck(); o.Price != price || o.Qty != 1000 || o.Leaves != 1000 || o.VenueOrder == 0 {
		t.Fatalf("ack %+v", *o)
	}
	if ack.Instrument != instr || ack.Venue != instrument.VenueBinance || ack.ExchTS != epoch {
		t.Fatalf("ack header %+v", ack)
	}

	send(t, b, newOrder(instr, 1, event.SideBuy, price, 400, event.TIFIOC, false))
	f1, i := ra.wait(t, i, "partial fill", isKind(event.KindFill, 1))
	if f := f1.Fill(); f.Qty != 400 || f.Price != price || f.Leaves != 600 || f.Liquidity != event.LiquidityMaker ||
		f.TradeID == 0 || f.VenueOrder != ack.OrderAck().VenueOrder || f.FeeAsset == 0 || f.Fee <= 0 {
		t.Fatalf("partial fill %+v", *f)
	}
	tf, _ := rb.wait(t, 0, "taker fill", isKind(event.KindFill, 1))
	if f := tf.Fill(); f.Liquidity != event.LiquidityTaker || f.Qty != 400 || f.Leaves != 0 {
		t.Fatalf("taker fill %+v", *f)
	}

	send(t, b, newOrder(instr, 2, event.SideBuy, price, 600, event.TIFIOC, false))
	f2, i := ra.wait(t, i, "fill", isKind(event.KindFill, 1))
	if f := f2.Fill(); f.Qty != 600 || f.Leaves != 0 || f.TradeID == f1.Fill().TradeID {
		t.Fatalf("fill %+v", *f)
	}

	send(t, a, newOrder(instr, 2, event.SideSell, ask+50, 500, event.TIFGTC, false))
	_, i = ra.wait(t, i, "ack 2", isKind(event.KindOrderAck, 2))
	send(t, a, cancelOf(instr, 2))
	ca, _ := ra.wait(t, i, "cancel ack", isKind(event.KindCancelAck, 2))
	if ca.CancelAck().Leaves != 500 {
		t.Fatalf("cancel ack %+v", *ca.CancelAck())
	}
	for _, ev := range ra.all() {
		if ev.Kind == event.KindReject {
			t.Errorf("unexpected reject %+v", *ev.Reject())
		}
	}
	if st := a.Stats(); st.Sent != 3 || st.Refused != 0 || st.ParseErrors != 0 {
		t.Errorf("stats %+v", st)
	}
}

// fineMaster is the default master with BTCUSDT on a finer grid than the venue's (price scale 3,
// qty scale 6), so the gateway can send prices off the venue's tick and quantities off its lot.
func fineMaster(t *testing.T) *instrument.Master {
	t.Helper()
	data, err := os.ReadFile("../../core/instrument/instruments.json")
	if err != nil {
		t.Fatal(err)
	}
	old := `"price_scale": 2,
          "qty_scale": 5,
          "tick": "0.01",
          "lot": "0.00001",
          "min_qty": "0.00001",`
	fine := `"price_scale": 3,
          "qty_scale": 6,
          "tick": "0.001",
          "lot": "0.000001",
          "min_qty": "0.000001",`
	s := string(data)
	if !strings.Contains(s, old) {
		t.Fatal("BTCUSDT grid not found in instruments.json")
	}
	m, err := instrument.Parse([]byte(strings.Replace(s, old, fine, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRejects: every venue answer the gateway maps, from the simulator, with its raw code.
func TestRejects(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	fm := fineMaster(t)
	instr := btc(t, m)
	sol, _ := m.ByName("SOL-USDT") // listed in the master, not on the simulated venue
	s, rec := e.session(t, "rej", key1, secret1, m, "", binance.Limits{})
	fs, frec := e.session(t, "fine", key1, secret1, fm, "", binance.Limits{})
	bid, ask := e.touch()
	cases := []struct {
		name   string
		s      *binance.Session
		rec    *recorder
		ev     *event.Event
		id     event.OrderID
		code   int64
		reason event.RejectReason
	}{
		{"unknown symbol", s, rec, newOrder(sol.ID, 10, event.SideBuy, 10000, 1000, event.TIFGTC, false), 10, -1121, event.RejectUnknownSymbol},
		{"min notional", s, rec, newOrder(instr, 11, event.SideBuy, bid, 1, event.TIFGTC, false), 11, -1013, event.RejectMinNotional},
		{"post-only crossing", s, rec, newOrder(instr, 12, event.SideBuy, ask, 1000, event.TIFGTC, true), 12, -2010, event.RejectPostOnly},
		{"unknown order", s, rec, cancelOf(instr, 13), 13, -2011, event.RejectUnknownOrder},
		{"off tick", fs, frec, newOrder(instr, 14, event.SideBuy, bid*10+5, 100000, event.TIFGTC, false), 14, -1013, event.RejectPriceFilter},
		{"off lot", fs, frec, newOrder(instr, 15, event.SideBuy, bid*10, 100005, event.TIFGTC, false), 15, -1013, event.RejectQtyFilter},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			send(t, c.s, c.ev)
			r, _ := c.rec.wait(t, 0, "reject", isKind(event.KindReject, c.id))
			if got := r.Reject(); got.VenueCode != c.code || got.Reason != c.reason || got.Parent != 7 {
				t.Fatalf("reject %+v, want code %d reason %v", *got, c.code, c.reason)
			}
		})
	}
}

// TestBadSignature: a wrong secret is refused by the venue (-1022) at subscription, and neither
// the error nor anything printed about the session shows the secret.
func TestBadSignature(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	const wrong = "wrong-secret-never-printed"
	rec := &recorder{}
	s, err := binance.NewSession(binance.Config{URL: e.ws, Credentials: gateway.Credentials{Key: key1, Secret: wrong},
		Prefix: "sig", Master: loadMaster(t), Now: e.clock.Load}, rec.sink)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Start(context.Background())
	if err == nil {
		t.Fatal("started with a wrong secret")
	}
	if !strings.Contains(err.Error(), "-1022") {
		t.Errorf("error %q does not carry -1022", err)
	}
	// Sending while not connected is refused locally.
	m := loadMaster(t)
	if err := s.Send(newOrder(btc(t, m), 1, event.SideBuy, 100, 100, event.TIFGTC, false)); err != nil {
		t.Fatal(err)
	}
	r, _ := rec.wait(t, 0, "reject", isKind(event.KindReject, 1))
	if r.Reject().Reason != event.RejectVenueUnavailable || r.Reject().VenueCode != 0 {
		t.Errorf("reject %+v", *r.Reject())
	}
	text := fmt.Sprintf("%v %+v %#v %+v %+v", err, s, s, s.Stats(), rec.all())
	if strings.Contains(text, wrong) {
		t.Fatal("the secret appears in the session's output")
	}
	_ = s.Close()
}

// TestSecretNeverPrinted: nothing a working session prints or emits holds its secret.
func TestSecretNeverPrinted(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	s, rec := e.session(t, "sec", key1, secret1, m, "", binance.Limits{})
	send(t, s, newOrder(btc(t, m), 1, event.SideBuy, 1, 1, event.TIFGTC, false))
	rec.wait(t, 0, "reject", isKind(event.KindReject, 1))
	text := fmt.Sprintf("%+v %#v %+v %+v", s, s, s.Stats(), rec.all())
	if strings.Contains(text, secret1) {
		t.Fatal("the secret appears in the session's output")
	}
}

// TestRateLimitLocal: with Binance's 50 orders per 10 s, the 51st order is refused before
// sending (Reject rate_limit, VenueCode 0, VenueStatus throttled); once the window rolls over,
// orders go out again and the venue is reported usable.
func TestRateLimitLocal(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	instr := btc(t, m)
	s, rec := e.session(t, "rl", key1, secret1, m, "", binance.Limits{})
	bid, _ := e.touch()
	for i := 1; i <= binance.DefaultOrders10s; i++ {
		send(t, s, newOrder(instr, event.OrderID(i), event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	}
	_, _ = rec.wait(t, 0, "last ack", isKind(event.KindOrderAck, binance.DefaultOrders10s))
	send(t, s, newOrder(instr, 51, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	r, _ := rec.wait(t, 0, "reject", isKind(event.KindReject, 51))
	if r.Reject().Reason != event.RejectRateLimit || r.Reject().VenueCode != 0 {
		t.Fatalf("reject %+v", *r.Reject())
	}
	_, i := rec.wait(t, 0, "throttled", isStatus(event.VenueThrottled))
	if st := s.Stats(); st.Sent != 50 || st.Refused != 1 {
		t.Fatalf("stats %+v", st)
	}
	e.clock.Add(int64(10 * time.Second))
	send(t, s, newOrder(instr, 52, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	rec.wait(t, 0, "ack 52", isKind(event.KindOrderAck, 52))
	rec.wait(t, i, "usable again", isStatus(event.VenueConnected))
}

// TestRateLimitTracked: the venue's smaller order limit, learned from the rateLimits of its
// answers, is respected: the 4th order within 10 s is refused before sending.
func TestRateLimitTracked(t *testing.T) {
	e := newSim(t, sim.RateLimit{Weight: 6000, Window: time.Minute, Orders: 3, OrderWindow: 10 * time.Second})
	m := loadMaster(t)
	instr := btc(t, m)
	s, rec := e.session(t, "rlt", key1, secret1, m, "", binance.Limits{})
	bid, _ := e.touch()
	for i := 1; i <= 3; i++ {
		send(t, s, newOrder(instr, event.OrderID(i), event.SideBuy, bid-100, 1000, event.TIFGTC, false))
		rec.wait(t, 0, "ack", isKind(event.KindOrderAck, event.OrderID(i)))
	}
	waitStat(t, s, func(st binance.Stats) bool { return st.Responses >= 3 })
	send(t, s, newOrder(instr, 4, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	r, _ := rec.wait(t, 0, "reject", isKind(event.KindReject, 4))
	if r.Reject().Reason != event.RejectRateLimit || r.Reject().VenueCode != 0 {
		t.Fatalf("reject %+v", *r.Reject())
	}
	if st := s.Stats(); st.Sent != 3 || st.ThrottleHits != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// TestRateLimitVenueAnswer: when the venue throttles (-1015, HTTP 429; rateLimits turned off so
// the session cannot see it coming), the order is rejected with the venue's code, the venue is
// reported throttled, and further orders are held back until the venue's retryAfter.
func TestRateLimitVenueAnswer(t *testing.T) {
	e := newSim(t, sim.RateLimit{Weight: 6000, Window: time.Minute, Orders: 3, OrderWindow: 10 * time.Second})
	m := loadMaster(t)
	instr := btc(t, m)
	s, rec := e.session(t, "rlv", key1, secret1, m, e.ws+"?returnRateLimits=false", binance.Limits{})
	bid, _ := e.touch()
	for i := 1; i <= 3; i++ {
		send(t, s, newOrder(instr, event.OrderID(i), event.SideBuy, bid-100, 1000, event.TIFGTC, false))
		rec.wait(t, 0, "ack", isKind(event.KindOrderAck, event.OrderID(i)))
	}
	send(t, s, newOrder(instr, 4, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	r, _ := rec.wait(t, 0, "venue reject", isKind(event.KindReject, 4))
	if r.Reject().Reason != event.RejectRateLimit || r.Reject().VenueCode != -1015 {
		t.Fatalf("reject %+v", *r.Reject())
	}
	rec.wait(t, 0, "throttled", isStatus(event.VenueThrottled))
	send(t, s, newOrder(instr, 5, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	r, _ = rec.wait(t, 0, "held back", isKind(event.KindReject, 5))
	if r.Reject().Reason != event.RejectRateLimit || r.Reject().VenueCode != 0 {
		t.Fatalf("reject %+v", *r.Reject())
	}
	if st := s.Stats(); st.Sent != 4 || st.ThrottleHits != 1 {
		t.Fatalf("stats %+v", st)
	}
	e.clock.Add(int64(10 * time.Second))
	send(t, s, newOrder(instr, 6, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	rec.wait(t, 0, "ack after retry time", isKind(event.KindOrderAck, 6))
}

func waitStat(t *testing.T, s *binance.Session, pred func(binance.Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !pred(s.Stats()) {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v", s.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestDisconnect: the venue closing the connection is reported (VenueStatus disconnected) and
// later orders are refused as venue unavailable.
func TestDisconnect(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	s, rec := e.session(t, "dc", key1, secret1, m, "", binance.Limits{})
	if err := e.srv.Close(); err != nil { // ends every connection
		t.Fatal(err)
	}
	rec.wait(t, 0, "disconnected", isStatus(event.VenueDisconnected))
	send(t, s, newOrder(btc(t, m), 1, event.SideBuy, 100, 100, event.TIFGTC, false))
	r, _ := rec.wait(t, 0, "reject", isKind(event.KindReject, 1))
	if r.Reject().Reason != event.RejectVenueUnavailable {
		t.Fatalf("reject %+v", *r.Reject())
	}
	if s.Connected() {
		t.Fatal("still connected")
	}
}
