package binance

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
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ems/core/instrument"
	"ems/feed/transport"
	gw "ems/gateway/binance"
	"ems/sim"
)

// Test credentials: two accounts, so one can take what the other offers.
const (
	key1, secret1 = "sim-key-1", "sim-secret-1"
	key2, secret2 = "sim-key-2", "sim-secret-2"
)

// epoch is where the tests' venue clock starts (2025-01-01T00:00:00Z).
const epoch = int64(1735689600) * 1e9

// env is a venue with its Binance server on loopback, driven by a clock the test owns.
type env struct {
	t     testing.TB
	v     *sim.Venue
	s     *Server
	base  string
	clock atomic.Int64
	hc    *http.Client
}

type envConfig struct {
	faults []sim.Fault
	limit  sim.RateLimit
	keys   []sim.APIKey // nil: key1 (account 1) and key2 (account 2)
	opts   Options
}

func testMaster(t testing.TB) *instrument.Master {
	t.Helper()
	m, err := instrument.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// newEnv builds the default configuration's binance venue (BTC-USDT and ETH-USDT) with a wide
// spread (20 ticks, so tests can rest orders inside it), no latency, and cfg's faults, limits
// and keys; starts a server on 127.0.0.1:0; and closes it when the test ends.
func newEnv(t testing.TB, cfg envConfig) *env {
	t.Helper()
	e := &env{t: t, hc: &http.Client{Timeout: 10 * time.Second}}
	e.clock.Store(epoch)
	def := sim.DefaultConfig()
	vc := def.Venues[0]
	if vc.Name != "binance" {
		t.Fatalf("default venue 0 is %s", vc.Name)
	}
	vc.Latency = 0
	vc.Faults = cfg.faults
	vc.RateLimit = cfg.limit
	if cfg.limit == (sim.RateLimit{}) {
		vc.RateLimit = sim.RateLimit{Weight: 1_000_000, Window: time.Minute, Orders: 100_000, OrderWindow: 10 * time.Second}
	}
	vc.Keys = cfg.keys
	if vc.Keys == nil {
		vc.Keys = []sim.APIKey{{Key: key1, Secret: secret1, Account: 1}, {Key: key2, Secret: secret2, Account: 2}}
	}
	vc.Clock = func() int64 { return e.clock.Load() }
	for i := range vc.Markets {
		vc.Markets[i].SpreadTicks = 20
		vc.Markets[i].GapTicks = 1
	}
	v, err := sim.NewVenue(vc, testMaster(t), def.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.opts.FastInterval == 0 {
		cfg.opts.FastInterval = 10 * time.Millisecond
	}
	if cfg.opts.SlowInterval == 0 {
		cfg.opts.SlowInterval = 50 * time.Millisecond
	}
	s, err := New(v, cfg.opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.v, e.s, e.base = v, s, base
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

// advance moves the venue clock by d and steps the flow to it.
func (e *env) advance(d time.Duration) {
	e.t.Helper()
	now := e.clock.Add(int64(d))
	if err := e.v.Step(now); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) nowMs() string { return strconv.FormatInt(e.clock.Load()/1e6, 10) }

// get performs an unsigned GET and returns the status and body.
func (e *env) get(path string) (int, []byte) {
	e.t.Helper()
	return e.do(http.MethodGet, path, "", nil)
}

func (e *env) do(method, path, body string, hdr map[string]string) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// kv is an ordered parameter list.
type kv [][2]string

func (p kv) encode() string {
	var b strings.Builder
	for i, x := range p {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(x[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(x[1]))
	}
	return b.String()
}

// signed sends a SIGNED REST request with key and secret: the parameters (plus timestamp) in the
// query for GET, in the form body otherwise, signed with the gateway's signer.
func (e *env) signed(method, path, key, secret string, p kv) (int, []byte) {
	e.t.Helper()
	p = append(p, [2]string{"timestamp", e.nowMs()})
	text := p.encode()
	sig := gw.NewHMAC([]byte(secret)).AppendRESTSignature(nil, []byte(text), nil)
	text += "&signature=" + string(sig)
	hdr := map[string]string{"X-MBX-APIKEY": key}
	if method == http.MethodGet {
		return e.do(method, path+"?"+text, "", hdr)
	}
	return e.do(method, path, text, hdr)
}

// apiErr decodes an error body.
type apiErrBody struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

func decodeJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}

// wantError checks an error answer's HTTP status, code and message.
func wantError(t testing.TB, status int, body []byte, wantStatus, code int, msg string) {
	t.Helper()
	var eb apiErrBody
	decodeJSON(t, body, &eb)
	if status != wantStatus || eb.Code != code || (msg != "" && eb.Msg != msg) {
		t.Fatalf("got HTTP %d %s, want HTTP %d code %d %q", status, body, wantStatus, code, msg)
	}
}

// book reads the REST snapshot of symbol.
type restBook struct {
	LastUpdateID uint64      `json:"lastUpdateId"`
	Bids         [][2]string `json:"bids"`
	Asks         [][2]string `json:"asks"`
}

func (e *env) depth(symbol string, limit int) restBook {
	e.t.Helper()
	st, b := e.get("/api/v3/depth?symbol=" + symbol + "&limit=" + strconv.Itoa(limit))
	if st != 200 {
		e.t.Fatalf("depth: %d %s", st, b)
	}
	var rb restBook
	decodeJSON(e.t, b, &rb)
	return rb
}

// wsClient is the tests' WebSocket client: the project's transport.Conn, whose reads resume
// after a deadline (it answers pings and close frames itself).
type wsClient struct {
	t testing.TB
	c *transport.Conn
}

func dialWS(t testing.TB, url string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := transport.Dial(ctx, url, transport.Config{})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	return &wsClient{t: t, c: c}
}

func (c *wsClient) send(msg string) {
	c.t.Helper()
	if err := c.c.WriteText([]byte(msg)); err != nil {
		c.t.Fatal(err)
	}
}

// read returns the next text message, or fails the test after d.
func (c *wsClient) read(d time.Duration) []byte {
	c.t.Helper()
	b, err := c.tryRead(d)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return b
}

// tryRead returns (a copy of) the next message or the error: a timeout after d, or a close.
func (c *wsClient) tryRead(d time.Duration) ([]byte, error) {
	_ = c.c.SetReadDeadline(time.Now().Add(d))
	b, _, err := c.c.ReadMessage()
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil
}

// readUntil reads messages until pred accepts one, and returns it.
func (c *wsClient) readUntil(d time.Duration, pred func([]byte) bool) []byte {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			c.t.Fatal("readUntil: timed out")
		}
		b := c.read(left)
		if pred(b) {
			return b
		}
	}
}

func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// wsCall sends a WebSocket API request signed with key's HMAC secret (or unsigned when key is
// ""), stamped with the env's clock.
func (e *env) wsCall(c *wsClient, id, method string, p kv, key, secret string) {
	e.t.Helper()
	var sign func([]gw.Param) []byte
	if key != "" {
		sign = func(ps []gw.Param) []byte { return gw.NewHMAC([]byte(secret)).AppendParamsSignature(nil, ps) }
	}
	c.send(wsRequestText(id, method, append(kv{}, p...), key, e.nowMs(), sign))
}

// wsRequestText builds {"id":id,"method":method,"params":{...}}: the params, then apiKey and
// timestamp when key is set, then the signature sign computes over them all (sorted by name).
// Values are JSON strings except timestamp, recvWindow and orderId, which are numbers.
func wsRequestText(id, method string, p kv, key, ts string, sign func([]gw.Param) []byte) string {
	if key != "" {
		p = append(p, [2]string{"apiKey", key}, [2]string{"timestamp", ts})
	}
	var ps []gw.Param
	for i := range p {
		ps = append(ps, gw.Param{Key: []byte(p[i][0]), Value: []byte(p[i][1])})
	}
	var b bytes.Buffer
	b.WriteString(`{"id":` + id + `,"method":"` + method + `","params":{`)
	for i, x := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(x[0]) + ":")
		if x[0] == "timestamp" || x[0] == "recvWindow" || x[0] == "orderId" {
			b.WriteString(x[1])
		} else {
			q, _ := json.Marshal(x[1])
			b.Write(q)
		}
	}
	if sign != nil {
		q, _ := json.Marshal(string(sign(ps)))
		b.WriteString(`,"signature":`)
		b.Write(q)
	}
	b.WriteString("}}")
	return b.String()
}

// wsResp is a WebSocket API response.
type wsResp struct {
	ID     json.RawMessage `json:"id"`
	Status int             `json:"status"`
	Result json.RawMessage `json:"result"`
	Error  *apiErrBody     `json:"error"`
	Limits []struct {
		Type  string `json:"rateLimitType"`
		Count int    `json:"count"`
		Limit int    `json:"limit"`
	} `json:"rateLimits"`
}

// userEvent is a user data stream event.
type userEvent struct {
	SubscriptionID *int         `json:"subscriptionId"`
	Event          *execReportJ `json:"event"`
}

type execReportJ struct {
	E  string // e
	S  string // s
	C  string // c
	OC string // C
	X  string // x
	St string // X
	I  int64  // i
	Q  string // q
	F  string // f
	L  string // l
	Z  string // z
	LP string // L
	N  string // n
	NA any    // N
	T  int64  // t
	M  bool   // m
	W  bool   // w
	ZQ string // Z
}

// UnmarshalJSON decodes by exact key (encoding/json would match "E" to the field of "e").
func (r *execReportJ) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	num := func(k string) int64 { f, _ := m[k].(float64); return int64(f) }
	flag := func(k string) bool { v, _ := m[k].(bool); return v }
	*r = execReportJ{E: str("e"), S: str("s"), C: str("c"), OC: str("C"), X: str("x"), St: str("X"),
		I: num("i"), Q: str("q"), F: str("f"), L: str("l"), Z: str("z"), LP: str("L"), N: str("n"),
		NA: m["N"], T: num("t"), M: flag("m"), W: flag("w"), ZQ: str("Z")}
	return nil
}

// isResponse reports whether b is a WebSocket API response (it has "status").
func isResponse(b []byte) bool {
	return bytes.Contains(b, []byte(`"status":`)) && !bytes.HasPrefix(b, []byte(`{"subscriptionId"`))
}

func isEvent(b []byte) bool { return bytes.HasPrefix(b, []byte(`{"subscriptionId"`)) }
