package binance

import (
	"strconv"
	"testing"
	"time"

	gw "ems/gateway/binance"
)

// TestRESTRejects: every refusal has Binance's HTTP status, code and message.
func TestRESTRejects(t *testing.T) {
	e := newEnv(t, envConfig{})
	bid, ask := e.touch("BTCUSDT")
	limit := func(extra ...[2]string) kv {
		p := kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
			{"quantity", "0.001"}, {"price", px(bid - 10)}}
		for _, x := range extra {
			replaced := false
			for i := range p {
				if p[i][0] == x[0] {
					p[i][1], replaced = x[1], true
				}
			}
			if !replaced {
				p = append(p, x)
			}
		}
		return p
	}
	without := func(p kv, name string) kv {
		var out kv
		for _, x := range p {
			if x[0] != name {
				out = append(out, x)
			}
		}
		return out
	}
	// An open order with client id "dup" for the duplicate case.
	e.restOrder(key1, secret1, limit([2]string{"newClientOrderId", "dup"}))

	order := "/api/v3/order"
	cases := []struct {
		name        string
		method      string
		path        string
		key, secret string
		p           kv
		status      int
		code        int
		msg         string
	}{
		{"bad signature", "POST", order, key1, "wrong", limit(), 400, -1022, "Signature for this request is not valid."},
		{"unknown key", "POST", order, "nobody", secret1, limit(), 401, -2015, "Invalid API-key, IP, or permissions for action."},
		{"unknown symbol", "POST", order, key1, secret1, limit([2]string{"symbol", "FOOBAR"}), 400, -1121, "Invalid symbol."},
		{"lowercase symbol", "POST", order, key1, secret1, limit([2]string{"symbol", "btcusdt"}), 400, -1121, "Invalid symbol."},
		{"no symbol", "POST", order, key1, secret1, without(limit(), "symbol"), 400, -1102,
			"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."},
		{"price off tick", "POST", order, key1, secret1, limit([2]string{"price", px(bid-10) + "1"}), 400, -1013, "Filter failure: PRICE_FILTER"},
		{"price zero", "POST", order, key1, secret1, limit([2]string{"price", "0"}), 400, -1013, "Filter failure: PRICE_FILTER"},
		{"price too high", "POST", order, key1, secret1, limit([2]string{"price", "2000000"}), 400, -1013, "Filter failure: PRICE_FILTER"},
		{"qty off lot", "POST", order, key1, secret1, limit([2]string{"quantity", "0.000015"}), 400, -1013, "Filter failure: LOT_SIZE"},
		{"qty zero", "POST", order, key1, secret1, limit([2]string{"quantity", "0"}), 400, -1013, "Filter failure: LOT_SIZE"},
		{"below min notional", "POST", order, key1, secret1, limit([2]string{"quantity", "0.00001"}), 400, -1013, "Filter failure: NOTIONAL"},
		{"too much precision", "POST", order, key1, secret1, limit([2]string{"quantity", "0.001000001"}), 400, -1111,
			"Parameter 'quantity' has too much precision."},
		{"illegal price", "POST", order, key1, secret1, limit([2]string{"price", "1e5"}), 400, -1100,
			"Illegal characters found in parameter 'price'; legal range is '" + decimalRange + "'."},
		{"negative qty", "POST", order, key1, secret1, limit([2]string{"quantity", "-1"}), 400, -1100, ""},
		{"bad side", "POST", order, key1, secret1, limit([2]string{"side", "HOLD"}), 400, -1117, "Invalid side."},
		{"bad type", "POST", order, key1, secret1, limit([2]string{"type", "ICEBERG"}), 400, -1116, "Invalid orderType."},
		{"stop loss", "POST", order, key1, secret1, limit([2]string{"type", "STOP_LOSS"}), 400, -2010,
			"Stop loss orders are not supported for this symbol."},
		{"bad tif", "POST", order, key1, secret1, limit([2]string{"timeInForce", "GTD"}), 400, -1115, "Invalid timeInForce."},
		{"limit without tif", "POST", order, key1, secret1, without(limit(), "timeInForce"), 400, -1102,
			"Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."},
		{"market with tif", "POST", order, key1, secret1, without(limit([2]string{"type", "MARKET"}), "price"), 400, -1114,
			"TimeInForce parameter sent when not required."},
		{"market with price", "POST", order, key1, secret1, without(limit([2]string{"type", "MARKET"}), "timeInForce"), 400, -1106,
			"Parameter 'price' sent when not required."},
		{"quote qty market", "POST", order, key1, secret1, kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"},
			{"quoteOrderQty", "100"}}, 400, -2010, "Quote order qty market orders are not support for this symbol."},
		{"unknown param", "POST", order, key1, secret1, limit([2]string{"colour", "blue"}), 400, -1104,
			"Not all sent parameters were read; read '7' parameter(s) but was sent '8'."},
		{"bad client id", "POST", order, key1, secret1, limit([2]string{"newClientOrderId", "has space"}), 400, -1100, ""},
		{"duplicate client id", "POST", order, key1, secret1, limit([2]string{"newClientOrderId", "dup"}), 400, -2010, "Duplicate order sent."},
		{"post-only crosses", "POST", order, key1, secret1, without(limit([2]string{"type", "LIMIT_MAKER"},
			[2]string{"price", px(ask)}), "timeInForce"), 400, -2010, "Order would immediately match and take."},
		{"recvWindow too large", "POST", order, key1, secret1, limit([2]string{"recvWindow", "60001"}), 400, -1102,
			"'recvWindow' contains unexpected value. Cannot be greater than '60000'."},
		{"cancel unknown order", "DELETE", order, key1, secret1, kv{{"symbol", "BTCUSDT"}, {"orderId", "999999"}}, 400, -2011, "Unknown order sent."},
		{"cancel another account's order", "DELETE", order, key2, secret2, kv{{"symbol", "BTCUSDT"}, {"origClientOrderId", "dup"}}, 400, -2011, "Unknown order sent."},
		{"cancel without id", "DELETE", order, key1, secret1, kv{{"symbol", "BTCUSDT"}}, 400, -1102,
			"Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"},
		{"query unknown order", "GET", order, key1, secret1, kv{{"symbol", "BTCUSDT"}, {"orderId", "999999"}}, 400, -2013, "Order does not exist."},
		{"myTrades unknown symbol", "GET", "/api/v3/myTrades", key1, secret1, kv{{"symbol", "NOPE"}}, 400, -1121, "Invalid symbol."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, body := e.signed(c.method, c.path, c.key, c.secret, c.p)
			wantError(t, st, body, c.status, c.code, c.msg)
		})
	}

	t.Run("missing key", func(t *testing.T) {
		st, body := e.do("POST", order, "symbol=BTCUSDT&timestamp="+e.nowMs()+"&signature=00", nil)
		wantError(t, st, body, 401, -2014, "API-key format invalid.")
	})
	t.Run("missing signature", func(t *testing.T) {
		st, body := e.do("POST", order, limit().encode()+"&timestamp="+e.nowMs(), map[string]string{"X-MBX-APIKEY": key1})
		wantError(t, st, body, 400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.")
	})
	for _, tc := range []struct {
		name string
		ts   int64 // ms relative to the venue clock
		msg  string
	}{
		{"timestamp outside recvWindow", -5001, "Timestamp for this request is outside of the recvWindow."},
		{"timestamp ahead", 1000, "Timestamp for this request was 1000ms ahead of the server's time."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := limit().encode() + "&timestamp=" + strconv.FormatInt(e.clock.Load()/1e6+tc.ts, 10)
			sig := gw.NewHMAC([]byte(secret1)).AppendSignature(nil, []byte(text))
			st, body := e.do("POST", order, text+"&signature="+string(sig), map[string]string{"X-MBX-APIKEY": key1})
			wantError(t, st, body, 400, -1021, tc.msg)
		})
	}
	t.Run("timestamp in microseconds", func(t *testing.T) {
		text := limit().encode() + "&timestamp=" + strconv.FormatInt(e.clock.Load()/1e3, 10)
		sig := gw.NewHMAC([]byte(secret1)).AppendSignature(nil, []byte(text))
		st, body := e.do("POST", order, text+"&signature="+string(sig), map[string]string{"X-MBX-APIKEY": key1})
		if st != 200 {
			t.Fatalf("HTTP %d %s", st, body)
		}
	})
	t.Run("signature split between query and body", func(t *testing.T) {
		query := "symbol=BTCUSDT&side=BUY&type=LIMIT"
		body := "timeInForce=GTC&quantity=0.001&price=" + px(bid-11) + "&timestamp=" + e.nowMs()
		sig := gw.NewHMAC([]byte(secret1)).AppendRESTSignature(nil, []byte(query), []byte(body))
		st, b := e.do("POST", order+"?"+query, body+"&signature="+string(sig), map[string]string{"X-MBX-APIKEY": key1})
		if st != 200 {
			t.Fatalf("HTTP %d %s", st, b)
		}
	})
	for _, c := range []struct{ name, method, path string }{
		{"unknown path", "GET", "/api/v3/nothing"},
		{"unknown root", "GET", "/index.html"},
		{"wrong method", "PUT", "/api/v3/order"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, body := e.do(c.method, c.path, "", nil)
			wantError(t, st, body, 404, -1020, "This operation is not supported.")
		})
	}
	t.Run("depth unknown symbol", func(t *testing.T) {
		st, body := e.get("/api/v3/depth?symbol=NOPE")
		wantError(t, st, body, 400, -1121, "Invalid symbol.")
	})
	t.Run("depth bad limit", func(t *testing.T) {
		st, body := e.get("/api/v3/depth?symbol=BTCUSDT&limit=x")
		wantError(t, st, body, 400, -1100, "")
	})
	t.Run("malformed query", func(t *testing.T) {
		st, body := e.get("/api/v3/depth?symbol=%zz")
		wantError(t, st, body, 400, -1100, "Illegal characters found in a parameter.")
	})
	t.Run("duplicate parameter", func(t *testing.T) {
		st, body := e.get("/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT")
		wantError(t, st, body, 400, -1101, "Duplicate values for a parameter detected.")
	})
}

// TestWSAPIRejects: the WebSocket API answers failures with its error shape and never hangs.
func TestWSAPIRejects(t *testing.T) {
	e := newEnv(t, envConfig{})
	c := dialWS(t, e.s.WSAPIURL())
	read := func() wsResp {
		var r wsResp
		decodeJSON(t, c.read(5*time.Second), &r)
		return r
	}
	cases := []struct {
		name   string
		send   func()
		id     string
		status int
		code   int
	}{
		{"bad json", func() { c.send(`{"id":1,`) }, "null", 400, -1135},
		{"unknown method", func() { c.send(`{"id":"x","method":"session.logon","params":{}}`) }, `"x"`, 400, -1020},
		{"bad signature", func() {
			e.wsCall(c, "3", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"},
				{"quantity", "0.001"}}, key1, "wrong")
		}, "3", 400, -1022},
		{"unknown key", func() {
			e.wsCall(c, "4", "order.status", kv{{"symbol", "BTCUSDT"}, {"orderId", "1"}}, "nobody", secret1)
		}, "4", 401, -2015},
		{"no apiKey", func() { c.send(`{"id":5,"method":"order.place","params":{"symbol":"BTCUSDT"}}`) }, "5", 400, -1102},
		{"unknown symbol", func() {
			e.wsCall(c, "6", "order.place", kv{{"symbol", "NOPE"}, {"side", "BUY"}, {"type", "MARKET"},
				{"quantity", "0.001"}}, key1, secret1)
		}, "6", 400, -1121},
		{"cancel unknown", func() {
			e.wsCall(c, "7", "order.cancel", kv{{"symbol", "BTCUSDT"}, {"orderId", "424242"}}, key1, secret1)
		}, "7", 400, -2011},
		{"status unknown", func() {
			e.wsCall(c, "8", "order.status", kv{{"symbol", "BTCUSDT"}, {"orderId", "424242"}}, key1, secret1)
		}, "8", 400, -2013},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.send()
			r := read()
			if string(r.ID) != tc.id || r.Status != tc.status || r.Error == nil || r.Error.Code != tc.code {
				t.Fatalf("got id %s status %d error %+v, want id %s status %d code %d", r.ID, r.Status, r.Error, tc.id, tc.status, tc.code)
			}
		})
	}
	t.Run("ping and time", func(t *testing.T) {
		c.send(`{"id":9,"method":"ping"}`)
		if r := read(); r.Status != 200 || string(r.Result) != "{}" {
			t.Fatalf("ping: %+v", r)
		}
		c.send(`{"id":10,"method":"time","params":{"returnRateLimits":false}}`)
		r := read()
		if r.Status != 200 || string(r.Result) != `{"serverTime":`+e.nowMs()+`}` || r.Limits != nil {
			t.Fatalf("time: %+v %s", r, r.Result)
		}
	})
}
