package binance

import (
	"errors"
	"testing"

	"ems/core/event"
	"ems/gateway"
)

func TestAppendPlace(t *testing.T) {
	e := testEncoder(t)
	mk := btcMarket(t, NewMarkets(testMaster(t)))
	cases := []struct {
		name string
		o    event.Order
		want map[string]string // params that must be present with these values
		none []string          // params that must be absent
	}{
		{"limit gtc buy", order(42, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 6800012, 1500),
			map[string]string{"type": "LIMIT", "timeInForce": "GTC", "side": "BUY", "price": "68000.12", "quantity": "0.01500", "newClientOrderId": "txx42"}, nil},
		{"limit ioc sell", order(43, event.SideSell, event.OrderLimit, event.TIFIOC, false, 1, 1),
			map[string]string{"type": "LIMIT", "timeInForce": "IOC", "side": "SELL", "price": "0.01", "quantity": "0.00001"}, nil},
		{"limit fok", order(44, event.SideBuy, event.OrderLimit, event.TIFFOK, false, 100, 100),
			map[string]string{"timeInForce": "FOK"}, nil},
		{"post only", order(45, event.SideBuy, event.OrderLimit, event.TIFGTC, true, 100, 100),
			map[string]string{"type": "LIMIT_MAKER"}, []string{"timeInForce"}},
		{"market", order(46, event.SideSell, event.OrderMarket, event.TIFGTC, false, 0, 250000),
			map[string]string{"type": "MARKET", "quantity": "2.50000"}, []string{"price", "timeInForce"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := e.AppendPlace(nil, 9, &c.o, mk, 1735689600123)
			if err != nil {
				t.Fatal(err)
			}
			got := verifyRequest(t, req)
			base := map[string]string{"method": "order.place", "id": "9", "apiKey": testKey, "symbol": "BTCUSDT",
				"timestamp": "1735689600123", "newOrderRespType": "ACK"}
			for k, v := range base {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			for _, k := range c.none {
				if _, ok := got[k]; ok {
					t.Errorf("%s sent", k)
				}
			}
			if _, ok := got["recvWindow"]; ok {
				t.Error("recvWindow sent without being configured")
			}
		})
	}
}

func TestAppendPlaceRefuses(t *testing.T) {
	e := testEncoder(t)
	mk := btcMarket(t, NewMarkets(testMaster(t)))
	cases := []struct {
		name string
		o    event.Order
		err  error
	}{
		{"zero qty", order(1, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 100, 0), ErrQty},
		{"zero price", order(1, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 0, 100), ErrPrice},
		{"post only ioc", order(1, event.SideBuy, event.OrderLimit, event.TIFIOC, true, 100, 100), ErrOrderType},
		{"post only market", order(1, event.SideBuy, event.OrderMarket, event.TIFGTC, true, 0, 100), ErrOrderType},
		{"no side", order(1, event.SideNone, event.OrderLimit, event.TIFGTC, false, 100, 100), ErrOrderType},
		{"bad tif", order(1, event.SideBuy, event.OrderLimit, 9, false, 100, 100), ErrOrderType},
	}
	for _, c := range cases {
		dst := []byte("keep")
		got, err := e.AppendPlace(dst, 1, &c.o, mk, 1)
		if !errors.Is(err, c.err) || string(got) != "keep" {
			t.Errorf("%s: %q, %v; want dst unchanged and %v", c.name, got, err, c.err)
		}
	}
}

func TestAppendOthers(t *testing.T) {
	e, err := NewEncoder(gateway.Credentials{Key: testKey, Secret: testSecret},
		EncoderConfig{Prefix: testPrefix, RespType: "RESULT", RecvWindow: 3000})
	if err != nil {
		t.Fatal(err)
	}
	mk := btcMarket(t, NewMarkets(testMaster(t)))
	c := event.Cancel{Order: 77}
	got := verifyRequest(t, e.AppendCancel(nil, 5, &c, mk, 1000))
	if got["method"] != "order.cancel" || got["origClientOrderId"] != "txx77" || got["symbol"] != "BTCUSDT" || got["recvWindow"] != "3000" {
		t.Errorf("cancel %v", got)
	}
	got = verifyRequest(t, e.AppendSubscribe(nil, 6, 1000))
	if got["method"] != "userDataStream.subscribe.signature" || len(got) != 6 { // apiKey recvWindow timestamp signature + method id
		t.Errorf("subscribe %v", got)
	}
	got = verifyRequest(t, e.AppendOpenOrders(nil, 7, mk, 1000))
	if got["method"] != "openOrders.status" || got["symbol"] != "BTCUSDT" {
		t.Errorf("openOrders %v", got)
	}
	got = verifyRequest(t, e.AppendOpenOrders(nil, 8, nil, 1000))
	if _, ok := got["symbol"]; ok {
		t.Errorf("openOrders all %v", got)
	}
	o := order(1, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 100, 100)
	req, _ := e.AppendPlace(nil, 9, &o, mk, 1)
	if got := verifyRequest(t, req); got["newOrderRespType"] != "RESULT" {
		t.Errorf("place %v", got)
	}
}

// TestSignatureVector: the documentation's order.place example (venue specs 7.1) signs to the
// documented signature when the encoder is given the same params.
func TestSignatureVector(t *testing.T) {
	const key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
	const secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
	// The example has no newClientOrderId or newOrderRespType, so it is checked at the signer
	// level with the params in the encoder's order.
	ps := []Param{{[]byte("apiKey"), []byte(key)}, {[]byte("price"), []byte("23416.10000000")},
		{[]byte("quantity"), []byte("0.00847000")}, {[]byte("side"), []byte("SELL")}, {[]byte("symbol"), []byte("BTCUSDT")},
		{[]byte("timeInForce"), []byte("GTC")}, {[]byte("timestamp"), []byte("1660801715431")}, {[]byte("type"), []byte("LIMIT")}}
	got := NewHMAC([]byte(secret)).AppendParamsSignature(nil, ps)
	if string(got) != "15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88" {
		t.Fatalf("signature %s", got)
	}
}

func TestNewEncoderRefuses(t *testing.T) {
	cases := []struct {
		name string
		c    gateway.Credentials
		cfg  EncoderConfig
	}{
		{"bad prefix", gateway.Credentials{Key: "k", Secret: "s"}, EncoderConfig{Prefix: "A-B"}},
		{"quote in key", gateway.Credentials{Key: `k"`, Secret: "s"}, EncoderConfig{Prefix: "p"}},
		{"no secret", gateway.Credentials{Key: "k"}, EncoderConfig{Prefix: "p"}},
		{"resp type", gateway.Credentials{Key: "k", Secret: "s"}, EncoderConfig{Prefix: "p", RespType: "FULL"}},
		{"recv window", gateway.Credentials{Key: "k", Secret: "s"}, EncoderConfig{Prefix: "p", RecvWindow: 60001}},
	}
	for _, c := range cases {
		if _, err := NewEncoder(c.c, c.cfg); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}
