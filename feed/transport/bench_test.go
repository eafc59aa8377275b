package transport

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"ems/core/event"
)

// streamServer waits for the client's first frame, then streams at least n copies of frame
// (written in blobs of 256) and reads until the client closes.
func streamServer(b *testing.B, tlsCfg *tls.Config, frame []byte, n int) *wsServer {
	const perBlob = 256
	blob := bytes.Repeat(frame, perBlob)
	return startServer(b, tlsCfg, func(_ int, nc net.Conn) {
		buf := make([]byte, 4096)
		if _, err := nc.Read(buf); err != nil {
			return
		}
		for sent := 0; sent < n; sent += perBlob {
			if _, err := nc.Write(blob); err != nil {
				return
			}
		}
		for { // until the client closes
			if _, err := nc.Read(buf); err != nil {
				return
			}
		}
	})
}

func benchPayload(size int) []byte {
	p := bytes.Repeat([]byte(`{"e":"depthUpdate","b":[["42000.10","0.5"]]}`), size/44+1)
	return p[:size]
}

// BenchmarkReceive measures receiving text frames over loopback: ns/op is ns per frame, the
// frames/s metric its inverse. impl=wsutil is the baseline: gobwas's wsutil.Reader over a
// bufio.Reader, copying each payload into a reused buffer.
func BenchmarkReceive(b *testing.B) {
	for _, impl := range []string{"conn", "wsutil"} {
		for _, size := range []int{64, 512, 4096} {
			b.Run(fmt.Sprintf("impl=%s/size=%d", impl, size), func(b *testing.B) {
				benchReceive(b, impl, nil, nil, size)
			})
		}
	}
}

// BenchmarkReceiveTLS is BenchmarkReceive over wss.
func BenchmarkReceiveTLS(b *testing.B) {
	serverTLS, pool := selfSigned(b)
	clientTLS := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	for _, size := range []int{512} {
		b.Run(fmt.Sprintf("impl=conn/size=%d", size), func(b *testing.B) {
			benchReceive(b, "conn", serverTLS, clientTLS, size)
		})
	}
}

func benchReceive(b *testing.B, impl string, serverTLS, clientTLS *tls.Config, size int) {
	payload := benchPayload(size)
	srv := streamServer(b, serverTLS, ws.MustCompileFrame(ws.NewTextFrame(payload)), b.N)
	ctx := context.Background()
	var next func() []byte
	switch impl {
	case "conn":
		c, err := Dial(ctx, srv.URL, Config{TLSConfig: clientTLS})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		if err := c.WriteText([]byte("go")); err != nil {
			b.Fatal(err)
		}
		next = func() []byte {
			p, _, err := c.ReadMessage()
			if err != nil {
				b.Fatal(err)
			}
			return p
		}
	case "wsutil":
		nc, br, _, err := ws.Dialer{}.Dial(ctx, srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		defer nc.Close()
		if br != nil {
			b.Fatal("unexpected early frames")
		}
		if err := wsutil.WriteClientText(nc, []byte("go")); err != nil {
			b.Fatal(err)
		}
		rd := wsutil.Reader{Source: bufio.NewReaderSize(nc, DefaultReadBufferSize), State: ws.StateClientSide}
		buf := make([]byte, size)
		next = func() []byte {
			h, err := rd.NextFrame()
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.ReadFull(&rd, buf[:h.Length])
			if err != nil {
				b.Fatal(err)
			}
			return buf[:n]
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if p := next(); len(p) != size || p[0] != '{' {
			b.Fatalf("got %d bytes", len(p))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}

// BenchmarkSession measures the whole per-message path of a feed over loopback: read, decode
// with a trivial decoder, deliver to a sink.
func BenchmarkSession(b *testing.B) {
	b.Run("decoder=trivial", func(b *testing.B) {
		msg := []byte("t 123456789")
		srv := streamServer(b, nil, ws.MustCompileFrame(ws.NewTextFrame(msg)), b.N)
		var last event.Event
		dec := newTestDecoder(b)
		s, err := NewSession(SessionConfig{
			URL: srv.URL, Decoder: dec, Subscribe: [][]byte{[]byte("go")},
			Sink: func(evs []event.Event) { last = evs[len(evs)-1] },
		})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if err := s.connect(ctx); err != nil {
			b.Fatal(err)
		}
		defer s.conn.Close()
		if err := s.conn.WriteText(s.cfg.Subscribe[0]); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := s.step(ctx); err != nil {
				b.Fatal(err)
			}
			if last.Seq != 123456789 {
				b.Fatalf("event %+v", last)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
	})
}

// BenchmarkHeader compares the in-place header parser with gobwas's ws.ReadHeader (the baseline,
// which allocates a scratch slice per call).
func BenchmarkHeader(b *testing.B) {
	var hdr bytes.Buffer
	want := ws.Header{Fin: true, OpCode: ws.OpText, Length: 300}
	if err := ws.WriteHeader(&hdr, want); err != nil {
		b.Fatal(err)
	}
	raw := hdr.Bytes()
	b.Run("impl=transport", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for range b.N {
			h, n, err := parseHeader(raw)
			if err != nil || n != len(raw) || h.Length != want.Length {
				b.Fatal(h, n, err)
			}
		}
	})
	b.Run("impl=gobwas", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		r := bytes.NewReader(raw)
		for range b.N {
			r.Reset(raw)
			h, err := ws.ReadHeader(r)
			if err != nil || h.Length != want.Length {
				b.Fatal(h, err)
			}
		}
	})
}

// BenchmarkWriteText measures a masked client frame written to a loopback socket; the baseline
// is gobwas's wsutil.WriteClientText.
func BenchmarkWriteText(b *testing.B) {
	msg := []byte(`{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}`)
	srv := startServer(b, nil, func(_ int, nc net.Conn) {
		buf := make([]byte, 64<<10)
		for {
			if _, err := nc.Read(buf); err != nil {
				return
			}
		}
	})
	b.Run("impl=conn", func(b *testing.B) {
		c, err := Dial(context.Background(), srv.URL, Config{})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for range b.N {
			if err := c.WriteText(msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=wsutil", func(b *testing.B) {
		nc, _, _, err := ws.Dialer{}.Dial(context.Background(), srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		defer nc.Close()
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for range b.N {
			if err := wsutil.WriteClientText(nc, msg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
