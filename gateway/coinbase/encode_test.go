package coinbase

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"ems/core/event"
	"ems/core/instrument"
)

var btcListing = instrument.Listing{Instrument: 1, Symbol: "BTC-USDT", PriceScale: 2, QtyScale: 8, Tick: 1, Lot: 1, MinQty: 1}

func testEncoder(t testing.TB) *Encoder {
	t.Helper()
	p, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalECPrivateKey(p)
	k, err := ParseKey(testKeyName, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEncoder("e7k2", k, "api.coinbase.com")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestOrderBody(t *testing.T) {
	e := testEncoder(t)
	tests := []struct {
		name string
		o    event.Order
		want string
		err  error
	}{
		{"gtc", event.Order{Order: 42, Price: 6_800_001, Qty: 100_000, Side: event.SideBuy},
			`{"client_order_id":"e7k2x42","product_id":"BTC-USDT","side":"BUY","order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"68000.01","post_only":false}}}`, nil},
		{"gtc-post-only", event.Order{Order: 1, Price: 6_800_000, Qty: 1, Side: event.SideSell, PostOnly: true},
			`{"client_order_id":"e7k2x1","product_id":"BTC-USDT","side":"SELL","order_configuration":{"limit_limit_gtc":{"base_size":"0.00000001","limit_price":"68000","post_only":true}}}`, nil},
		{"ioc", event.Order{Order: 2, Price: 6_800_000, Qty: 250_000_000, Side: event.SideBuy, TIF: event.TIFIOC},
			`{"client_order_id":"e7k2x2","product_id":"BTC-USDT","side":"BUY","order_configuration":{"sor_limit_ioc":{"base_size":"2.5","limit_price":"68000"}}}`, nil},
		{"fok", event.Order{Order: 3, Price: 10, Qty: 100_000_000, Side: event.SideSell, TIF: event.TIFFOK},
			`{"client_order_id":"e7k2x3","product_id":"BTC-USDT","side":"SELL","order_configuration":{"limit_limit_fok":{"base_size":"1","limit_price":"0.1"}}}`, nil},
		{"market", event.Order{Order: 4, Qty: 100_000, Side: event.SideBuy, Type: event.OrderMarket, TIF: event.TIFIOC},
			`{"client_order_id":"e7k2x4","product_id":"BTC-USDT","side":"BUY","order_configuration":{"market_market_ioc":{"base_size":"0.001"}}}`, nil},
		{"post-only-ioc", event.Order{Order: 5, Price: 1, Qty: 1, Side: event.SideBuy, TIF: event.TIFIOC, PostOnly: true}, "", ErrPostOnlyTIF},
		{"no-side", event.Order{Order: 6, Price: 1, Qty: 1}, "", ErrSide},
		{"zero-qty", event.Order{Order: 7, Price: 1, Side: event.SideBuy}, "", ErrQty},
		{"zero-price", event.Order{Order: 8, Qty: 1, Side: event.SideBuy}, "", ErrPrice},
		{"bad-tif", event.Order{Order: 9, Price: 1, Qty: 1, Side: event.SideBuy, TIF: 9}, "", ErrOrderType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.AppendOrderBody(nil, &tc.o, &btcListing)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if tc.err == nil && string(got) != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
			if tc.err == nil && !json.Valid(got) {
				t.Fatal("not JSON")
			}
		})
	}
	if got := AppendCancelBody(nil, []byte("a"), []byte("b")); string(got) != `{"order_ids":["a","b"]}` {
		t.Fatal(string(got))
	}
}

// TestRequest: the request is valid HTTP/1.1 and its JWT verifies with the uri of its method,
// host and path (never its query).
func TestRequest(t *testing.T) {
	e := testEncoder(t)
	o := event.Order{Order: 42, Price: 6_800_001, Qty: 100_000, Side: event.SideBuy}
	newOrder, err := e.AppendNewOrder(nil, &o, &btcListing, testNow)
	if err != nil {
		t.Fatal(err)
	}
	cancel, _ := e.AppendCancel(nil, []byte("00000001-0000-4000-8000-000000000191"), testNow)
	fills, _ := e.AppendFillsQuery(nil, []byte("00000001-0000-4000-8000-000000000191"), 100, testNow)
	orders, _ := e.AppendOrdersQuery(nil, [][]byte{[]byte("x"), []byte("y")}, testNow)
	tests := []struct {
		name, method, path, query string
		req                       []byte
	}{
		{"create", "POST", "/api/v3/brokerage/orders", "", newOrder},
		{"cancel", "POST", "/api/v3/brokerage/orders/batch_cancel", "", cancel},
		{"fills", "GET", "/api/v3/brokerage/orders/historical/fills", "order_ids=00000001-0000-4000-8000-000000000191&limit=100", fills},
		{"orders", "GET", "/api/v3/brokerage/orders/historical/batch", "limit=1000&order_ids=x&order_ids=y", orders},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(tc.req)))
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tc.method || r.URL.Path != tc.path || r.URL.RawQuery != tc.query || r.Host != "api.coinbase.com" {
				t.Fatalf("%s %s?%s host %s", r.Method, r.URL.Path, r.URL.RawQuery, r.Host)
			}
			tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok {
				t.Fatal("no bearer token")
			}
			v, err := Verify(tok, e.key.Public())
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Check(testKeyName, tc.method+" api.coinbase.com"+tc.path, testNow, 0); err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r.Body)
			if tc.method == "POST" && !json.Valid(body) {
				t.Fatalf("body %q", body)
			}
		})
	}
}
