package coinbase

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"ems/core/fixed"
)

const ordersPath = "/api/v3/brokerage/orders"

// limitGTC returns a create-order body.
func limitGTC(clientID, product, side, size, price string, postOnly bool) string {
	return fmt.Sprintf(`{"client_order_id":%q,"product_id":%q,"side":%q,"order_configuration":`+
		`{"limit_limit_gtc":{"base_size":%q,"limit_price":%q,"post_only":%t}}}`, clientID, product, side, size, price, postOnly)
}

// str returns the string at path of v.
func str(v *fastjson.Value, path ...string) string { return string(v.GetStringBytes(path...)) }

// userOrders reads user-channel messages until one reports order id with status, and returns
// every state of that order seen, in order.
func (w *wsClient) userOrders(id, status string) []*fastjson.Value {
	w.t.Helper()
	var seen []*fastjson.Value
	for {
		v := w.until(chUser, nil)
		for _, ev := range v.GetArray("events") {
			for _, o := range ev.GetArray("orders") {
				if str(o, "order_id") == id {
					seen = append(seen, o)
					if str(o, "status") == status {
						return seen
					}
				}
			}
		}
	}
}

// px formats a price of sym.
func (f *fixture) px(sym string, v int64) string {
	return string(fixed.AppendTrim(nil, v, f.market(sym).Listing.PriceScale))
}

func (f *fixture) qty(sym string, v int64) string {
	return string(fixed.AppendTrim(nil, v, f.market(sym).Listing.QtyScale))
}

// TestOrderRoundTrip: place a buy that takes the best offer and rests its remainder (ack,
// partial fill), let a second account sell into it (fill), with every state on the user channel;
// then the REST history agrees: the order, its fills, and the account's volume.
func TestOrderRoundTrip(t *testing.T) {
	f := newFixture(t, nil, Options{})
	const sym = "BTC-USDT"
	w := f.dial()
	w.subscribe(chUser, f.keys[0], sym)
	snap := w.until(chUser, nil)
	if str(snap, "events", "0", "type") != "snapshot" || len(snap.GetArray("events", "0", "orders")) != 0 {
		t.Fatalf("user snapshot %s", snap)
	}
	_, asks := f.depth(sym)
	best := asks[0]
	extra := int64(1_000_000) // 0.01 BTC rests
	body := limitGTC("rt-1", sym, "BUY", f.qty(sym, best.Qty+extra), f.px(sym, best.Price), false)
	res := f.json(http.StatusOK, "POST", ordersPath, body)
	if !res.GetBool("success") || str(res, "success_response", "client_order_id") != "rt-1" ||
		str(res, "success_response", "side") != "BUY" || str(res, "success_response", "product_id") != sym {
		t.Fatalf("create: %s", res)
	}
	id := str(res, "success_response", "order_id")
	if str(res, "order_id") != id || res.Get("order_configuration", "limit_limit_gtc") == nil {
		t.Fatalf("create: %s", res)
	}
	states := w.userOrders(id, "OPEN")
	if first := states[0]; str(first, "cumulative_quantity") != "0" || str(first, "client_order_id") != "rt-1" {
		t.Fatalf("first report %s", first)
	}
	// The remainder rests: wait for the report with the whole best offer filled.
	for str(states[len(states)-1], "leaves_quantity") != f.qty(sym, extra) {
		states = w.userOrders(id, "OPEN")
	}
	last := states[len(states)-1]
	if str(last, "cumulative_quantity") != f.qty(sym, best.Qty) || str(last, "avg_price") != f.px(sym, best.Price) {
		t.Fatalf("partial fill report %s", last)
	}
	// Account 2 sells into the rest.
	res = f.jsonAs(f.keys[1], http.StatusOK, "POST", ordersPath, limitGTC("other-1", sym, "SELL", f.qty(sym, extra), f.px(sym, best.Price), false))
	if !res.GetBool("success") {
		t.Fatalf("counter order: %s", res)
	}
	states = w.userOrders(id, "FILLED")
	filled := states[len(states)-1]
	if str(filled, "cumulative_quantity") != f.qty(sym, best.Qty+extra) || str(filled, "leaves_quantity") != "0" {
		t.Fatalf("fill report %s", filled)
	}
	// History.
	o := f.json(http.StatusOK, "GET", ordersPath+"/historical/"+id, "").Get("order")
	if str(o, "status") != "FILLED" || str(o, "filled_size") != f.qty(sym, best.Qty+extra) ||
		str(o, "completion_percentage") != "100" || str(o, "order_type") != "LIMIT" ||
		str(o, "time_in_force") != "GOOD_UNTIL_CANCELLED" || str(o, "order_configuration", "limit_limit_gtc", "limit_price") != f.px(sym, best.Price) {
		t.Fatalf("historical order %s", o)
	}
	fills := f.json(http.StatusOK, "GET", ordersPath+"/historical/fills?order_ids="+id, "").GetArray("fills")
	var total int64
	liq := map[string]int{}
	for _, fl := range fills {
		q, err := fixed.ParseString(str(fl, "size"), 8)
		if err != nil || str(fl, "order_id") != id || str(fl, "product_id") != sym || str(fl, "side") != "BUY" {
			t.Fatalf("fill %s", fl)
		}
		total += q
		liq[str(fl, "liquidity_indicator")]++
	}
	if total != best.Qty+extra || liq["TAKER"] == 0 || liq["MAKER"] != 1 {
		t.Fatalf("fills total %d, liquidity %v: %s", total, liq, fills)
	}
	if n := o.Get("number_of_fills"); string(n.GetStringBytes()) != fmt.Sprint(len(fills)) {
		t.Fatalf("number_of_fills %s, %d fills", n, len(fills))
	}
	list := f.json(http.StatusOK, "GET", ordersPath+"/historical/batch?order_status=FILLED&product_ids="+sym, "")
	if orders := list.GetArray("orders"); len(orders) != 1 || str(orders[0], "order_id") != id {
		t.Fatalf("list %s", list)
	}
	sum := f.json(http.StatusOK, "GET", "/api/v3/brokerage/transaction_summary", "")
	if sum.GetFloat64("total_volume") <= 0 || str(sum, "fee_tier", "maker_fee_rate") != "0.006" ||
		str(sum, "fee_tier", "taker_fee_rate") != "0.012" {
		t.Fatalf("transaction summary %s", sum)
	}
	// The same client_order_id again places nothing and answers the first order.
	again := f.json(http.StatusOK, "POST", ordersPath, body)
	if str(again, "success_response", "order_id") != id {
		t.Fatalf("repeated client_order_id: %s", again)
	}
}

// TestCancel: a resting order is cancelled (success, CANCELLED on the user channel and in the
// history); cancelling it again, an unknown id and another account's order fail with
// UNKNOWN_CANCEL_ORDER.
func TestCancel(t *testing.T) {
	f := newFixture(t, nil, Options{})
	const sym = "ETH-USDT"
	w := f.dial()
	w.subscribe(chUser, f.keys[0])
	w.until(chUser, nil)
	bids, _ := f.depth(sym)
	far := f.px(sym, bids[len(bids)-1].Price-100*f.market(sym).Listing.Tick)
	id := str(f.json(http.StatusOK, "POST", ordersPath, limitGTC("c-1", sym, "BUY", "0.5", far, true)), "order_id")
	other := str(f.jsonAs(f.keys[1], http.StatusOK, "POST", ordersPath, limitGTC("c-2", sym, "BUY", "0.5", far, false)), "order_id")
	w.userOrders(id, "OPEN")
	cancel := func(ids ...string) []*fastjson.Value {
		return f.json(http.StatusOK, "POST", ordersPath+"/batch_cancel",
			`{"order_ids":["`+strings.Join(ids, `","`)+`"]}`).GetArray("results")
	}
	r := cancel(id)
	if len(r) != 1 || !r[0].GetBool("success") || str(r[0], "order_id") != id {
		t.Fatalf("cancel: %s", r)
	}
	if s := w.userOrders(id, "CANCELLED"); str(s[len(s)-1], "leaves_quantity") != "0" {
		t.Fatalf("cancel report %s", s[len(s)-1])
	}
	unknown := "00000001-0000-4000-8000-00000000ffff"
	r = cancel(id, unknown, other, "not-an-id")
	for i, res := range r {
		if res.GetBool("success") || str(res, "failure_reason") != "UNKNOWN_CANCEL_ORDER" {
			t.Fatalf("result %d: %s", i, res)
		}
	}
	if o := f.json(http.StatusOK, "GET", ordersPath+"/historical/"+id, "").Get("order"); str(o, "status") != "CANCELLED" {
		t.Fatalf("history %s", o)
	}
	if v := f.json(http.StatusNotFound, "GET", ordersPath+"/historical/"+other, ""); str(v, "error") != "NOT_FOUND" {
		t.Fatalf("another account's order: %s", v)
	}
	f.json(http.StatusBadRequest, "POST", ordersPath+"/batch_cancel", `{"order_ids":[]}`)
}

// TestOrderRejects: every refusal comes back as the venue's success:false answer with its
// failure codes, or as HTTP 400 for a malformed request; nothing reaches the user channel.
func TestOrderRejects(t *testing.T) {
	f := newFixture(t, nil, Options{})
	const sym = "BTC-USDT"
	bids, asks := f.depth(sym)
	bid, ask := f.px(sym, bids[0].Price), f.px(sym, asks[0].Price)
	tests := []struct {
		name, body, err, preview string
	}{
		{"post-only-crossing", limitGTC("r1", sym, "BUY", "0.01", ask, true), "INVALID_LIMIT_PRICE_POST_ONLY", "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY"},
		{"off-tick", limitGTC("r2", sym, "BUY", "0.01", bid+"5", false), "INVALID_PRICE_PRECISION", "PREVIEW_INVALID_PRICE_PRECISION"},
		{"off-lot", limitGTC("r3", sym, "BUY", "0.000000001", bid, false), "INVALID_SIZE_PRECISION", "PREVIEW_INVALID_SIZE_PRECISION"},
		{"below-min-notional", limitGTC("r4", sym, "BUY", "0.00000001", bid, false), "UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL"},
		{"zero-size", limitGTC("r5", sym, "BUY", "0", bid, false), "UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL"},
		{"zero-price", limitGTC("r6", sym, "BUY", "0.01", "0", false), "INVALID_LIMIT_PRICE", "PREVIEW_INVALID_LIMIT_PRICE"},
		{"unknown-product", limitGTC("r7", "DOGE-USDT", "BUY", "1", "1", false), "INVALID_PRODUCT_ID", "PREVIEW_INVALID_PRODUCT_ID"},
		{"bad-side", limitGTC("r8", sym, "HOLD", "0.01", bid, false), "INVALID_SIDE", "PREVIEW_INVALID_SIDE"},
		{"unsupported-config", `{"client_order_id":"r9","product_id":"BTC-USDT","side":"BUY","order_configuration":` +
			`{"stop_limit_stop_limit_gtc":{"base_size":"1","limit_price":"1","stop_price":"1"}}}`, "UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG"},
	}
	w := f.dial()
	w.subscribe(chUser, f.keys[0])
	w.settle(nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := f.json(http.StatusOK, "POST", ordersPath, tc.body)
			if v.GetBool("success") || str(v, "order_id") != "" || str(v, "error_response", "error") != tc.err ||
				str(v, "error_response", "preview_failure_reason") != tc.preview || str(v, "error_response", "message") == "" {
				t.Fatalf("answer %s", v)
			}
		})
	}
	for _, body := range []string{`nope`, `[]`, `{"product_id":"BTC-USDT","side":"BUY","order_configuration":{}}`,
		`{"client_order_id":"x","product_id":"BTC-USDT","side":"BUY"}`,
		`{"client_order_id":"x","product_id":"BTC-USDT","side":"BUY","order_configuration":{"limit_limit_gtc":{"limit_price":"1"}}}`,
		`{"client_order_id":"x","product_id":"BTC-USDT","side":"BUY","order_configuration":{"market_market_ioc":{}}}`} {
		if v := f.json(http.StatusBadRequest, "POST", ordersPath, body); str(v, "error") != "INVALID_ARGUMENT" {
			t.Fatalf("%s: %s", body, v)
		}
	}
	if !w.quiet(100e6) {
		t.Fatal("a refused order reached the user channel")
	}
}

// TestMarketOrders: a market buy by base size takes the offers; one by quote size spends at
// most the quote; an IOC limit remainder and a FOK that cannot fill end CANCELLED.
func TestMarketOrders(t *testing.T) {
	f := newFixture(t, nil, Options{})
	const sym = "BTC-USDT"
	n := 0
	place := func(cfg string) string {
		t.Helper()
		n++
		v := f.json(http.StatusOK, "POST", ordersPath, `{"client_order_id":"m`+fmt.Sprint(n)+
			`","product_id":"BTC-USDT","side":"BUY","order_configuration":`+cfg+`}`)
		if !v.GetBool("success") {
			t.Fatalf("%s: %s", cfg, v)
		}
		return str(v, "order_id")
	}
	get := func(id string) *fastjson.Value {
		return f.json(http.StatusOK, "GET", ordersPath+"/historical/"+id, "").Get("order")
	}
	id := place(`{"market_market_ioc":{"base_size":"0.01"}}`)
	if o := get(id); str(o, "status") != "FILLED" || str(o, "filled_size") != "0.01" || str(o, "order_type") != "MARKET" {
		t.Fatalf("market by base %s", o)
	}
	id = place(`{"market_market_ioc":{"quote_size":"1000"}}`)
	o := get(id)
	value, _ := fixed.ParseString(str(o, "filled_value"), 2)
	if str(o, "status") != "FILLED" || value > 100_000 || value < 99_000 || !o.GetBool("size_in_quote") {
		t.Fatalf("market by quote %s", o)
	}
	_, asks := f.depth(sym)
	id = place(`{"sor_limit_ioc":{"base_size":"` + f.qty(sym, asks[0].Qty+asks[1].Qty+1) + `","limit_price":"` + f.px(sym, asks[0].Price) + `"}}`)
	if o := get(id); str(o, "status") != "CANCELLED" || str(o, "filled_size") != f.qty(sym, asks[0].Qty) ||
		str(o, "time_in_force") != "IMMEDIATE_OR_CANCEL" {
		t.Fatalf("ioc %s", o)
	}
	id = place(`{"limit_limit_fok":{"base_size":"1000","limit_price":"` + f.px(sym, asks[len(asks)-1].Price) + `"}}`)
	if o := get(id); str(o, "status") != "CANCELLED" || str(o, "filled_size") != "0" || str(o, "time_in_force") != "FILL_OR_KILL" {
		t.Fatalf("fok %s", o)
	}
}
