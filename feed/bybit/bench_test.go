package bybit

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"ems/core/fixed"
	"ems/feed"
)

// deltaSeq replays one recorded delta forever, rewriting its u so every copy continues the book.
// The rewrite appends into a reused buffer: no allocation.
type deltaSeq struct {
	head, tail []byte // the message around the u value
	u          uint64
	buf        []byte
}

func (s *deltaSeq) init(msg []byte) {
	i := bytes.Index(msg, []byte(`"u":`)) + len(`"u":`)
	j := i + bytes.IndexByte(msg[i:], ',')
	s.head, s.tail = msg[:i], msg[j:]
	u, err := strconv.ParseUint(string(msg[i:j]), 10, 64)
	if err != nil {
		panic(err)
	}
	s.u = u - 1
	s.buf = make([]byte, 0, len(msg)+20)
}

func (s *deltaSeq) next() []byte {
	s.u++
	s.buf = append(s.buf[:0], s.head...)
	s.buf = strconv.AppendUint(s.buf, s.u, 10)
	s.buf = append(s.buf, s.tail...)
	return s.buf
}

// BenchmarkDecode measures Decode (parse, sequence check, apply to the replica, events) on real
// payloads: the 7-level delta and the 50×50 snapshot of the acceptance capture, and a 4-trade
// spot publicTrade message. impl=encoding-json is the baseline: the standard library's
// json.Unmarshal of the same message into a struct plus fixed.Parse of its decimals, with no book.
func BenchmarkDecode(b *testing.B) {
	lines := readLines(b, "orderbook50_BTCUSDT_snapshot_delta.jsonl")
	trade := readLines(b, "v5_spot_tardis.jsonl")[0]
	b.Run("msg=delta/impl=decoder", func(b *testing.B) {
		d, out := inferring(), feed.NewBatch(256)
		if err := d.Decode(lines[0], 1, out); err != nil {
			b.Fatal(err)
		}
		var seq deltaSeq
		seq.init(lines[1])
		b.SetBytes(int64(len(lines[1])))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out.Reset()
			if err := d.Decode(seq.next(), int64(i), out); err != nil || out.Len() != 7 {
				b.Fatalf("err %v, %d events", err, out.Len())
			}
		}
	})
	b.Run("msg=delta/impl=encoding-json", func(b *testing.B) {
		benchStd(b, lines[1], 7)
	})
	b.Run("msg=snapshot50/impl=decoder", func(b *testing.B) {
		d, out := inferring(), feed.NewBatch(256)
		if err := d.Decode(lines[0], 0, out); err != nil { // creates the book
			b.Fatal(err)
		}
		b.SetBytes(int64(len(lines[0])))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out.Reset()
			if err := d.Decode(lines[0], int64(i), out); err != nil || out.Len() < 100 {
				b.Fatalf("err %v, %d events", err, out.Len())
			}
		}
	})
	b.Run("msg=snapshot50/impl=encoding-json", func(b *testing.B) {
		benchStd(b, lines[0], 100)
	})
	b.Run("msg=trade/impl=decoder", func(b *testing.B) {
		d, out := inferring(), feed.NewBatch(256)
		if err := d.Decode(trade, 0, out); err != nil { // resolves the symbol
			b.Fatal(err)
		}
		b.SetBytes(int64(len(trade)))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			out.Reset()
			if err := d.Decode(trade, int64(i), out); err != nil || out.Len() != 4 {
				b.Fatalf("err %v, %d events", err, out.Len())
			}
		}
	})
}

type stdBook struct {
	Topic string `json:"topic"`
	Type  string `json:"type"`
	TS    int64  `json:"ts"`
	CTS   int64  `json:"cts"`
	Data  struct {
		S   string      `json:"s"`
		B   [][2]string `json:"b"`
		A   [][2]string `json:"a"`
		U   uint64      `json:"u"`
		Seq uint64      `json:"seq"`
	} `json:"data"`
}

func benchStd(b *testing.B, msg []byte, levels int) {
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	var m stdBook
	for i := 0; i < b.N; i++ {
		m = stdBook{}
		if err := json.Unmarshal(msg, &m); err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, side := range [2][][2]string{m.Data.B, m.Data.A} {
			for _, l := range side {
				if _, err := fixed.ParseString(l[0], 2); err != nil {
					b.Fatal(err)
				}
				if _, err := fixed.ParseString(l[1], 6); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		if n != levels {
			b.Fatalf("%d levels", n)
		}
	}
}
