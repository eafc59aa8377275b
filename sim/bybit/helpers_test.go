package bybit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/feed/transport"
	gw "ems/gateway/bybit"
	"ems/sim"
)

// t0 is the simulated start: 2024-03-01 00:00:00 UTC.
const t0 = int64(1_709_251_200) * 1_000_000_000

const (
	key1, secret1 = "sim-bybit-key", "sim-bybit-secret"
	key2, secret2 = "sim-bybit-key-2", "sim-bybit-secret-2"
)

// clock is a venue clock the tests move by hand.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() int64          { return c.ns.Load() }
func (c *clock) ms() int64           { return c.ns.Load() / 1e6 }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }

// env is a venue with its server, on a manual clock.
type env struct {
	t   testing.TB
	v   *sim.Venue
	s   *Server
	clk *clock
	m   *instrument.Master
}

// venueOpt adjusts the test venue's configuration.
type venueOpt func(*sim.VenueConfig)

// newEnv builds a bybit venue quoting BTC-USDT (spot) and BTC-USDT-PERP (linear), both
// "BTCUSDT", with a wide spread (10 ticks) so tests can place orders inside it, two keys
// (accounts 1 and 2), no latency, and starts its server.
func newEnv(t testing.TB, opts ...venueOpt) *env {
	t.Helper()
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	mc := func(name, mid, qty string) sim.MarketConfig {
		return sim.MarketConfig{Instrument: name, Mid: mid, LevelQty: qty, SpreadTicks: 10, GapTicks: 2,
			TakersPerSecond: 20, RequotesPerSecond: 200, VolatilityBps: 20}
	}
	vc := sim.VenueConfig{
		Name:         "bybit",
		Instruments:  []string{"BTC-USDT", "BTC-USDT-PERP"},
		DepthLevels:  120,
		StepInterval: 100 * time.Millisecond,
		Keys: []sim.APIKey{{Key: key1, Secret: secret1, Account: 1},
			{Key: key2, Secret: secret2, Account: 2}},
		Markets: []sim.MarketConfig{mc("BTC-USDT", "68000", "0.25"), mc("BTC-USDT-PERP", "68000", "0.25")},
	}
	for _, o := range opts {
		o(&vc)
	}
	clk := &clock{}
	clk.ns.Store(t0)
	vc.Clock = clk.now
	vs, err := sim.NewVenues(sim.Config{Seed: 7, Venues: []sim.VenueConfig{vc}}, m)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(vs[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &env{t: t, v: vs[0], s: s, clk: clk, m: m}
}

// step advances the clock by 100 ms and steps the venue's flows.
func (e *env) step() {
	e.t.Helper()
	e.clk.add(100 * time.Millisecond)
	if err := e.v.Step(e.clk.now()); err != nil {
		e.t.Fatal(err)
	}
}

// mkt returns the server's market of category and symbol.
func (e *env) mkt(c category, sym string) *mkt {
	e.t.Helper()
	k, ok := e.s.market(c, sym)
	if !ok {
		e.t.Fatalf("no %s market %s", c, sym)
	}
	return k
}

// best returns the best bid and ask of a market's Engine.
func (e *env) best(k *mkt) (bid, ask int64) {
	e.v.Do(func(st *sim.State) {
		bid, _, _ = st.Engine(k.m).Best(event.SideBuy)
		ask, _, _ = st.Engine(k.m).Best(event.SideSell)
	})
	return bid, ask
}

// streamU returns the update id of a market's depth stream.
func (e *env) streamU(k *mkt, depth int) uint64 {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return k.streams[depthIndex(depth)].u
}

// --- REST ---

// response is a decoded REST response.
type response struct {
	Status     int
	RetCode    int             `json:"retCode"`
	RetMsg     string          `json:"retMsg"`
	Result     json.RawMessage `json:"result"`
	RetExtInfo json.RawMessage `json:"retExtInfo"`
	Time       int64           `json:"time"`
	Header     http.Header
	Body       []byte
}

// call sends a REST request, signed with key/secret unless key is "". query is the raw query
// string of a GET; body the JSON of a POST.
func (e *env) call(method, path, query, body, key, secret string) (response, error) {
	return e.callAt(e.clk.ms(), method, path, query, body, key, secret)
}

// callAt is call with the request signed at timestamp ts (ms).
func (e *env) callAt(ts int64, method, path, query, body, key, secret string) (response, error) {
	u := e.s.URL() + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(method, u, bytes.NewReader([]byte(body)))
	if err != nil {
		return response{}, err
	}
	if key != "" {
		params := []byte(query)
		if method == http.MethodPost {
			params = []byte(body)
			req.Header.Set("Content-Type", "application/json")
		}
		sig := gw.NewSigner(key, []byte(secret)).AppendREST(nil, ts, 5000, params)
		req.Header.Set("X-BAPI-API-KEY", key)
		req.Header.Set("X-BAPI-TIMESTAMP", strconv.FormatInt(ts, 10))
		req.Header.Set("X-BAPI-RECV-WINDOW", "5000")
		req.Header.Set("X-BAPI-SIGN", string(sig))
	}
	cl := &http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	r := response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if json.Valid(b) {
		if err := json.Unmarshal(b, &r); err != nil {
			return r, err
		}
	}
	return r, nil
}

// rest is call that fails the test on a transport error.
func (e *env) rest(method, path, query, body, key, secret string) response {
	e.t.Helper()
	r, err := e.call(method, path, query, body, key, secret)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// create posts an order for key1 and returns the response.
func (e *env) create(body string) response {
	e.t.Helper()
	return e.rest(http.MethodPost, "/v5/order/create", "", body, key1, secret1)
}

// ackID returns the orderId of a successful create or cancel.
func ackID(t testing.TB, r response) string {
	t.Helper()
	if r.RetCode != 0 {
		t.Fatalf("retCode %d %q", r.RetCode, r.RetMsg)
	}
	var a struct {
		OrderID     string `json:"orderId"`
		OrderLinkID string `json:"orderLinkId"`
	}
	if err := json.Unmarshal(r.Result, &a); err != nil || a.OrderID == "" {
		t.Fatalf("no orderId in %s (%v)", r.Result, err)
	}
	return a.OrderID
}

// wantErr checks a refusal's code.
func wantErr(t testing.TB, r response, code int) {
	t.Helper()
	if r.RetCode != code {
		t.Fatalf("retCode %d %q, want %d (body %s)", r.RetCode, r.RetMsg, code, r.Body)
	}
	if string(r.Result) != "{}" || string(r.RetExtInfo) != "{}" || r.Time == 0 {
		t.Fatalf("error envelope %s", r.Body)
	}
}

// --- WebSocket ---

// wsc is a test WebSocket client on the project's transport.Conn.
type wsc struct {
	t testing.TB
	c *transport.Conn
}

// dial connects to url.
func (e *env) dial(url string) *wsc {
	e.t.Helper()
	c, err := transport.Dial(context.Background(), url, transport.Config{MaxFrameSize: 4 << 20})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	return &wsc{t: e.t, c: c}
}

func (w *wsc) send(msg string) {
	w.t.Helper()
	if err := w.c.WriteText([]byte(msg)); err != nil {
		w.t.Fatal(err)
	}
}

// read returns the next message (a copy), or the error; d bounds the wait.
func (w *wsc) read(d time.Duration) ([]byte, error) {
	w.c.SetReadDeadline(time.Now().Add(d))
	p, _, err := w.c.ReadMessage()
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), p...), nil
}

// next returns the next message, failing after 5 s.
func (w *wsc) next() map[string]any {
	w.t.Helper()
	p, err := w.read(5 * time.Second)
	if err != nil {
		w.t.Fatalf("read: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil {
		w.t.Fatalf("not JSON: %s", p)
	}
	return m
}

// until returns the first message for which ok holds, skipping others, failing after 5 s.
func (w *wsc) until(ok func(m map[string]any) bool) map[string]any {
	w.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		p, err := w.read(time.Until(deadline))
		if err != nil {
			w.t.Fatalf("read: %v", err)
		}
		var m map[string]any
		if json.Unmarshal(p, &m) == nil && ok(m) {
			return m
		}
	}
	w.t.Fatal("no matching message within 5 s")
	return nil
}

// quiet reports whether no message arrives within d.
func (w *wsc) quiet(d time.Duration) bool {
	_, err := w.read(d)
	return errors.Is(err, os.ErrDeadlineExceeded)
}

// authArgs returns the auth request of key/secret with an expiry 10 s after the clock.
func (e *env) authMsg(key, secret string) string {
	exp := e.clk.ms() + 10_000
	sig := gw.NewSigner(key, []byte(secret)).AppendWSAuth(nil, exp)
	return `{"req_id":"a1","op":"auth","args":["` + key + `",` + strconv.FormatInt(exp, 10) + `,"` + string(sig) + `"]}`
}

// private opens a private connection authenticated as key1 and subscribed to topics.
func (e *env) private(topics ...string) *wsc {
	e.t.Helper()
	w := e.dial(e.s.PrivateURL())
	w.send(e.authMsg(key1, secret1))
	if m := w.next(); m["success"] != true || m["op"] != "auth" {
		e.t.Fatalf("auth: %v", m)
	}
	b, _ := json.Marshal(map[string]any{"op": "subscribe", "args": topics})
	w.send(string(b))
	if m := w.next(); m["success"] != true {
		e.t.Fatalf("subscribe: %v", m)
	}
	return w
}

// field returns m[k] as a string.
func field(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// data returns the first element of a push's data array.
func data(t testing.TB, m map[string]any) map[string]any {
	t.Helper()
	arr, ok := m["data"].([]any)
	if !ok || len(arr) == 0 {
		t.Fatalf("no data in %v", m)
	}
	d, _ := arr[0].(map[string]any)
	return d
}

// orderUpdate waits for the order stream's report of orderID with status.
func orderUpdate(w *wsc, orderID, status string) map[string]any {
	w.t.Helper()
	m := w.until(func(m map[string]any) bool {
		if field(m, "topic") != "order" {
			return false
		}
		d := data(w.t, m)
		return field(d, "orderId") == orderID && field(d, "orderStatus") == status
	})
	return data(w.t, m)
}

// execUpdate waits for the execution stream's next report of orderID.
func execUpdate(w *wsc, orderID string) map[string]any {
	w.t.Helper()
	m := w.until(func(m map[string]any) bool {
		return field(m, "topic") == "execution" && field(data(w.t, m), "orderId") == orderID
	})
	return data(w.t, m)
}

// px formats price units of k for a request body.
func px(k *mkt, v int64) string { return string(k.appendPrice(nil, v)) }

// qt formats quantity units of k.
func qt(k *mkt, v int64) string { return string(k.appendQty(nil, v)) }

// orderBody builds a create body.
func orderBody(k *mkt, side, typ, qty, price, tif, link string) string {
	m := map[string]string{"category": k.cat.String(), "symbol": k.sym, "side": side, "orderType": typ, "qty": qty}
	if price != "" {
		m["price"] = price
	}
	if tif != "" {
		m["timeInForce"] = tif
	}
	if link != "" {
		m["orderLinkId"] = link
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// query builds a query string in the given order.
func query(kv ...string) string {
	var b []byte
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1])...)
	}
	return string(b)
}
