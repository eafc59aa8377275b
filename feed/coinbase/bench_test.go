package coinbase

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"ems/core/fixed"
	"ems/feed"
)

// seqRewriter replays recorded Advanced Trade messages forever, rewriting their sequence_num so
// that the connection's sequence stays contiguous. The rewrite appends into a reused buffer: no
// allocation.
type seqRewriter struct {
	msgs []seqMsg
	seq  uint64
	buf  []byte
}

type seqMsg struct{ head, tail []byte }

// add registers msg and returns its handle for next.
func (s *seqRewriter) add(msg []byte) int {
	i := bytes.Index(msg, []byte(`"sequence_num":`)) + len(`"sequence_num":`)
	j := i
	for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
		j++
	}
	s.msgs = append(s.msgs, seqMsg{msg[:i], msg[j:]})
	if n := len(msg) + 20; cap(s.buf) < n {
		s.buf = make([]byte, 0, n)
	}
	return len(s.msgs) - 1
}

// next returns message h with the sequence number following the last one returned.
func (s *seqRewriter) next(h int) []byte {
	s.seq++
	m := s.msgs[h]
	s.buf = append(s.buf[:0], m.head...)
	s.buf = strconv.AppendUint(s.buf, s.seq, 10)
	s.buf = append(s.buf, m.tail...)
	return s.buf
}

// readTradeUpdate returns the docs' market_trades example as an "update" (live trades).
func readTradeUpdate() []byte {
	return []byte(`{"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:19:35.39625135Z","sequence_num":0,"events":[{"type":"update","trades":[{"trade_id":"000000000","product_id":"BTC-USD","price":"1260.01","size":"0.3","side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}]}`)
}

// BenchmarkDecode measures Decode (parse, sequence check, apply to the replica, events):
// Advanced Trade l2_data updates and market_trades (docs shapes), and the legacy feed's real
// l2update and 318-level snapshot. impl=encoding-json is the baseline: the standard library's
// json.Unmarshal of the same message into a struct plus fixed.Parse of its decimals, with no book.
func BenchmarkDecode(b *testing.B) {
	lines := readLines(b, "exchange_legacy_level2_BAND-GBP.jsonl")
	update := l2(1, "update", "BTC-USD", "bid:21921.73:0.1", "offer:21922.5:0.25")
	b.Run("msg=update/impl=decoder", func(b *testing.B) {
		d, out := New(cfgInfer()), feed.NewBatch(256)
		decodeAll(b, d, nil, l2(0, "snapshot", "BTC-USD", "bid:21921.73:0.06317902", "offer:21922.5:0.5"))
		var s seqRewriter
		h := s.add(update)
		b.SetBytes(int64(len(update)))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out.Reset()
			if err := d.Decode(s.next(h), int64(i), out); err != nil || out.Len() != 2 {
				b.Fatalf("err %v, %d events", err, out.Len())
			}
		}
	})
	b.Run("msg=update/impl=encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(update)))
		b.ReportAllocs()
		var m stdL2
		for i := 0; i < b.N; i++ {
			m = stdL2{}
			if err := json.Unmarshal(update, &m); err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, ev := range m.Events {
				for _, u := range ev.Updates {
					mustParse(b, u.Price, 2)
					mustParse(b, u.Qty, 8)
					n++
				}
			}
			if n != 2 {
				b.Fatalf("%d updates", n)
			}
		}
	})
	b.Run("msg=market_trades/impl=decoder", func(b *testing.B) {
		d, out := New(cfgInfer()), feed.NewBatch(256)
		var s seqRewriter
		h := s.add(readTradeUpdate())
		if err := d.Decode(s.next(h), 0, out); err != nil { // resolves the product
			b.Fatal(err)
		}
		b.SetBytes(int64(len(s.buf)))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out.Reset()
			if err := d.Decode(s.next(h), int64(i), out); err != nil || out.Len() != 1 {
				b.Fatalf("err %v, %d events", err, out.Len())
			}
		}
	})
	b.Run("msg=legacy-l2update/impl=decoder", func(b *testing.B) {
		d, out := NewLegacy(cfgInfer()), feed.NewBatch(1024)
		decodeAll(b, d, nil, lines[0])
		msg := lines[2]
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out.Reset()
			if err := d.Decode(msg, int64(i), out); err != nil || out.Len() != 1 {
				b.Fatalf("err %v, %d events", err, out.Len())
			}
		}
	})
	b.Run("msg=legacy-l2update/impl=encoding-json", func(b *testing.B) {
		msg := lines[2]
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		var m stdLegacy
		for i := 0; i < b.N; i++ {
			m = stdLegacy{}
			if err := json.Unmarshal(msg, &m); err != nil || len(m.Changes) != 1 {
				b.Fatal(err)
			}
			mustParse(b, m.Changes[0][1], 4)
			mustParse(b, m.Changes[0][2], 2)
		}
	})
	b.Run("msg=legacy-snapshot/impl=decoder", func(b *testing.B) {
		d, out := NewLegacy(cfgInfer()), feed.NewBatch(1024)
		decodeAll(b, d, nil, lines[0])
		b.SetBytes(int64(len(lines[0])))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out.Reset()
			if err := d.Decode(lines[0], int64(i), out); err != nil || out.Len() != 318 {
				b.Fatalf("err %v, %d events", err, out.Len())
			}
		}
	})
	b.Run("msg=legacy-snapshot/impl=encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(lines[0])))
		b.ReportAllocs()
		var m stdLegacy
		for i := 0; i < b.N; i++ {
			m = stdLegacy{}
			if err := json.Unmarshal(lines[0], &m); err != nil {
				b.Fatal(err)
			}
			for _, side := range [2][][2]string{m.Bids, m.Asks} {
				for _, l := range side {
					mustParse(b, l[0], 4)
					mustParse(b, l[1], 2)
				}
			}
			if len(m.Bids)+len(m.Asks) != 318 {
				b.Fatal("levels")
			}
		}
	})
}

type stdL2 struct {
	Channel   string `json:"channel"`
	Timestamp string `json:"timestamp"`
	Seq       uint64 `json:"sequence_num"`
	Events    []struct {
		Type      string `json:"type"`
		ProductID string `json:"product_id"`
		Updates   []struct {
			Side      string `json:"side"`
			EventTime string `json:"event_time"`
			Price     string `json:"price_level"`
			Qty       string `json:"new_quantity"`
		} `json:"updates"`
	} `json:"events"`
}

type stdLegacy struct {
	Type      string      `json:"type"`
	ProductID string      `json:"product_id"`
	Bids      [][2]string `json:"bids"`
	Asks      [][2]string `json:"asks"`
	Changes   [][3]string `json:"changes"`
	Time      string      `json:"time"`
}

func mustParse(b *testing.B, s string, scale uint8) {
	if _, err := fixed.ParseString(s, scale); err != nil {
		b.Fatal(err)
	}
}
