package binance

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"ems/core/fixed"
)

// BTCUSDT's grid on the simulated venue (the master's binance listing).
const (
	btcPriceScale = 2
	btcQtyScale   = 5
	btcTick       = 1
)

func px(v int64) string { return string(fixed.Append(nil, v, btcPriceScale)) }

// touch returns symbol's best bid and ask at the price scale.
func (e *env) touch(symbol string) (bid, ask int64) {
	e.t.Helper()
	rb := e.depth(symbol, 5)
	if len(rb.Bids) == 0 || len(rb.Asks) == 0 {
		e.t.Fatalf("%s: empty side in %+v", symbol, rb)
	}
	var err error
	if bid, err = fixed.ParseString(rb.Bids[0][0], btcPriceScale); err != nil {
		e.t.Fatal(err)
	}
	if ask, err = fixed.ParseString(rb.Asks[0][0], btcPriceScale); err != nil {
		e.t.Fatal(err)
	}
	return bid, ask
}

// orderResp is a new-order (FULL), query or cancel response.
type orderResp struct {
	Symbol        string `json:"symbol"`
	OrderID       int64  `json:"orderId"`
	ClientOrderID string `json:"clientOrderId"`
	OrigClientID  string `json:"origClientOrderId"`
	Price         string `json:"price"`
	OrigQty       string `json:"origQty"`
	ExecutedQty   string `json:"executedQty"`
	CumQuote      string `json:"cummulativeQuoteQty"`
	Status        string `json:"status"`
	TimeInForce   string `json:"timeInForce"`
	Type          string `json:"type"`
	Side          string `json:"side"`
	IsWorking     *bool  `json:"isWorking"`
	Fills         []struct {
		Price           string `json:"price"`
		Qty             string `json:"qty"`
		Commission      string `json:"commission"`
		CommissionAsset string `json:"commissionAsset"`
		TradeID         int64  `json:"tradeId"`
	} `json:"fills"`
}

func (e *env) restOrder(key, secret string, p kv) orderResp {
	e.t.Helper()
	st, b := e.signed(http.MethodPost, "/api/v3/order", key, secret, p)
	if st != http.StatusOK {
		e.t.Fatalf("POST order %v: HTTP %d %s", p, st, b)
	}
	var r orderResp
	decodeJSON(e.t, b, &r)
	return r
}

// userStream opens a WebSocket API connection subscribed to key's user data stream.
func (e *env) userStream(key, secret string) *wsClient {
	e.t.Helper()
	c := dialWS(e.t, e.s.WSAPIURL())
	e.wsCall(c, `"sub"`, "userDataStream.subscribe.signature", nil, key, secret)
	var r wsResp
	decodeJSON(e.t, c.read(5*time.Second), &r)
	if r.Status != 200 || string(r.Result) != `{"subscriptionId":0}` {
		e.t.Fatalf("subscribe: %+v %s", r, r.Result)
	}
	return c
}

// nextReport reads the next execution report from a user data connection (skipping responses).
func nextReport(t *testing.T, c *wsClient) execReportJ {
	t.Helper()
	b := c.readUntil(5*time.Second, isEvent)
	var ev userEvent
	decodeJSON(t, b, &ev)
	if ev.Event == nil || ev.Event.E != "executionReport" || ev.SubscriptionID == nil {
		t.Fatalf("not an execution report: %s", b)
	}
	return *ev.Event
}

func wantReport(t *testing.T, got execReportJ, x, status, last, cum string) {
	t.Helper()
	if got.X != x || got.St != status || got.L != last || got.Z != cum {
		t.Fatalf("report x=%s X=%s l=%s z=%s, want x=%s X=%s l=%s z=%s (%+v)",
			got.X, got.St, got.L, got.Z, x, status, last, cum, got)
	}
}

// TestRESTOrderRoundTrip: a resting order is acknowledged, partially filled, filled (execution
// reports on the WebSocket API user data stream), found by query, in myTrades; another is
// canceled; a crossing LIMIT_MAKER is rejected.
func TestRESTOrderRoundTrip(t *testing.T) {
	e := newEnv(t, envConfig{})
	user := e.userStream(key1, secret1)
	bid, ask := e.touch("BTCUSDT")
	if ask-bid < 3*btcTick {
		t.Fatalf("spread %d ticks, the test needs 3", ask-bid)
	}
	p := ask - btcTick // inside the spread: the new best ask
	sell := e.restOrder(key1, secret1, kv{{"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.002"}, {"price", px(p)}, {"newClientOrderId", "sell-1"}})
	if sell.Status != "NEW" || sell.ClientOrderID != "sell-1" || sell.OrigQty != "0.00200000" ||
		sell.Price != px(p)+"000000" || len(sell.Fills) != 0 {
		t.Fatalf("ack %+v", sell)
	}
	r := nextReport(t, user)
	wantReport(t, r, "NEW", "NEW", "0.00000000", "0.00000000")
	if r.C != "sell-1" || r.I != sell.OrderID || !r.W || r.N != "0" || r.NA != nil || r.T != -1 {
		t.Fatalf("NEW report %+v", r)
	}

	take := func(qty string) orderResp {
		return e.restOrder(key2, secret2, kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
			{"timeInForce", "IOC"}, {"quantity", qty}, {"price", px(p)}})
	}
	b1 := take("0.001")
	if b1.Status != "FILLED" || len(b1.Fills) != 1 || b1.Fills[0].Price != px(p)+"000000" ||
		b1.Fills[0].CommissionAsset != "BTC" || b1.Fills[0].Commission != "0.00000100" {
		t.Fatalf("taker 1 %+v", b1)
	}
	r = nextReport(t, user)
	wantReport(t, r, "TRADE", "PARTIALLY_FILLED", "0.00100000", "0.00100000")
	if !r.M || r.LP != px(p)+"000000" || r.NA != "USDT" || r.T != b1.Fills[0].TradeID {
		t.Fatalf("partial fill report %+v", r)
	}
	take("0.001")
	r = nextReport(t, user)
	wantReport(t, r, "TRADE", "FILLED", "0.00100000", "0.00200000")

	st, body := e.signed(http.MethodGet, "/api/v3/order", key1, secret1, kv{{"symbol", "BTCUSDT"}, {"origClientOrderId", "sell-1"}})
	var q orderResp
	decodeJSON(t, body, &q)
	// Two fills of 0.001 BTC, each valued p × 0.001 truncated to the cent, as the Engine does.
	wantQuote := string(fixed.Append(nil, 2*(p*100/100_000), btcPriceScale)) + "000000"
	if st != 200 || q.Status != "FILLED" || q.ExecutedQty != "0.00200000" || q.CumQuote != wantQuote ||
		q.IsWorking == nil || *q.IsWorking {
		t.Fatalf("query: HTTP %d %s (want cummulativeQuoteQty %s)", st, body, wantQuote)
	}
	st, body = e.signed(http.MethodGet, "/api/v3/myTrades", key1, secret1, kv{{"symbol", "BTCUSDT"}})
	var trades []struct {
		ID       int64  `json:"id"`
		OrderID  int64  `json:"orderId"`
		Qty      string `json:"qty"`
		QuoteQty string `json:"quoteQty"`
		IsBuyer  bool   `json:"isBuyer"`
		IsMaker  bool   `json:"isMaker"`
	}
	decodeJSON(t, body, &trades)
	if st != 200 || len(trades) != 2 || trades[0].OrderID != sell.OrderID || !trades[1].IsMaker || trades[1].IsBuyer {
		t.Fatalf("myTrades: HTTP %d %s", st, body)
	}

	// Cancel a resting buy by orderId.
	buy := e.restOrder(key1, secret1, kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.00100"}, {"price", px(bid - 5*btcTick)}, {"newOrderRespType", "ACK"}})
	wantReport(t, nextReport(t, user), "NEW", "NEW", "0.00000000", "0.00000000")
	st, body = e.signed(http.MethodGet, "/api/v3/openOrders", key1, secret1, kv{{"symbol", "BTCUSDT"}})
	var open []orderResp
	decodeJSON(t, body, &open)
	if st != 200 || len(open) != 1 || open[0].OrderID != buy.OrderID || open[0].Status != "NEW" {
		t.Fatalf("openOrders: HTTP %d %s", st, body)
	}
	st, body = e.signed(http.MethodDelete, "/api/v3/order", key1, secret1, kv{{"symbol", "BTCUSDT"},
		{"orderId", strconv.FormatInt(buy.OrderID, 10)}, {"newClientOrderId", "cxl-1"}})
	var cx orderResp
	decodeJSON(t, body, &cx)
	if st != 200 || cx.Status != "CANCELED" || cx.ClientOrderID != "cxl-1" || cx.OrigClientID != buy.ClientOrderID {
		t.Fatalf("cancel: HTTP %d %s", st, body)
	}
	r = nextReport(t, user)
	wantReport(t, r, "CANCELED", "CANCELED", "0.00000000", "0.00000000")
	if r.C != "cxl-1" || r.OC != buy.ClientOrderID {
		t.Fatalf("CANCELED report c=%q C=%q, want cxl-1 and %q", r.C, r.OC, buy.ClientOrderID)
	}
	st, body = e.signed(http.MethodGet, "/api/v3/openOrders", key1, secret1, nil)
	if st != 200 || string(body) != "[]" {
		t.Fatalf("openOrders after cancel: HTTP %d %s", st, body)
	}

	// A LIMIT_MAKER that would cross is rejected, with no execution report.
	st, body = e.signed(http.MethodPost, "/api/v3/order", key1, secret1, kv{{"symbol", "BTCUSDT"}, {"side", "BUY"},
		{"type", "LIMIT_MAKER"}, {"quantity", "0.001"}, {"price", px(ask + 10*btcTick)}})
	wantError(t, st, body, 400, -2010, "Order would immediately match and take.")
	if b, err := user.tryRead(100 * time.Millisecond); err == nil {
		t.Fatalf("unexpected message after a rejected order: %s", b)
	}
}

// TestWSAPIOrderRoundTrip places, queries and cancels through the WebSocket API, on a connection
// that is also subscribed to the account's user data: each response precedes the execution
// reports of the same request.
func TestWSAPIOrderRoundTrip(t *testing.T) {
	e := newEnv(t, envConfig{})
	c := e.userStream(key1, secret1)
	bid, ask := e.touch("BTCUSDT")

	e.wsCall(c, "7", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.00300"}, {"price", px(bid - 2*btcTick)}, {"newClientOrderId", "ws-1"},
		{"newOrderRespType", "RESULT"}}, key1, secret1)
	var resp wsResp
	b := c.read(5 * time.Second)
	decodeJSON(t, b, &resp)
	if !isResponse(b) || string(resp.ID) != "7" || resp.Status != 200 || len(resp.Limits) == 0 {
		t.Fatalf("first message after order.place is not its response: %s", b)
	}
	var placed orderResp
	decodeJSON(t, resp.Result, &placed)
	if placed.Status != "NEW" || placed.ClientOrderID != "ws-1" || placed.Fills != nil {
		t.Fatalf("RESULT %s", resp.Result)
	}
	wantReport(t, nextReport(t, c), "NEW", "NEW", "0.00000000", "0.00000000")

	e.wsCall(c, `"q1"`, "order.status", kv{{"symbol", "BTCUSDT"}, {"orderId", strconv.FormatInt(placed.OrderID, 10)}}, key1, secret1)
	decodeJSON(t, c.read(5*time.Second), &resp)
	var q orderResp
	decodeJSON(t, resp.Result, &q)
	if resp.Status != 200 || q.Status != "NEW" || q.OrigQty != "0.00300000" {
		t.Fatalf("order.status %s", resp.Result)
	}
	e.wsCall(c, "8", "openOrders.status", kv{{"symbol", "BTCUSDT"}}, key1, secret1)
	decodeJSON(t, c.read(5*time.Second), &resp)
	var open []orderResp
	decodeJSON(t, resp.Result, &open)
	if len(open) != 1 || open[0].OrderID != placed.OrderID {
		t.Fatalf("openOrders.status %s", resp.Result)
	}

	e.wsCall(c, "9", "order.cancel", kv{{"symbol", "BTCUSDT"}, {"origClientOrderId", "ws-1"}}, key1, secret1)
	b = c.read(5 * time.Second)
	decodeJSON(t, b, &resp)
	var cx orderResp
	decodeJSON(t, resp.Result, &cx)
	if !isResponse(b) || string(resp.ID) != "9" || cx.Status != "CANCELED" || cx.OrigClientID != "ws-1" {
		t.Fatalf("order.cancel: %s", b)
	}
	wantReport(t, nextReport(t, c), "CANCELED", "CANCELED", "0.00000000", "0.00000000")

	// An aggressive market order fills at once: FULL response with its fills, then NEW and TRADE
	// reports.
	e.wsCall(c, "10", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"},
		{"quantity", "0.002"}}, key1, secret1)
	decodeJSON(t, c.read(5*time.Second), &resp)
	var mkt orderResp
	decodeJSON(t, resp.Result, &mkt)
	if resp.Status != 200 || mkt.Status != "FILLED" || len(mkt.Fills) == 0 || mkt.Fills[0].Price != px(ask)+"000000" {
		t.Fatalf("market order: %s", resp.Result)
	}
	wantReport(t, nextReport(t, c), "NEW", "NEW", "0.00000000", "0.00000000")
	r := nextReport(t, c)
	if r.X != "TRADE" || r.M {
		t.Fatalf("market order's fill report %+v", r)
	}

	// A FOK that cannot fill is answered EXPIRED, not refused.
	e.wsCall(c, "11", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "LIMIT"},
		{"timeInForce", "FOK"}, {"quantity", "0.001"}, {"price", px(ask + 100*btcTick)}}, key1, secret1)
	decodeJSON(t, c.read(5*time.Second), &resp)
	var fok orderResp
	decodeJSON(t, resp.Result, &fok)
	if resp.Status != 200 || fok.Status != "EXPIRED" || fok.ExecutedQty != "0.00000000" {
		t.Fatalf("FOK: %d %s", resp.Status, resp.Result)
	}
	wantReport(t, nextReport(t, c), "EXPIRED", "EXPIRED", "0.00000000", "0.00000000")

	// Unsubscribing stops the reports.
	c.send(`{"id":12,"method":"userDataStream.unsubscribe"}`)
	decodeJSON(t, c.read(5*time.Second), &resp)
	if resp.Status != 200 {
		t.Fatalf("unsubscribe: %+v", resp)
	}
	e.wsCall(c, "13", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.001"}, {"price", px(bid - 3*btcTick)}}, key1, secret1)
	decodeJSON(t, c.read(5*time.Second), &resp)
	if resp.Status != 200 {
		t.Fatalf("order.place after unsubscribe: %+v", resp)
	}
	if b, err := c.tryRead(100 * time.Millisecond); err == nil {
		t.Fatalf("report after unsubscribe: %s", b)
	}
	_ = json.Valid
}
