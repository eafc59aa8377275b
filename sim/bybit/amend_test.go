package bybit

import (
	"net/http"
	"strings"
	"testing"

	"ems/core/event"
	"ems/sim"
)

// amendBody builds an amend body naming the order by idField ("orderId" or "orderLinkId");
// empty qty or price are left out.
func amendBody(k *mkt, idField, id, qty, price string) string {
	b := `{"category":"` + k.cat.String() + `","symbol":"` + k.sym + `","` + idField + `":"` + id + `"`
	if qty != "" {
		b += `,"qty":"` + qty + `"`
	}
	if price != "" {
		b += `,"price":"` + price + `"`
	}
	return b + "}"
}

// amended waits for the order stream's report of orderID at price and qty.
func amended(w *wsc, orderID, price, qty string) map[string]any {
	w.t.Helper()
	m := w.until(func(m map[string]any) bool {
		if field(m, "topic") != "order" {
			return false
		}
		d := data(w.t, m)
		return field(d, "orderId") == orderID && field(d, "price") == price && field(d, "qty") == qty
	})
	return data(w.t, m)
}

// TestAmend: per category, an order amended over REST (by orderId) and on the trade WebSocket
// (by orderLinkId) keeps its ids, rests at its new price and quantity, and the order stream
// reports it; then the refusals: unknown order, off tick, off lot, nothing to change, no
// change, post-only crossing, and an amend after a cancel.
func TestAmend(t *testing.T) {
	for _, tc := range []struct {
		cat                              category
		notExist, tick, lot, postOnlyErr int
	}{
		{catSpot, codeSpotNotExist, codeSpotPriceDecimal, codeSpotQtyDecimal, codeSpotPostOnly},
		{catLinear, codeOrderNotExist, codeParams, codeParams, codeParams},
	} {
		t.Run("category="+tc.cat.String(), func(t *testing.T) {
			e := newEnv(t)
			k := e.mkt(tc.cat, "BTCUSDT")
			w := e.private("order")
			bid, ask := e.best(k)
			q := k.l.MinQty
			if tc.cat == catSpot {
				q = 1000 * k.l.Lot
			}
			id := ackID(t, e.create(orderBody(k, "Buy", "Limit", qt(k, q), px(k, bid-10*k.l.Tick), "", "am-1")))
			orderUpdate(w, id, "New")

			amend := func(body string) response {
				return e.rest(http.MethodPost, "/v5/order/amend", "", body, key1, secret1)
			}
			r := amend(amendBody(k, "orderId", id, qt(k, 2*q), px(k, bid-12*k.l.Tick)))
			if got := ackID(t, r); got != id || !strings.Contains(string(r.Result), `"orderLinkId":"am-1"`) {
				t.Fatalf("amend answer %s, want orderId %s", r.Result, id)
			}
			d := amended(w, id, px(k, bid-12*k.l.Tick), qt(k, 2*q))
			if field(d, "orderStatus") != "New" || field(d, "orderLinkId") != "am-1" || field(d, "leavesQty") != qt(k, 2*q) {
				t.Fatalf("amend report %v", d)
			}

			tw := e.dial(e.s.TradeURL())
			tw.send(`{"reqId":"a","op":"auth","args":` + e.authMsg(key1, secret1)[len(`{"req_id":"a1","op":"auth","args":`):])
			if m := tw.next(); m["retCode"] != float64(0) {
				t.Fatalf("auth: %v", m)
			}
			tw.send(e.tradeReq("m1", "order.amend", amendBody(k, "orderLinkId", "am-1", "", px(k, bid-11*k.l.Tick))))
			m := tw.next()
			if m["retCode"] != float64(0) || field(m, "op") != "order.amend" || field(m, "reqId") != "m1" || m["header"] == nil {
				t.Fatalf("ws amend: %v", m)
			}
			if dd := m["data"].(map[string]any); field(dd, "orderId") != id || field(dd, "orderLinkId") != "am-1" {
				t.Fatalf("ws amend data: %v", m)
			}
			amended(w, id, px(k, bid-11*k.l.Tick), qt(k, 2*q))
			r = e.rest(http.MethodGet, "/v5/order/realtime", query("category", tc.cat.String(), "symbol", "BTCUSDT", "orderId", id), "", key1, secret1)
			if !strings.Contains(string(r.Result), `"price":"`+px(k, bid-11*k.l.Tick)+`"`) {
				t.Fatalf("realtime after amend: %s", r.Body)
			}

			// Refusals leave the order as it was.
			for _, rc := range []struct {
				name string
				body string
				code int
			}{
				{"unknown order", amendBody(k, "orderId", "nope", "", px(k, bid-11*k.l.Tick)), tc.notExist},
				{"unknown link id", amendBody(k, "orderLinkId", "am-9", "", px(k, bid-11*k.l.Tick)), tc.notExist},
				{"off tick", amendBody(k, "orderId", id, "", px(k, bid)+"5"), tc.tick},
				{"off lot", amendBody(k, "orderId", id, "1."+strings.Repeat("0", int(k.l.QtyScale))+"1", ""), tc.lot},
				{"nothing", amendBody(k, "orderId", id, "", ""), codeParams},
				{"unchanged", amendBody(k, "orderId", id, qt(k, 2*q), px(k, bid-11*k.l.Tick)), codeParams},
				{"no id", `{"category":"` + tc.cat.String() + `","symbol":"BTCUSDT","qty":"1"}`, codeParams},
			} {
				t.Run(rc.name, func(t *testing.T) { wantErr(t, amend(rc.body), rc.code) })
			}
			tw.send(e.tradeReq("m2", "order.amend", amendBody(k, "orderId", "nope", "", px(k, bid))))
			if m := tw.next(); m["retCode"] != float64(tc.notExist) || field(m, "reqId") != "m2" {
				t.Fatalf("ws amend of an unknown order: %v", m)
			}

			po := ackID(t, e.create(orderBody(k, "Buy", "Limit", qt(k, q), px(k, bid-20*k.l.Tick), "PostOnly", "am-po")))
			orderUpdate(w, po, "New")
			wantErr(t, amend(amendBody(k, "orderId", po, "", px(k, ask))), tc.postOnlyErr)

			cancel := `{"category":"` + tc.cat.String() + `","symbol":"BTCUSDT","orderId":"` + id + `"}`
			ackID(t, e.rest(http.MethodPost, "/v5/order/cancel", "", cancel, key1, secret1))
			d = orderUpdate(w, id, "Cancelled")
			if field(d, "price") != px(k, bid-11*k.l.Tick) || field(d, "qty") != qt(k, 2*q) {
				t.Fatalf("cancel report after the refusals %v", d)
			}
			wantErr(t, amend(amendBody(k, "orderId", id, "", px(k, bid-13*k.l.Tick))), tc.notExist)
			r, err := e.call(http.MethodPost, "/v5/order/amend", "", amendBody(k, "orderId", po, "", px(k, bid-21*k.l.Tick)), key2, secret2)
			if err != nil {
				t.Fatal(err)
			}
			wantErr(t, r, tc.notExist) // another account's order
		})
	}
}

// TestAmendTrades: an amend to a crossing price trades at once (the order stream reports it
// PartiallyFilled at the new price, the execution stream the fill) and the rest keeps resting
// under the same id; an amend of qty not above the filled quantity is refused (10001).
func TestAmendTrades(t *testing.T) {
	e := newEnv(t)
	k := e.mkt(catLinear, "BTCUSDT")
	w := e.private("order", "execution")
	var bid, ask, askQty int64
	e.v.Do(func(st *sim.State) {
		bid, _, _ = st.Engine(k.m).Best(event.SideBuy)
		ask, askQty, _ = st.Engine(k.m).Best(event.SideSell)
	})
	id := ackID(t, e.create(orderBody(k, "Buy", "Limit", qt(k, k.l.MinQty), px(k, bid-10*k.l.Tick), "", "at-1")))
	orderUpdate(w, id, "New")

	qty := askQty + 2*k.l.MinQty
	amend := func(qty, price string) response {
		return e.rest(http.MethodPost, "/v5/order/amend", "", amendBody(k, "orderId", id, qty, price), key1, secret1)
	}
	if got := ackID(t, amend(qt(k, qty), px(k, ask))); got != id {
		t.Fatalf("amend acked %s, want %s", got, id)
	}
	d := orderUpdate(w, id, "PartiallyFilled")
	if field(d, "price") != px(k, ask) || field(d, "qty") != qt(k, qty) || field(d, "cumExecQty") != qt(k, askQty) ||
		field(d, "leavesQty") != qt(k, 2*k.l.MinQty) {
		t.Fatalf("amend fill report %v", d)
	}
	if x := execUpdate(w, id); field(x, "execPrice") != px(k, ask) || field(x, "execQty") != qt(k, askQty) {
		t.Fatalf("amend execution %v", x)
	}
	wantErr(t, amend(qt(k, askQty), ""), codeParams)
	if got := ackID(t, amend(qt(k, askQty+k.l.MinQty), "")); got != id {
		t.Fatalf("size amend acked %s", got)
	}
	d = orderUpdate(w, id, "PartiallyFilled")
	if field(d, "leavesQty") != qt(k, k.l.MinQty) || field(d, "price") != px(k, ask) {
		t.Fatalf("size amend report %v", d)
	}
}
