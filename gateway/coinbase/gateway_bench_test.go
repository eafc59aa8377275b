package coinbase

import (
	"encoding/json"
	"testing"

	"ems/core/event"
	"ems/gateway"
)

// BenchmarkEncode: one order's wire request. op=body is the JSON body alone (zero allocations);
// op=request adds the request head and the per-request ES256 JWT (which allocates in
// crypto/ecdsa); impl=encoding-json-baseline builds the body the usual way.
func BenchmarkEncode(b *testing.B) {
	e := testEncoder(b)
	o := event.Order{Order: 4_200_042, Price: 6_800_001, Qty: 100_000, Side: event.SideBuy}
	dst := make([]byte, 0, 1024)
	body, _ := e.AppendOrderBody(nil, &o, &btcListing)
	b.Run("op=body/impl=encoder", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var err error
			dst, err = e.AppendOrderBody(dst[:0], &o, &btcListing)
			if err != nil || dst[len(dst)-1] != '}' {
				b.Fatal("bad body", err)
			}
		}
	})
	b.Run("op=body/impl=encoding-json-baseline", func(b *testing.B) {
		type limit struct {
			BaseSize   string `json:"base_size"`
			LimitPrice string `json:"limit_price"`
			PostOnly   bool   `json:"post_only"`
		}
		type req struct {
			ClientOrderID string `json:"client_order_id"`
			ProductID     string `json:"product_id"`
			Side          string `json:"side"`
			Config        struct {
				GTC *limit `json:"limit_limit_gtc"`
			} `json:"order_configuration"`
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			r := req{ClientOrderID: string(gateway.AppendClientOrderID(nil, "e7k2", o.Order)), ProductID: "BTC-USDT", Side: "BUY"}
			r.Config.GTC = &limit{BaseSize: "0.001", LimitPrice: "68000.01"}
			out, err := json.Marshal(&r)
			if err != nil || out[len(out)-1] != '}' {
				b.Fatal("bad body", err)
			}
		}
	})
	b.Run("op=request/alg=ES256", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var err error
			dst, err = e.AppendNewOrder(dst[:0], &o, &btcListing, testNow)
			if err != nil || dst[len(dst)-1] != '}' {
				b.Fatal("bad request", err)
			}
		}
	})
}

// BenchmarkParse: one venue message each; the baseline decodes the user update with
// encoding/json into structs.
func BenchmarkParse(b *testing.B) {
	a := answers(b)
	p := NewParser()
	cases := []struct {
		name string
		msg  []byte
		fn   func([]byte) bool
	}{
		{"msg=user-update", a["ws-4"], func(m []byte) bool {
			u, err := p.ParseUser(m)
			return err == nil && len(u.Orders) == 1
		}},
		{"msg=fills", a["fills"], func(m []byte) bool {
			f, _, err := p.ParseFills(200, m)
			return err == nil && len(f) == 1
		}},
		{"msg=create-ok", a["create-ok"], func(m []byte) bool {
			r, err := p.ParseCreate(200, m)
			return err == nil && r.OK
		}},
		{"msg=create-reject", a["create-min-notional"], func(m []byte) bool {
			r, err := p.ParseCreate(200, m)
			return err == nil && r.Failure.Reason == event.RejectMinNotional
		}},
	}
	for _, c := range cases {
		b.Run(c.name+"/impl=parser", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.msg)))
			for b.Loop() {
				if !c.fn(c.msg) {
					b.Fatal("bad parse")
				}
			}
		})
	}
	b.Run("msg=user-update/impl=encoding-json-baseline", func(b *testing.B) {
		type order struct {
			OrderID       string `json:"order_id"`
			ClientOrderID string `json:"client_order_id"`
			CumQty        string `json:"cumulative_quantity"`
			Leaves        string `json:"leaves_quantity"`
			Status        string `json:"status"`
			ProductID     string `json:"product_id"`
		}
		type msg struct {
			Channel string `json:"channel"`
			Seq     int64  `json:"sequence_num"`
			Events  []struct {
				Type   string  `json:"type"`
				Orders []order `json:"orders"`
			} `json:"events"`
		}
		m := a["ws-4"]
		b.ReportAllocs()
		b.SetBytes(int64(len(m)))
		for b.Loop() {
			var v msg
			if err := json.Unmarshal(m, &v); err != nil || len(v.Events[0].Orders) != 1 {
				b.Fatal("bad parse", err)
			}
		}
	})
}
