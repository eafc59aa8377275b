package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"ems/core/event"
	"ems/feed"
)

// newTestSession builds a Session on the test decoder with a recorder sink, a fake clock and a
// seeded back-off; edit fills in the test's own settings.
func newTestSession(t *testing.T, url string, edit func(*SessionConfig)) (*Session, *recorder, *testDecoder) {
	t.Helper()
	rec := &recorder{}
	dec := newTestDecoder(t)
	cfg := SessionConfig{
		URL:     url,
		Conn:    Config{Clock: &stepClock{}, HandshakeTimeout: 5 * time.Second},
		Venue:   7,
		Decoder: dec,
		Sink:    rec.sink,
		Backoff: fastBackoff(),
		Rand:    rand.New(rand.NewPCG(42, 7)),
	}
	if edit != nil {
		edit(&cfg)
	}
	s, err := NewSession(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, rec, dec
}

func TestNewSessionChecks(t *testing.T) {
	dec := newTestDecoder(t)
	sink := func([]event.Event) {}
	for _, cfg := range []SessionConfig{
		{Decoder: dec, Sink: sink},
		{URL: "ws://x", Sink: sink},
		{URL: "ws://x", Decoder: dec},
		{URL: "ws://x", Decoder: dec, Sink: sink, StaleAfter: -1},
	} {
		if _, err := NewSession(cfg); err == nil {
			t.Errorf("NewSession(%+v) accepted", cfg)
		}
	}
}

// TestSessionDelivers: subscriptions are sent in order, messages reach the sink in order through
// the decoder with the clock's receive times, a server ping is answered, and shutdown ends with
// Disconnected/None and the book invalid.
func TestSessionDelivers(t *testing.T) {
	serverErr := make(chan error, 1)
	srv := startServer(t, nil, func(_ int, nc net.Conn) {
		serverErr <- func() error {
			for _, want := range []string{"sub-1", "sub-2"} {
				if err := expectText(nc, want); err != nil {
					return err
				}
			}
			for _, m := range []string{"snap 100.25 1.5", "t 1", "t 2", "t 3"} {
				if err := sendText(nc, m); err != nil {
					return err
				}
			}
			if err := ws.WriteFrame(nc, ws.NewPingFrame([]byte("hb-1"))); err != nil {
				return err
			}
			h, p, err := readClient(nc)
			if err != nil {
				return err
			}
			if h.OpCode != ws.OpPong || string(p) != "hb-1" {
				return fmt.Errorf("answer to ping: opcode %d %q", h.OpCode, p)
			}
			if err := sendText(nc, "t 4"); err != nil {
				return err
			}
			if code := drain(nc); code != ws.StatusNormalClosure {
				return fmt.Errorf("client closed with %d, want 1000", code)
			}
			return nil
		}()
	})
	s, rec, dec := newTestSession(t, srv.URL, func(c *SessionConfig) {
		c.Subscribe = [][]byte{[]byte("sub-1"), []byte("sub-2")}
	})
	stop := runSession(t, s)
	rec.waitFor(t, "trade 4", hasTrade(4))
	stop()
	if err := <-serverErr; err != nil {
		t.Fatal("server: ", err)
	}

	evs := rec.events()
	if got := trades(evs); !slices.Equal(got, []uint64{1, 2, 3, 4}) {
		t.Errorf("trades %v, want 1 2 3 4", got)
	}
	var last int64
	for i := range evs {
		if evs[i].RecvTS < last {
			t.Errorf("event %d: RecvTS %d before %d", i, evs[i].RecvTS, last)
		}
		last = evs[i].RecvTS
	}
	want := []string{"connected/connect", "disconnected/none"}
	if got := statuses(evs); !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if evs[0].Kind != event.KindVenueStatus || evs[0].Venue != 7 || evs[0].Seq != 1 {
		t.Errorf("first event %+v, want VenueStatus of venue 7, connection 1", evs[0])
	}
	lastEv := evs[len(evs)-1]
	if lastEv.Kind != event.KindBookStatus || lastEv.BookStatus().State != event.BookInvalid ||
		lastEv.BookStatus().Reason != event.BookReasonDisconnect {
		t.Errorf("last event %s, want the book invalid (disconnect)", dump(evs[len(evs)-1:]))
	}
	if dec.r.State() != event.BookInvalid || dec.r.Book().Len(0)+dec.r.Book().Len(1) != 0 {
		t.Error("book not invalidated and cleared on disconnect")
	}
	st := s.Stats()
	if st.Messages != 5 || st.Connects != 1 || st.Disconnects != 1 || st.DecodeErrors != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestSessionReconnects: the server drops the connection (close frame, then a bare end of
// stream); the Session reconnects with back-off, resubscribes and the statuses come in order.
func TestSessionReconnects(t *testing.T) {
	srv := startServer(t, nil, func(i int, nc net.Conn) {
		if expectText(nc, "sub") != nil {
			return
		}
		switch i {
		case 0:
			_ = sendText(nc, "snap 10 1")
			_ = sendText(nc, "t 1")
			_ = sendClose(nc, ws.StatusGoingAway, "restart")
			drain(nc)
		case 1:
			_ = sendText(nc, "t 2")
			// return: the socket closes without a close frame
		default:
			_ = sendText(nc, "t 3")
			drain(nc)
		}
	})
	s, rec, _ := newTestSession(t, srv.URL, func(c *SessionConfig) {
		c.Subscribe = [][]byte{[]byte("sub")}
	})
	stop := runSession(t, s)
	rec.waitFor(t, "trade 3", hasTrade(3))
	stop()

	evs := rec.events()
	want := []string{
		"connected/connect", "disconnected/closed",
		"connected/connect", "disconnected/closed",
		"connected/connect", "disconnected/none",
	}
	if got := statuses(evs); !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v\n%s", got, want, dump(evs))
	}
	if got := trades(evs); !slices.Equal(got, []uint64{1, 2, 3}) {
		t.Errorf("trades %v", got)
	}
	// Connection numbers in Seq, and the book invalidated right after the first drop.
	conn := uint64(0)
	for i := range evs {
		e := &evs[i]
		if e.Kind == event.KindVenueStatus && e.VenueStatus().State == event.VenueConnected {
			conn++
			if e.Seq != conn {
				t.Errorf("connection %d announced with Seq %d", conn, e.Seq)
			}
		}
		if e.Kind == event.KindVenueStatus && statusString(e) == "disconnected/closed" && conn == 1 {
			next := evs[i+1]
			if next.Kind != event.KindBookStatus || next.BookStatus().Reason != event.BookReasonDisconnect {
				t.Errorf("after the first drop: %s, want the book invalid", dump(evs[i+1:i+2]))
			}
		}
	}
	if st := s.Stats(); st.Connects != 3 || st.Disconnects != 3 {
		t.Errorf("stats %+v", st)
	}
}

// TestSessionDialFailures: a venue that refuses connections is announced disconnected once,
// and dialled again with back-off.
func TestSessionDialFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "ws://" + ln.Addr().String() + "/"
	ln.Close() // nothing listens there now
	s, rec, _ := newTestSession(t, url, nil)
	stop := runSession(t, s)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if n := len(rec.events()); n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // room for several attempts at 2-20 ms back-off
	stop()
	if got := statuses(rec.events()); !slices.Equal(got, []string{"disconnected/error"}) {
		t.Errorf("statuses %v, want one disconnected/error", got)
	}
	if st := s.Stats(); st.DialFailures < 2 || st.Connects != 0 {
		t.Errorf("stats %+v, want several dial failures", st)
	}
}

// TestSessionStale: silence past StaleAfter is announced (and its end), silence past DeadAfter
// drops the connection with reason timeout and the Session reconnects.
func TestSessionStale(t *testing.T) {
	srv := startServer(t, nil, func(i int, nc net.Conn) {
		switch i {
		case 0:
			_ = sendText(nc, "t 1")
			time.Sleep(300 * time.Millisecond) // stale at 50 ms, not dead (1 s)
			_ = sendText(nc, "t 2")
			drain(nc) // silent until the client gives up
		default:
			_ = sendText(nc, "t 3")
			drain(nc)
		}
	})
	s, rec, _ := newTestSession(t, srv.URL, func(c *SessionConfig) {
		c.StaleAfter = 50 * time.Millisecond
		c.DeadAfter = time.Second
	})
	stop := runSession(t, s)
	rec.waitFor(t, "trade 3", hasTrade(3))
	stop()
	evs := rec.events()
	want := []string{
		"connected/connect", "stale/timeout", "connected/none", "stale/timeout",
		"disconnected/timeout", "connected/connect", "disconnected/none",
	}
	if got := statuses(evs); !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v\n%s", got, want, dump(evs))
	}
	if st := s.Stats(); st.Stale != 2 {
		t.Errorf("stale periods %d, want 2", st.Stale)
	}
}

// TestSessionKeepAlive: the venue's keep-alive text is sent on silence (OKX style) and
// periodically under traffic (Bybit style).
func TestSessionKeepAlive(t *testing.T) {
	for _, periodic := range []bool{false, true} {
		t.Run(fmt.Sprintf("periodic=%v", periodic), func(t *testing.T) {
			var pings atomic.Int32
			srv := startServer(t, nil, func(_ int, nc net.Conn) {
				stopFeed, fed := make(chan struct{}), make(chan struct{})
				defer func() { close(stopFeed); <-fed }()
				if !periodic {
					close(fed)
				} else { // keep traffic flowing
					go func() {
						defer close(fed)
						tk := time.NewTicker(2 * time.Millisecond)
						defer tk.Stop()
						for n := 1; ; n++ {
							select {
							case <-stopFeed:
								return
							case <-tk.C:
								if sendText(nc, fmt.Sprintf("t %d", n)) != nil {
									return
								}
							}
						}
					}()
				}
				for {
					h, p, err := readClient(nc)
					if err != nil || h.OpCode == ws.OpClose {
						return
					}
					if string(p) == `{"op":"ping"}` {
						pings.Add(1)
					}
				}
			})
			s, _, _ := newTestSession(t, srv.URL, func(c *SessionConfig) {
				c.KeepAlive = KeepAlive{Interval: 20 * time.Millisecond, Message: []byte(`{"op":"ping"}`), Periodic: periodic}
			})
			stop := runSession(t, s)
			deadline := time.Now().Add(10 * time.Second)
			for pings.Load() < 3 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			stop()
			if n := pings.Load(); n < 3 {
				t.Fatalf("%d keep-alives received, want at least 3", n)
			}
			if st := s.Stats(); st.KeepAlives < 3 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// TestSessionFrameTooLarge: an oversized frame drops the connection (reason error, close 1009)
// and the Session reconnects; memory stays within the limit.
func TestSessionFrameTooLarge(t *testing.T) {
	codes := make(chan ws.StatusCode, 1)
	srv := startServer(t, nil, func(i int, nc net.Conn) {
		if i == 0 {
			_ = sendText(nc, "t 1")
			_ = sendText(nc, "t "+strings.Repeat("9", 4096))
			codes <- drain(nc)
			return
		}
		_ = sendText(nc, "t 2")
		drain(nc)
	})
	s, rec, _ := newTestSession(t, srv.URL, func(c *SessionConfig) {
		c.Conn.MaxFrameSize = 256
	})
	stop := runSession(t, s)
	rec.waitFor(t, "trade 2", hasTrade(2))
	stop()
	want := []string{"connected/connect", "disconnected/error", "connected/connect", "disconnected/none"}
	if got := statuses(rec.events()); !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	if code := <-codes; code != ws.StatusMessageTooBig {
		t.Errorf("server got close %d, want 1009", code)
	}
	if n := s.Conn().BufferSize(); n > 256+ws.MaxHeaderSize {
		t.Errorf("read buffer %d bytes, over the limit", n)
	}
}

// TestSessionRequests: the decoder's resubscribe, snapshot and reconnect requests.
func TestSessionRequests(t *testing.T) {
	serverErr := make(chan error, 2)
	srv := startServer(t, nil, func(i int, nc net.Conn) {
		serverErr <- func() error {
			if err := expectText(nc, "sub"); err != nil {
				return err
			}
			if i > 0 {
				_ = sendText(nc, "t 9")
				drain(nc)
				return nil
			}
			for _, m := range []string{"snap 100 1", "gap"} {
				if err := sendText(nc, m); err != nil {
					return err
				}
			}
			for _, want := range []string{"unsub TEST", "sub TEST"} {
				if err := expectText(nc, want); err != nil {
					return err
				}
			}
			for _, m := range []string{"snap 101 2", "resnap", "t 5", "reconnect"} {
				if err := sendText(nc, m); err != nil {
					return err
				}
			}
			if code := drain(nc); code != ws.StatusNormalClosure {
				return fmt.Errorf("client closed with %d on a reconnect request", code)
			}
			return nil
		}()
	})
	var fetched []string
	s, rec, dec := newTestSession(t, srv.URL, func(c *SessionConfig) {
		c.Subscribe = [][]byte{[]byte("sub")}
		c.Resubscribe = func(r feed.Request) [][]byte {
			sym := r.Replica.Config().Symbol
			return [][]byte{[]byte("unsub " + sym), []byte("sub " + sym)}
		}
		c.Snapshot = func(ctx context.Context, symbol string) ([]byte, error) {
			fetched = append(fetched, symbol)
			return []byte("99.5 3"), nil
		}
	})
	stop := runSession(t, s)
	rec.waitFor(t, "trade 9", hasTrade(9))
	stop()
	for range 2 {
		if err := <-serverErr; err != nil {
			t.Fatal("server: ", err)
		}
	}
	if !slices.Equal(fetched, []string{"TEST"}) {
		t.Errorf("snapshots fetched %v", fetched)
	}
	want := []string{"connected/connect", "disconnected/none", "connected/connect", "disconnected/none"}
	evs := rec.events()
	if got := statuses(evs); !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v\n%s", got, want, dump(evs))
	}
	// The REST snapshot reached the book: a snapshot level 99.50 × 3.000 went out.
	found := false
	for i := range evs {
		e := &evs[i]
		if e.Kind == event.KindBookLevel && e.BookLevel().Price == 9950 && e.BookLevel().Qty == 3000 &&
			e.Flags&event.FlagSnapshotBegin != 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("REST snapshot level not delivered\n%s", dump(evs))
	}
	st := s.Stats()
	if st.Resubscribes != 1 || st.Snapshots != 1 || st.SnapshotErrors != 0 || st.Connects != 2 {
		t.Errorf("stats %+v", st)
	}
	if dec.r.Stats.Gaps != 2 {
		t.Errorf("gaps %d", dec.r.Stats.Gaps)
	}
}

// TestSessionSnapshotFailure: a failed REST fetch falls back to a reconnect.
func TestSessionSnapshotFailure(t *testing.T) {
	srv := startServer(t, nil, func(i int, nc net.Conn) {
		if i == 0 {
			_ = sendText(nc, "resnap")
		} else {
			_ = sendText(nc, "t 1")
		}
		drain(nc)
	})
	s, rec, _ := newTestSession(t, srv.URL, func(c *SessionConfig) {
		c.Snapshot = func(ctx context.Context, symbol string) ([]byte, error) {
			return nil, errors.New("HTTP 503")
		}
	})
	stop := runSession(t, s)
	rec.waitFor(t, "trade 1", hasTrade(1))
	stop()
	want := []string{"connected/connect", "disconnected/none", "connected/connect", "disconnected/none"}
	if got := statuses(rec.events()); !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if st := s.Stats(); st.SnapshotErrors != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestSessionBackoffReset: consecutive short-lived connections grow the back-off; a connection
// that stayed up ResetAfter resets it.
func TestSessionBackoffReset(t *testing.T) {
	for _, tt := range []struct {
		name        string
		resetAfter  time.Duration
		wantAttempt int
	}{
		{"resetAfter=1h", time.Hour, 3},
		{"resetAfter=1ns", time.Nanosecond, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, nil, func(i int, nc net.Conn) {
				_ = sendText(nc, fmt.Sprintf("t %d", i+1))
				if i == 3 {
					drain(nc)
				}
			})
			s, rec, _ := newTestSession(t, srv.URL, func(c *SessionConfig) {
				c.Backoff.ResetAfter = tt.resetAfter
			})
			stop := runSession(t, s)
			rec.waitFor(t, "trade 4", hasTrade(4))
			stop()
			if s.attempt != tt.wantAttempt {
				t.Errorf("back-off attempt %d after the run, want %d", s.attempt, tt.wantAttempt)
			}
		})
	}
}
