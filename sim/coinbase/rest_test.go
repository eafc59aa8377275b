package coinbase

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fastjson"

	"ems/core/fixed"
	feedcb "ems/feed/coinbase"
	cbgw "ems/gateway/coinbase"
	"ems/sim"
)

// TestRateLimit: past the venue's request weight REST answers 429 with the throttle body, per
// key; past the order limit orders are refused the same way; WebSocket requests past the limit
// are answered with an error message.
func TestRateLimit(t *testing.T) {
	f := newFixture(t, func(vc *sim.VenueConfig) {
		vc.RateLimit = sim.RateLimit{Weight: 3, Window: time.Minute, Orders: 1, OrderWindow: time.Minute}
	}, Options{})
	for range 3 {
		f.json(http.StatusOK, "GET", "/api/v3/brokerage/best_bid_ask", "")
	}
	v := f.json(http.StatusTooManyRequests, "GET", "/api/v3/brokerage/best_bid_ask", "")
	if str(v, "error") != "RESOURCE_EXHAUSTED" || str(v, "message") == "" {
		t.Fatalf("throttle body %s", v)
	}
	// Another key has its own budget, and its first order passes; the second does not.
	bids, _ := f.depth("BTC-USDT")
	body := func(id string) string {
		return limitGTC(id, "BTC-USDT", "BUY", "0.01", f.px("BTC-USDT", bids[3].Price), false)
	}
	if v := f.jsonAs(f.keys[1], http.StatusOK, "POST", ordersPath, body("a")); !v.GetBool("success") {
		t.Fatalf("first order %s", v)
	}
	if v := f.jsonAs(f.keys[1], http.StatusTooManyRequests, "POST", ordersPath, body("b")); str(v, "error") != "RESOURCE_EXHAUSTED" {
		t.Fatalf("second order %s", v)
	}
	// WebSocket requests share the limit of the client's address.
	w := f.dial()
	for range 3 {
		w.subscribe(feedcb.ChannelHeartbeats, nil)
	}
	w.subscribe(feedcb.ChannelHeartbeats, nil)
	var errs []string
	w.settle(func(raw []byte) {
		if v := fastjson.MustParseBytes(raw); str(v, "type") == "error" {
			errs = append(errs, str(v, "message"))
		}
	})
	if len(errs) != 1 || !strings.Contains(errs[0], "rate limit") {
		t.Fatalf("errors %q", errs)
	}
}

// TestAuth: requests to private endpoints without a valid token for their own method, host
// and path are 401 UNAUTHENTICATED.
func TestAuth(t *testing.T) {
	f := newFixture(t, nil, Options{})
	path := "/api/v3/brokerage/orders/historical/batch"
	sign := func(k *cbgw.Key, method, host, p string, now int64) string {
		tok, err := k.AppendRESTToken(nil, method, host, p, now)
		if err != nil {
			t.Fatal(err)
		}
		return string(tok)
	}
	stranger, err := cbgw.ParseKey("organizations/x/apiKeys/stranger", secondKey(t).Secret)
	if err != nil {
		t.Fatal(err)
	}
	impostor, err := cbgw.ParseKey(f.keys[0].Name(), secondKey(t).Secret) // the right name, the wrong key
	if err != nil {
		t.Fatal(err)
	}
	now := f.nowSec()
	tests := []struct{ name, header string }{
		{"missing", ""},
		{"not-bearer", "Basic abc"},
		{"garbage", "Bearer abc.def.ghi"},
		{"wrong-method", "Bearer " + sign(f.keys[0], "POST", f.host, path, now)},
		{"wrong-path", "Bearer " + sign(f.keys[0], "GET", f.host, "/api/v3/brokerage/orders/historical/fills", now)},
		{"wrong-host", "Bearer " + sign(f.keys[0], "GET", "api.coinbase.com", path, now)},
		{"expired", "Bearer " + sign(f.keys[0], "GET", f.host, path, now-cbgw.Lifetime-60)},
		{"not-yet-valid", "Bearer " + sign(f.keys[0], "GET", f.host, path, now+60)},
		{"unknown-key", "Bearer " + sign(stranger, "GET", f.host, path, now)},
		{"bad-signature", "Bearer " + sign(impostor, "GET", f.host, path, now)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", "http://"+f.host+path, nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := f.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var p fastjson.Parser
			b := make([]byte, 4096)
			n, _ := resp.Body.Read(b)
			v, err := p.ParseBytes(b[:n])
			if resp.StatusCode != http.StatusUnauthorized || err != nil || str(v, "error") != "UNAUTHENTICATED" {
				t.Fatalf("status %d body %s", resp.StatusCode, b[:n])
			}
		})
	}
	// The user channel needs a valid token too.
	w := f.dial()
	w.subscribe(chUser, nil)
	w.subscribe(chUser, stranger)
	var errs int
	w.settle(func(raw []byte) {
		if str(fastjson.MustParseBytes(raw), "type") == "error" {
			errs++
		}
	})
	if errs != 2 {
		t.Fatalf("%d errors, want 2", errs)
	}
}

// TestProducts: the product endpoints describe the listings, and product_book is the engine's
// book.
func TestProducts(t *testing.T) {
	f := newFixture(t, nil, Options{})
	list := f.jsonAs(nil, http.StatusOK, "GET", "/api/v3/brokerage/market/products", "")
	ps := list.GetArray("products")
	if len(ps) != 2 || list.GetInt("num_products") != 2 {
		t.Fatalf("products %s", list)
	}
	for _, p := range ps {
		if str(p, "quote_increment") != "0.01" || str(p, "base_increment") != "0.00000001" || str(p, "status") != "online" ||
			str(p, "quote_name") != "USDT" || str(p, "product_type") != "SPOT" {
			t.Fatalf("product %s", p)
		}
	}
	one := f.json(http.StatusOK, "GET", "/api/v3/brokerage/products/ETH-USDT", "")
	if str(one, "product_id") != "ETH-USDT" || str(one, "base_name") != "ETH" {
		t.Fatalf("product %s", one)
	}
	f.jsonAs(nil, http.StatusNotFound, "GET", "/api/v3/brokerage/market/products/DOGE-USDT", "")
	pb := f.jsonAs(nil, http.StatusOK, "GET", "/api/v3/brokerage/market/product_book?product_id=BTC-USDT&limit=5", "")
	bids, asks := f.depth("BTC-USDT")
	for side, want := range map[string][]int64{"bids": {bids[0].Price, bids[4].Price}, "asks": {asks[0].Price, asks[4].Price}} {
		got := pb.GetArray("pricebook", side)
		if len(got) != 5 || str(got[0], "price") != f.px("BTC-USDT", want[0]) || str(got[4], "price") != f.px("BTC-USDT", want[1]) {
			t.Fatalf("%s %s", side, pb)
		}
	}
	spread, _ := fixed.ParseString(str(pb, "spread_absolute"), 2)
	if spread != asks[0].Price-bids[0].Price || str(pb, "mid_market") == "" {
		t.Fatalf("product book %s", pb)
	}
	bba := f.json(http.StatusOK, "GET", "/api/v3/brokerage/best_bid_ask?product_ids=ETH-USDT", "")
	if books := bba.GetArray("pricebooks"); len(books) != 1 || len(books[0].GetArray("bids")) != 1 {
		t.Fatalf("best_bid_ask %s", bba)
	}
	f.jsonAs(nil, http.StatusBadRequest, "GET", "/api/v3/brokerage/market/product_book", "")
	tm := f.jsonAs(nil, http.StatusOK, "GET", "/api/v3/brokerage/time", "")
	if str(tm, "iso") != "2024-03-01T00:00:00Z" || str(tm, "epochSeconds") != "1709251200" {
		t.Fatalf("time %s", tm)
	}
}

// TestErrorShapes: unknown paths, wrong methods and oversized bodies get the venue's JSON error
// shape, never a hang.
func TestErrorShapes(t *testing.T) {
	f := newFixture(t, nil, Options{})
	tests := []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"GET", "/", "", http.StatusNotFound, "NOT_FOUND"},
		{"GET", "/api/v3/brokerage/nope", "", http.StatusNotFound, "NOT_FOUND"},
		{"GET", "/api/v2/accounts", "", http.StatusNotFound, "NOT_FOUND"},
		{"GET", "/api/v3/brokerage/orders", "", http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED"},
		{"DELETE", "/api/v3/brokerage/market/products", "", http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED"},
		{"POST", "/api/v3/brokerage/orders", strings.Repeat("x", maxBody+1), http.StatusBadRequest, "INVALID_ARGUMENT"},
		{"GET", "/api/v3/brokerage/orders/historical/not-an-id", "", http.StatusNotFound, "NOT_FOUND"},
		{"GET", "/api/v3/brokerage/orders/historical/batch?limit=x", "", http.StatusBadRequest, "INVALID_ARGUMENT"},
	}
	for _, tc := range tests {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			status, b, err := f.call(f.keys[0], tc.method, tc.path, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			v, err := fastjson.ParseBytes(b)
			if status != tc.status || err != nil || str(v, "error") != tc.code || str(v, "message") == "" {
				t.Fatalf("status %d body %.200s", status, b)
			}
		})
	}
}

// TestWebSocketRequests: refused requests are answered with an error message and change
// nothing; subscriptions list what the connection holds.
func TestWebSocketRequests(t *testing.T) {
	f := newFixture(t, nil, Options{HeartbeatInterval: 20 * time.Millisecond})
	w := f.dial()
	for _, req := range []string{`nope`, `{"type":"subscribe","channel":"ticker","product_ids":["BTC-USDT"]}`,
		`{"type":"subscribe","channel":"level2","product_ids":["DOGE-USDT"]}`, `{"type":"subscribe","channel":"level2"}`,
		`{"type":"subscribe"}`, `{"type":"hello","channel":"level2"}`} {
		w.send([]byte(req))
		v := w.next()
		if str(v, "type") != "error" || str(v, "message") == "" {
			t.Fatalf("%s: %s", req, v)
		}
	}
	w.subscribe(feedcb.ChannelMarketTrades, nil, "ETH-USDT")
	snap := w.next()
	if str(snap, "channel") != chMarketTrades || str(snap, "events", "0", "type") != "snapshot" {
		t.Fatalf("trades snapshot %s", snap)
	}
	w.subscribe(feedcb.ChannelHeartbeats, nil)
	var subs *fastjson.Value
	w.settle(func(raw []byte) {
		if v := fastjson.MustParseBytes(raw); str(v, "channel") == chSubscriptions {
			subs = v
		}
	})
	got := string(subs.Get("events", "0", "subscriptions").MarshalTo(nil))
	if got != `{"market_trades":["ETH-USDT"],"heartbeats":["heartbeats"]}` {
		t.Fatalf("subscriptions %s", got)
	}
	hb := w.until(chHeartbeats, nil)
	if str(hb, "events", "0", "heartbeat_counter") == "" || str(hb, "events", "0", "current_time") == "" {
		t.Fatalf("heartbeat %s", hb)
	}
}

// TestStartLoopbackOnly: the server refuses every address but loopback.
func TestStartLoopbackOnly(t *testing.T) {
	f := newFixture(t, nil, Options{})
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:0", "nonsense"} {
		s, err := New(f.v, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Start(addr); err == nil {
			s.Close()
			t.Fatalf("Start(%q) succeeded", addr)
		}
	}
	if _, err := f.s.Start("127.0.0.1:0"); err == nil {
		t.Fatal("a second Start succeeded")
	}
}

// TestCloseSendsCloseFrames: Close ends every connection with a close frame (1001).
func TestCloseSendsCloseFrames(t *testing.T) {
	f := newFixture(t, nil, Options{})
	w := f.dial()
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT")
	w.settle(nil)
	if err := f.s.Close(); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := w.read(ioTimeout); err != nil {
			if !strings.Contains(err.Error(), "1001") {
				t.Fatalf("read error %v, want a 1001 close", err)
			}
			return
		}
	}
}

// TestLatency: the venue's latency is added before every REST answer and every push.
func TestLatency(t *testing.T) {
	const lat = 60 * time.Millisecond
	f := newFixture(t, func(vc *sim.VenueConfig) { vc.Latency = lat }, Options{})
	start := time.Now()
	f.jsonAs(nil, http.StatusOK, "GET", "/api/v3/brokerage/time", "")
	if took := time.Since(start); took < lat {
		t.Fatalf("REST answered after %v, want at least %v", took, lat)
	}
	w := f.dial()
	start = time.Now()
	w.subscribe(feedcb.ChannelHeartbeats, nil)
	w.settle(nil)
	if took := time.Since(start); took < lat {
		t.Fatalf("push after %v, want at least %v", took, lat)
	}
}

// TestClientClose: a client's close frame is echoed and the connection ends.
func TestClientClose(t *testing.T) {
	f := newFixture(t, nil, Options{})
	w := f.dial()
	w.subscribe(feedcb.ChannelHeartbeats, nil)
	w.settle(nil)
	if f.s.connCount() != 1 {
		t.Fatalf("%d connections", f.s.connCount())
	}
	w.c.Close()
	waitFor(t, func() bool { return f.s.connCount() == 0 })
}
