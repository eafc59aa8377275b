package okx_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway"
	okx "ems/gateway/okx"
	"ems/sim"
	"ems/sim/match"
	okxsim "ems/sim/okx"
)

// Simulator credentials of the default configuration's OKX key (account 1).
const (
	simKey    = "sim-okx-key"
	simSecret = "sim-okx-secret"
	simPass   = "sim-okx-passphrase"
	testPfx   = "t1"
)

// venueFixture is a simulated OKX venue served on loopback.
type venueFixture struct {
	t      testing.TB
	v      *sim.Venue
	srv    *okxsim.Server
	base   string
	master *instrument.Master
}

// newVenue starts an OKX venue of the default configuration (no latency, no background flow);
// mod may change its configuration first.
func newVenue(t testing.TB, mod func(*sim.VenueConfig)) *venueFixture {
	t.Helper()
	master, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	var vc sim.VenueConfig
	for _, c := range sim.DefaultConfig().Venues {
		if c.Name == "okx" {
			vc = c
		}
	}
	vc.Latency = 0
	vc.RateLimit = sim.RateLimit{Weight: 1_000_000, Window: time.Second, Orders: 1_000_000, OrderWindow: time.Second}
	if mod != nil {
		mod(&vc)
	}
	v, err := sim.NewVenue(vc, master, 7)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := okxsim.New(v, okxsim.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &venueFixture{t: t, v: v, srv: srv, base: base, master: master}
}

// best returns the best price and quantity of side of the canonical instrument name.
func (f *venueFixture) best(name string, side event.Side) (int64, int64) {
	m, ok := f.v.Market(name)
	if !ok {
		f.t.Fatalf("no market %s", name)
	}
	var px, qty int64
	f.v.Do(func(st *sim.State) { px, qty, _ = st.Engine(m).Best(side) })
	return px, qty
}

// trade submits an order of another account straight into the engine.
func (f *venueFixture) trade(name string, side event.Side, px, qty int64) {
	m, _ := f.v.Market(name)
	f.v.Do(func(st *sim.State) {
		if _, err := st.Engine(m).Submit(match.Request{Account: 77, Side: side, Type: event.OrderLimit,
			TIF: event.TIFIOC, Price: px, Qty: qty}, st.Now()); err != nil {
			f.t.Errorf("engine submit: %v", err)
		}
	})
}

// recorder is a Sink that keeps every event.
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

// wait polls until cond holds over the events recorded (10 s at most).
func (r *recorder) wait(t testing.TB, what string, cond func([]event.Event) bool) []event.Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs := r.all()
		if cond(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; events:\n%s", what, dump(evs))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// of returns the events of kind k about order id (id 0: any order).
func of(evs []event.Event, k event.Kind, id event.OrderID) []event.Event {
	var out []event.Event
	for i := range evs {
		e := &evs[i]
		if e.Kind != k {
			continue
		}
		var o event.OrderID
		switch k {
		case event.KindOrderAck:
			o = e.OrderAck().Order
		case event.KindReject:
			o = e.Reject().Order
		case event.KindFill:
			o = e.Fill().Order
		case event.KindCancelAck:
			o = e.CancelAck().Order
		}
		if id == 0 || o == id {
			out = append(out, *e)
		}
	}
	return out
}

func dump(evs []event.Event) string {
	var b strings.Builder
	for i := range evs {
		e := &evs[i]
		b.WriteString(e.Kind.String())
		switch e.Kind {
		case event.KindOrderAck:
			a := e.OrderAck()
			b.WriteString(" order=" + itoa(int64(a.Order)) + " px=" + itoa(a.Price) + " qty=" + itoa(a.Qty) + " leaves=" + itoa(a.Leaves))
		case event.KindReject:
			r := e.Reject()
			b.WriteString(" order=" + itoa(int64(r.Order)) + " code=" + itoa(r.VenueCode) + " reason=" + r.Reason.String())
		case event.KindFill:
			f := e.Fill()
			b.WriteString(" order=" + itoa(int64(f.Order)) + " px=" + itoa(f.Price) + " qty=" + itoa(f.Qty) + " leaves=" + itoa(f.Leaves) + " trade=" + itoa(int64(f.TradeID)))
		case event.KindCancelAck:
			c := e.CancelAck()
			b.WriteString(" order=" + itoa(int64(c.Order)) + " leaves=" + itoa(c.Leaves))
		case event.KindVenueStatus:
			b.WriteString(" " + e.VenueStatus().State.String() + " " + e.VenueStatus().Reason.String())
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func itoa(v int64) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}

// startSession runs a session against f until the test ends and waits until it is ready.
func startSession(t testing.TB, f *venueFixture, rec *recorder, mod func(*okx.Config)) *okx.Session {
	t.Helper()
	cfg := okx.Config{
		URL: f.srv.PrivateURL(), RESTURL: f.base,
		Credentials: gateway.Credentials{Key: simKey, Secret: simSecret, Passphrase: simPass},
		Prefix:      testPfx, Master: f.master, Sink: rec.sink,
		Timeout: 5 * time.Second, Reconnect: 20 * time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := okx.NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("Run did not stop")
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !s.Ready() {
		if time.Now().After(deadline) {
			t.Fatalf("session not ready; events:\n%s", dump(rec.all()))
		}
		time.Sleep(2 * time.Millisecond)
	}
	return s
}

// order builds a KindNewOrder event.
func order(inst event.InstrumentID, id event.OrderID, side event.Side, px, qty int64, mod func(*event.Order)) event.Event {
	e := event.Event{Kind: event.KindNewOrder, Venue: instrument.VenueOKX, Instrument: inst}
	*e.Order() = event.Order{Order: id, Parent: 9, Price: px, Qty: qty, Side: side}
	if mod != nil {
		mod(e.Order())
	}
	return e
}

// cancelOf builds a KindCancel event.
func cancelOf(inst event.InstrumentID, id event.OrderID) event.Event {
	e := event.Event{Kind: event.KindCancel, Venue: instrument.VenueOKX, Instrument: inst}
	*e.Cancel() = event.Cancel{Order: id, Parent: 9}
	return e
}

// instID returns the instrument id of a canonical name.
func instID(t testing.TB, m *instrument.Master, name string) event.InstrumentID {
	in, ok := m.ByName(name)
	if !ok {
		t.Fatalf("no instrument %s", name)
	}
	return in.ID
}
