package okx

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"ems/core/event"
)

// BenchmarkEncode: one new order (and one amend, path=ws-amend) into a WebSocket request (no per-order signature on the
// private WebSocket: the login is signed), and into a signed REST request (body, ISO timestamp,
// HMAC-SHA256 signature); the baseline marshals the same order with encoding/json.
func BenchmarkEncode(b *testing.B) {
	enc, m := newTestEncoder(b)
	btc := instByName(b, m, "BTC-USDT")
	ev := newOrderEvent(btc, event.Order{Order: 1 << 40, Price: 680001, Qty: 100_000, Side: event.SideBuy})
	b.Run("path=ws", func(b *testing.B) {
		dst := make([]byte, 0, 512)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ev.Order().Order = event.OrderID(i)
			var err error
			dst, err = enc.AppendRequest(dst[:0], &ev)
			if err != nil || dst[len(dst)-1] != '}' {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
	b.Run("path=ws-amend", func(b *testing.B) {
		am := event.Event{Kind: event.KindReplace, Instrument: btc}
		*am.Replace() = event.Replace{Price: 679900, Qty: 200_000}
		dst := make([]byte, 0, 512)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			am.Replace().Order = event.OrderID(i)
			var err error
			dst, err = enc.AppendRequest(dst[:0], &am)
			if err != nil || dst[len(dst)-1] != '}' {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
	b.Run("path=rest-signed", func(b *testing.B) {
		signer := NewSigner([]byte(secret))
		dst := make([]byte, 0, 512)
		sig := make([]byte, 0, SignatureLen)
		ts := make([]byte, 0, TimestampLen)
		now := time.Unix(1_700_000_000, 0)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ev.Order().Order = event.OrderID(i)
			var err error
			dst, err = enc.AppendOrderBody(dst[:0], &ev)
			ts = AppendTimestamp(ts[:0], now)
			sig = signer.AppendRESTSignature(sig[:0], string(ts), "POST", "/api/v5/trade/order", dst)
			if err != nil || len(sig) != SignatureLen {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(dst)))
	})
	b.Run("path=baseline-encoding-json", func(b *testing.B) {
		type args struct {
			InstID  string `json:"instId"`
			TdMode  string `json:"tdMode"`
			Side    string `json:"side"`
			OrdType string `json:"ordType"`
			Sz      string `json:"sz"`
			Px      string `json:"px"`
			ClOrdID string `json:"clOrdId"`
		}
		type req struct {
			ID   string `json:"id"`
			Op   string `json:"op"`
			Args []args `json:"args"`
		}
		b.ReportAllocs()
		var out []byte
		for i := 0; i < b.N; i++ {
			r := req{ID: "n" + strconv.Itoa(i), Op: "order", Args: []args{{"BTC-USDT", "cash", "buy", "limit",
				"0.00100000", "68000.1", "e7k2x" + strconv.Itoa(i)}}}
			var err error
			if out, err = json.Marshal(&r); err != nil || out[len(out)-1] != '}' {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(out)))
	})
}

// BenchmarkParse: one recorded orders-channel push with a new taker fill (a new trade id per
// message, so de-duplication admits it) into OrderAck/Fill events, and one recorded reject
// answer; the baseline decodes the fill push with encoding/json into a struct of the fields used.
func BenchmarkParse(b *testing.B) {
	msg, at := fillTemplate(b)
	b.Run("msg=fill", func(b *testing.B) {
		p := newTestParser(b)
		b.ResetTimer()
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for i := 0; i < b.N; i++ {
			putDigits(msg[at:at+10], uint64(1_000_000_000+i))
			evs, _, err := p.Parse(msg, 1)
			if err != nil || len(evs) == 0 || evs[len(evs)-1].Kind != event.KindFill {
				b.Fatal("fill not parsed")
			}
		}
	})
	b.Run("msg=reject", func(b *testing.B) {
		p := newTestParser(b)
		rej := recorded(b, lineReject)
		b.ResetTimer()
		b.ReportAllocs()
		b.SetBytes(int64(len(rej)))
		for i := 0; i < b.N; i++ {
			evs, _, err := p.Parse(rej, 1)
			if err != nil || len(evs) != 1 || evs[0].Reject().VenueCode != 51000 {
				b.Fatal("reject not parsed")
			}
		}
	})
	b.Run("msg=fill-baseline-encoding-json", func(b *testing.B) {
		type order struct {
			InstID, OrdID, ClOrdID, Px, Sz, AccFillSz, State, FillPx, FillSz, TradeID, ExecType, FillFee, FillFeeCcy string
		}
		type push struct {
			Data []struct {
				order
				InstID     string `json:"instId"`
				OrdID      string `json:"ordId"`
				ClOrdID    string `json:"clOrdId"`
				AccFillSz  string `json:"accFillSz"`
				FillPx     string `json:"fillPx"`
				FillSz     string `json:"fillSz"`
				TradeID    string `json:"tradeId"`
				ExecType   string `json:"execType"`
				FillFee    string `json:"fillFee"`
				FillFeeCcy string `json:"fillFeeCcy"`
			} `json:"data"`
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		for i := 0; i < b.N; i++ {
			var p push
			if err := json.Unmarshal(msg, &p); err != nil || len(p.Data) != 1 || p.Data[0].TradeID == "" {
				b.Fatal(err)
			}
		}
	})
}
