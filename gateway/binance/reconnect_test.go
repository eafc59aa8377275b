package binance_test

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway"
	"ems/gateway/binance"
	"ems/sim"
)

// proxy is a TCP relay between the session and the simulator that the test can take down:
// down ends every relayed connection and closes those accepted while it is down, as a network
// outage would; up relays again.
type proxy struct {
	t    *testing.T
	ln   net.Listener
	dst  string
	mu   sync.Mutex
	down bool
	open map[net.Conn]struct{}
	wg   sync.WaitGroup
}

func newProxy(t *testing.T, dst string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, ln: ln, dst: dst, open: make(map[net.Conn]struct{})}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.setDown(true)
		p.wg.Wait()
	})
	return p
}

// url is the WebSocket API address through the proxy.
func (p *proxy) url() string { return "ws://" + p.ln.Addr().String() + "/ws-api/v3" }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.dst)
		if err != nil {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.open[c], p.open[up] = struct{}{}, struct{}{}
		p.wg.Add(2)
		p.mu.Unlock()
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
}

// setDown takes the relay down (ending every connection) or brings it back up.
func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.open {
			_ = c.Close()
			delete(p.open, c)
		}
	}
}

// TestAutoReconnect: the network drops the session's connection while its order rests, and the
// order is partly filled during the outage. The session retries by itself (the first attempts
// fail while the network is down), reconciles, and reports the venue connected again: the
// statuses after the first connect are exactly disconnected then connected, and the fill made
// during the outage is emitted exactly once. Close then stops a retry loop in progress.
func TestAutoReconnect(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	instr := btc(t, m)
	px := newProxy(t, strings.TrimPrefix(e.base, "http://"))
	rec := &recorder{}
	a, err := binance.NewSession(binance.Config{URL: px.url(), RESTURL: e.base, Credentials: gateway.Credentials{Key: key1, Secret: secret1},
		Prefix: "ar", Master: m, Now: e.clock.Load, Backoff: binance.Backoff{Initial: 10 * time.Millisecond, Max: 80 * time.Millisecond},
		Seed: 1, DialTimeout: 2 * time.Second}, rec.sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	_, start := rec.wait(t, 0, "connected", isStatus(event.VenueConnected))
	taker, _ := e.session(t, "tk", key2, secret2, m, "", binance.Limits{})
	_, ask := e.touch()
	price := ask - 5
	send(t, a, newOrder(instr, 1, event.SideSell, price, 1000, event.TIFGTC, false))
	rec.wait(t, 0, "ack", isKind(event.KindOrderAck, 1))

	px.setDown(true)
	_, mark := rec.wait(t, start, "disconnected", isStatus(event.VenueDisconnected))
	send(t, a, newOrder(instr, 2, event.SideSell, price, 100, event.TIFGTC, false))
	if r, _ := rec.wait(t, mark, "refused", isKind(event.KindReject, 2)); r.Reject().Reason != event.RejectVenueUnavailable {
		t.Fatalf("reject %+v", *r.Reject())
	}
	send(t, taker, newOrder(instr, 1, event.SideBuy, price, 400, event.TIFIOC, false)) // missed by a
	waitStat(t, taker, func(st binance.Stats) bool { return st.Responses >= 1 })
	waitStat(t, a, func(st binance.Stats) bool { return st.RetryFailures >= 2 }) // it is retrying
	if a.Connected() {
		t.Fatal("connected through a downed network")
	}

	px.setDown(false)
	_, end := rec.wait(t, mark, "connected again", isStatus(event.VenueConnected))
	var states []event.VenueState
	fills := 0
	for _, ev := range rec.all() {
		switch {
		case ev.Kind == event.KindVenueStatus:
			states = append(states, ev.VenueStatus().State)
		case ev.Kind == event.KindFill && ev.Fill().Order == 1:
			fills++
			if f := ev.Fill(); f.Qty != 400 || f.Leaves != 600 || f.Price != price {
				t.Fatalf("recovered fill %+v", *f)
			}
		}
	}
	want := []event.VenueState{event.VenueConnected, event.VenueDisconnected, event.VenueConnected}
	if len(states) != len(want) || states[0] != want[0] || states[1] != want[1] || states[2] != want[2] {
		t.Fatalf("venue states %v, want %v", states, want)
	}
	if fills != 1 {
		t.Fatalf("%d fills of order 1, want 1", fills)
	}
	if st := a.Stats(); st.Reconnects != 1 || st.Recovered != 1 {
		t.Fatalf("stats %+v", st)
	}
	// Orders are accepted again.
	send(t, a, newOrder(instr, 3, event.SideSell, ask+60, 100, event.TIFGTC, false))
	rec.wait(t, end, "ack 3", isKind(event.KindOrderAck, 3))

	// A second outage, and Close while the session is retrying: the loop stops, nothing more is
	// emitted.
	px.setDown(true)
	rec.wait(t, end, "disconnected", isStatus(event.VenueDisconnected))
	failed := a.Stats().RetryFailures
	waitStat(t, a, func(st binance.Stats) bool { return st.RetryFailures > failed })
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	n := len(rec.all())
	px.setDown(false)
	time.Sleep(200 * time.Millisecond) // more than the longest back-off step
	if a.Connected() || len(rec.all()) != n {
		t.Fatalf("the session acted after Close: %v", rec.all()[n:])
	}
	if err := a.Reconnect(context.Background()); err != binance.ErrSessionClosed {
		t.Fatalf("Reconnect after Close: %v", err)
	}
}

// TestAutoReconnectContext: once the Start context is canceled, a dropped session stays
// disconnected; an explicit Reconnect still works.
func TestAutoReconnectContext(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	px := newProxy(t, strings.TrimPrefix(e.base, "http://"))
	rec := &recorder{}
	a, err := binance.NewSession(binance.Config{URL: px.url(), Credentials: gateway.Credentials{Key: key1, Secret: secret1},
		Prefix: "cx", Master: m, Now: e.clock.Load, Backoff: binance.Backoff{Initial: 10 * time.Millisecond, Max: 20 * time.Millisecond}}, rec.sink)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	rec.wait(t, 0, "connected", isStatus(event.VenueConnected))
	px.setDown(true)
	_, mark := rec.wait(t, 0, "disconnected", isStatus(event.VenueDisconnected))
	waitStat(t, a, func(st binance.Stats) bool { return st.RetryFailures >= 1 })
	cancel()
	px.setDown(false)
	time.Sleep(100 * time.Millisecond) // several back-off steps
	if a.Connected() {
		t.Fatal("reconnected after the context was canceled")
	}
	if err := a.Reconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, mark, "connected", isStatus(event.VenueConnected))
}

// TestSharedLimiter: two sessions of one account draw from one Limiter; once the first has used
// the order budget, the second's order is refused locally (RejectRateLimit, VenueCode 0,
// VenueStatus throttled) and nothing is sent.
func TestSharedLimiter(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	instr := btc(t, m)
	lim := binance.NewLimiter(binance.Limits{Orders10s: 3})
	start := func(prefix string) (*binance.Session, *recorder) {
		rec := &recorder{}
		s, err := binance.NewSession(binance.Config{URL: e.ws, Credentials: gateway.Credentials{Key: key1, Secret: secret1},
			Prefix: prefix, Master: m, Now: e.clock.Load, Limiter: lim}, rec.sink)
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
	a, ra := start("sha")
	b, rb := start("shb")
	bid, _ := e.touch()
	for i := 1; i <= 3; i++ {
		send(t, a, newOrder(instr, event.OrderID(i), event.SideBuy, bid-100, 1000, event.TIFGTC, false))
		ra.wait(t, 0, "ack", isKind(event.KindOrderAck, event.OrderID(i)))
	}
	send(t, b, newOrder(instr, 1, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	r, _ := rb.wait(t, 0, "reject", isKind(event.KindReject, 1))
	if r.Reject().Reason != event.RejectRateLimit || r.Reject().VenueCode != 0 {
		t.Fatalf("reject %+v", *r.Reject())
	}
	rb.wait(t, 0, "throttled", isStatus(event.VenueThrottled))
	if st := b.Stats(); st.Sent != 0 || st.Refused != 1 {
		t.Fatalf("second session's stats %+v", st)
	}
	if st := a.Stats(); st.Sent != 3 || st.Refused != 0 {
		t.Fatalf("first session's stats %+v", st)
	}
	// A new window serves both again.
	e.clock.Add(int64(10 * time.Second))
	send(t, b, newOrder(instr, 2, event.SideBuy, bid-100, 1000, event.TIFGTC, false))
	rb.wait(t, 0, "ack", isKind(event.KindOrderAck, 2))
}
