package okx

import (
	"fmt"
	"strings"
	"testing"

	"ems/core/event"
)

// TestAmend: a resting order amended on the WebSocket (price and size) keeps its ordId and
// clOrdId, is pushed with amendResult "0", reqId and the new px/sz, and reads back amended; a
// REST amend by ordId shrinks it; an amend to a crossing price trades at once.
func TestAmend(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	ask := f.depth("BTC-USDT", event.SideSell, 1)[0]
	px1, px2 := f.pxText("BTC-USDT", bid.Price-1000), f.pxText("BTC-USDT", bid.Price-2000)
	c.write(`{"id":"p","op":"order","args":[` + orderJSON("instId", "BTC-USDT", "tdMode", "cash",
		"side", "buy", "ordType", "limit", "px", px1, "sz", "0.002", "clOrdId", "a1") + `]}`)
	ordID := fmt.Sprint(data(t, decode(t, c.next()), 0)["ordId"])
	want(t, "live", c.orderPush("a1"), "state", "live", "amendResult", "")

	c.write(`{"id":"7","op":"amend-order","args":[{"instId":"BTC-USDT","clOrdId":"a1","reqId":"r1","newPx":"` + px2 + `","newSz":"0.003"}]}`)
	ans := decode(t, c.next())
	want(t, "answer", ans, "id", "7", "op", "amend-order", "code", "0", "msg", "")
	want(t, "answer data", data(t, ans, 0), "clOrdId", "a1", "ordId", ordID, "reqId", "r1", "sCode", "0", "sMsg", "")
	want(t, "amended", c.orderPush("a1"), "state", "live", "amendResult", "0", "amendSource", "1",
		"reqId", "r1", "px", px2, "sz", "0.003", "ordId", ordID)
	_, resp := f.rest("GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=a1", "", &f.key)
	want(t, "get", data(t, resp, 0), "px", px2, "sz", "0.003", "ordId", ordID, "amendResult", "")

	_, resp = f.rest("POST", "/api/v5/trade/amend-order", `{"instId":"BTC-USDT","ordId":"`+ordID+`","newSz":"0.001"}`, &f.key)
	want(t, "rest amend", resp, "code", "0")
	want(t, "rest amend data", data(t, resp, 0), "sCode", "0", "ordId", ordID, "clOrdId", "a1", "reqId", "")
	want(t, "shrunk", c.orderPush("a1"), "amendResult", "0", "sz", "0.001", "px", px2)

	// Amended to the best ask: the order takes.
	c.write(`{"id":"8","op":"amend-order","args":[{"instId":"BTC-USDT","ordId":"` + ordID + `","newPx":"` + f.pxText("BTC-USDT", ask.Price) + `"}]}`)
	want(t, "cross answer", data(t, decode(t, c.next()), 0), "sCode", "0")
	want(t, "cross amended", c.orderPush("a1"), "amendResult", "0")
	want(t, "cross fill", c.orderPush("a1"), "state", "filled", "execType", "T", "fillSz", "0.001", "amendResult", "")

	// The order is now complete.
	c.write(`{"id":"9","op":"amend-order","args":[{"instId":"BTC-USDT","clOrdId":"a1","newSz":"0.002"}]}`)
	ans = decode(t, c.next())
	want(t, "filled answer", ans, "code", "1")
	want(t, "filled data", data(t, ans, 0), "sCode", "51510", "ordId", ordID)
}

// TestAmendRejects: refused amends carry OKX's codes and leave the order as it was; with
// cxlOnFail the order is canceled (amendResult "1").
func TestAmendRejects(t *testing.T) {
	f := newFixture(t, DefaultOptions(), nil)
	c := f.dial(f.srv.PrivateURL())
	c.login(f.key, f.clk.time())
	bid := f.depth("BTC-USDT", event.SideBuy, 1)[0]
	px := f.pxText("BTC-USDT", bid.Price-1000)
	_, resp := f.rest("POST", "/api/v5/trade/order", orderJSON("instId", "BTC-USDT", "tdMode", "cash",
		"side", "buy", "ordType", "limit", "px", px, "sz", "0.002", "clOrdId", "b1"), &f.key)
	ordID := fmt.Sprint(data(t, resp, 0)["ordId"])
	want(t, "live", c.orderPush("b1"), "state", "live")

	offTick := px + ".000000001" // more decimals than the price scale
	if strings.Contains(px, ".") {
		offTick = px + "000000001"
	}
	tests := []struct {
		name, args, code, msg string
	}{
		{"unknown clOrdId", `{"instId":"BTC-USDT","clOrdId":"nope","newSz":"0.001"}`, "51503", "Order modification failed as the order does not exist."},
		{"unknown ordId", `{"instId":"BTC-USDT","ordId":"600000000000012300","newSz":"0.001"}`, "51503", ""},
		{"no id", `{"instId":"BTC-USDT","newSz":"0.001"}`, "51003", ""},
		{"no instrument", `{"instId":"NOPE-USDT","clOrdId":"b1","newSz":"0.001"}`, "51001", ""},
		{"nothing to change", `{"instId":"BTC-USDT","clOrdId":"b1"}`, "50014", "Parameter newSz can not be empty."},
		{"off tick", `{"instId":"BTC-USDT","clOrdId":"b1","newPx":"` + offTick + `"}`, "51000", "Parameter newPx error"},
		{"off lot", `{"instId":"BTC-USDT","clOrdId":"b1","newSz":"0.0020000001"}`, "51121", ""},
		{"bad size", `{"instId":"BTC-USDT","clOrdId":"b1","newSz":"-1"}`, "51000", "Parameter newSz error"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.write(fmt.Sprintf(`{"id":"%d","op":"amend-order","args":[%s]}`, i, tt.args))
			ans := decode(t, c.next())
			want(t, "answer", ans, "code", "1", "id", fmt.Sprint(i))
			d := data(t, ans, 0)
			want(t, "data", d, "sCode", tt.code)
			if tt.msg != "" {
				want(t, "data", d, "sMsg", tt.msg)
			}
		})
	}
	// A batch: one refused, one taking effect.
	c.write(`{"id":"bt","op":"batch-amend-orders","args":[{"instId":"BTC-USDT","clOrdId":"nope","newSz":"0.001"},` +
		`{"instId":"BTC-USDT","clOrdId":"b1","newSz":"0.002","reqId":"rb"}]}`)
	ans := decode(t, c.next())
	want(t, "batch", ans, "code", "2", "op", "batch-amend-orders")
	want(t, "batch 0", data(t, ans, 0), "sCode", "51503")
	want(t, "batch 1", data(t, ans, 1), "sCode", "0", "reqId", "rb", "ordId", ordID)
	want(t, "batch push", c.orderPush("b1"), "amendResult", "0", "reqId", "rb", "sz", "0.002")
	_, resp = f.rest("GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=b1", "", &f.key)
	want(t, "unchanged", data(t, resp, 0), "px", px, "sz", "0.002", "state", "live")

	// cxlOnFail: the refused amend cancels the order.
	c.write(`{"id":"c","op":"amend-order","args":[{"instId":"BTC-USDT","clOrdId":"b1","newPx":"` + offTick + `","cxlOnFail":true,"reqId":"r9"}]}`)
	want(t, "cxlOnFail answer", data(t, decode(t, c.next()), 0), "sCode", "51000", "reqId", "r9")
	want(t, "cxlOnFail push", c.orderPush("b1"), "state", "canceled", "amendResult", "1", "reqId", "r9")
	_, resp = f.rest("POST", "/api/v5/trade/amend-order", `{"instId":"BTC-USDT","ordId":"`+ordID+`","newSz":"0.001"}`, &f.key)
	want(t, "canceled", resp, "code", "1", "msg", msgAllFailed)
	want(t, "canceled data", data(t, resp, 0), "sCode", "51509")
}
