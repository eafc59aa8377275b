package transport

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// serverDeadline bounds every test server connection: a handler never outlives it.
const serverDeadline = 15 * time.Second

// wsServer is a loopback WebSocket server for tests: each accepted connection is upgraded with
// gobwas's ws.Upgrade and handed to handle with its index (0 for the first). It stops by itself
// at the end of the test: the listener is closed and every handler waited for.
type wsServer struct {
	URL string
	ln  net.Listener
	wg  sync.WaitGroup
	n   atomic.Int32 // connections accepted
}

func startServer(t testing.TB, tlsCfg *tls.Config, handle func(i int, nc net.Conn)) *wsServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &wsServer{ln: ln, URL: "ws://" + ln.Addr().String() + "/ws"}
	if tlsCfg != nil {
		s.URL = "wss://" + ln.Addr().String() + "/ws"
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for i := 0; ; i++ {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			s.n.Add(1)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer nc.Close()
				if tlsCfg != nil {
					nc = tls.Server(nc, tlsCfg)
				}
				_ = nc.SetDeadline(time.Now().Add(serverDeadline))
				if _, err := ws.Upgrade(nc); err != nil {
					return
				}
				handle(i, nc)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// Server-side frame helpers (server frames are not masked).

func sendFrame(nc net.Conn, op ws.OpCode, fin bool, p []byte) error {
	return ws.WriteFrame(nc, ws.NewFrame(op, fin, p))
}

func sendText(nc net.Conn, s string) error { return sendFrame(nc, ws.OpText, true, []byte(s)) }

func sendClose(nc net.Conn, code ws.StatusCode, reason string) error {
	return ws.WriteFrame(nc, ws.NewCloseFrame(ws.NewCloseFrameBody(code, reason)))
}

// readClient reads one client frame, checks it is masked and returns its header and unmasked
// payload.
func readClient(nc net.Conn) (ws.Header, []byte, error) {
	h, err := ws.ReadHeader(nc)
	if err != nil {
		return h, nil, err
	}
	p := make([]byte, h.Length)
	if _, err := io.ReadFull(nc, p); err != nil {
		return h, nil, err
	}
	if !h.Masked {
		return h, p, fmt.Errorf("client frame (opcode %d) not masked", h.OpCode)
	}
	ws.Cipher(p, h.Mask, 0)
	return h, p, nil
}

// expectText reads client frames until a text frame, answering nothing; it fails on anything
// else than want.
func expectText(nc net.Conn, want string) error {
	h, p, err := readClient(nc)
	if err != nil {
		return err
	}
	if h.OpCode != ws.OpText || string(p) != want {
		return fmt.Errorf("client sent opcode %d %q, want text %q", h.OpCode, p, want)
	}
	return nil
}

// drain reads client frames until the connection ends and returns the close code the client
// sent (0 if none).
func drain(nc net.Conn) ws.StatusCode {
	for {
		h, p, err := readClient(nc)
		if err != nil {
			return 0
		}
		if h.OpCode == ws.OpClose {
			if len(p) >= 2 {
				return ws.StatusCode(binary.BigEndian.Uint16(p))
			}
			return ws.StatusNoStatusRcvd
		}
	}
}

// scripted is an in-memory net.Conn whose reads return the given chunks one by one; a nil chunk
// returns a deadline error (the Conn must resume after it), and the end of the script is io.EOF.
// Writes are recorded.
type scripted struct {
	chunks [][]byte
	out    []byte
}

func (s *scripted) Read(p []byte) (int, error) {
	if len(s.chunks) == 0 {
		return 0, io.EOF
	}
	c := s.chunks[0]
	if c == nil {
		s.chunks = s.chunks[1:]
		return 0, os.ErrDeadlineExceeded
	}
	n := copy(p, c)
	if n == len(c) {
		s.chunks = s.chunks[1:]
	} else {
		s.chunks[0] = c[n:]
	}
	return n, nil
}

func (s *scripted) Write(p []byte) (int, error)        { s.out = append(s.out, p...); return len(p), nil }
func (s *scripted) Close() error                       { return nil }
func (s *scripted) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (s *scripted) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (s *scripted) SetDeadline(t time.Time) error      { return nil }
func (s *scripted) SetReadDeadline(t time.Time) error  { return nil }
func (s *scripted) SetWriteDeadline(t time.Time) error { return nil }

// frame compiles a server frame.
func frame(op ws.OpCode, fin bool, p string) []byte {
	return ws.MustCompileFrame(ws.NewFrame(op, fin, []byte(p)))
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// scriptedConn returns a Conn reading the script.
func scriptedConn(cfg Config, chunks ...[]byte) (*Conn, *scripted) {
	sc := &scripted{chunks: chunks}
	c := NewConn(cfg)
	c.attach(sc)
	return c, sc
}

// clientFrames parses the frames a Conn wrote, unmasking them.
func clientFrames(t *testing.T, b []byte) (hs []ws.Header, ps []string) {
	t.Helper()
	for len(b) > 0 {
		h, n, err := parseHeader(b)
		if err != nil || n == 0 || len(b) < n+int(h.Length) {
			t.Fatalf("bad client frame bytes %x (err %v)", b, err)
		}
		p := append([]byte(nil), b[n:n+int(h.Length)]...)
		if h.Masked {
			ws.Cipher(p, h.Mask, 0)
		}
		hs, ps = append(hs, h), append(ps, string(p))
		b = b[n+int(h.Length):]
	}
	return hs, ps
}

// stepClock is a fake Clock: every call returns the next integer, from 1.
type stepClock struct{ n atomic.Int64 }

func (c *stepClock) Now() int64 { return c.n.Add(1) }

// testDecoder is a trivial venue decoder over one book, driven by text messages:
//
//	"t N"        a trade with Seq N
//	"snap P Q"   a book snapshot with one bid level P × Q
//	"gap"        a sequence break: the book is invalidated and a resubscribe requested
//	"resnap"     a sequence break answered by a REST snapshot request
//	"reconnect"  a reconnect request
//
// Anything else is an anomaly.
type testDecoder struct {
	r     *feed.Replica
	books []*feed.Replica
	an    feed.Anomalies
	reqs  []feed.Request
}

func newTestDecoder(t testing.TB) *testDecoder {
	r, err := feed.NewReplica(feed.ReplicaConfig{
		Venue: 7, Instrument: 1, Symbol: "TEST",
		Scales: feed.Scales{Price: 2, Qty: 3, Tick: 1, Known: true}, Capacity: 16,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &testDecoder{r: r, books: []*feed.Replica{r}, reqs: make([]feed.Request, 0, 4)}
}

var errUnknown = errors.New("testdecoder: unknown message")

func (d *testDecoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	d.r.Stats.Messages++
	switch {
	case len(msg) > 2 && msg[0] == 't' && msg[1] == ' ':
		n, ok := atou(msg[2:])
		if !ok {
			d.an.Note("bad trade", msg, nil)
			return errUnknown
		}
		e := out.Add()
		e.Kind, e.Flags, e.Venue, e.Instrument = event.KindTrade, event.FlagLastInBatch, 7, 1
		e.Seq, e.RecvTS = n, recvTS
		e.Trade().Qty = int64(n)
		return nil
	case len(msg) > 5 && string(msg[:5]) == "snap ":
		d.r.Begin(out, 0, 0, recvTS)
		d.r.Snapshot()
		return d.level(msg[5:])
	case string(msg) == "gap":
		d.r.Begin(out, 0, 0, recvTS)
		d.r.Gap()
		d.reqs = append(d.reqs, feed.Request{Kind: feed.RequestResubscribe, Replica: d.r})
		return nil
	case string(msg) == "resnap":
		d.r.Begin(out, 0, 0, recvTS)
		d.r.Gap()
		d.reqs = append(d.reqs, feed.Request{Kind: feed.RequestSnapshot, Replica: d.r})
		return nil
	case string(msg) == "reconnect":
		d.reqs = append(d.reqs, feed.Request{Kind: feed.RequestReconnect, Replica: d.r})
		return nil
	}
	d.an.Note("unknown", msg, nil)
	return errUnknown
}

// level applies "P Q" to the open book message and commits it.
func (d *testDecoder) level(b []byte) error {
	for i := range b {
		if b[i] == ' ' {
			if err := d.r.SetText(book.Bid, b[:i], b[i+1:]); err != nil {
				return err
			}
			return d.r.Commit()
		}
	}
	return errUnknown
}

func (d *testDecoder) LoadSnapshot(symbol string, body []byte, recvTS int64, out *feed.Batch) error {
	if symbol != "TEST" {
		return fmt.Errorf("testdecoder: unknown symbol %q", symbol)
	}
	d.r.Begin(out, 0, 0, recvTS)
	d.r.Snapshot()
	for i := range body {
		if body[i] == ' ' {
			if err := d.r.SetText(book.Bid, body[:i], body[i+1:]); err != nil {
				return err
			}
			return d.r.CommitOutside()
		}
	}
	return errUnknown
}

func (d *testDecoder) Books() []*feed.Replica     { return d.books }
func (d *testDecoder) Anomalies() *feed.Anomalies { return &d.an }
func (d *testDecoder) Requests(dst []feed.Request) []feed.Request {
	dst = append(dst, d.reqs...)
	d.reqs = d.reqs[:0]
	return dst
}

func atou(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// recorder is a Sink that keeps every event; tests read it from their own goroutine.
type recorder struct {
	mu  sync.Mutex
	evs []event.Event
}

func (r *recorder) sink(evs []event.Event) {
	r.mu.Lock()
	r.evs = append(r.evs, evs...)
	r.mu.Unlock()
}

func (r *recorder) events() []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event.Event(nil), r.evs...)
}

// waitFor polls until pred holds on the events so far (yielding between polls) and returns them;
// it fails the test after 10 s.
func (r *recorder) waitFor(t *testing.T, what string, pred func([]event.Event) bool) []event.Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs := r.events()
		if pred(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; events:\n%s", what, dump(evs))
		}
		time.Sleep(time.Millisecond)
	}
}

// statusString is a VenueStatus as "state/reason".
func statusString(e *event.Event) string {
	v := e.VenueStatus()
	return v.State.String() + "/" + v.Reason.String()
}

// statuses lists the VenueStatus events.
func statuses(evs []event.Event) []string {
	var s []string
	for i := range evs {
		if evs[i].Kind == event.KindVenueStatus {
			s = append(s, statusString(&evs[i]))
		}
	}
	return s
}

// trades lists the Seq of the trade events.
func trades(evs []event.Event) []uint64 {
	var s []uint64
	for i := range evs {
		if evs[i].Kind == event.KindTrade {
			s = append(s, evs[i].Seq)
		}
	}
	return s
}

func hasTrade(n uint64) func([]event.Event) bool {
	return func(evs []event.Event) bool {
		for _, s := range trades(evs) {
			if s == n {
				return true
			}
		}
		return false
	}
}

func countStatus(want string) func([]event.Event) int {
	return func(evs []event.Event) int {
		n := 0
		for _, s := range statuses(evs) {
			if s == want {
				n++
			}
		}
		return n
	}
}

func dump(evs []event.Event) string {
	var b []byte
	for i := range evs {
		e := &evs[i]
		b = append(b, "  "...)
		b = append(b, e.Kind.String()...)
		switch e.Kind {
		case event.KindVenueStatus:
			b = append(b, ' ')
			b = append(b, statusString(e)...)
		case event.KindBookStatus:
			b = append(b, ' ')
			b = append(b, e.BookStatus().State.String()+"/"+e.BookStatus().Reason.String()...)
		case event.KindTrade:
			b = append(b, " seq="+strconv.FormatUint(e.Seq, 10)...)
		}
		b = append(b, '\n')
	}
	return string(b)
}

// runSession runs s on its own goroutine; the returned stop cancels it and waits for Run to
// return (failing after 10 s).
func runSession(t *testing.T, s *Session) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Run returned %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// fastBackoff keeps reconnect tests short.
func fastBackoff() Backoff {
	return Backoff{Initial: 2 * time.Millisecond, Max: 20 * time.Millisecond, ResetAfter: time.Hour}
}
