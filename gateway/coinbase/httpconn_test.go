package coinbase

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestHTTPConn reads the answers a server may give: Content-Length, chunked, Connection:
// close, and refuses malformed ones.
func TestHTTPConn(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		status int
		body   string
		keep   bool
		err    error
	}{
		{"length", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", 200, "{}", true, nil},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4;ext=1\r\n\":1}\r\n0\r\nTrailer: x\r\n\r\n", 200, `{"a":1}`, true, nil},
		{"close", "HTTP/1.1 429 Too Many Requests\r\nconnection: Close\r\ncontent-length: 4\r\n\r\nslow", 429, "slow", false, nil},
		{"no-content", "HTTP/1.1 204 No Content\r\n\r\n", 204, "", true, nil},
		{"garbage", "SMTP ready\r\n\r\n", 0, "", false, ErrHTTP},
		{"no-length", "HTTP/1.1 200 OK\r\n\r\n", 0, "", false, ErrHTTP},
		{"bad-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, "", false, ErrHTTP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
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
				br := bufio.NewReader(nc)
				for range 2 {
					if _, err := http.ReadRequest(br); err != nil {
						return
					}
					nc.Write([]byte(tc.answer))
				}
			}()
			c := newHTTPConn(ln.Addr().String(), 2*time.Second, false, "")
			defer c.close()
			status, body, err := c.roundTrip([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
			if !errors.Is(err, tc.err) || status != tc.status || string(body) != tc.body {
				t.Fatalf("%d %q %v", status, body, err)
			}
			if (c.nc != nil) != tc.keep {
				t.Fatalf("connection kept: %v, want %v", c.nc != nil, tc.keep)
			}
			if tc.keep { // the same connection serves a second request
				if status, body, err := c.roundTrip([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil || status != tc.status || string(body) != tc.body {
					t.Fatalf("second: %d %q %v", status, body, err)
				}
			}
		})
	}
}

func TestIDTable(t *testing.T) {
	tb := newIDTable(64)
	ref := map[uint64]int32{}
	for i := range 10_000 {
		k := uint64(i*7919) % 97
		switch {
		case i%3 == 0:
			tb.del(k)
			delete(ref, k)
		case len(ref) < 64 || ref[k] != 0:
			if !tb.put(k, int32(i)) {
				t.Fatalf("put %d refused with %d keys", k, len(ref))
			}
			ref[k] = int32(i)
		}
		for rk, rv := range ref {
			if v, ok := tb.get(rk); !ok || v != rv {
				t.Fatalf("step %d: key %d: %d %v, want %d", i, rk, v, ok, rv)
			}
		}
		if tb.n != len(ref) {
			t.Fatalf("step %d: %d keys, want %d", i, tb.n, len(ref))
		}
	}
	s := newTradeSet(4)
	for _, id := range []uint64{1, 2, 3, 4} {
		if !s.add(id) {
			t.Fatal("new id refused")
		}
	}
	if s.add(3) {
		t.Fatal("duplicate accepted")
	}
	s.add(5) // forgets 1
	if !s.add(1) || s.add(5) {
		t.Fatal("bounded set")
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(Limits{Requests: 2, Window: time.Second, Orders: 1, OrderWindow: time.Second, Backoff: time.Second})
	const s = int64(time.Second)
	now := int64(1000) * s
	steps := []struct {
		at    int64
		order bool
		want  bool
	}{
		{0, true, true}, {0, true, false}, {0, false, true}, {0, false, false},
		{s / 2, false, true}, {s / 2, true, false}, {s, true, true},
	}
	for i, st := range steps {
		if got := l.allow(now+st.at, st.order); got != st.want {
			t.Fatalf("step %d: %v", i, got)
		}
	}
	d := l.throttled(now + 2*s)
	if d != time.Second || l.allow(now+2*s+s/2, false) || !l.allow(now+3*s, false) {
		t.Fatal("back-off")
	}
	if d := l.throttled(now + 4*s); d != 2*time.Second {
		t.Fatalf("second strike %v", d)
	}
	if d := l.throttled(now + 6*s); d != 4*time.Second {
		t.Fatalf("third strike %v", d)
	}
	l.ok()
	if d := l.throttled(now + 9*s); d != time.Second {
		t.Fatalf("after ok %v", d)
	}
}

// TestLimiterShared: goroutines drawing from one Limiter at one instant get exactly its budget
// between them, and one goroutine's 429 holds back the others.
func TestLimiterShared(t *testing.T) {
	l := NewLimiter(Limits{Requests: 60, Orders: 25, Backoff: time.Hour})
	const workers, tries = 4, 40
	var orders, plain [workers]int
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range tries {
				if l.allow(1, true) {
					orders[w]++
				}
				if l.allow(1, false) {
					plain[w]++
				}
			}
		}()
	}
	wg.Wait()
	var o, p int
	for w := range workers {
		o += orders[w]
		p += plain[w]
	}
	if o != 25 || o+p != 60 {
		t.Fatalf("shared budget handed out %d orders and %d other requests, want 25 and 35", o, p)
	}
	l.throttled(2) // every bucket has refilled 2 s later, inside the back-off
	if l.allow(2+int64(2*time.Second), false) || !l.allow(3+int64(time.Hour), true) {
		t.Fatal("a 429 does not hold back the other users of the Limiter for the back-off")
	}
}
