package bybit

import (
	"strconv"
	"testing"
)

// tradeReq builds a trade WebSocket request with the clock's timestamp.
func (e *env) tradeReq(reqID, op, arg string) string {
	return `{"reqId":"` + reqID + `","header":{"X-BAPI-TIMESTAMP":"` + strconv.FormatInt(e.clk.ms(), 10) +
		`","X-BAPI-RECV-WINDOW":"5000"},"op":"` + op + `","args":[` + arg + `]}`
}

// TestTradeWebSocket: auth, order.create and order.cancel with their answers and stream
// reports; a duplicate reqId (20006), an op before auth (10007), an unknown op (10404), a
// repeated auth (20001), ping.
func TestTradeWebSocket(t *testing.T) {
	e := newEnv(t)
	k := e.mkt(catLinear, "BTCUSDT")
	tw := e.dial(e.s.TradeURL())
	pw := e.private("order")

	tw.send(e.tradeReq("r0", "order.create", orderBody(k, "Buy", "Limit", "0.001", "1000.0", "", "")))
	if m := tw.next(); m["retCode"] != float64(codeAuthFailed) || field(m, "reqId") != "r0" {
		t.Fatalf("unauthenticated create: %v", m)
	}
	tw.send(`{"reqId":"a","op":"auth","args":` + e.authMsg(key1, secret1)[len(`{"req_id":"a1","op":"auth","args":`):])
	if m := tw.next(); m["retCode"] != float64(0) || field(m, "op") != "auth" || field(m, "connId") == "" {
		t.Fatalf("auth: %v", m)
	}
	tw.send(`{"reqId":"a2","op":"auth","args":` + e.authMsg(key1, secret1)[len(`{"req_id":"a1","op":"auth","args":`):])
	if m := tw.next(); m["retCode"] != float64(codeRepeatAuth) {
		t.Fatalf("second auth: %v", m)
	}

	bid, _ := e.best(k)
	tw.send(e.tradeReq("r1", "order.create", orderBody(k, "Buy", "Limit", "0.002", px(k, bid-3*k.l.Tick), "GTC", "ws-1")))
	m := tw.next()
	if m["retCode"] != float64(0) || field(m, "op") != "order.create" || field(m, "reqId") != "r1" {
		t.Fatalf("create: %v", m)
	}
	id := field(m["data"].(map[string]any), "orderId")
	if field(m["data"].(map[string]any), "orderLinkId") != "ws-1" || m["header"] == nil {
		t.Fatalf("create answer %v", m)
	}
	orderUpdate(pw, id, "New")

	tw.send(e.tradeReq("r1", "order.create", orderBody(k, "Buy", "Limit", "0.002", px(k, bid-3*k.l.Tick), "GTC", "")))
	if m := tw.next(); m["retCode"] != float64(codeReqIDRepeat) {
		t.Fatalf("duplicate reqId: %v", m)
	}
	tw.send(e.tradeReq("r2", "order.create", orderBody(k, "Buy", "Limit", "0.0025", px(k, bid), "GTC", "")))
	if m := tw.next(); m["retCode"] != float64(codeParams) {
		t.Fatalf("off-lot over ws: %v", m)
	}
	tw.send(e.tradeReq("r3", "order.cancel", `{"category":"linear","symbol":"BTCUSDT","orderId":"`+id+`"}`))
	if m := tw.next(); m["retCode"] != float64(0) || field(m["data"].(map[string]any), "orderId") != id {
		t.Fatalf("cancel: %v", m)
	}
	orderUpdate(pw, id, "Cancelled")
	tw.send(e.tradeReq("r4", "order.cancel", `{"category":"linear","symbol":"BTCUSDT","orderId":"`+id+`"}`))
	if m := tw.next(); m["retCode"] != float64(codeOrderNotExist) {
		t.Fatalf("second cancel: %v", m)
	}
	tw.send(e.tradeReq("r5", "order.transfer", `{}`))
	if m := tw.next(); m["retCode"] != float64(codeOpNotFound) {
		t.Fatalf("unknown op: %v", m)
	}
	old := `{"reqId":"r6","header":{"X-BAPI-TIMESTAMP":"` + strconv.FormatInt(e.clk.ms()-10_000, 10) + `"},"op":"order.create","args":[{}]}`
	tw.send(old)
	if m := tw.next(); m["retCode"] != float64(codeTimestamp) {
		t.Fatalf("stale timestamp: %v", m)
	}
	tw.send(`{"op":"ping"}`)
	if m := tw.next(); field(m, "op") != "pong" || m["retCode"] != float64(0) {
		t.Fatalf("ping: %v", m)
	}
	tw.send(`not json`)
	if m := tw.next(); m["retCode"] != float64(codeParams) {
		t.Fatalf("malformed: %v", m)
	}
}

// TestPrivateAuth: a bad signature, an unknown key and an expired request are refused; a
// subscription before auth is refused; pings are answered in the private shape.
func TestPrivateAuth(t *testing.T) {
	e := newEnv(t)
	w := e.dial(e.s.PrivateURL())
	w.send(`{"op":"subscribe","args":["order"]}`)
	if m := w.next(); m["success"] != false {
		t.Fatalf("subscribe before auth: %v", m)
	}
	w.send(e.authMsg(key1, "wrong"))
	if m := w.next(); m["success"] != false || field(m, "op") != "auth" {
		t.Fatalf("bad signature: %v", m)
	}
	w.send(e.authMsg("nokey", "x"))
	if m := w.next(); m["success"] != false {
		t.Fatalf("unknown key: %v", m)
	}
	w.send(`{"op":"auth","args":["` + key1 + `",1,"00"]}`)
	if m := w.next(); m["success"] != false {
		t.Fatalf("expired: %v", m)
	}
	w.send(`{"req_id":"p","op":"ping"}`)
	if m := w.next(); field(m, "op") != "pong" || field(m, "req_id") != "p" {
		t.Fatalf("ping: %v", m)
	}
	w.send(e.authMsg(key1, secret1))
	if m := w.next(); m["success"] != true {
		t.Fatalf("auth: %v", m)
	}
	w.send(`{"op":"subscribe","args":["wallet"]}`)
	if m := w.next(); m["success"] != false {
		t.Fatalf("unserved topic: %v", m)
	}
}

// TestPublicRequests: acknowledgements in each category's shape, refusals of unknown topics,
// symbols and depths, pings, and malformed requests answered, never dropped.
func TestPublicRequests(t *testing.T) {
	e := newEnv(t)
	sw := e.dial(e.s.PublicURL("spot"))
	lw := e.dial(e.s.PublicURL("linear"))
	sw.send(`{"op":"subscribe","args":["publicTrade.BTCUSDT"],"req_id":"7"}`)
	if m := sw.next(); m["success"] != true || field(m, "ret_msg") != "subscribe" || field(m, "req_id") != "7" {
		t.Fatalf("spot ack %v", m)
	}
	lw.send(`{"op":"subscribe","args":["publicTrade.BTCUSDT"]}`)
	if m := lw.next(); m["success"] != true || field(m, "ret_msg") != "" || m["req_id"] != "" {
		t.Fatalf("linear ack %v", m)
	}
	for _, bad := range []string{
		`{"op":"subscribe","args":["orderbook.40.BTCUSDT"]}`,
		`{"op":"subscribe","args":["orderbook.50.NOPE"]}`,
		`{"op":"subscribe","args":["tickers.BTCUSDT"]}`,
		`{"op":"subscribe","args":["publicTrade.BTCUSDT"]}`, // already subscribed
		`{"op":"subscribe","args":[1]}`,
		`{"op":"subscribe","args":["a","b","c","d","e","f","g","h","i","j","k"]}`,
		`{"op":"nope"}`,
		`[1,2]`,
	} {
		sw.send(bad)
		if m := sw.next(); m["success"] != false {
			t.Fatalf("%s: %v", bad, m)
		}
	}
	sw.send(`{"op":"ping"}`)
	if m := sw.next(); field(m, "ret_msg") != "pong" || field(m, "op") != "ping" {
		t.Fatalf("ping %v", m)
	}
	sw.send(`{"op":"unsubscribe","args":["publicTrade.BTCUSDT"]}`)
	if m := sw.next(); m["success"] != true || field(m, "op") != "unsubscribe" {
		t.Fatalf("unsubscribe %v", m)
	}
}
