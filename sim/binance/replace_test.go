package binance

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// replaceData is the data of a cancel-replace error, or the result of a success.
type replaceData struct {
	CancelResult     string          `json:"cancelResult"`
	NewOrderResult   string          `json:"newOrderResult"`
	CancelResponse   json.RawMessage `json:"cancelResponse"`
	NewOrderResponse json.RawMessage `json:"newOrderResponse"`
}

type replaceErr struct {
	Code int         `json:"code"`
	Msg  string      `json:"msg"`
	Data replaceData `json:"data"`
}

type replaceResp struct {
	ID     json.RawMessage `json:"id"`
	Status int             `json:"status"`
	Result *replaceData    `json:"result"`
	Error  *replaceErr     `json:"error"`
}

// TestWSAPICancelReplace replaces a resting order through order.cancelReplace: the response
// precedes the CANCELED report of the old order and the NEW report of the new one, and the new
// order rests at the new price under its own client id.
func TestWSAPICancelReplace(t *testing.T) {
	e := newEnv(t, envConfig{})
	c := e.userStream(key1, secret1)
	bid, _ := e.touch("BTCUSDT")
	e.wsCall(c, "1", "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.002"}, {"price", px(bid - 5*btcTick)}, {"newClientOrderId", "old-1"}}, key1, secret1)
	var r replaceResp
	decodeJSON(t, c.read(5*time.Second), &r)
	wantReport(t, nextReport(t, c), "NEW", "NEW", "0.00000000", "0.00000000")

	e.wsCall(c, "2", "order.cancelReplace", kv{{"symbol", "BTCUSDT"}, {"cancelReplaceMode", "STOP_ON_FAILURE"},
		{"cancelOrigClientOrderId", "old-1"}, {"cancelNewClientOrderId", "cx-1"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"timeInForce", "GTC"}, {"quantity", "0.003"}, {"price", px(bid - 4*btcTick)}, {"newClientOrderId", "new-1"},
		{"newOrderRespType", "RESULT"}}, key1, secret1)
	b := c.read(5 * time.Second)
	r = replaceResp{}
	decodeJSON(t, b, &r)
	if !isResponse(b) || r.Status != 200 || r.Result == nil || r.Result.CancelResult != "SUCCESS" ||
		r.Result.NewOrderResult != "SUCCESS" {
		t.Fatalf("cancelReplace: %s", b)
	}
	var cx, nw orderResp
	decodeJSON(t, r.Result.CancelResponse, &cx)
	decodeJSON(t, r.Result.NewOrderResponse, &nw)
	if cx.Status != "CANCELED" || cx.OrigClientID != "old-1" || cx.ClientOrderID != "cx-1" {
		t.Fatalf("cancelResponse %s", r.Result.CancelResponse)
	}
	if nw.Status != "NEW" || nw.ClientOrderID != "new-1" || nw.Price != px(bid-4*btcTick)+"000000" {
		t.Fatalf("newOrderResponse %s", r.Result.NewOrderResponse)
	}
	old := nextReport(t, c)
	wantReport(t, old, "CANCELED", "CANCELED", "0.00000000", "0.00000000")
	if old.C != "cx-1" || old.OC != "old-1" {
		t.Fatalf("CANCELED report c=%s C=%s", old.C, old.OC)
	}
	n := nextReport(t, c)
	wantReport(t, n, "NEW", "NEW", "0.00000000", "0.00000000")
	if n.C != "new-1" || n.I != nw.OrderID {
		t.Fatalf("NEW report %+v", n)
	}
	e.wsCall(c, "3", "openOrders.status", kv{{"symbol", "BTCUSDT"}}, key1, secret1)
	var resp wsResp
	decodeJSON(t, c.read(5*time.Second), &resp)
	var open []orderResp
	decodeJSON(t, resp.Result, &open)
	if len(open) != 1 || open[0].ClientOrderID != "new-1" {
		t.Fatalf("open orders after replace: %s", resp.Result)
	}
}

// TestWSAPICancelReplaceFailures covers the failure answers: the cancel failing (with and
// without ALLOW_FAILURE), the new order failing after the cancel, and a request naming no order.
func TestWSAPICancelReplaceFailures(t *testing.T) {
	e := newEnv(t, envConfig{})
	c := dialWS(t, e.s.WSAPIURL())
	bid, ask := e.touch("BTCUSDT")
	place := func(id, client string) {
		e.wsCall(c, id, "order.place", kv{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
			{"timeInForce", "GTC"}, {"quantity", "0.002"}, {"price", px(bid - 5*btcTick)}, {"newClientOrderId", client}}, key1, secret1)
		var resp wsResp
		decodeJSON(t, c.read(5*time.Second), &resp)
		if resp.Status != 200 {
			t.Fatalf("order.place %s: %+v", client, resp.Error)
		}
	}
	place("1", "a-1")
	tests := []struct {
		name               string
		mode, cancelClient string
		typ, price         string
		status, code       int
		cancel, newOrder   string
		newCode            int
	}{
		{"unknown order stops", "STOP_ON_FAILURE", "nope", "LIMIT", px(bid - 3*btcTick), 400, -2022, "FAILURE", "NOT_ATTEMPTED", 0},
		{"unknown order allowed", "ALLOW_FAILURE", "nope", "LIMIT", px(bid - 3*btcTick), 409, -2021, "FAILURE", "SUCCESS", 0},
		{"new order refused", "STOP_ON_FAILURE", "a-1", "LIMIT_MAKER", px(ask), 409, -2021, "SUCCESS", "FAILURE", -2010},
		{"both fail", "ALLOW_FAILURE", "a-1", "LIMIT_MAKER", px(ask), 400, -2022, "FAILURE", "FAILURE", -2010},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := kv{{"symbol", "BTCUSDT"}, {"cancelReplaceMode", tc.mode}, {"cancelOrigClientOrderId", tc.cancelClient},
				{"side", "BUY"}, {"type", tc.typ}, {"quantity", "0.002"}, {"price", tc.price}}
			if tc.typ == "LIMIT" {
				p = append(p, [2]string{"timeInForce", "GTC"})
			}
			e.wsCall(c, "5", "order.cancelReplace", p, key1, secret1)
			b := c.read(5 * time.Second)
			var r replaceResp
			decodeJSON(t, b, &r)
			if r.Error == nil || r.Status != tc.status || r.Error.Code != tc.code ||
				r.Error.Data.CancelResult != tc.cancel || r.Error.Data.NewOrderResult != tc.newOrder {
				t.Fatalf("got %s", b)
			}
			var ne apiErrBody
			if tc.newCode != 0 {
				decodeJSON(t, r.Error.Data.NewOrderResponse, &ne)
			}
			if ne.Code != tc.newCode {
				t.Fatalf("newOrderResponse %s", r.Error.Data.NewOrderResponse)
			}
			if tc.newOrder == "NOT_ATTEMPTED" && string(r.Error.Data.NewOrderResponse) != "null" {
				t.Fatalf("newOrderResponse %s, want null", r.Error.Data.NewOrderResponse)
			}
		})
	}
	e.wsCall(c, "6", "order.cancelReplace", kv{{"symbol", "BTCUSDT"}, {"cancelReplaceMode", "STOP_ON_FAILURE"},
		{"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"}, {"quantity", "0.002"}, {"price", px(bid)}}, key1, secret1)
	var r replaceResp
	decodeJSON(t, c.read(5*time.Second), &r)
	if r.Error == nil || r.Error.Code != -1102 {
		t.Fatalf("no order named: %+v", r.Error)
	}
}

// TestRESTCancelReplace replaces through POST /api/v3/order/cancelReplace.
func TestRESTCancelReplace(t *testing.T) {
	e := newEnv(t, envConfig{})
	bid, _ := e.touch("BTCUSDT")
	st, body := e.signed(http.MethodPost, "/api/v3/order", key1, secret1, kv{{"symbol", "BTCUSDT"}, {"side", "SELL"},
		{"type", "LIMIT"}, {"timeInForce", "GTC"}, {"quantity", "0.002"}, {"price", px(bid + 50*btcTick)}})
	var o orderResp
	decodeJSON(t, body, &o)
	if st != 200 {
		t.Fatalf("place: %d %s", st, body)
	}
	st, body = e.signed(http.MethodPost, "/api/v3/order/cancelReplace", key1, secret1, kv{{"symbol", "BTCUSDT"},
		{"cancelReplaceMode", "STOP_ON_FAILURE"}, {"cancelOrderId", strconv.FormatInt(o.OrderID, 10)}, {"side", "SELL"},
		{"type", "LIMIT"}, {"timeInForce", "GTC"}, {"quantity", "0.002"}, {"price", px(bid + 60*btcTick)}})
	var d replaceData
	decodeJSON(t, body, &d)
	if st != 200 || d.CancelResult != "SUCCESS" || d.NewOrderResult != "SUCCESS" {
		t.Fatalf("cancelReplace: %d %s", st, body)
	}
	st, body = e.signed(http.MethodPost, "/api/v3/order/cancelReplace", key1, secret1, kv{{"symbol", "BTCUSDT"},
		{"cancelReplaceMode", "STOP_ON_FAILURE"}, {"cancelOrderId", strconv.FormatInt(o.OrderID, 10)}, {"side", "SELL"},
		{"type", "LIMIT"}, {"timeInForce", "GTC"}, {"quantity", "0.002"}, {"price", px(bid + 60*btcTick)}})
	var re replaceErr
	decodeJSON(t, body, &re)
	if st != 400 || re.Code != -2022 || re.Data.CancelResult != "FAILURE" {
		t.Fatalf("second cancelReplace of the same order: %d %s", st, body)
	}
}
