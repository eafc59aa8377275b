package binance

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/url"
	"testing"
	"time"

	gw "ems/gateway/binance"
	"ems/sim"
)

// TestEd25519Key: a key registered with an Ed25519 public key signs WebSocket API and REST
// requests with Ed25519 (base64); HMAC signatures and other keys' signatures are refused.
func TestEd25519Key(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	e := newEnv(t, envConfig{keys: []sim.APIKey{{Key: "ed-key", PublicKeyPEM: pubPEM, Account: 1}}})
	signer, err := gw.NewEd25519(priv)
	if err != nil {
		t.Fatal(err)
	}
	edSign := func(ps []gw.Param) []byte { return signer.AppendSignature(nil, gw.AppendPayload(nil, ps)) }
	bid, _ := e.touch("BTCUSDT")
	order := kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
		{"quantity", "0.001"}, {"price", px(bid - 3)}}

	c := dialWS(t, e.s.WSAPIURL())
	c.send(wsRequestText("1", "order.place", append(kv{}, order...), "ed-key", e.nowMs(), edSign))
	var r wsResp
	decodeJSON(t, c.read(5*time.Second), &r)
	if r.Status != 200 {
		t.Fatalf("Ed25519-signed order.place: %+v", r)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	otherSigner, _ := gw.NewEd25519(other)
	for name, sign := range map[string]func([]gw.Param) []byte{
		"another key": func(ps []gw.Param) []byte { return otherSigner.AppendSignature(nil, gw.AppendPayload(nil, ps)) },
		"hmac":        func(ps []gw.Param) []byte { return gw.NewHMAC([]byte("x")).AppendParamsSignature(nil, ps) },
	} {
		c.send(wsRequestText("2", "order.place", append(kv{}, order...), "ed-key", e.nowMs(), sign))
		decodeJSON(t, c.read(5*time.Second), &r)
		if r.Status != 400 || r.Error == nil || r.Error.Code != -1022 {
			t.Fatalf("%s: %+v", name, r)
		}
	}

	// REST: the base64 signature travels URL-encoded.
	text := append(order, [2]string{"timestamp", e.nowMs()}).encode()
	sig := signer.AppendSignature(nil, []byte(text))
	st, body := e.do(http.MethodPost, "/api/v3/order", text+"&signature="+url.QueryEscape(string(sig)),
		map[string]string{"X-MBX-APIKEY": "ed-key"})
	if st != 200 {
		t.Fatalf("Ed25519-signed REST order: HTTP %d %s", st, body)
	}
}

// TestRecvWindow: a recvWindow with microseconds, and a timestamp just inside it.
func TestRecvWindow(t *testing.T) {
	e := newEnv(t, envConfig{})
	c := dialWS(t, e.s.WSAPIURL())
	ts := e.clock.Load()/1e6 - 999
	sign := func(ps []gw.Param) []byte { return gw.NewHMAC([]byte(secret1)).AppendParamsSignature(nil, ps) }
	for _, tc := range []struct {
		window string
		status int
	}{{"1000.000", 200}, {"998.5", 400}} {
		c.send(wsRequestText("1", "order.status", kv{{"symbol", "BTCUSDT"}, {"orderId", "1"}, {"recvWindow", tc.window}},
			key1, itoa(int(ts)), sign))
		var r wsResp
		decodeJSON(t, c.read(5*time.Second), &r)
		// 200 would need an order: inside the window the request reaches the lookup (-2013).
		if tc.status == 200 && (r.Error == nil || r.Error.Code != -2013) || tc.status == 400 && (r.Error == nil || r.Error.Code != -1021) {
			t.Fatalf("recvWindow %s: %+v", tc.window, r.Error)
		}
	}
}
