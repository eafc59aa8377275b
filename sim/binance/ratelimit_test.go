package binance

import (
	"net/http"
	"testing"
	"time"

	"ems/sim"
)

// TestRateLimitREST: request weight beyond the venue's limit is answered HTTP 429, -1003, with
// Retry-After; orders beyond the order limit HTTP 429, -1015.
func TestRateLimitREST(t *testing.T) {
	e := newEnv(t, envConfig{limit: sim.RateLimit{Weight: 12, Window: time.Minute, Orders: 2, OrderWindow: 10 * time.Second}})
	depth := func() *http.Response {
		resp, err := e.hc.Get(e.base + "/api/v3/depth?symbol=BTCUSDT")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i, used := range []string{"5", "10"} { // depth limit 100 weighs 5
		if resp := depth(); resp.StatusCode != 200 || resp.Header.Get("X-MBX-USED-WEIGHT-1M") != used {
			t.Fatalf("request %d: HTTP %d, used weight %q, want %s", i, resp.StatusCode,
				resp.Header.Get("X-MBX-USED-WEIGHT-1M"), used)
		}
	}
	if resp := depth(); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third request: HTTP %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	st, body := e.get("/api/v3/depth?symbol=BTCUSDT")
	wantError(t, st, body, 429, -1003, "Too much request weight used; current limit is 12 request weight per 1 MINUTE. "+
		"Please use WebSocket Streams for live updates to avoid polling the API.")

	// Orders: a fresh venue so the weight limit does not interfere.
	e = newEnv(t, envConfig{limit: sim.RateLimit{Weight: 1000, Window: time.Minute, Orders: 2, OrderWindow: 10 * time.Second}})
	bid, _ := e.touch("BTCUSDT")
	p := kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"}, {"quantity", "0.001"}, {"price", px(bid - 5)}}
	e.restOrder(key1, secret1, p)
	e.restOrder(key1, secret1, p)
	st, body = e.signed(http.MethodPost, "/api/v3/order", key1, secret1, p)
	wantError(t, st, body, 429, -1015, "Too many new orders; current limit is 2 orders per 10 SECOND.")
	// Another account has its own order count.
	e.restOrder(key2, secret2, p)
}

// TestRateLimitWSAPI: the WebSocket API reports usage in rateLimits and answers a throttled
// request with status 429, -1003.
func TestRateLimitWSAPI(t *testing.T) {
	e := newEnv(t, envConfig{limit: sim.RateLimit{Weight: 5, Window: time.Minute}})
	c := dialWS(t, e.s.WSAPIURL()) // the connection weighs 2
	var r wsResp
	for i, want := range []int{3, 4, 5} {
		c.send(`{"id":1,"method":"ping"}`)
		decodeJSON(t, c.read(5*time.Second), &r)
		if r.Status != 200 || len(r.Limits) != 1 || r.Limits[0].Type != "REQUEST_WEIGHT" || r.Limits[0].Count != want || r.Limits[0].Limit != 5 {
			t.Fatalf("ping %d: %+v", i, r)
		}
	}
	c.send(`{"id":2,"method":"ping"}`)
	decodeJSON(t, c.read(5*time.Second), &r)
	if r.Status != 429 || r.Error == nil || r.Error.Code != -1003 {
		t.Fatalf("throttled ping: %+v", r)
	}
	// A new connection is refused at the handshake with the same error.
	st, body := e.get("/ws-api/v3")
	wantError(t, st, body, 429, -1003, "")
}
