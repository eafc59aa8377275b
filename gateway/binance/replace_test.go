package binance

import (
	"errors"
	"testing"

	"ems/core/event"
)

// TestAppendReplace: order.cancelReplace carries the old order's client id, STOP_ON_FAILURE,
// the new client id and the new price and quantity, with the old order's side, type and time
// in force; the signature verifies.
func TestAppendReplace(t *testing.T) {
	e := testEncoder(t)
	mk := btcMarket(t, NewMarkets(testMaster(t)))
	r := event.Replace{Order: 42, Parent: 3, Price: 6800100, Qty: 2000, NewOrder: 43}
	cases := []struct {
		name string
		prev event.Order
		want map[string]string
		none []string
	}{
		{"limit gtc buy", order(42, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 6800012, 1500),
			map[string]string{"type": "LIMIT", "timeInForce": "GTC", "side": "BUY", "price": "68001.00", "quantity": "0.02000"}, nil},
		{"post only sell", order(42, event.SideSell, event.OrderLimit, event.TIFGTC, true, 6800012, 1500),
			map[string]string{"type": "LIMIT_MAKER", "side": "SELL", "price": "68001.00"}, []string{"timeInForce"}},
		{"market", order(42, event.SideSell, event.OrderMarket, event.TIFGTC, false, 0, 1500),
			map[string]string{"type": "MARKET", "quantity": "0.02000"}, []string{"price", "timeInForce"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := e.AppendReplace(nil, 11, &r, &c.prev, mk, 1735689600123)
			if err != nil {
				t.Fatal(err)
			}
			got := verifyRequest(t, req)
			base := map[string]string{"method": "order.cancelReplace", "id": "11", "apiKey": testKey, "symbol": "BTCUSDT",
				"timestamp": "1735689600123", "cancelReplaceMode": "STOP_ON_FAILURE", "cancelOrigClientOrderId": "txx42",
				"newClientOrderId": "txx43", "newOrderRespType": "ACK"}
			for _, m := range []map[string]string{base, c.want} {
				for k, v := range m {
					if got[k] != v {
						t.Errorf("%s = %q, want %q", k, got[k], v)
					}
				}
			}
			for _, k := range c.none {
				if _, ok := got[k]; ok {
					t.Errorf("%s sent", k)
				}
			}
		})
	}
	bad := []struct {
		name string
		r    event.Replace
		prev event.Order
		want error
	}{
		{"zero qty", event.Replace{Order: 1, Price: 100, NewOrder: 2}, order(1, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 1, 1), ErrQty},
		{"zero price", event.Replace{Order: 1, Qty: 100, NewOrder: 2}, order(1, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 1, 1), ErrPrice},
		{"post-only ioc", event.Replace{Order: 1, Price: 1, Qty: 100, NewOrder: 2}, order(1, event.SideBuy, event.OrderLimit, event.TIFIOC, true, 1, 1), ErrOrderType},
	}
	for _, c := range bad {
		dst := []byte("keep")
		got, err := e.AppendReplace(dst, 1, &c.r, &c.prev, mk, 1)
		if !errors.Is(err, c.want) || string(got) != "keep" {
			t.Errorf("%s: %q %v, want %v and dst unchanged", c.name, got, err, c.want)
		}
	}
}

// Cancel-replace failures as the venue sends them (web-socket-api.md).
const (
	replaceCancelFailed = `{"id":11,"status":400,"error":{"code":-2022,"msg":"Order cancel-replace failed.","data":{"cancelResult":"FAILURE","newOrderResult":"NOT_ATTEMPTED","cancelResponse":{"code":-2011,"msg":"Unknown order sent."},"newOrderResponse":null}}}`
	replaceNewFailed    = `{"id":12,"status":409,"error":{"code":-2021,"msg":"Order cancel-replace partially failed.","data":{"cancelResult":"SUCCESS","newOrderResult":"FAILURE","cancelResponse":{"symbol":"BTCUSDT","origClientOrderId":"txx42","orderId":3,"orderListId":-1,"clientOrderId":"G1kLo6aDv2KGNTFcjfTSFq","status":"CANCELED"},"newOrderResponse":{"code":-2010,"msg":"Order would immediately match and take."}}}}`
)

// TestParseReplaceResponses: the data of -2022 and -2021 gives each part's outcome and code.
func TestParseReplaceResponses(t *testing.T) {
	p := testParser(t, NewMarkets(testMaster(t)))
	cases := []struct {
		name                string
		msg                 string
		code                int64
		cancel, newOrder    ReplaceResult
		cancelCode, newCode int64
		cancelMsg, newMsg   string
		cancelWhy, newWhy   event.RejectReason
	}{
		{"cancel failed", replaceCancelFailed, CodeReplaceFailed, ReplaceFailure, ReplaceNotAttempted, -2011, 0,
			"Unknown order sent.", "", event.RejectUnknownOrder, event.RejectUnknown},
		{"new order failed", replaceNewFailed, CodeReplacePartial, ReplaceSuccess, ReplaceFailure, 0, -2010,
			"", "Order would immediately match and take.", event.RejectUnknown, event.RejectPostOnly},
		{"plain error", `{"id":13,"status":400,"error":{"code":-1121,"msg":"Invalid symbol."}}`, CodeBadSymbol,
			ReplaceNone, ReplaceNone, 0, 0, "", "", event.RejectUnknown, event.RejectUnknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, kind, err := p.Parse([]byte(c.msg), 1, nil); err != nil || kind != MsgResponse {
				t.Fatal(kind, err)
			}
			r := p.Response()
			if r.Code != c.code || r.CancelResult != c.cancel || r.NewOrderResult != c.newOrder ||
				r.CancelCode != c.cancelCode || r.NewOrderCode != c.newCode ||
				string(r.CancelMsg) != c.cancelMsg || string(r.NewOrderMsg) != c.newMsg {
				t.Fatalf("%+v", *r)
			}
			if c.cancelCode != 0 && RejectReason(r.CancelCode, r.CancelMsg) != c.cancelWhy {
				t.Errorf("cancel reason %v", RejectReason(r.CancelCode, r.CancelMsg))
			}
			if c.newCode != 0 && RejectReason(r.NewOrderCode, r.NewOrderMsg) != c.newWhy {
				t.Errorf("new order reason %v", RejectReason(r.NewOrderCode, r.NewOrderMsg))
			}
		})
	}
	if RejectReason(CodeReplaceFailed, nil) != event.RejectUnknownOrder {
		t.Error("-2022 is not RejectUnknownOrder")
	}
}

// BenchmarkEncodeReplace: one order.cancelReplace request, encoded and signed. impl=place is
// the order.place of the same order beside it, the baseline the two extra params add to.
func BenchmarkEncodeReplace(b *testing.B) {
	mk := btcMarket(b, NewMarkets(testMaster(b)))
	prev := order(42, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 6800012, 1500)
	r := event.Replace{Order: 42, Parent: 3, Price: 6800100, Qty: 2000, NewOrder: 43}
	b.Run("impl=replace", func(b *testing.B) {
		enc := testEncoder(b)
		dst := make([]byte, 0, 1024)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var err error
			dst, err = enc.AppendReplace(dst[:0], uint64(i), &r, &prev, mk, 1735689600000)
			if err != nil || dst[len(dst)-1] != '}' {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
	b.Run("impl=place", func(b *testing.B) {
		enc := testEncoder(b)
		dst := make([]byte, 0, 1024)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var err error
			dst, err = enc.AppendPlace(dst[:0], uint64(i), &prev, mk, 1735689600000)
			if err != nil || dst[len(dst)-1] != '}' {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
}
