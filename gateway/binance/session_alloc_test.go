//go:build !race

package binance

import (
	"bufio"
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway"
)

// TestSessionAllocs: Send (encode, sign, limit, frame, write; new order, cancel, cancel-replace) and the reader's read-parse-emit
// step allocate nothing in steady state, over a connection that stands in for the socket.
func TestSessionAllocs(t *testing.T) {
	m := testMaster(t)
	var got int
	s, err := NewSession(Config{Credentials: gateway.Credentials{Key: testKey, Secret: testSecret}, Prefix: testPrefix,
		Master: m, Now: func() int64 { return int64(time.Hour) }, Limits: Limits{Orders10s: 1 << 30, OrdersDay: 1 << 30, Weight1m: 1 << 30}},
		func(evs []event.Event) { got += len(evs) })
	if err != nil {
		t.Fatal(err)
	}
	frames := serverFrame([]byte(report("NEW", "NEW", "txx1", "", "0.01000", "0.00000", "0.00000", "0.00", "0", "null", "-1", false)))
	frames = append(frames, serverFrame([]byte(`{"id":3,"status":400,"error":{"code":-2011,"msg":"Unknown order sent."},"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":1}]}`))...)
	sc := &sinkConn{frames: frames}
	s.conn = &wsConn{nc: sc, br: bufio.NewReaderSize(sc, 4096), rbuf: make([]byte, 0, 4096), wbuf: make([]byte, 0, 4096), rng: 1}
	s.connected = true
	mk := btcMarket(t, s.markets)
	place := event.Event{Kind: event.KindNewOrder, Instrument: mk.Listing.Instrument}
	*place.Order() = order(1, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 6800000, 1000)
	cancel := event.Event{Kind: event.KindCancel, Instrument: mk.Listing.Instrument}
	*cancel.Cancel() = event.Cancel{Order: 1}
	replace := event.Event{Kind: event.KindReplace, Instrument: mk.Listing.Instrument}
	*replace.Replace() = event.Replace{Order: 1, Price: 6800100, Qty: 1000, NewOrder: 2}
	cases := []struct {
		name string
		fn   func()
	}{
		{"Send place", func() { _ = s.Send(&place) }},
		{"Send cancel", func() { _ = s.Send(&cancel) }},
		{"Send replace", func() { _ = s.Send(&replace) }},
		{"read and handle", func() {
			_, msg, err := s.conn.read()
			if err != nil {
				t.Fatal(err)
			}
			s.handle(msg)
		}},
	}
	for _, c := range cases {
		c.fn()
		if n := testing.AllocsPerRun(200, c.fn); n != 0 {
			t.Errorf("%s: %v allocations per call, want 0", c.name, n)
		}
	}
	if st := s.Stats(); st.Sent == 0 || st.Refused != 0 || st.Reports == 0 || st.ParseErrors != 0 || got == 0 {
		t.Errorf("stats %+v, %d events", st, got)
	}
}
