package binance

import (
	"encoding/json"
	"testing"

	"github.com/valyala/fastjson"

	"ems/feed"
)

// BenchmarkDecode measures Decode on the recording's payloads: msg=diff cycles through the 149
// NKNUSDT diffs against the live ~1600-level book (parse, sync rule, book update, level events).
func BenchmarkDecode(b *testing.B) {
	for _, sc := range []struct {
		name string
		cfg  feed.Config
	}{
		{"scales=known", feed.Config{Venue: 1, Resolve: nknResolver}},
		{"scales=inferred", feed.Config{Venue: 1, InferUnknown: true}},
	} {
		b.Run("msg=diff/"+sc.name, func(b *testing.B) {
			s := newSteady(b, sc.cfg)
			b.SetBytes(int64(s.bytes / len(s.diffs)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				s.next(b)
			}
		})
		s := newSteady(b, sc.cfg)
		for _, m := range []struct {
			name string
			msg  []byte
		}{{"bookTicker", s.ticker}, {"trade", s.trade}, {"aggTrade", s.aggTrade}} {
			b.Run("msg="+m.name+"/"+sc.name, func(b *testing.B) {
				b.SetBytes(int64(len(m.msg)))
				b.ReportAllocs()
				for range b.N {
					s.out.Reset()
					if err := s.d.Decode(m.msg, 1, s.out); err != nil || s.out.Len() != 1 {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// depthUpdate is what a decoder built on encoding/json would unmarshal a diff into.
type depthUpdate struct {
	Stream string `json:"stream"`
	Data   struct {
		E     string      `json:"e"`
		Time  int64       `json:"E"`
		S     string      `json:"s"`
		First uint64      `json:"U"`
		Last  uint64      `json:"u"`
		Bids  [][2]string `json:"b"`
		Asks  [][2]string `json:"a"`
	} `json:"data"`
}

// BenchmarkBaseline is the floor and the common alternative beside BenchmarkDecode/msg=diff:
// parsing the same diffs only (fastjson, no book), and unmarshalling them with encoding/json
// (no book either).
func BenchmarkBaseline(b *testing.B) {
	lines := readLines(b, diffFile)[1:]
	size := 0
	for _, l := range lines {
		size += len(l.msg)
	}
	b.Run("msg=diff/parse=fastjson", func(b *testing.B) {
		var p fastjson.Parser
		b.SetBytes(int64(size / len(lines)))
		b.ReportAllocs()
		for i := range b.N {
			v, err := p.ParseBytes(lines[i%len(lines)].msg)
			if err != nil || v.Get("data", "u") == nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("msg=diff/parse=encoding-json", func(b *testing.B) {
		var m depthUpdate
		b.SetBytes(int64(size / len(lines)))
		b.ReportAllocs()
		for i := range b.N {
			m.Data.Bids, m.Data.Asks = m.Data.Bids[:0], m.Data.Asks[:0]
			if err := json.Unmarshal(lines[i%len(lines)].msg, &m); err != nil || m.Data.Last == 0 {
				b.Fatal(err)
			}
		}
	})
}
