package binanceusdm

import (
	"testing"

	"github.com/valyala/fastjson"

	"ems/feed"
)

// BenchmarkDecode measures Decode on the recording's payloads: msg=diff cycles through the 252
// applicable SUSHIUSDT diffs against the live ~2000-level book.
func BenchmarkDecode(b *testing.B) {
	for _, sc := range []struct {
		name string
		cfg  feed.Config
	}{
		{"scales=known", feed.Config{Venue: 2, Resolve: sushiResolver}},
		{"scales=inferred", feed.Config{Venue: 2, InferUnknown: true}},
	} {
		b.Run("msg=diff/"+sc.name, func(b *testing.B) {
			s := newSteady(b, sc.cfg)
			b.SetBytes(int64(s.bytes / len(s.diffs)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				s.next(b, b)
			}
		})
		s := newSteady(b, sc.cfg)
		for _, m := range []struct {
			name string
			msg  []byte
		}{{"bookTicker", s.ticker}, {"aggTrade", s.trade}} {
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

// BenchmarkBaseline parses the same diffs without a book: the floor under msg=diff.
func BenchmarkBaseline(b *testing.B) {
	lines := readLines(b, diffFile)[3:]
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
			if err != nil || v.Get("data", "pu") == nil {
				b.Fatal(err)
			}
		}
	})
}
