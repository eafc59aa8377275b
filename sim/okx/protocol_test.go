package okx

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
)

// TestHTTPErrors: unknown paths, wrong methods and malformed requests get OKX's error shapes.
func TestHTTPErrors(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	tests := []struct {
		name, method, path, body string
		signed                   bool
		status                   int
		raw                      string
	}{
		{"unknown-path", "GET", "/api/v5/nope", "", false, 404, `{"msg":"Not Found","code":"404"}`},
		{"wrong-method", "DELETE", "/api/v5/trade/order", "", false, 405, `{"msg":"Invalid request method.","code":"50115"}`},
		{"empty-body", "POST", "/api/v5/trade/order", "", true, 400, `{"code":"50000","msg":"Body for POST request cannot be empty.","data":[]}`},
		{"bad-json", "POST", "/api/v5/trade/order", "{", true, 400, `{"code":"50002","msg":"JSON syntax error","data":[]}`},
		{"batch-not-array", "POST", "/api/v5/trade/batch-orders", "{}", true, 400, `{"code":"50002","msg":"JSON syntax error","data":[]}`},
		{"no-instType", "GET", "/api/v5/public/instruments", "", false, 400, `{"code":"50014","msg":"Parameter instType can not be empty.","data":[]}`},
		{"bad-instType", "GET", "/api/v5/public/instruments?instType=X", "", false, 400, `{"code":"51000","msg":"Parameter instType error","data":[]}`},
		{"no-swap", "GET", "/api/v5/public/instruments?instType=SWAP", "", false, 200, `{"code":"0","msg":"","data":[]}`},
		{"books-unknown", "GET", "/api/v5/market/books?instId=NOPE", "", false, 200, `{"code":"51001","msg":"Instrument ID, Instrument ID code or Spread ID doesn't exist.","data":[]}`},
		{"books-sz", "GET", "/api/v5/market/books?instId=BTC-USDT&sz=401", "", false, 400, `{"code":"51000","msg":"Parameter sz error","data":[]}`},
		{"fills-history-instType", "GET", "/api/v5/trade/fills-history", "", true, 400, `{"code":"50014","msg":"Parameter instType can not be empty.","data":[]}`},
		{"order-no-id", "GET", "/api/v5/trade/order?instId=BTC-USDT", "", true, 200, `{"code":"51003","msg":"Either client order ID or order ID is required.","data":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var k *sim.APIKey
			if tt.signed {
				k = &f.key
			}
			status, raw := f.restRaw(tt.method, tt.path, tt.body, k, nil)
			if status != tt.status || string(raw) != tt.raw {
				t.Errorf("HTTP %d %s, want %d %s", status, raw, tt.status, tt.raw)
			}
		})
	}
}

// TestPublicREST: instruments and the REST book.
func TestPublicREST(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	_, resp := f.rest("GET", "/api/v5/public/instruments?instType=SPOT&instId=ETH-USDT", "", nil)
	if d, _ := resp["data"].([]any); len(d) != 1 {
		t.Fatalf("instruments: %v", resp)
	}
	want(t, "ETH-USDT", data(t, resp, 0), "instId", "ETH-USDT", "instType", "SPOT", "baseCcy", "ETH",
		"quoteCcy", "USDT", "tickSz", "0.01", "lotSz", "0.000001", "minSz", "0.0001", "state", "live")
	_, resp = f.rest("GET", "/api/v5/market/books?instId=BTC-USDT&sz=5", "", nil)
	d := data(t, resp, 0)
	bids := f.depth("BTC-USDT", event.SideBuy, 5)
	asks, _ := d["asks"].([]any)
	got, _ := d["bids"].([]any)
	if len(asks) != 5 || len(got) != 5 {
		t.Fatalf("book: %v", resp)
	}
	first := fmt.Sprint(got[0])
	if w := fmt.Sprintf("[%s %s 0 1]", f.pxText("BTC-USDT", bids[0].Price), fixed.AppendTrim(nil, bids[0].Qty, 8)); first != w {
		t.Errorf("best bid %s, want %s", first, w)
	}
	if _, ok := d["seqId"].(float64); !ok {
		t.Errorf("seqId is not a number: %v", d)
	}
}

// TestWSErrors: malformed WebSocket requests, unknown operations and channels, ping.
func TestWSErrors(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PublicURL())
	tests := []struct{ req, code, msg string }{
		{"{", "60012", "Invalid request: {"},
		{`{"op":"login","args":[]}`, "60019", "Invalid op: login"},
		{`{"op":"subscribe"}`, "60013", "Invalid args"},
		{`{"op":"subscribe","args":[{"channel":"tickers","instId":"BTC-USDT"}]}`, "60018",
			"Wrong URL or channel:tickers doesn't exist. Please use the correct URL, channel and parameters referring to API document."},
		{`{"op":"subscribe","args":[{"channel":"books","instId":"NOPE"}]}`, "60018",
			"Wrong URL or channel:books,instId:NOPE doesn't exist. Please use the correct URL, channel and parameters referring to API document."},
	}
	for _, tt := range tests {
		m := decode(t, c.next2(tt.req))
		want(t, tt.req, m, "event", "error", "code", tt.code, "msg", tt.msg)
		if m["connId"] == "" {
			t.Errorf("%s: no connId", tt.req)
		}
	}
	if m := c.next2("ping"); m != "pong" {
		t.Errorf("ping: %s", m)
	}
	c.write(`{"id":"9","op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"}]}`)
	want(t, "trades ack", decode(t, c.next()), "id", "9", "event", "subscribe")
	c.write(`{"op":"unsubscribe","args":[{"channel":"trades","instId":"BTC-USDT"}]}`)
	want(t, "trades unsubscribe", decode(t, c.next()), "event", "unsubscribe")
	c.write(strings.Repeat("x", maxRequest+1))
	if code := c.closeCode(); code != closeTooBig {
		t.Errorf("oversized request: close %d, want %d", code, closeTooBig)
	}
	// Private endpoint: operations before login.
	p := f.dial(f.srv.PrivateURL())
	want(t, "order before login", decode(t, p.next2(`{"id":"1","op":"order","args":[{}]}`)), "code", "60011", "msg", "Please log in")
}

// next2 writes req and returns the next message.
func (c *wsClient) next2(req string) string {
	c.t.Helper()
	c.write(req)
	return c.next()
}

// TestTrades: the trades channel reports the venue's trades with the taker's side.
func TestTrades(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PublicURL())
	c.write(`{"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"}]}`)
	c.next()
	ask := f.depth("BTC-USDT", event.SideSell, 1)[0]
	_, resp := f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy",
		"ordType", "limit", "px", f.pxText("BTC-USDT", ask.Price), "sz", "0.001"), &f.key)
	want(t, "order", data(t, resp, 0), "sCode", "0")
	m := decode(t, c.next())
	tr := data(t, m, 0)
	want(t, "trade", tr, "instId", "BTC-USDT", "px", f.pxText("BTC-USDT", ask.Price), "sz", "0.001", "side", "buy", "count", "1")
	if arg, _ := m["arg"].(map[string]any); arg["channel"] != "trades" {
		t.Errorf("arg %v", m["arg"])
	}
}

// TestHeartbeat: an idle books subscription gets an update with no levels and
// prevSeqId == seqId == the last seqId.
func TestHeartbeat(t *testing.T) {
	opts := DefaultOptions()
	opts.Heartbeat = 30 * time.Millisecond
	f := newFixture(t, opts, nil)
	c := f.dial(f.srv.PublicURL())
	c.write(`{"op":"subscribe","args":[{"channel":"books","instId":"ETH-USDT"}]}`)
	snap, _ := c.until(`"action":"snapshot"`)
	seq := fmt.Sprint(data(t, snap, 0)["seqId"])
	hb, _ := c.until(`"action":"update"`)
	d := data(t, hb, 0)
	want(t, "heartbeat", d, "prevSeqId", seq, "seqId", seq, "asks", "[]", "bids", "[]", "checksum", fmt.Sprint(data(t, snap, 0)["checksum"]))
}

// TestIdleClose: a connection with nothing sent either way is closed with 4004.
func TestIdleClose(t *testing.T) {
	opts := DefaultOptions()
	opts.IdleTimeout = 80 * time.Millisecond
	f := newFixture(t, opts, nil)
	c := f.dial(f.srv.PublicURL())
	if code := c.closeCode(); code != closeIdle {
		t.Fatalf("close %d, want %d", code, closeIdle)
	}
}

// TestRateLimit: requests beyond the venue's limits get OKX's throttle errors: HTTP 429 with
// 50011 over REST, sCode 50011 for orders, 60014 for WebSocket requests.
func TestRateLimit(t *testing.T) {
	f := newFixture(t, DefaultOptions(), func(vc *sim.VenueConfig) {
		vc.RateLimit = sim.RateLimit{Weight: 3, Window: time.Minute, Orders: 2, OrderWindow: time.Minute}
	})
	for i := 0; i < 3; i++ {
		if status, raw := f.restRaw("GET", "/api/v5/market/books?instId=BTC-USDT", "", nil, nil); status != 200 {
			t.Fatalf("request %d: HTTP %d %s", i, status, raw)
		}
	}
	status, raw := f.restRaw("GET", "/api/v5/market/books?instId=BTC-USDT", "", nil, nil)
	if status != 429 || string(raw) != `{"msg":"Too Many Requests","code":"50011"}` {
		t.Errorf("4th request: HTTP %d %s", status, raw)
	}
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time()) // 2 WebSocket requests
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	order := orderJSON("instId", "BTC-USDT", "tdMode", "cash", "side", "buy", "ordType", "limit",
		"px", f.pxText("BTC-USDT", bid.Price-100), "sz", "0.001")
	c.write(`{"id":"b","op":"batch-orders","args":[` + order + "," + order + "," + order + `]}`)
	m, _ := c.until(`"op":"batch-orders"`)
	want(t, "batch", m, "code", "2")
	want(t, "third order", data(t, m, 2), "sCode", "50011",
		"sMsg", "Rate limit reached. Please refer to API documentation and throttle requests accordingly.")
	c.write(`{"op":"subscribe","args":[{"channel":"orders","instType":"ANY"}]}`)
	m, _ = c.until(`"event":`)
	want(t, "ws request", m, "event", "subscribe")
	c.write(`{"op":"subscribe","args":[{"channel":"orders","instType":"ANY"}]}`)
	m, _ = c.until(`"event":`)
	want(t, "ws request over the limit", m, "event", "error", "code", "60014", "msg", "Requests too frequent")
}

// TestLoopbackOnly: Start refuses addresses other hosts could reach.
func TestLoopbackOnly(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	srv, err := New(f.v, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "10.1.2.3:0", "example.com:0"} {
		if _, err := srv.Start(addr); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Start(%q) = %v, want a loopback refusal", addr, err)
		}
	}
	if f.srv.PublicURL() != "ws"+strings.TrimPrefix(f.base, "http")+"/ws/v5/public" {
		t.Errorf("PublicURL %s for base %s", f.srv.PublicURL(), f.base)
	}
	if _, err := f.srv.Start("127.0.0.1:0"); err == nil {
		t.Error("second Start succeeded")
	}
}

// TestRecordedShape: the orders-channel object has exactly the fields of the real recording, in
// its order, and a books message the fields of the real ones.
func TestRecordedShape(t *testing.T) {
	fh, err := os.Open("testdata/orders_channel.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var recorded string
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		recorded = sc.Text() // the last line: the market order's terminal push (2023)
	}
	wantKeys := objectKeys(t, `"data":[`, recorded)

	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	c.write(`{"op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"sell","ordType":"market","sz":"10","tgtCcy":"quote_ccy","clOrdId":"shape"}]}`)
	c.next()
	c.orderPush("shape")
	c.orderPush("shape")
	m, _ := c.until(`"clOrdId":"shape"`, `"state":"filled"`)
	push := c.lastRaw
	if got := objectKeys(t, `"data":[`, push); !slices.Equal(got, wantKeys) {
		t.Errorf("orders push fields\n got %v\nwant %v", got, wantKeys)
	}
	if got := objectKeys(t, `{"arg":`, push); !slices.Equal(got, []string{"channel", "instType", "uid"}) {
		t.Errorf("arg fields %v", got)
	}
	want(t, "terminal push", data(t, m, 0), "fillSz", "0", "tgtCcy", "quote_ccy", "sz", "10", "feeCcy", "USDT", "rebateCcy", "BTC")

	b := f.dial(f.srv.PublicURL())
	b.write(`{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}`)
	b.next()
	snap := b.next()
	if got := objectKeys(t, "", snap); !slices.Equal(got, []string{"arg", "action", "data"}) {
		t.Errorf("books message fields %v", got)
	}
	if got := objectKeys(t, `"data":[`, snap); !slices.Equal(got, []string{"asks", "bids", "ts", "checksum", "prevSeqId", "seqId"}) {
		t.Errorf("books data fields %v", got)
	}
}

// objectKeys returns the keys, in order, of the JSON object that starts right after the first
// occurrence of after in s (the whole of s when after is empty).
func objectKeys(t *testing.T, after, s string) []string {
	t.Helper()
	i := strings.Index(s, after)
	if i < 0 {
		t.Fatalf("%q not in %s", after, s)
	}
	d := json.NewDecoder(strings.NewReader(s[i+len(after):]))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("no object after %q: %v %v", after, tok, err)
	}
	var keys []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}
