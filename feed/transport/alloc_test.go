//go:build !race

package transport

import (
	"context"
	"net"
	"testing"

	"github.com/gobwas/ws"

	"ems/core/event"
)

// The allocation tests count every allocation in the process (testing.AllocsPerRun reads the
// runtime's totals), so the loopback server below allocates nothing while they measure: it
// writes a prebuilt blob of frames in one call and reads the client's frames into a fixed
// buffer.

const allocRuns = 2000

// blobServer serves a prebuilt blob of frames once the client's first frame arrives, then
// discards whatever the client sends.
func blobServer(t *testing.T, blob []byte) *wsServer {
	return startServer(t, nil, func(_ int, nc net.Conn) {
		buf := make([]byte, 64<<10)
		if _, err := nc.Read(buf); err != nil {
			return
		}
		if _, err := nc.Write(blob); err != nil {
			return
		}
		for {
			if _, err := nc.Read(buf); err != nil {
				return
			}
		}
	})
}

// TestAllocsReadMessage: ReadMessage allocates nothing per frame in steady state, with plain,
// fragmented and ping frames (the pong is written) in the stream.
func TestAllocsReadMessage(t *testing.T) {
	const warm = 100
	var blob []byte
	payload := []byte(`{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000000,"U":1,"u":2,"b":[["42000.10","0.5"]],"a":[]}}`)
	msgs := warm + allocRuns + 1
	for i := range msgs {
		switch i % 10 {
		case 3:
			blob = append(blob, ws.MustCompileFrame(ws.NewFrame(ws.OpText, false, payload[:40]))...)
			blob = append(blob, ws.MustCompileFrame(ws.NewPingFrame([]byte("hb")))...)
			blob = append(blob, ws.MustCompileFrame(ws.NewFrame(ws.OpContinuation, true, payload[40:]))...)
		default:
			blob = append(blob, ws.MustCompileFrame(ws.NewTextFrame(payload))...)
		}
	}
	srv := blobServer(t, blob)
	c, err := Dial(context.Background(), srv.URL, Config{Clock: &stepClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteText([]byte("go")); err != nil {
		t.Fatal(err)
	}
	read := func() {
		p, ts, err := c.ReadMessage()
		if err != nil || len(p) != len(payload) || ts <= 0 {
			t.Fatalf("ReadMessage: %d bytes, ts %d, %v", len(p), ts, err)
		}
	}
	for range warm {
		read()
	}
	if n := testing.AllocsPerRun(allocRuns, read); n != 0 {
		t.Fatalf("ReadMessage: %v allocations per message, want 0", n)
	}
}

// TestAllocsSessionStep: the Session's per-message path (read, decode, deliver, requests)
// allocates nothing in steady state.
func TestAllocsSessionStep(t *testing.T) {
	const warm = 100
	var blob []byte
	msgs := warm + allocRuns + 1
	for range msgs {
		blob = append(blob, ws.MustCompileFrame(ws.NewTextFrame([]byte("t 12345")))...)
	}
	srv := blobServer(t, blob)
	var delivered int
	var last event.Event
	s, _, _ := newTestSession(t, srv.URL, func(c *SessionConfig) {
		c.Subscribe = [][]byte{[]byte("go")}
		c.Sink = func(evs []event.Event) { delivered += len(evs); last = evs[len(evs)-1] }
	})
	ctx := context.Background()
	if err := s.connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.conn.Close()
	if err := s.conn.WriteText(s.cfg.Subscribe[0]); err != nil {
		t.Fatal(err)
	}
	step := func() {
		if err := s.step(ctx); err != nil {
			t.Fatal(err)
		}
		if last.Kind != event.KindTrade || last.Seq != 12345 {
			t.Fatalf("last event %+v", last)
		}
	}
	for range warm {
		step()
	}
	if n := testing.AllocsPerRun(allocRuns, step); n != 0 {
		t.Fatalf("Session step: %v allocations per message, want 0", n)
	}
	if delivered < allocRuns {
		t.Fatalf("%d events delivered", delivered)
	}
}

// TestAllocsWriteText: a keep-alive or subscription write allocates nothing.
func TestAllocsWriteText(t *testing.T) {
	srv := blobServer(t, nil)
	c, err := Dial(context.Background(), srv.URL, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg := []byte(`{"op":"ping"}`)
	write := func() {
		if err := c.WriteText(msg); err != nil {
			t.Fatal(err)
		}
	}
	write()
	if n := testing.AllocsPerRun(allocRuns, write); n != 0 {
		t.Fatalf("WriteText: %v allocations per frame, want 0", n)
	}
}
