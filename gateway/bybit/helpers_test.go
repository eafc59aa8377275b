package bybit_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/feed/transport"
	"ems/gateway"
	"ems/gateway/bybit"
	"ems/sim"
	bybitsim "ems/sim/bybit"
)

// transportBackoff reconnects fast in tests.
var transportBackoff = transport.Backoff{Initial: 20 * time.Millisecond, Max: 200 * time.Millisecond}

const (
	key1, secret1 = "sim-bybit-key", "sim-bybit-secret"
	key2, secret2 = "sim-bybit-key-2", "sim-bybit-secret-2"
)

// testMaster is the default instrument master with Bybit's spot BTCUSDT on a coarser grid
// (tick 0.10, lot 0.00001, minimum 0.00005), so that prices and quantities off the grid can be
// expressed at the listing's scales and the venue's tick and lot refusals tested.
func testMaster(t testing.TB) *instrument.Master {
	t.Helper()
	data, err := os.ReadFile("../../core/instrument/instruments.json")
	if err != nil {
		t.Fatal(err)
	}
	old := `"venue": "bybit",
          "symbol": "BTCUSDT",
          "price_scale": 2,
          "qty_scale": 6,
          "tick": "0.01",
          "lot": "0.000001",
          "min_qty": "0.000048",`
	repl := `"venue": "bybit",
          "symbol": "BTCUSDT",
          "price_scale": 2,
          "qty_scale": 6,
          "tick": "0.10",
          "lot": "0.00001",
          "min_qty": "0.00005",`
	if !bytes.Contains(data, []byte(old)) {
		t.Fatal("instruments.json: Bybit BTCUSDT spot listing not found")
	}
	m, err := instrument.Parse(bytes.Replace(data, []byte(old), []byte(repl), 1))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// env is a simulated Bybit venue on loopback quoting BTC-USDT (spot) and BTC-USDT-PERP
// (linear) on a static book (the background flow is not started): 0.25 per level, 10 ticks of
// spread.
type env struct {
	t     testing.TB
	m     *instrument.Master
	v     *sim.Venue
	srv   *bybitsim.Server
	spot  *instrument.Listing
	perp  *instrument.Listing
	proxy *proxy
}

func newEnv(t testing.TB, opts ...func(*sim.VenueConfig)) *env {
	t.Helper()
	m := testMaster(t)
	mc := func(name string) sim.MarketConfig {
		return sim.MarketConfig{Instrument: name, Mid: "68000", LevelQty: "0.25", SpreadTicks: 10, GapTicks: 2,
			TakersPerSecond: 1, RequotesPerSecond: 1, VolatilityBps: 1}
	}
	vc := sim.VenueConfig{
		Name:        "bybit",
		Instruments: []string{"BTC-USDT", "BTC-USDT-PERP"},
		DepthLevels: 20,
		Keys: []sim.APIKey{{Key: key1, Secret: secret1, Account: 1},
			{Key: key2, Secret: secret2, Account: 2}},
		Markets: []sim.MarketConfig{mc("BTC-USDT"), mc("BTC-USDT-PERP")},
	}
	for _, o := range opts {
		o(&vc)
	}
	vs, err := sim.NewVenues(sim.Config{Seed: 3, Venues: []sim.VenueConfig{vc}}, m)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := bybitsim.New(vs[0], bybitsim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &env{t: t, m: m, v: vs[0], srv: srv}
	spot, _ := m.LookupIn(instrument.VenueBybit, instrument.SegmentSpot, []byte("BTCUSDT"))
	perp, _ := m.LookupIn(instrument.VenueBybit, instrument.SegmentDerivatives, []byte("BTCUSDT"))
	e.spot, e.perp = spot, perp
	return e
}

// best returns the best bid and ask of a listing's market.
func (e *env) best(l *instrument.Listing) (bid, ask int64) {
	bid, ask, _ = e.bestQty(l)
	return bid, ask
}

// bestQty returns the best bid and ask and the ask's quantity.
func (e *env) bestQty(l *instrument.Listing) (bid, ask, askQty int64) {
	mk, ok := e.v.MarketIn(l.Segment, l.Symbol)
	if !ok {
		e.t.Fatalf("no market %s", l.Symbol)
	}
	e.v.Do(func(st *sim.State) {
		bid, _, _ = st.Engine(mk).Best(event.SideBuy)
		ask, askQty, _ = st.Engine(mk).Best(event.SideSell)
	})
	return bid, ask, askQty
}

// recorder collects a session's events and log.
type recorder struct {
	mu  sync.Mutex
	evs []event.Event
	log bytes.Buffer
}

func (r *recorder) sink(evs []event.Event) {
	r.mu.Lock()
	r.evs = append(r.evs, evs...)
	r.mu.Unlock()
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.Write(p)
}

func (r *recorder) logText() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.String()
}

// wait returns the first event after index from for which ok holds, and its index, failing
// after 5 s.
func (r *recorder) wait(t testing.TB, from int, what string, ok func(e *event.Event) bool) (event.Event, int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		for i := from; i < len(r.evs); i++ {
			if ok(&r.evs[i]) {
				e := r.evs[i]
				r.mu.Unlock()
				return e, i
			}
		}
		r.mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("no %s within 5 s; events: %s", what, r.dump())
	return event.Event{}, 0
}

func (r *recorder) dump() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for i := range r.evs {
		b.WriteString("\n  ")
		b.Write(event.AppendText(nil, &r.evs[i]))
	}
	return b.String()
}

func (r *recorder) count(ok func(e *event.Event) bool) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for i := range r.evs {
		if ok(&r.evs[i]) {
			n++
		}
	}
	return n
}

// session starts a Session for key/secret with prefix, returning it and its recorder once up.
func (e *env) session(prefix, key, secret string, tweak ...func(*bybit.Config)) (*bybit.Session, *recorder) {
	e.t.Helper()
	rec := &recorder{}
	trade, private, rest := e.srv.TradeURL(), e.srv.PrivateURL(), e.srv.URL()
	if e.proxy != nil {
		trade, private, rest = e.proxy.ws()+"/v5/trade", e.proxy.ws()+"/v5/private", e.proxy.http()
	}
	cfg := bybit.Config{
		TradeURL: trade, PrivateURL: private, RESTURL: rest,
		Credentials: gateway.Credentials{Key: key, Secret: secret},
		Prefix:      prefix, Master: e.m, Sink: rec.sink, Log: rec,
		Backoff: transportBackoff,
	}
	for _, f := range tweak {
		f(&cfg)
	}
	s, err := bybit.NewSession(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != context.Canceled {
				e.t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			e.t.Error("Run did not return")
		}
	})
	return s, rec
}

// up waits until s is up.
func up(t testing.TB, s *bybit.Session) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !s.Up() {
		if time.Now().After(deadline) {
			t.Fatal("session not up within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// order builds a new-order event.
func order(l *instrument.Listing, id event.OrderID, side event.Side, price, qty int64) event.Event {
	e := event.Event{Kind: event.KindNewOrder, Venue: instrument.VenueBybit, Instrument: l.Instrument}
	o := e.Order()
	o.Order, o.Parent, o.Side, o.Price, o.Qty = id, 7, side, price, qty
	return e
}

// cancel builds a cancel event.
func cancel(l *instrument.Listing, id event.OrderID) event.Event {
	e := event.Event{Kind: event.KindCancel, Venue: instrument.VenueBybit, Instrument: l.Instrument}
	e.Cancel().Order = id
	return e
}

func isKind(k event.Kind, id event.OrderID) func(e *event.Event) bool {
	return func(e *event.Event) bool {
		if e.Kind != k {
			return false
		}
		switch k {
		case event.KindOrderAck:
			return e.OrderAck().Order == id
		case event.KindFill:
			return e.Fill().Order == id
		case event.KindReject:
			return e.Reject().Order == id
		case event.KindCancelAck:
			return e.CancelAck().Order == id
		}
		return true
	}
}

func isStatus(st event.VenueState) func(e *event.Event) bool {
	return func(e *event.Event) bool { return e.Kind == event.KindVenueStatus && e.VenueStatus().State == st }
}

// proxy forwards TCP connections to a target and can drop them all, to cut a session off.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	paused bool // new connections are closed at once
	// up and down discard the bytes of one direction (to the venue, from the venue) while set.
	up, down bool
}

// blackhole makes the proxy discard what the client sends (toVenue) or what the venue sends.
func (p *proxy) blackhole(toVenue, fromVenue bool) {
	p.mu.Lock()
	p.up, p.down = toVenue, fromVenue
	p.mu.Unlock()
}

// pipe copies src to dst, discarding while the direction's flag is set.
func (p *proxy) pipe(dst, src net.Conn, toVenue bool) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			drop := (toVenue && p.up) || (!toVenue && p.down)
			p.mu.Unlock()
			if !drop {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// pause makes the proxy refuse (on) or accept new connections.
func (p *proxy) pause(on bool) {
	p.mu.Lock()
	p.paused = on
	p.mu.Unlock()
}

func newProxy(t testing.TB, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.drop() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			paused := p.paused
			p.mu.Unlock()
			if paused {
				c.Close()
				continue
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go p.pipe(u, c, true)
			go p.pipe(c, u, false)
		}
	}()
	return p
}

func (p *proxy) ws() string   { return "ws://" + p.ln.Addr().String() }
func (p *proxy) http() string { return "http://" + p.ln.Addr().String() }

// drop closes every connection made so far.
func (p *proxy) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func sleepMs(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }
