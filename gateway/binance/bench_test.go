package binance

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/fixed"
	"ems/gateway"
)

// BenchmarkEncodePlace: one order.place request, encoded and signed. impl=stdlib is the
// straightforward way beside it: a fresh HMAC per request, strconv and string concatenation.
func BenchmarkEncodePlace(b *testing.B) {
	ms := NewMarkets(testMaster(b))
	mk := btcMarket(b, ms)
	o := order(42, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 6800012, 1500)
	b.Run("impl=encoder", func(b *testing.B) {
		enc := testEncoder(b)
		dst := make([]byte, 0, 1024)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var err error
			dst, err = enc.AppendPlace(dst[:0], uint64(i), &o, mk, 1735689600000)
			if err != nil || dst[len(dst)-1] != '}' {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
	b.Run("impl=stdlib", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for i := 0; i < b.N; i++ {
			price := string(fixed.Append(nil, o.Price, 2))
			qty := string(fixed.Append(nil, o.Qty, 5))
			cid := testPrefix + "x" + strconv.FormatUint(uint64(o.Order), 10)
			ts := strconv.FormatInt(1735689600000, 10)
			payload := "apiKey=" + testKey + "&newClientOrderId=" + cid + "&newOrderRespType=ACK&price=" + price +
				"&quantity=" + qty + "&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp=" + ts + "&type=LIMIT"
			m := hmac.New(sha256.New, []byte(testSecret))
			m.Write([]byte(payload))
			sig := hex.EncodeToString(m.Sum(nil))
			req := map[string]any{"id": i, "method": "order.place", "params": map[string]string{
				"apiKey": testKey, "newClientOrderId": cid, "newOrderRespType": "ACK", "price": price, "quantity": qty,
				"side": "BUY", "symbol": "BTCUSDT", "timeInForce": "GTC", "timestamp": ts, "type": "LIMIT", "signature": sig}}
			out, err := json.Marshal(req)
			if err != nil || len(out) == 0 {
				b.Fatal(err)
			}
			n = len(out)
		}
		b.SetBytes(int64(n))
	})
}

// execReportJSON is the baseline's decoding target.
type execReportJSON struct {
	Event struct {
		Ev   string  `json:"e"`
		E    int64   `json:"E"`
		S    string  `json:"s"`
		Side string  `json:"S"`
		C    string  `json:"c"`
		Orig string  `json:"C"`
		Typ  string  `json:"o"`
		TIF  string  `json:"f"`
		F    string  `json:"F"`
		Q    string  `json:"q"`
		P    string  `json:"p"`
		PP   string  `json:"P"`
		X    string  `json:"x"`
		XX   string  `json:"X"`
		I    int64   `json:"i"`
		II   int64   `json:"I"`
		L    string  `json:"l"`
		Z    string  `json:"z"`
		LP   string  `json:"L"`
		N    string  `json:"n"`
		NA   *string `json:"N"`
		T    int64   `json:"t"`
		TT   int64   `json:"T"`
		M    bool    `json:"m"`
		MM   bool    `json:"M"`
	} `json:"event"`
}

// BenchmarkParseExecReport: one TRADE executionReport to a Fill (distinct trade ids, so no
// report is dropped as a duplicate). impl=encoding_json decodes the same fields with the
// standard library, without the fixed-point conversion.
func BenchmarkParseExecReport(b *testing.B) {
	ms := NewMarkets(testMaster(b))
	msgs := tradeReportsB(4096)
	b.Run("impl=parser", func(b *testing.B) {
		p := testParser(b, ms) // trade window 64 < 4096 messages
		out := make([]event.Event, 0, 4)
		b.SetBytes(int64(len(msgs[0])))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			got, _, err := p.Parse(msgs[i%len(msgs)], 1, out[:0])
			if err != nil || len(got) != 1 || got[0].Fill().Qty != 400 {
				b.Fatal(got, err)
			}
		}
	})
	b.Run("impl=encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(msgs[0])))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var r execReportJSON
			if err := json.Unmarshal(msgs[i%len(msgs)], &r); err != nil || r.Event.L != "0.00400" {
				b.Fatal(err)
			}
		}
	})
}

func tradeReportsB(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(report("TRADE", "PARTIALLY_FILLED", "txx1", "", "0.01000", "0.00400", "0.00400", "68000.00",
			"0.27200000", `"USDT"`, strconv.Itoa(1000+i), true))
	}
	return out
}

// BenchmarkSend: Session.Send of one order (encode, sign, rate limit, frame, mask, write) over a
// connection whose writes vanish: the gateway's cost per order without the kernel. impl=encode
// is the encoder alone, the baseline the session adds to.
func BenchmarkSend(b *testing.B) {
	m := testMaster(b)
	s, err := NewSession(Config{Credentials: gateway.Credentials{Key: testKey, Secret: testSecret}, Prefix: testPrefix,
		Master: m, Now: func() int64 { return int64(time.Hour) }, Limits: Limits{Orders10s: 1 << 62, OrdersDay: 1 << 62, Weight1m: 1 << 62}},
		func([]event.Event) {})
	if err != nil {
		b.Fatal(err)
	}
	sc := &sinkConn{frames: []byte{0}}
	s.conn = &wsConn{nc: sc, wbuf: make([]byte, 0, 4096), rng: 1}
	s.connected = true
	mk := btcMarket(b, s.markets)
	ev := event.Event{Kind: event.KindNewOrder, Instrument: mk.Listing.Instrument}
	*ev.Order() = order(1, event.SideBuy, event.OrderLimit, event.TIFGTC, false, 6800000, 1000)
	b.Run("impl=session", func(b *testing.B) {
		b.ReportAllocs()
		start := s.Stats().Sent
		for i := 0; i < b.N; i++ {
			if err := s.Send(&ev); err != nil {
				b.Fatal(err)
			}
		}
		if s.Stats().Sent-start != uint64(b.N) {
			b.Fatal("not every order was sent")
		}
		b.SetBytes(int64(len(s.wbuf)))
	})
	b.Run("impl=encode", func(b *testing.B) {
		enc := testEncoder(b)
		dst := make([]byte, 0, 1024)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if dst, err = enc.AppendPlace(dst[:0], uint64(i), ev.Order(), mk, 1); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
}
