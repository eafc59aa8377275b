package okx

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/fixed"
)

// insidePx returns a price strictly inside inst's spread, as text.
func (f *fixture) insidePx(inst string) string {
	f.t.Helper()
	m, _ := f.srv.market(inst)
	bid, ask := f.depth(inst, event.SideBuy, 1), f.depth(inst, event.SideSell, 1)
	if len(bid) == 0 || len(ask) == 0 || ask[0].Price-bid[0].Price < 2*m.l.Tick {
		f.t.Fatalf("%s: no price inside the spread (%v / %v)", inst, bid, ask)
	}
	return string(fixed.AppendTrim(nil, bid[0].Price+m.l.Tick, m.l.PriceScale))
}

// pxText returns price px of inst as text.
func (f *fixture) pxText(inst string, px int64) string {
	m, _ := f.srv.market(inst)
	return string(fixed.AppendTrim(nil, px, m.l.PriceScale))
}

// orderJSON builds an order object.
func orderJSON(fields ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(fields); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%q", fields[i], fields[i+1])
	}
	b.WriteByte('}')
	return b.String()
}

// want checks fields of an object.
func want(t *testing.T, what string, o map[string]any, kv ...string) {
	t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		if got := fmt.Sprint(o[kv[i]]); got != kv[i+1] {
			t.Errorf("%s: %s = %q, want %q (in %v)", what, kv[i], got, kv[i+1], o)
		}
	}
}

// orderPush reads the next orders-channel push of clOrdId and returns its order object.
func (c *wsClient) orderPush(clOrdID string) map[string]any {
	c.t.Helper()
	m, _ := c.until(`"channel":"orders"`, `"clOrdId":"`+clOrdID+`"`)
	return data(c.t, m, 0)
}

// TestOrderRoundTrip: a resting order placed on the private WebSocket is acknowledged, then
// filled in two parts by another account's REST orders, with the execution reports OKX pushes;
// fills and order queries agree.
func TestOrderRoundTrip(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	maker := f.dial(f.srv.PrivateURL())
	maker.login(f.key, f.clk.time())
	taker := f.dial(f.srv.PrivateURL())
	taker.login(f.key2, f.clk.time())
	px := f.insidePx("BTC-USDT")

	maker.write(`{"id":"o1","op":"order","args":[` + orderJSON("instId", "BTC-USDT", "tdMode", "cash",
		"side", "sell", "ordType", "limit", "px", px, "sz", "0.02", "clOrdId", "mk1") + `]}`)
	ackMsg := decode(t, maker.next()) // the answer comes before the push it causes
	want(t, "ack", ackMsg, "id", "o1", "op", "order", "code", "0", "msg", "")
	ack := data(t, ackMsg, 0)
	want(t, "ack data", ack, "clOrdId", "mk1", "sCode", "0", "sMsg", "", "tag", "")
	ordID := fmt.Sprint(ack["ordId"])
	live := maker.orderPush("mk1")
	want(t, "live", live, "state", "live", "ordId", ordID, "px", px, "sz", "0.02", "accFillSz", "0",
		"fillSz", "0", "avgPx", "0", "execType", "", "tradeId", "", "instType", "SPOT", "ordType", "limit",
		"side", "sell", "tdMode", "cash", "feeCcy", "USDT", "fee", "0")

	// First taker order: fills half of the resting order.
	status, resp := f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash",
		"side", "buy", "ordType", "limit", "px", px, "sz", "0.01", "clOrdId", "tk1"), &f.key2)
	if status != http.StatusOK {
		t.Fatalf("place: HTTP %d %v", status, resp)
	}
	want(t, "REST place", resp, "code", "0", "msg", "")
	want(t, "REST place data", data(t, resp, 0), "clOrdId", "tk1", "sCode", "0", "sMsg", "Order placed")
	part := maker.orderPush("mk1")
	pxV, _ := fixed.ParseString(px, 1)
	fee1 := fmt.Sprintf("-%s", fixed.AppendTrim(nil, pxV*1_000_000*800, 1+8+6)) // px × 0.01 × 0.0008
	want(t, "maker partial", part, "state", "partially_filled", "fillSz", "0.01", "fillPx", px,
		"execType", "M", "accFillSz", "0.01", "avgPx", px, "fillFee", fee1, "fee", fee1, "fillFeeCcy", "USDT")
	if part["tradeId"] == "" {
		t.Errorf("fill without tradeId: %v", part)
	}
	tk := taker.orderPush("tk1")
	want(t, "taker live", tk, "state", "live")
	tk = taker.orderPush("tk1")
	want(t, "taker filled", tk, "state", "filled", "execType", "T", "fillSz", "0.01", "accFillSz", "0.01",
		"feeCcy", "BTC", "fillFee", "-0.00001") // 0.01 × 0.001 in base currency

	// Second taker order (IOC) completes it.
	_, resp = f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash",
		"side", "buy", "ordType", "ioc", "px", px, "sz", "0.01", "clOrdId", "tk2"), &f.key2)
	want(t, "REST place 2", data(t, resp, 0), "sCode", "0")
	done := maker.orderPush("mk1")
	want(t, "maker filled", done, "state", "filled", "fillSz", "0.01", "accFillSz", "0.02", "avgPx", px,
		"cancelSource", "")
	if done["tradeId"] == part["tradeId"] {
		t.Errorf("two fills with trade id %v", done["tradeId"])
	}

	// Queries.
	_, resp = f.rest("GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=mk1", "", &f.key)
	want(t, "GET order", data(t, resp, 0), "ordId", ordID, "state", "filled", "accFillSz", "0.02",
		"fillSz", "0.01", "tradeId", fmt.Sprint(done["tradeId"]))
	_, resp = f.rest("GET", "/api/v5/trade/order?instId=BTC-USDT&ordId="+ordID, "", &f.key2)
	want(t, "GET another account's order", resp, "code", "51603", "msg", "Order does not exist.")
	_, resp = f.rest("GET", "/api/v5/trade/fills?instType=SPOT&instId=BTC-USDT", "", &f.key)
	fills, _ := resp["data"].([]any)
	if len(fills) != 2 {
		t.Fatalf("fills: %v", resp)
	}
	newest := data(t, resp, 0)
	want(t, "fill", newest, "ordId", ordID, "tradeId", fmt.Sprint(done["tradeId"]), "execType", "M",
		"side", "sell", "fillSz", "0.01", "fillPx", px, "feeRate", "-0.0008", "feeCcy", "USDT", "subType", "2")
	_, resp = f.rest("GET", "/api/v5/trade/fills?ordId="+ordID+"&after="+fmt.Sprint(newest["billId"]), "", &f.key)
	if d, _ := resp["data"].([]any); len(d) != 1 || data(t, resp, 0)["tradeId"] != part["tradeId"] {
		t.Errorf("fills after %v: %v", newest["billId"], resp)
	}
	_, resp = f.rest("GET", "/api/v5/trade/fills-history?instType=SPOT&limit=1", "", &f.key)
	if d, _ := resp["data"].([]any); len(d) != 1 {
		t.Errorf("fills-history limit=1: %v", resp)
	}
}

// TestCancel: a resting order is listed as pending, canceled on the WebSocket by client order
// id (answer, then the canceled push with cancelSource 1), and gone from the pending list.
func TestCancel(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	px := f.pxText("BTC-USDT", bid.Price-1000)
	_, resp := f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash",
		"side", "buy", "ordType", "limit", "px", px, "sz", "0.001", "clOrdId", "c1", "tag", "t1"), &f.key)
	ordID := fmt.Sprint(data(t, resp, 0)["ordId"])
	want(t, "live", c.orderPush("c1"), "state", "live", "tag", "t1")
	_, resp = f.rest("GET", "/api/v5/trade/orders-pending?instType=SPOT", "", &f.key)
	if d, _ := resp["data"].([]any); len(d) != 1 || data(t, resp, 0)["ordId"] != ordID {
		t.Fatalf("pending: %v", resp)
	}
	c.write(`{"id":"x","op":"cancel-order","args":[{"instId":"BTC-USDT","clOrdId":"c1"}]}`)
	ans := decode(t, c.next())
	want(t, "cancel answer", ans, "id", "x", "op", "cancel-order", "code", "0")
	want(t, "cancel data", data(t, ans, 0), "ordId", ordID, "clOrdId", "c1", "sCode", "0", "sMsg", "")
	if _, has := data(t, ans, 0)["tag"]; has {
		t.Errorf("cancel answer has a tag: %v", ans)
	}
	want(t, "canceled", c.orderPush("c1"), "state", "canceled", "cancelSource", "1")
	_, resp = f.rest("GET", "/api/v5/trade/orders-pending", "", &f.key)
	if d, _ := resp["data"].([]any); len(d) != 0 {
		t.Errorf("pending after cancel: %v", resp)
	}
	// Canceling again: the order is no longer open.
	_, resp = f.rest("POST", "/api/v5/trade/cancel-order", `{"instId":"BTC-USDT","ordId":"`+ordID+`"}`, &f.key)
	want(t, "second cancel", resp, "code", "1", "msg", msgAllFailed)
	want(t, "second cancel data", data(t, resp, 0), "sCode", "51400", "ordId", ordID)
}

// TestRejects: refusals carry OKX's codes; post-only, fill-or-kill and IOC orders that cannot
// trade are accepted and then canceled with their cancelSource, as OKX does.
func TestRejects(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	ask := f.depth("BTC-USDT", event.SideSell, 1)[0]
	bidPx, askPx := f.pxText("BTC-USDT", bid.Price), f.pxText("BTC-USDT", ask.Price)
	base := []string{"instId", "BTC-USDT", "tdMode", "cash", "side", "buy", "ordType", "limit", "px", bidPx, "sz", "0.001"}
	with := func(kv ...string) string {
		fields := append([]string(nil), base...)
	next:
		for i := 0; i+1 < len(kv); i += 2 {
			for j := 0; j+1 < len(fields); j += 2 {
				if fields[j] == kv[i] {
					fields[j+1] = kv[i+1]
					continue next
				}
			}
			fields = append(fields, kv[i], kv[i+1])
		}
		return orderJSON(fields...)
	}
	tests := []struct {
		name, body, code, msg string
	}{
		{"off-lot", with("sz", "0.000000001"), "51121", "Order quantity must be a multiple of the lot size."},
		{"below-min", with("sz", "0.000001"), "51020", "Your order should meet or exceed the minimum order amount."},
		{"off-tick", with("px", "68000.05"), "51000", "Parameter px error"},
		{"no-px", with("px", ""), "51204", "The price for the limit order cannot be empty."},
		{"unknown-inst", with("instId", "FOO-USDT"), "51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist."},
		{"bad-side", with("side", "long"), "51000", "Parameter side error"},
		{"bad-ordType", with("ordType", "stop"), "51000", "Parameter ordType error"},
		{"no-tdMode", with("tdMode", ""), "50014", "Parameter tdMode can not be empty."},
		{"bad-clOrdId", with("clOrdId", "a-b"), "51000", "Parameter clOrdId error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, resp := f.rest("POST", "/api/v5/trade/order", tt.body, &f.key)
			if status != http.StatusOK {
				t.Fatalf("HTTP %d %v", status, resp)
			}
			want(t, "answer", resp, "code", "1", "msg", msgAllFailed)
			want(t, "data", data(t, resp, 0), "sCode", tt.code, "sMsg", tt.msg, "ordId", "")
		})
	}
	// Duplicate client order id among open orders.
	_, resp := f.rest("POST", "/api/v5/trade/order", with("clOrdId", "dup", "px", f.pxText("BTC-USDT", bid.Price-500)), &f.key)
	want(t, "first dup", data(t, resp, 0), "sCode", "0")
	_, resp = f.rest("POST", "/api/v5/trade/order", with("clOrdId", "dup", "px", f.pxText("BTC-USDT", bid.Price-500)), &f.key)
	want(t, "second dup", data(t, resp, 0), "sCode", "51016", "sMsg", "Client order ID already exists.")

	// Accepted, then canceled by the venue.
	for _, tt := range []struct{ name, body, source string }{
		{"post-only-crossing", with("ordType", "post_only", "px", askPx, "clOrdId", "po"), "31"},
		{"fok-not-fillable", with("ordType", "fok", "px", bidPx, "clOrdId", "fk"), "13"},
		{"ioc-not-crossing", with("ordType", "ioc", "px", bidPx, "clOrdId", "io"), "14"},
	} {
		_, resp := f.rest("POST", "/api/v5/trade/order", tt.body, &f.key)
		d := data(t, resp, 0)
		want(t, tt.name+" answer", d, "sCode", "0")
		clOrdID := fmt.Sprint(d["clOrdId"])
		p := c.orderPush(clOrdID)
		if p["state"] == "live" {
			p = c.orderPush(clOrdID)
		}
		want(t, tt.name+" push", p, "state", "canceled", "cancelSource", tt.source, "accFillSz", "0")
	}

	// Batch: one good, one bad.
	_, resp = f.rest("POST", "/api/v5/trade/batch-orders", "["+with("px", f.pxText("BTC-USDT", bid.Price-700))+","+with("sz", "0")+"]", &f.key)
	want(t, "batch", resp, "code", "2", "msg", msgPartial)
	want(t, "batch 0", data(t, resp, 0), "sCode", "0")
	want(t, "batch 1", data(t, resp, 1), "sCode", "51000", "sMsg", "Parameter sz error")

	// Unknown orders.
	_, resp = f.rest("POST", "/api/v5/trade/cancel-order", `{"instId":"BTC-USDT","ordId":"600000000000012300"}`, &f.key)
	want(t, "cancel unknown", data(t, resp, 0), "sCode", "51400")
	_, resp = f.rest("POST", "/api/v5/trade/cancel-order", `{"instId":"BTC-USDT"}`, &f.key)
	want(t, "cancel without id", data(t, resp, 0), "sCode", "51003")
	_, resp = f.rest("GET", "/api/v5/trade/order?instId=BTC-USDT&ordId=600000000000012300", "", &f.key)
	want(t, "get unknown", resp, "code", "51603", "msg", "Order does not exist.")
}

// TestMarketOrder: a SPOT market buy sized in quote currency (OKX's default) walks the book and
// ends the way the real recording does: live, partially_filled with the fill, then filled again
// with fillSz "0" and no trade id.
func TestMarketOrder(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	ask := f.depth("BTC-USDT", event.SideSell, 1)[0]
	c.write(`{"id":"m","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"market","sz":"100","clOrdId":"mkt"}]}`)
	want(t, "answer", data(t, decode(t, c.next()), 0), "sCode", "0")
	want(t, "live", c.orderPush("mkt"), "state", "live", "sz", "100", "tgtCcy", "quote_ccy", "px", "")
	fill := c.orderPush("mkt")
	px := f.pxText("BTC-USDT", ask.Price)
	want(t, "fill", fill, "state", "partially_filled", "fillPx", px, "execType", "T", "feeCcy", "BTC")
	// 100 USDT at the best ask, rounded down to the lot.
	m, _ := f.srv.market("BTC-USDT")
	qty := int64(100) * 1e8 * 10 / ask.Price
	qty -= qty % m.l.Lot
	want(t, "fill size", fill, "fillSz", string(fixed.AppendTrim(nil, qty, 8)))
	last := c.orderPush("mkt")
	want(t, "filled", last, "state", "filled", "fillSz", "0", "tradeId", "", "execType", "",
		"accFillSz", fmt.Sprint(fill["accFillSz"]), "fee", fmt.Sprint(fill["fee"]))
}

// TestAuth: REST and WebSocket authentication failures carry OKX's codes.
func TestAuth(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	const path = "/api/v5/trade/orders-pending"
	tests := []struct {
		name   string
		edit   func(h http.Header)
		status int
		code   string
		msg    string
	}{
		{"no-key", func(h http.Header) { h.Del("OK-ACCESS-KEY") }, 401, "50103", `Request header "OK-ACCESS-KEY" cannot be empty.`},
		{"no-sign", func(h http.Header) { h.Del("OK-ACCESS-SIGN") }, 401, "50106", `Request header "OK-ACCESS-SIGN" cannot be empty.`},
		{"no-ts", func(h http.Header) { h.Del("OK-ACCESS-TIMESTAMP") }, 401, "50107", `Request header "OK-ACCESS-TIMESTAMP" cannot be empty.`},
		{"no-pass", func(h http.Header) { h.Del("OK-ACCESS-PASSPHRASE") }, 401, "50104", `Request header "OK-ACCESS-PASSPHRASE" cannot be empty.`},
		{"bad-key", func(h http.Header) { h.Set("OK-ACCESS-KEY", "nobody") }, 401, "50111", "Invalid OK-ACCESS-KEY"},
		{"bad-ts", func(h http.Header) { h.Set("OK-ACCESS-TIMESTAMP", "1538054050") }, 401, "50112", "Invalid OK-ACCESS-TIMESTAMP"},
		{"old-ts", func(h http.Header) { h.Set("OK-ACCESS-TIMESTAMP", "2020-12-08T09:08:57.715Z") }, 401, "50102", "Timestamp request expired"},
		{"bad-pass", func(h http.Header) { h.Set("OK-ACCESS-PASSPHRASE", "x") }, 401, "50105", `Request header "OK-ACCESS-PASSPHRASE" incorrect.`},
		{"bad-sign", func(h http.Header) { h.Set("OK-ACCESS-SIGN", "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=") }, 401, "50113", "Invalid Sign"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := f.restRaw("GET", path, "", &f.key, tt.edit)
			if status != tt.status || string(raw) != `{"msg":"`+jsonEsc(tt.msg)+`","code":"`+tt.code+`"}` {
				t.Errorf("HTTP %d %s, want %d code %s %q", status, raw, tt.status, tt.code, tt.msg)
			}
		})
	}
	// A request signed with the other key's secret.
	wrong := f.key
	wrong.Secret = f.key2.Secret
	if status, raw := f.restRaw("GET", path, "", &wrong, nil); status != 401 || !strings.Contains(string(raw), `"50113"`) {
		t.Errorf("wrong secret: HTTP %d %s", status, raw)
	}

	// WebSocket login.
	c := f.dial(f.srv.PrivateURL())
	c.write(`{"op":"subscribe","args":[{"channel":"orders","instType":"SPOT"}]}`)
	want(t, "subscribe before login", decode(t, c.next()), "event", "error", "code", "60011")
	login := func(k, pass, ts, sign string) map[string]any {
		c.write(`{"op":"login","args":[{"apiKey":"` + k + `","passphrase":"` + pass + `","timestamp":"` + ts + `","sign":"` + sign + `"}]}`)
		return decode(t, c.next())
	}
	now := f.clk.time()
	ts := fmt.Sprint(now.Unix())
	want(t, "bad sign", login(f.key.Key, f.key.Passphrase, ts, "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M="),
		"event", "error", "code", "60009", "msg", "Login failure")
	want(t, "bad key", login("nobody", "x", ts, "x"), "code", "60005")
	want(t, "bad passphrase", login(f.key.Key, "x", ts, "x"), "code", "60024")
	want(t, "expired", login(f.key.Key, f.key.Passphrase, fmt.Sprint(now.Add(-time.Hour).Unix()), "x"), "code", "60006")
	want(t, "ISO timestamp", login(f.key.Key, f.key.Passphrase, "2020-12-08T09:08:57.715Z", "x"), "code", "60004")
	c.login(f.key, now)
}

// jsonEsc escapes s as encoding/json would inside a string (quotes only, here).
func jsonEsc(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
