//go:build !race

package coinbase

import (
	"io"
	"net"
	"testing"
	"time"

	"ems/core/event"
)

// TestGatewayAllocs: encoding (all but the JWT), parsing, the HTTP round trip and the session's
// tables allocate nothing in steady state.
func TestGatewayAllocs(t *testing.T) {
	e := testEncoder(t)
	a := answers(t)
	p := NewParser()
	o := event.Order{Order: 42, Price: 6_800_001, Qty: 100_000, Side: event.SideBuy}
	dst := make([]byte, 0, 1024)
	vid := []byte("00000001-0000-4000-8000-000000000191")
	ids := newIDTable(1024)
	trades := newTradeSet(1024)
	lim := NewLimiter(Limits{})
	var n uint64
	var now int64
	tests := []struct {
		name string
		fn   func()
	}{
		{"order-body", func() { dst, _ = e.AppendOrderBody(dst[:0], &o, &btcListing) }},
		{"cancel-body", func() { dst = AppendCancelBody(dst[:0], vid) }},
		{"parse-create", func() { p.ParseCreate(200, a["create-ok"]) }},
		{"parse-reject", func() { p.ParseCreate(200, a["create-min-notional"]) }},
		{"parse-cancel", func() { p.ParseCancel(200, a["cancel-unknown"]) }},
		{"parse-user", func() { p.ParseUser(a["ws-4"]) }},
		{"parse-fills", func() { p.ParseFills(200, a["fills"]) }},
		{"parse-orders", func() { p.ParseOrders(200, a["orders"]) }},
		{"client-id", func() { ClientOrder("capx", []byte("capx123")) }},
		{"tables", func() {
			n++
			ids.put(n, 1)
			ids.get(n)
			ids.del(n)
			trades.add(n)
		}},
		{"limiter", func() {
			now += int64(time.Second)
			lim.allow(now, true)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn()
			if got := testing.AllocsPerRun(200, tc.fn); got != 0 {
				t.Fatalf("%v allocations, want 0", got)
			}
		})
	}
}

// TestRoundTripAllocs: the keep-alive HTTP round trip reuses its buffers.
func TestRoundTripAllocs(t *testing.T) {
	req := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		// An allocation-free server (AllocsPerRun counts every goroutine): each request is
		// exactly len(req) bytes.
		buf := make([]byte, len(req))
		answer := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
		for {
			if _, err := io.ReadFull(nc, buf); err != nil {
				return
			}
			nc.Write(answer)
		}
	}()
	c := newHTTPConn(ln.Addr().String(), 5*time.Second, false, "")
	defer c.close()
	fn := func() {
		if status, _, err := c.roundTrip(req); err != nil || status != 200 {
			t.Fatal(status, err)
		}
	}
	fn()
	if got := testing.AllocsPerRun(100, fn); got != 0 {
		t.Fatalf("%v allocations per round trip, want 0", got)
	}
}
