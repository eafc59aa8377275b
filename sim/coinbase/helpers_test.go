package coinbase

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/core/instrument"
	"ems/feed"
	feedcb "ems/feed/coinbase"
	"ems/feed/transport"
	cbgw "ems/gateway/coinbase"
	"ems/sim"
)

// t0 is the simulated start: 2024-03-01 00:00:00 UTC.
const t0 = int64(1_709_251_200) * int64(time.Second)

// stepNanos is the simulated time between test steps.
const stepNanos = int64(100 * time.Millisecond)

// ioTimeout bounds every wait on the network in tests.
const ioTimeout = 5 * time.Second

// clock is a venue clock tests move by hand.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() int64 { return c.ns.Load() }

// fixture is a venue with a manual clock at t0 (seeded), its server, and the venue's keys.
type fixture struct {
	t    testing.TB
	v    *sim.Venue
	clk  *clock
	s    *Server
	host string // "127.0.0.1:PORT"
	keys []*cbgw.Key
	http *http.Client
}

// secondKey returns a fresh EC P-256 key for account 2.
func secondKey(t testing.TB) sim.APIKey {
	t.Helper()
	p, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalECPrivateKey(p)
	return sim.APIKey{Key: "organizations/sim/apiKeys/second", Account: 2,
		Secret: string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))}
}

// newFixture builds DefaultConfig's coinbase venue with no latency and no rate limit, plus a
// second key (account 2), lets mod change it, seeds it at t0 and starts a server on it.
func newFixture(t testing.TB, mod func(*sim.VenueConfig), opts Options) *fixture {
	t.Helper()
	var vc sim.VenueConfig
	for _, c := range sim.DefaultConfig().Venues {
		if c.Name == "coinbase" {
			vc = c
		}
	}
	clk := &clock{}
	clk.ns.Store(t0)
	vc.Latency = 0
	vc.RateLimit = sim.RateLimit{}
	vc.Clock = clk.now
	vc.Keys = append(vc.Keys, secondKey(t))
	if mod != nil {
		mod(&vc)
	}
	master, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	v, err := sim.NewVenue(vc, master, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Step(t0); err != nil {
		t.Fatal(err)
	}
	s, err := New(v, opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{t: t, v: v, clk: clk, s: s, host: strings.TrimPrefix(base, "http://"),
		http: &http.Client{Timeout: ioTimeout}}
	for _, k := range vc.Keys {
		key, err := cbgw.ParseKey(k.Key, k.Secret)
		if err != nil {
			t.Fatal(err)
		}
		f.keys = append(f.keys, key)
	}
	return f
}

// step advances the clock by n steps, stepping the venue at each.
func (f *fixture) step(n int) {
	f.t.Helper()
	for range n {
		if err := f.v.Step(f.clk.ns.Add(stepNanos)); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fixture) nowSec() int64 { return f.clk.now() / int64(time.Second) }

// market returns the venue's market sym.
func (f *fixture) market(sym string) *sim.Market {
	f.t.Helper()
	m, ok := f.v.Market(sym)
	if !ok {
		f.t.Fatalf("no market %s", sym)
	}
	return m
}

// depth returns the engine's whole book of sym.
func (f *fixture) depth(sym string) (bids, asks []book.Level) {
	m := f.market(sym)
	f.v.Do(func(st *sim.State) {
		e := st.Engine(m)
		bids = e.Depth(event.SideBuy, e.Levels(event.SideBuy), nil)
		asks = e.Depth(event.SideSell, e.Levels(event.SideSell), nil)
	})
	return bids, asks
}

// call sends a REST request signed with key k (nil: unsigned) and returns the status and body.
func (f *fixture) call(k *cbgw.Key, method, pathQuery, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, "http://"+f.host+pathQuery, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if k != nil {
		path, _, _ := strings.Cut(pathQuery, "?")
		tok, err := k.AppendRESTToken(nil, method, f.host, path, f.nowSec())
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+string(tok))
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// json sends a request with the first key and parses the answer, which must have status want.
func (f *fixture) json(want int, method, pathQuery, body string) *fastjson.Value {
	f.t.Helper()
	return f.jsonAs(f.keys[0], want, method, pathQuery, body)
}

func (f *fixture) jsonAs(k *cbgw.Key, want int, method, pathQuery, body string) *fastjson.Value {
	f.t.Helper()
	status, b, err := f.call(k, method, pathQuery, body)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, pathQuery, err)
	}
	if status != want {
		f.t.Fatalf("%s %s: status %d, want %d: %s", method, pathQuery, status, want, b)
	}
	v, err := fastjson.ParseBytes(b)
	if err != nil {
		f.t.Fatalf("%s %s: %v: %s", method, pathQuery, err, b)
	}
	return v
}

// wsClient is a test WebSocket client on the project's own transport.
type wsClient struct {
	t testing.TB
	f *fixture
	c *transport.Conn
	// sent counts requests; answered counts their answers (subscriptions messages and errors)
	// read so far. The server answers every request, in order.
	sent, answered int
}

func (f *fixture) dial() *wsClient {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	c, err := transport.Dial(ctx, f.s.WSURL(), transport.Config{MaxFrameSize: 8 << 20})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { c.Close() })
	return &wsClient{t: f.t, f: f, c: c}
}

// send sends a request.
func (w *wsClient) send(msg []byte) {
	w.t.Helper()
	if err := w.c.WriteText(msg); err != nil {
		w.t.Fatal(err)
	}
	w.sent++
}

// subscribe sends a subscribe request; withJWT signs it with key k.
func (w *wsClient) subscribe(channel string, k *cbgw.Key, products ...string) {
	w.t.Helper()
	jwt := ""
	if k != nil {
		tok, err := k.AppendWSToken(nil, w.f.nowSec())
		if err != nil {
			w.t.Fatal(err)
		}
		jwt = string(tok)
	}
	w.send(feedcb.AppendSubscribe(nil, channel, jwt, products...))
}

// read returns the next message (a copy), or an error (a deadline after timeout).
func (w *wsClient) read(timeout time.Duration) ([]byte, error) {
	w.c.SetReadDeadline(time.Now().Add(timeout))
	p, _, err := w.c.ReadMessage()
	if err != nil {
		return nil, err
	}
	if v, err := fastjson.ParseBytes(p); err == nil &&
		(string(v.GetStringBytes("channel")) == chSubscriptions || string(v.GetStringBytes("type")) == "error") {
		w.answered++
	}
	return append([]byte(nil), p...), nil
}

// next returns the next message, failing the test on any error.
func (w *wsClient) next() *fastjson.Value {
	w.t.Helper()
	b, err := w.read(ioTimeout)
	if err != nil {
		w.t.Fatalf("read: %v", err)
	}
	v, err := fastjson.ParseBytes(b)
	if err != nil {
		w.t.Fatalf("%v: %s", err, b)
	}
	return v
}

// until reads messages until one of channel ch arrives and returns it; fn sees every message
// read on the way (the match included).
func (w *wsClient) until(ch string, fn func(raw []byte)) *fastjson.Value {
	w.t.Helper()
	for {
		b, err := w.read(ioTimeout)
		if err != nil {
			w.t.Fatalf("waiting for %s: %v", ch, err)
		}
		if fn != nil {
			fn(b)
		}
		v, err := fastjson.ParseBytes(b)
		if err != nil {
			w.t.Fatalf("%v: %s", err, b)
		}
		if string(v.GetStringBytes("channel")) == ch {
			return v
		}
	}
}

// settle reads until every request sent has been answered.
func (w *wsClient) settle(fn func(raw []byte)) {
	w.t.Helper()
	for w.answered < w.sent {
		b, err := w.read(ioTimeout)
		if err != nil {
			w.t.Fatalf("settle: %v", err)
		}
		if fn != nil {
			fn(b)
		}
	}
}

// barrier sends a heartbeats subscription and reads until it is answered: every message
// queued before it (all pushes of steps already taken) has been seen by fn.
func (w *wsClient) barrier(fn func(raw []byte)) {
	w.t.Helper()
	w.subscribe(feedcb.ChannelHeartbeats, nil)
	w.settle(fn)
}

// quiet reports whether no message arrives within d.
func (w *wsClient) quiet(d time.Duration) bool {
	_, err := w.read(d)
	return errors.Is(err, os.ErrDeadlineExceeded)
}

// decoder returns the project's Coinbase feed decoder resolving the venue's markets.
func (f *fixture) decoder() *feedcb.Decoder {
	byName := map[string]*sim.Market{}
	for _, m := range f.v.Markets() {
		byName[m.Symbol] = m
	}
	return feedcb.New(feed.Config{Venue: uint16(f.v.ID()), Resolve: func(sym []byte) (uint32, feed.Scales, bool) {
		m, ok := byName[string(sym)]
		if !ok {
			return 0, feed.Scales{}, false
		}
		l := m.Listing
		return uint32(l.Instrument), feed.Scales{Price: l.PriceScale, Qty: l.QtyScale, Tick: l.Tick, Known: true}, true
	}})
}

// replica returns d's book of sym.
func replica(t testing.TB, d *feedcb.Decoder, sym string) *feed.Replica {
	t.Helper()
	for _, r := range d.Books() {
		if r.Config().Symbol == sym {
			return r
		}
	}
	t.Fatalf("decoder has no book %s", sym)
	return nil
}

// sameBook fails unless r's book equals the engine's book of sym level for level.
func (f *fixture) sameBook(r *feed.Replica, sym string) {
	f.t.Helper()
	bids, asks := f.depth(sym)
	b := r.Book()
	gotB := b.Levels(book.Bid, b.Len(book.Bid)+1, nil)
	gotA := b.Levels(book.Ask, b.Len(book.Ask)+1, nil)
	if len(bids) == 0 || len(asks) == 0 {
		f.t.Fatalf("%s: engine book empty (%d bids, %d asks)", sym, len(bids), len(asks))
	}
	if !equalLevels(gotB, bids) || !equalLevels(gotA, asks) {
		f.t.Fatalf("%s: replica %d/%d levels, engine %d/%d; best replica %v/%v engine %v/%v", sym,
			len(gotB), len(gotA), len(bids), len(asks), first(gotB), first(gotA), first(bids), first(asks))
	}
}

func equalLevels(a, b []book.Level) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func first(l []book.Level) book.Level {
	if len(l) == 0 {
		return book.Level{}
	}
	return l[0]
}

// errDeadline is a read deadline passing.
var errDeadline = os.ErrDeadlineExceeded

// waitFor polls cond (yielding) until it holds or ioTimeout passes.
func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

// connCount returns the number of open WebSocket connections.
func (s *Server) connCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// anyClosing reports whether some connection has a close frame queued.
func (s *Server) anyClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.dying.Load() {
			return true
		}
	}
	return false
}
