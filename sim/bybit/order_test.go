package bybit

import (
	"encoding/json"

	"ems/core/book"
	"net/http"
	"strings"
	"testing"
)

// TestOrderRoundTrip: place over REST → ack and New on the order stream; a counterparty's two
// sells → PartiallyFilled and Filled with one execution each; the REST queries agree.
func TestOrderRoundTrip(t *testing.T) {
	for _, cat := range []category{catSpot, catLinear} {
		t.Run("category="+cat.String(), func(t *testing.T) {
			e := newEnv(t)
			k := e.mkt(cat, "BTCUSDT")
			w := e.private("order", "execution")
			bid, _ := e.best(k)
			price := bid + k.l.Tick // inside the spread: the best bid becomes ours
			lots := k.l.MinQty * 3
			if cat == catSpot {
				lots = 3 * 1000 * k.l.Lot // 0.003 BTC, above the 1 USDT minimum
			}
			id := ackID(t, e.create(orderBody(k, "Buy", "Limit", qt(k, lots), px(k, price), "GTC", "rt-1")))
			o := orderUpdate(w, id, "New")
			if field(o, "orderLinkId") != "rt-1" || field(o, "price") != px(k, price) || field(o, "qty") != qt(k, lots) ||
				field(o, "category") != cat.String() || field(o, "timeInForce") != "GTC" {
				t.Fatalf("New report %v", o)
			}

			// The counterparty (account 2) sells a third, then the rest, at our price.
			third := lots / 3
			sell := func(q int64) {
				r := e.rest(http.MethodPost, "/v5/order/create", "",
					orderBody(k, "Sell", "Limit", qt(k, q), px(k, price), "IOC", ""), key2, secret2)
				ackID(t, r)
			}
			sell(third)
			o = orderUpdate(w, id, "PartiallyFilled")
			if field(o, "cumExecQty") != qt(k, third) || field(o, "leavesQty") != qt(k, lots-third) {
				t.Fatalf("PartiallyFilled report %v", o)
			}
			x := execUpdate(w, id)
			if field(x, "execQty") != qt(k, third) || x["isMaker"] != true || field(x, "execPrice") != px(k, price) ||
				field(x, "execType") != "Trade" {
				t.Fatalf("execution %v", x)
			}
			sell(lots - third)
			o = orderUpdate(w, id, "Filled")
			if field(o, "cumExecQty") != qt(k, lots) || field(o, "leavesQty") != qt(k, 0) ||
				field(o, "avgPrice") == "" {
				t.Fatalf("Filled report %v", o)
			}
			execUpdate(w, id)

			// REST: the order by id, and two executions.
			r := e.rest(http.MethodGet, "/v5/order/realtime", query("category", cat.String(), "symbol", "BTCUSDT", "orderId", id), "", key1, secret1)
			var res struct {
				List []map[string]any `json:"list"`
			}
			if err := json.Unmarshal(r.Result, &res); err != nil || len(res.List) != 1 || field(res.List[0], "orderStatus") != "Filled" {
				t.Fatalf("realtime: %s", r.Body)
			}
			r = e.rest(http.MethodGet, "/v5/execution/list", query("category", cat.String(), "symbol", "BTCUSDT"), "", key1, secret1)
			if err := json.Unmarshal(r.Result, &res); err != nil || len(res.List) != 2 {
				t.Fatalf("executions: %s", r.Body)
			}
			// Account 2 sees its own executions only.
			r = e.rest(http.MethodGet, "/v5/execution/list", query("category", cat.String()), "", key2, secret2)
			if err := json.Unmarshal(r.Result, &res); err != nil || len(res.List) != 2 || res.List[0]["isMaker"] != false {
				t.Fatalf("counterparty executions: %s", r.Body)
			}
		})
	}
}

// TestCancel: a resting order is cancelled (CancelByUser on the stream, gone from open orders);
// cancelling it again, or an unknown id, answers the category's "order does not exist".
func TestCancel(t *testing.T) {
	for _, tc := range []struct {
		cat  category
		code int
	}{{catSpot, codeSpotNotExist}, {catLinear, codeOrderNotExist}} {
		t.Run("category="+tc.cat.String(), func(t *testing.T) {
			e := newEnv(t)
			k := e.mkt(tc.cat, "BTCUSDT")
			w := e.private("order.spot", "order.linear")
			bid, _ := e.best(k)
			qty := k.l.MinQty
			if tc.cat == catSpot {
				qty = 1000 * k.l.Lot
			}
			id := ackID(t, e.create(orderBody(k, "Buy", "Limit", qt(k, qty), px(k, bid-10*k.l.Tick), "", "c-1")))
			w.until(func(m map[string]any) bool {
				return field(m, "topic") == "order."+tc.cat.String() && field(data(t, m), "orderStatus") == "New"
			})
			r := e.rest(http.MethodGet, "/v5/order/realtime", query("category", tc.cat.String(), "symbol", "BTCUSDT"), "", key1, secret1)
			if !strings.Contains(string(r.Result), id) {
				t.Fatalf("open orders without %s: %s", id, r.Body)
			}
			cancel := `{"category":"` + tc.cat.String() + `","symbol":"BTCUSDT","orderLinkId":"c-1"}`
			r = e.rest(http.MethodPost, "/v5/order/cancel", "", cancel, key1, secret1)
			if got := ackID(t, r); got != id {
				t.Fatalf("cancel acked %s, want %s", got, id)
			}
			m := w.until(func(m map[string]any) bool { return field(data(t, m), "orderStatus") == "Cancelled" })
			if d := data(t, m); field(d, "cancelType") != "CancelByUser" || field(d, "orderId") != id {
				t.Fatalf("cancel report %v", d)
			}
			r = e.rest(http.MethodGet, "/v5/order/realtime", query("category", tc.cat.String(), "symbol", "BTCUSDT"), "", key1, secret1)
			if strings.Contains(string(r.Result), id) {
				t.Fatalf("cancelled order still open: %s", r.Body)
			}
			r = e.rest(http.MethodGet, "/v5/order/realtime", query("category", tc.cat.String(), "symbol", "BTCUSDT", "openOnly", "1"), "", key1, secret1)
			if !strings.Contains(string(r.Result), id) {
				t.Fatalf("closed orders without %s: %s", id, r.Body)
			}
			again := `{"category":"` + tc.cat.String() + `","symbol":"BTCUSDT","orderId":"` + id + `"}`
			wantErr(t, e.rest(http.MethodPost, "/v5/order/cancel", "", again, key1, secret1), tc.code)
			unknown := `{"category":"` + tc.cat.String() + `","symbol":"BTCUSDT","orderId":"nope"}`
			wantErr(t, e.rest(http.MethodPost, "/v5/order/cancel", "", unknown, key1, secret1), tc.code)
		})
	}
}

// TestRejects: each rule violation gets the category's real code; post-only crossing is
// accepted, then reported Rejected (spot) or Cancelled (linear) with
// EC_PostOnlyWillTakeLiquidity.
func TestRejects(t *testing.T) {
	e := newEnv(t)
	spot, perp := e.mkt(catSpot, "BTCUSDT"), e.mkt(catLinear, "BTCUSDT")
	sb, sa := e.best(spot)
	pb, _ := e.best(perp)
	sq, pq := qt(spot, 1000*spot.l.Lot), qt(perp, perp.l.MinQty)
	cases := []struct {
		name string
		body string
		code int
	}{
		{"spot unknown symbol", `{"category":"spot","symbol":"NOPEUSDT","side":"Buy","orderType":"Limit","qty":"1","price":"1"}`, codeSpotSymbol},
		{"linear unknown symbol", `{"category":"linear","symbol":"NOPEUSDT","side":"Buy","orderType":"Limit","qty":"1","price":"1"}`, codeParams},
		{"bad category", `{"category":"option","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"1","price":"1"}`, codeParams},
		{"spot bad side", orderBody(spot, "Up", "Limit", sq, px(spot, sb), "", ""), codeSpotSide},
		{"spot bad type", orderBody(spot, "Buy", "Stop", sq, px(spot, sb), "", ""), codeSpotOrderType},
		{"spot bad tif", orderBody(spot, "Buy", "Limit", sq, px(spot, sb), "GTD", ""), codeSpotTIF},
		{"spot off tick", orderBody(spot, "Buy", "Limit", sq, px(spot, sb)+"5", "", ""), codeSpotPriceDecimal},
		{"spot off lot", orderBody(spot, "Buy", "Limit", "0.0010001", px(spot, sb), "", ""), codeSpotQtyDecimal},
		{"spot below min qty", orderBody(spot, "Buy", "Limit", qt(spot, spot.l.MinQty-spot.l.Lot), px(spot, sb), "", ""), codeSpotQtyMin},
		{"spot below min notional", orderBody(spot, "Buy", "Limit", qt(spot, spot.l.MinQty), "1000", "", ""), codeSpotAmountMin},
		{"spot bad link id", orderBody(spot, "Buy", "Limit", sq, px(spot, sb), "", "no spaces"), codeSpotParam},
		{"linear off tick", orderBody(perp, "Buy", "Limit", pq, px(perp, pb)+"5", "", ""), codeParams},
		{"linear off lot", orderBody(perp, "Buy", "Limit", pq+"5", px(perp, pb), "", ""), codeParams},
		{"linear below min notional", orderBody(perp, "Buy", "Limit", pq, "1000.0", "", ""), codeMinValue},
		{"not json", `{"category":`, codeParams},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, e.create(tc.body), tc.code) })
	}

	w := e.private("order")
	dup := orderBody(spot, "Buy", "Limit", sq, px(spot, sb-5*spot.l.Tick), "", "dup-1")
	ackID(t, e.create(dup))
	wantErr(t, e.create(dup), codeSpotLinkIDDup)

	id := ackID(t, e.create(orderBody(spot, "Buy", "Limit", sq, px(spot, sa), "PostOnly", "")))
	if d := orderUpdate(w, id, "Rejected"); field(d, "rejectReason") != "EC_PostOnlyWillTakeLiquidity" {
		t.Fatalf("spot post-only report %v", d)
	}
	id = ackID(t, e.create(orderBody(perp, "Sell", "Limit", pq, px(perp, pb), "PostOnly", "")))
	if d := orderUpdate(w, id, "Cancelled"); field(d, "rejectReason") != "EC_PostOnlyWillTakeLiquidity" {
		t.Fatalf("linear post-only report %v", d)
	}
}

// TestAuthErrors: unknown key, bad signature and a stale timestamp get 10003, 10004 and 10002.
func TestAuthErrors(t *testing.T) {
	e := newEnv(t)
	q := query("category", "spot")
	wantErr(t, e.rest(http.MethodGet, "/v5/order/realtime", q, "", "nokey", "x"), codeAPIKey)
	r := e.rest(http.MethodGet, "/v5/order/realtime", q, "", key1, "wrong-secret")
	wantErr(t, r, codeSign)
	if !strings.HasPrefix(r.RetMsg, "error sign! origin_string[") {
		t.Fatalf("sign message %q", r.RetMsg)
	}
	// Signed 6 s ago: outside the 5 s window; and 2 s ahead: past the 1 s allowance.
	for _, ts := range []int64{e.clk.ms() - 6000, e.clk.ms() + 2000} {
		r, err := e.callAt(ts, http.MethodGet, "/v5/order/realtime", q, "", key1, secret1)
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, r, codeTimestamp)
	}
	// Unsigned request to a private endpoint.
	wantErr(t, e.rest(http.MethodGet, "/v5/account/info", "", "", "", ""), codeAPIKey)
	// Signed: works.
	if r := e.rest(http.MethodGet, "/v5/account/info", "", "", key1, secret1); r.RetCode != 0 {
		t.Fatalf("account info: %s", r.Body)
	}
	if r := e.rest(http.MethodGet, "/v5/user/query-api", "", "", key1, secret1); r.RetCode != 0 || !strings.Contains(string(r.Result), key1) {
		t.Fatalf("query-api: %s", r.Body)
	}
}

// TestOrderKinds: a spot market buy by quote amount, a fill-or-kill that cannot fill, and an
// IOC that fills part of its quantity, as the order stream reports them.
func TestOrderKinds(t *testing.T) {
	e := newEnv(t)
	spot, perp := e.mkt(catSpot, "BTCUSDT"), e.mkt(catLinear, "BTCUSDT")
	w := e.private("order")

	id := ackID(t, e.create(`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"100"}`))
	d := orderUpdate(w, id, "Filled")
	if field(d, "marketUnit") != "quoteCoin" || field(d, "qty") != "100" || field(d, "timeInForce") != "IOC" ||
		field(d, "cumExecQty") == "0" || field(d, "price") != "0" {
		t.Fatalf("market buy by value %v", d)
	}
	wantErr(t, e.create(`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"0.5"}`), codeSpotAmountMin)
	wantErr(t, e.create(`{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"10.001"}`), codeSpotAmountDec)

	pb, _ := e.best(perp)
	id = ackID(t, e.create(orderBody(perp, "Buy", "Limit", "0.001", px(perp, pb), "FOK", "")))
	if d := orderUpdate(w, id, "Cancelled"); field(d, "rejectReason") != "EC_CancelForNoFullFill" {
		t.Fatalf("FOK %v", d)
	}

	var askQty int64
	_, ask := e.best(spot)
	e.s.mu.Lock()
	askQty = spot.mirror.Qty(book.Ask, ask)
	e.s.mu.Unlock()
	id = ackID(t, e.create(orderBody(spot, "Buy", "Limit", qt(spot, askQty+1000*spot.l.Lot), px(spot, ask), "IOC", "")))
	if d := orderUpdate(w, id, "PartiallyFilledCanceled"); field(d, "cumExecQty") != qt(spot, askQty) {
		t.Fatalf("IOC %v", d)
	}
}
