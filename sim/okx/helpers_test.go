package okx

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"ems/core/book"
	"ems/core/event"
	"ems/core/instrument"
	gw "ems/gateway/okx"
	"ems/sim"
)

// testClock is a venue clock the test moves.
type testClock struct{ ns atomic.Int64 }

func (c *testClock) now() int64          { return c.ns.Load() }
func (c *testClock) add(d time.Duration) { c.ns.Add(int64(d)) }
func (c *testClock) time() time.Time     { return time.Unix(0, c.now()) }
func newClock() *testClock               { c := &testClock{}; c.ns.Store(time.Now().UnixNano()); return c }

// Test credentials: the default configuration's OKX key (account 1) and a second one.
const (
	testKey2    = "sim-okx-key-2"
	testSecret2 = "sim-okx-secret-2"
	testPass2   = "sim-okx-passphrase-2"
)

// fixture is a venue with a started server.
type fixture struct {
	t      testing.TB
	v      *sim.Venue
	srv    *Server
	clk    *testClock
	base   string
	key    sim.APIKey // account 1
	key2   sim.APIKey // account 2
	master *instrument.Master
}

// newFixture starts an OKX venue (the default configuration's, no latency, generous limits, a
// manual clock) and its server; mod may change the venue configuration first.
func newFixture(t testing.TB, opts Options, mod func(*sim.VenueConfig)) *fixture {
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
	clk := newClock()
	vc.Clock = clk.now
	vc.Latency = 0
	vc.RateLimit = sim.RateLimit{Weight: 1_000_000, Window: time.Second, Orders: 1_000_000, OrderWindow: time.Second}
	vc.Keys = append(vc.Keys[:1:1], sim.APIKey{Key: testKey2, Secret: testSecret2, Passphrase: testPass2, Account: 2})
	if mod != nil {
		mod(&vc)
	}
	v, err := sim.NewVenue(vc, master, 7)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(v, opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, v: v, srv: srv, clk: clk, base: base, master: master}
	f.key, _ = v.Key(vc.Keys[0].Key)
	f.key2, _ = v.Key(testKey2)
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return f
}

// step advances the clock by d and steps the venue's flow n times.
func (f *fixture) step(n int, d time.Duration) {
	f.t.Helper()
	for i := 0; i < n; i++ {
		f.clk.add(d)
		if err := f.v.Step(f.clk.now()); err != nil {
			f.t.Fatal(err)
		}
	}
}

// stepSettled steps the venue n times, waiting after each step until the server has published
// it (one books update per visible change).
func (f *fixture) stepSettled(n int, d time.Duration) {
	f.t.Helper()
	for i := 0; i < n; i++ {
		f.step(1, d)
		eventually(f.t, "publication", f.srv.Idle)
	}
}

// depth returns the engine's best n levels of inst on side.
func (f *fixture) depth(inst string, side event.Side, n int) []book.Level {
	m, ok := f.srv.market(inst)
	if !ok {
		f.t.Fatalf("no market %s", inst)
	}
	var out []book.Level
	f.v.Do(func(st *sim.State) { out = st.Engine(m.sm).Depth(side, n, nil) })
	return out
}

// rest sends a REST request, signed with k when k is not nil, and returns the status and the
// decoded body.
func (f *fixture) rest(method, pathQuery, body string, k *sim.APIKey) (int, map[string]any) {
	f.t.Helper()
	status, raw := f.restRaw(method, pathQuery, body, k, nil)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		f.t.Fatalf("%s %s: body %q: %v", method, pathQuery, raw, err)
	}
	return status, m
}

// restRaw sends a REST request; edit may alter the signed headers.
func (f *fixture) restRaw(method, pathQuery, body string, k *sim.APIKey, edit func(http.Header)) (int, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.base+pathQuery, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if k != nil {
		ts := string(gw.AppendTimestamp(nil, f.clk.time()))
		sign := gw.NewSigner([]byte(k.Secret)).AppendRESTSignature(nil, ts, method, pathQuery, []byte(body))
		req.Header.Set("OK-ACCESS-KEY", k.Key)
		req.Header.Set("OK-ACCESS-SIGN", string(sign))
		req.Header.Set("OK-ACCESS-TIMESTAMP", ts)
		req.Header.Set("OK-ACCESS-PASSPHRASE", k.Passphrase)
	}
	if edit != nil {
		edit(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, pathQuery, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode, raw
}

// wsClient is a plain WebSocket client.
type wsClient struct {
	t       testing.TB
	conn    net.Conn
	rw      io.ReadWriter
	lastRaw string // the latest message next returned
}

func (f *fixture) dial(url string) *wsClient {
	f.t.Helper()
	return dialWS(f.t, url)
}

func dialWS(t testing.TB, url string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, br, _, err := ws.Dial(ctx, url)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	var r io.Reader = conn
	if br != nil {
		r = br
	}
	c := &wsClient{t: t, conn: conn, rw: struct {
		io.Reader
		io.Writer
	}{r, conn}}
	t.Cleanup(func() { conn.Close() })
	return c
}

func (c *wsClient) write(msg string) {
	c.t.Helper()
	if err := wsutil.WriteClientText(c.conn, []byte(msg)); err != nil {
		c.t.Fatalf("write %s: %v", msg, err)
	}
}

// read returns the next message (5 s at most); a close frame is returned as its error.
func (c *wsClient) read() ([]byte, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		data, op, err := wsutil.ReadServerData(c.rw)
		if err != nil {
			return nil, err
		}
		if op == ws.OpText || op == ws.OpBinary {
			return data, nil
		}
	}
}

// next returns the next message, failing the test on error.
func (c *wsClient) next() string {
	c.t.Helper()
	m, err := c.read()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	c.lastRaw = string(m)
	return c.lastRaw
}

// until reads messages until one contains every one of subs, and returns it decoded (the
// messages skipped are returned too).
func (c *wsClient) until(subs ...string) (map[string]any, []string) {
	c.t.Helper()
	var skipped []string
	for {
		m := c.next()
		match := true
		for _, s := range subs {
			if !strings.Contains(m, s) {
				match = false
				break
			}
		}
		if match {
			return decode(c.t, m), skipped
		}
		skipped = append(skipped, m)
	}
}

// login logs in with k on a private connection and subscribes to the orders channel (SPOT).
func (c *wsClient) login(k sim.APIKey, now time.Time) {
	c.t.Helper()
	ts := string(gw.AppendLoginTimestamp(nil, now))
	sign := gw.NewSigner([]byte(k.Secret)).AppendLoginSignature(nil, ts)
	c.write(`{"op":"login","args":[{"apiKey":"` + k.Key + `","passphrase":"` + k.Passphrase +
		`","timestamp":"` + ts + `","sign":"` + string(sign) + `"}]}`)
	if m := decode(c.t, c.next()); m["event"] != "login" || m["code"] != "0" {
		c.t.Fatalf("login: %v", m)
	}
	c.write(`{"id":"s1","op":"subscribe","args":[{"channel":"orders","instType":"SPOT"}]}`)
	if m := decode(c.t, c.next()); m["event"] != "subscribe" {
		c.t.Fatalf("subscribe: %v", m)
	}
}

// closeCode reads until the server's close frame and returns its code.
func (c *wsClient) closeCode() ws.StatusCode {
	c.t.Helper()
	for {
		_, err := c.read()
		if err == nil {
			continue
		}
		var ce wsutil.ClosedError
		if errors.As(err, &ce) {
			return ce.Code
		}
		c.t.Fatalf("read: %v (want a close frame)", err)
	}
}

// decode decodes a JSON object.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return m
}

// data returns m["data"][i] as an object.
func data(t testing.TB, m map[string]any, i int) map[string]any {
	t.Helper()
	d, ok := m["data"].([]any)
	if !ok || len(d) <= i {
		t.Fatalf("no data[%d] in %v", i, m)
	}
	o, ok := d[i].(map[string]any)
	if !ok {
		t.Fatalf("data[%d] of %v is not an object", i, m)
	}
	return o
}

// eventually polls cond until it holds (5 s at most).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
