package coinbase_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/feed/transport"
	"ems/gateway"
	"ems/gateway/coinbase"
	"ems/sim"
	simcb "ems/sim/coinbase"
)

// t0 is the simulated start: 2024-03-01 00:00:00 UTC.
const t0 = int64(1_709_251_200) * int64(time.Second)

// ioTimeout bounds every wait in tests.
const ioTimeout = 10 * time.Second

// fixture is a simulated Coinbase venue on loopback with a clock the test moves, two keys
// (accounts 1 and 2), and the master's markets.
type fixture struct {
	t       testing.TB
	v       *sim.Venue
	srv     *simcb.Server
	clk     atomic.Int64
	keys    []sim.APIKey
	master  *instrument.Master
	markets []coinbase.Market
	btc     *instrument.Listing
}

func ecKey(t testing.TB, name string, account uint32) sim.APIKey {
	t.Helper()
	p, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalECPrivateKey(p)
	return sim.APIKey{Key: name, Account: account,
		Secret: string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))}
}

// newFixture builds the default coinbase venue without latency or rate limit (mod may change
// it), seeded at t0, and serves it.
func newFixture(t testing.TB, mod func(*sim.VenueConfig)) *fixture {
	t.Helper()
	var vc sim.VenueConfig
	for _, c := range sim.DefaultConfig().Venues {
		if c.Name == "coinbase" {
			vc = c
		}
	}
	f := &fixture{t: t}
	f.clk.Store(t0)
	vc.Latency = 0
	vc.RateLimit = sim.RateLimit{}
	vc.Clock = f.clk.Load
	vc.Keys = append(vc.Keys, ecKey(t, "organizations/sim/apiKeys/second", 2))
	if mod != nil {
		mod(&vc)
	}
	master, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	v, err := sim.NewVenue(vc, master, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Step(t0); err != nil {
		t.Fatal(err)
	}
	srv, err := simcb.New(v, simcb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	f.v, f.srv, f.keys, f.master = v, srv, vc.Keys, master
	f.markets = coinbase.MarketsOf(master, v.ID())
	for _, m := range f.markets {
		if m.Listing.Symbol == "BTC-USDT" {
			f.btc = m.Listing
		}
	}
	if f.btc == nil {
		t.Fatal("no BTC-USDT listing")
	}
	return f
}

// advance moves the venue's clock (and the sessions') by d without stepping the market.
func (f *fixture) advance(d time.Duration) { f.clk.Add(int64(d)) }

// best returns the best price and quantity of side of BTC-USDT.
func (f *fixture) best(side event.Side) (price, qty int64) {
	f.t.Helper()
	m, _ := f.v.Market("BTC-USDT")
	ok := false
	f.v.Do(func(st *sim.State) { price, qty, ok = st.Engine(m).Best(side) })
	if !ok {
		f.t.Fatalf("BTC-USDT has no %s", side)
	}
	return price, qty
}

// config returns a session config for key k with prefix.
func (f *fixture) config(prefix string, k sim.APIKey) coinbase.Config {
	return coinbase.Config{
		Venue:       f.v.ID(),
		Prefix:      prefix,
		Credentials: gateway.Credentials{Key: k.Key, PrivateKey: k.Secret},
		RESTURL:     f.srv.RESTURL(),
		WSURL:       f.srv.WSURL(),
		Markets:     f.markets,
		Clock:       f.clk.Load,
		Timeout:     ioTimeout,
		Reconnect:   transportBackoff(),
	}
}

// session starts a session with cfg (mod may change it first).
func (f *fixture) session(prefix string, k sim.APIKey, mod func(*coinbase.Config)) (*coinbase.Session, *collector) {
	f.t.Helper()
	cfg := f.config(prefix, k)
	if mod != nil {
		mod(&cfg)
	}
	c := &collector{}
	s, err := coinbase.NewSession(cfg, c.sink)
	if err != nil {
		f.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { s.Close() })
	return s, c
}

// collector gathers a session's events.
type collector struct {
	mu  sync.Mutex
	evs []event.Event
}

func (c *collector) sink(evs []event.Event) {
	c.mu.Lock()
	c.evs = append(c.evs, evs...)
	c.mu.Unlock()
}

// all returns a copy of the events so far.
func (c *collector) all() []event.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]event.Event(nil), c.evs...)
}

// match returns the events of kind about order (0: any order).
func (c *collector) match(kind event.Kind, order event.OrderID) []event.Event {
	var out []event.Event
	for _, e := range c.all() {
		if e.Kind == kind && (order == 0 || orderOf(&e) == order) {
			out = append(out, e)
		}
	}
	return out
}

// wait waits until n events of kind about order have arrived and returns them.
func (c *collector) wait(t testing.TB, kind event.Kind, order event.OrderID, n int) []event.Event {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for {
		if got := c.match(kind, order); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %d %s of order %d; have %v", n, kind, order, kinds(c.all()))
		}
		time.Sleep(time.Millisecond)
	}
}

func kinds(evs []event.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Kind.String())
	}
	return out
}

func orderOf(e *event.Event) event.OrderID {
	switch e.Kind {
	case event.KindOrderAck:
		return e.OrderAck().Order
	case event.KindReject:
		return e.Reject().Order
	case event.KindFill:
		return e.Fill().Order
	case event.KindCancelAck:
		return e.CancelAck().Order
	case event.KindNewOrder:
		return e.Order().Order
	case event.KindCancel:
		return e.Cancel().Order
	case event.KindReplace:
		return e.Replace().Order
	}
	return 0
}

// order returns a new-order event.
func order(instr event.InstrumentID, id event.OrderID, side event.Side, price, qty int64, tif event.TimeInForce, postOnly bool) *event.Event {
	e := &event.Event{Kind: event.KindNewOrder, Instrument: instr}
	*e.Order() = event.Order{Order: id, Parent: 7, Price: price, Qty: qty, Side: side, TIF: tif, PostOnly: postOnly}
	return e
}

// cancel returns a cancel event.
func cancel(instr event.InstrumentID, id event.OrderID) *event.Event {
	e := &event.Event{Kind: event.KindCancel, Instrument: instr}
	*e.Cancel() = event.Cancel{Order: id, Parent: 7}
	return e
}

// transportBackoff reconnects quickly in tests.
func transportBackoff() transport.Backoff {
	return transport.Backoff{Initial: 20 * time.Millisecond, Max: 200 * time.Millisecond}
}

// waitOpen waits until s tracks n orders.
func waitOpen(t testing.TB, s *coinbase.Session, n int) {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for s.Open() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d open orders, want %d", s.Open(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func sprint(v any) string { return fmt.Sprintf("%+v %v %#v", v, v, v) }
