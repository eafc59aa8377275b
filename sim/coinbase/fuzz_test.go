package coinbase

import (
	"net/http"
	"testing"

	"github.com/valyala/fastjson"
)

// FuzzWSRequest: any client message gets an answer without a panic: an error, or a request the
// server can act on.
func FuzzWSRequest(f *testing.F) {
	fx := newFixture(f, nil, Options{})
	c := &conn{s: fx.s}
	for _, s := range []string{
		`{"type":"subscribe","product_ids":["BTC-USDT"],"channel":"level2"}`,
		`{"type":"unsubscribe","product_ids":["ETH-USDT"],"channel":"market_trades"}`,
		`{"type":"subscribe","channel":"heartbeats"}`,
		`{"type":"subscribe","channel":"user","jwt":"a.b.c"}`,
		`{"type":"subscribe","product_ids":[1],"channel":"level2"}`,
		`[]`, `nope`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		req, bad := fx.s.parseRequest(c, msg)
		if bad == "" && req.channel == "" {
			t.Fatalf("accepted %q without a channel", msg)
		}
	})
}

// FuzzCreateOrder: any create body is answered with the venue's shapes: HTTP 200 with success
// true or false, or 400 INVALID_ARGUMENT.
func FuzzCreateOrder(f *testing.F) {
	fx := newFixture(f, nil, Options{})
	key := fx.s.keys[fx.keys[0].Name()]
	for _, s := range []string{
		limitGTC("a", "BTC-USDT", "BUY", "0.01", "60000", true),
		limitGTC("b", "ETH-USDT", "SELL", "0.5", "9000.01", false),
		`{"client_order_id":"c","product_id":"BTC-USDT","side":"BUY","order_configuration":{"market_market_ioc":{"quote_size":"10"}}}`,
		`{"client_order_id":"d","product_id":"BTC-USDT","side":"SELL","order_configuration":{"limit_limit_fok":{"base_size":1,"limit_price":"1e3"}}}`,
		`{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rep := fx.s.createOrder(&request{key: key, body: body})
		v, err := fastjson.ParseBytes(rep.body)
		if err != nil {
			t.Fatalf("answer is not JSON: %s", rep.body)
		}
		switch rep.status {
		case http.StatusOK:
			if v.Get("success") == nil {
				t.Fatalf("200 without success: %s", rep.body)
			}
		case http.StatusBadRequest:
			if str(v, "error") != "INVALID_ARGUMENT" {
				t.Fatalf("400 body %s", rep.body)
			}
		default:
			t.Fatalf("status %d", rep.status)
		}
	})
}
