package binance

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// TestStreamRequests: the live-subscription requests and their errors.
func TestStreamRequests(t *testing.T) {
	e := newEnv(t, envConfig{})
	c := dialWS(t, e.s.StreamURL()+"/ws")
	steps := []struct{ send, want string }{
		{`{"method":"SUBSCRIBE","params":["btcusdt@trade","ethusdt@bookTicker"],"id":1}`, `{"result":null,"id":1}`},
		{`{"method":"LIST_SUBSCRIPTIONS","id":2}`, `{"result":["btcusdt@trade","ethusdt@bookTicker"],"id":2}`},
		{`{"method":"UNSUBSCRIBE","params":["btcusdt@trade"],"id":3}`, `{"result":null,"id":3}`},
		{`{"method":"LIST_SUBSCRIPTIONS","id":"abc"}`, `{"result":["ethusdt@bookTicker"],"id":"abc"}`},
		{`{"method":"GET_PROPERTY","params":["combined"],"id":4}`, `{"result":false,"id":4}`},
		{`{"method":"SET_PROPERTY","params":["combined",true],"id":5}`, `{"result":null,"id":5}`},
		{`{"method":"GET_PROPERTY","params":["combined"],"id":6}`, `{"result":true,"id":6}`},
		{`{"method":"SET_PROPERTY","params":["colour",true],"id":7}`, `{"code":0,"msg":"Unknown property","id":7}`},
		{`{"method":"SET_PROPERTY","params":["combined","yes"],"id":8}`, `{"code":1,"msg":"Invalid value type: expected Boolean","id":8}`},
		{`{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":-1}`, `{"code":2,"msg":"Invalid request: request ID must be an unsigned integer"}`},
		{`{"method":"SUBSCRIBEE","params":[],"id":9}`, "{\"code\":2,\"msg\":\"Invalid request: unknown variant `SUBSCRIBEE`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 28\",\"id\":9}"},
		{`{"params":[],"id":10}`, "{\"code\":2,\"msg\":\"Invalid request: missing field `method` at line 1 column 21\",\"id\":10}"},
		{`{"method":`, `{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}`},
	}
	for _, s := range steps {
		c.send(s.send)
		if got := c.read(5 * time.Second); string(got) != s.want {
			t.Fatalf("%s\n got %s\nwant %s", s.send, got, s.want)
		}
	}
}

// TestStreamPayloads: raw trade, bookTicker and partial-depth streams carry Binance's payloads
// with the instrument's prices at 8 decimals; bookTicker agrees with the REST book.
func TestStreamPayloads(t *testing.T) {
	e := newEnv(t, envConfig{})
	raw := dialWS(t, e.s.StreamURL()+"/ws/btcusdt@trade/btcusdt@bookTicker/btcusdt@depth5@100ms")
	var trade, ticker, partial []byte
	deadline := time.Now().Add(20 * time.Second)
	for trade == nil || ticker == nil || partial == nil {
		if time.Now().After(deadline) {
			t.Fatalf("missing payloads: trade %s ticker %s partial %s", trade, ticker, partial)
		}
		e.advance(100 * time.Millisecond)
		for until := time.Now().Add(30 * time.Millisecond); time.Now().Before(until); {
			b, err := raw.tryRead(10 * time.Millisecond)
			if err != nil {
				if !isTimeout(err) {
					t.Fatal(err)
				}
				continue
			}
			switch {
			case bytes.HasPrefix(b, []byte(`{"e":"trade",`)):
				trade = b
			case bytes.HasPrefix(b, []byte(`{"u":`)):
				ticker = b
			case bytes.HasPrefix(b, []byte(`{"lastUpdateId":`)):
				partial = b
			default:
				t.Fatalf("unexpected message on a raw connection: %s", b)
			}
		}
	}
	var tr map[string]any
	decodeJSON(t, trade, &tr)
	for _, k := range []string{"e", "E", "s", "t", "p", "q", "T", "m", "M"} {
		if _, ok := tr[k]; !ok {
			t.Fatalf("trade without %q: %s", k, trade)
		}
	}
	if p, _ := tr["p"].(string); len(p) < 10 || p[len(p)-9] != '.' {
		t.Fatalf("trade price %q is not written with 8 decimals", p)
	}
	var pd restBook
	decodeJSON(t, partial, &pd)
	if len(pd.Bids) != 5 || len(pd.Asks) != 5 {
		t.Fatalf("depth5: %s", partial)
	}
	// With the venue quiet, the last bookTicker is the REST book's top, and the partial depth
	// its five best levels.
	for quiet := time.Now().Add(100 * time.Millisecond); time.Now().Before(quiet); {
		b, err := raw.tryRead(20 * time.Millisecond)
		switch {
		case err != nil && !isTimeout(err):
			t.Fatal(err)
		case bytes.HasPrefix(b, []byte(`{"u":`)):
			ticker = b
		case bytes.HasPrefix(b, []byte(`{"lastUpdateId":`)):
			partial = b
		}
	}
	var m map[string]any
	decodeJSON(t, ticker, &m)
	rb := e.depth("BTCUSDT", 5)
	if m["s"] != "BTCUSDT" || uint64(m["u"].(float64)) != rb.LastUpdateID || m["b"] != rb.Bids[0][0] ||
		m["B"] != rb.Bids[0][1] || m["a"] != rb.Asks[0][0] || m["A"] != rb.Asks[0][1] {
		t.Fatalf("bookTicker %s vs REST %+v", ticker, rb)
	}
	decodeJSON(t, partial, &pd)
	if pd.LastUpdateID != rb.LastUpdateID || !slices.Equal(pd.Bids, rb.Bids) || !slices.Equal(pd.Asks, rb.Asks) {
		t.Fatalf("depth5 %s vs REST %+v", partial, rb)
	}
}

// TestStreamPing: the server pings; a client that answers stays; one that never answers is
// dropped with a close frame; a client ping gets a pong.
func TestStreamPing(t *testing.T) {
	e := newEnv(t, envConfig{opts: Options{PingInterval: 20 * time.Millisecond, PongTimeout: 100 * time.Millisecond}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	nc, _, _, err := ws.Dial(ctx, e.s.StreamURL()+"/ws")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	if err := ws.WriteFrame(nc, ws.MaskFrame(ws.NewPingFrame([]byte("hi")))); err != nil {
		t.Fatal(err)
	}
	sawPing, sawPong := false, false
	var closeCode ws.StatusCode
	for closeCode == 0 {
		h, err := ws.ReadHeader(nc)
		if err != nil {
			t.Fatalf("read: %v (ping %v, pong %v)", err, sawPing, sawPong)
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(nc, p); err != nil {
			t.Fatal(err)
		}
		switch h.OpCode {
		case ws.OpPing:
			sawPing = true // never answered
		case ws.OpPong:
			sawPong = string(p) == "hi"
		case ws.OpClose:
			closeCode = ws.StatusCode(binary.BigEndian.Uint16(p))
		}
	}
	if !sawPing || !sawPong || closeCode != ws.StatusPolicyViolation {
		t.Fatalf("ping %v, pong %v, close %d; want a ping, our pong and close 1008", sawPing, sawPong, closeCode)
	}

	// A client that answers (wsutil answers pings) outlives several pong timeouts.
	c := dialWS(t, e.s.StreamURL()+"/ws")
	deadline := time.Now().Add(400 * time.Millisecond)
	for time.Now().Before(deadline) {
		if _, err := c.tryRead(50 * time.Millisecond); err != nil && !isTimeout(err) {
			t.Fatalf("answering client dropped: %v", err)
		}
	}
}

// TestStartLoopbackOnly: the server refuses non-loopback addresses.
func TestStartLoopbackOnly(t *testing.T) {
	e := newEnv(t, envConfig{})
	s, err := New(e.v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80"} {
		if _, err := s.Start(addr); err == nil {
			t.Fatalf("Start(%q) succeeded", addr)
		}
	}
	if _, err := e.s.Start("127.0.0.1:0"); err == nil {
		t.Fatal("second Start succeeded")
	}
}
