package bybit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"
)

// BenchmarkEncode: one order request per iteration. impl=ws is the trade WebSocket request (no
// per-request signature: the connection is authenticated); impl=rest is the REST body with its
// HMAC signature; impl=stdlib builds the same REST body with encoding/json and signs it with
// crypto/hmac, the baseline.
func BenchmarkEncode(b *testing.B) {
	s := newSteady(b)
	b.Run("op=create/impl=ws", func(b *testing.B) {
		dst := make([]byte, 0, 1024)
		b.ReportAllocs()
		var n int
		for i := 0; b.Loop(); i++ {
			var err error
			dst, err = s.enc.AppendRequest(dst[:0], &s.create, uint64(i), 1709251200000)
			if err != nil || len(dst) < 100 {
				b.Fatal("encode failed")
			}
			n = len(dst)
		}
		b.SetBytes(int64(n))
	})
	b.Run("op=cancel/impl=ws", func(b *testing.B) {
		dst := make([]byte, 0, 1024)
		b.ReportAllocs()
		var n int
		for i := 0; b.Loop(); i++ {
			var err error
			dst, err = s.enc.AppendRequest(dst[:0], &s.cxl, uint64(i), 1709251200000)
			if err != nil || len(dst) < 50 {
				b.Fatal("encode failed")
			}
			n = len(dst)
		}
		b.SetBytes(int64(n))
	})
	b.Run("op=create/impl=rest", func(b *testing.B) {
		sig := NewSigner(simKey, []byte(simSecret))
		dst := make([]byte, 0, 1024)
		sum := make([]byte, 0, SignatureLen)
		b.ReportAllocs()
		var n int
		for i := 0; b.Loop(); i++ {
			var err error
			dst, err = s.enc.AppendBody(dst[:0], &s.create)
			if err != nil {
				b.Fatal(err)
			}
			sum = sig.AppendREST(sum[:0], 1709251200000+int64(i), 5000, dst)
			if len(sum) != SignatureLen {
				b.Fatal("bad signature")
			}
			n = len(dst)
		}
		b.SetBytes(int64(n))
	})
	b.Run("op=create/impl=stdlib", func(b *testing.B) {
		type body struct {
			Category    string `json:"category"`
			Symbol      string `json:"symbol"`
			Side        string `json:"side"`
			OrderType   string `json:"orderType"`
			Qty         string `json:"qty"`
			Price       string `json:"price"`
			TimeInForce string `json:"timeInForce"`
			OrderLinkID string `json:"orderLinkId"`
		}
		b.ReportAllocs()
		var n int
		for i := 0; b.Loop(); i++ {
			o := s.create.Order()
			js, err := json.Marshal(body{"spot", "BTCUSDT", "Buy", "Limit",
				strconv.FormatFloat(float64(o.Qty)/1e6, 'f', -1, 64),
				strconv.FormatFloat(float64(o.Price)/1e2, 'f', -1, 64), "GTC",
				"cap" + "x" + strconv.FormatUint(uint64(o.Order), 10)})
			if err != nil {
				b.Fatal(err)
			}
			m := hmac.New(sha256.New, []byte(simSecret))
			m.Write([]byte(strconv.FormatInt(1709251200000+int64(i), 10) + simKey + "5000" + string(js)))
			if hex.EncodeToString(m.Sum(nil)) == "" {
				b.Fatal("bad signature")
			}
			n = len(js)
		}
		b.SetBytes(int64(n))
	})
}

// BenchmarkParse: one recorded message per iteration into events; impl=stdlib unmarshals the
// execution push with encoding/json, the baseline (no events made).
func BenchmarkParse(b *testing.B) {
	s := newSteady(b)
	b.Run("msg=execution/impl=parser", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(s.execMsg)))
		for b.Loop() {
			r, err := s.p.Parse(s.nextExec(), 1)
			if err != nil || len(r.Events) != 1 || r.Events[0].Fill().Qty != 160150 {
				b.Fatal("execution not parsed")
			}
		}
	})
	b.Run("msg=order/impl=parser", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(s.orderMsg)))
		for b.Loop() {
			s.track()
			r, err := s.p.Parse(s.orderMsg, 1)
			if err != nil || len(r.Events) != 1 {
				b.Fatal("order not parsed")
			}
		}
	})
	b.Run("msg=answer/impl=parser", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(s.ackMsg)))
		for b.Loop() {
			s.track()
			r, err := s.p.Parse(s.ackMsg, 1)
			if err != nil || len(r.Events) != 1 {
				b.Fatal("answer not parsed")
			}
		}
	})
	b.Run("msg=execution/impl=stdlib", func(b *testing.B) {
		type exec struct {
			Data []struct {
				ExecID, ExecPrice, ExecQty, ExecFee, LeavesQty, OrderLinkID string
				IsMaker                                                     bool
			} `json:"data"`
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(s.execMsg)))
		for b.Loop() {
			var x exec
			if err := json.Unmarshal(s.execMsg, &x); err != nil || len(x.Data) != 1 || x.Data[0].ExecQty != "0.16015" {
				b.Fatal("not decoded")
			}
		}
	})
}
