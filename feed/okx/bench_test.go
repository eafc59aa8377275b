package okx

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"testing"

	"github.com/valyala/fastjson"

	"ems/feed"
)

// benchCase is one message decoded over and over after setup lines.
type benchCase struct {
	name  string
	setup [][]byte
	msg   []byte
}

func benchCases(b *testing.B) []benchCase {
	lines := readLines(b, "books_BTC-USDT.jsonl")
	trades := readLines(b, "trades.jsonl")
	return []benchCase{
		// A real 2022 update (26 asks, 17 bids) with its checksum verified: re-applying an
		// absolute update leaves the book as it was, so every iteration verifies.
		{"update", lines[:len(lines)-1], lines[len(lines)-1]},
		{"snapshot", lines[:2], lines[1]}, // 400 + 400 levels, checksum verified
		{"seq-update", [][]byte{bookPush("books", "A-B", "snapshot", []lv{{"30000.1", "1.5"}, {"30000", "2"}}, []lv{{"30000.2", "1"}}, pushOpts{prev: -1, seq: 7, seqs: true})},
			bookPush("books", "A-B", "update", []lv{{"30000.1", "0.25"}, {"29999.9", "3.1"}}, []lv{{"30000.3", "0.7"}}, pushOpts{prev: 7, seq: 7, seqs: true})},
		{"books5", nil, bookPush("books5", "A-B", "", []lv{{"30000.1", "1.5"}, {"30000", "2"}, {"29999.9", "3"}, {"29999.8", "4"}, {"29999.7", "5"}},
			[]lv{{"30000.2", "1"}, {"30000.3", "2"}, {"30000.4", "3"}, {"30000.5", "4"}, {"30000.6", "5"}}, pushOpts{})},
		{"trade", trades, trades[len(trades)-1]},
	}
}

// knownScales resolves the symbols of the benchmarks as the instrument master would: price unit
// 0.0001 and lot 1e-8, tick 0.1 for BTC pairs and the synthetic A-B, 0.001 otherwise.
func knownScales(sym []byte) (uint32, feed.Scales, bool) {
	tick := int64(10)
	if string(sym) == "A-B" || bytes.HasPrefix(sym, []byte("BTC-")) {
		tick = 1000
	}
	return 1, feed.Scales{Price: 4, Qty: 8, Tick: tick, Known: true}, true
}

// BenchmarkDecode measures Decode of one message in steady state (parse, sequence, apply,
// checksum, events), with the scales of the instrument master (live) and inferred from the text
// (replay).
func BenchmarkDecode(b *testing.B) {
	for _, scales := range []string{"known", "inferred"} {
		for _, bc := range benchCases(b) {
			b.Run("scales="+scales+"/msg="+bc.name, func(b *testing.B) {
				cfg := feed.Config{Venue: 7, InferUnknown: true}
				if scales == "known" {
					cfg.Resolve = knownScales
				}
				d := New(cfg)
				out := feed.NewBatch(4096)
				for i, l := range append(bc.setup, bc.msg) {
					if err := d.Decode(l, int64(i), out); err != nil {
						b.Fatal(err)
					}
					out.Reset()
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(bc.msg)))
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					out.Reset()
					if err := d.Decode(bc.msg, int64(i), out); err != nil || out.Len() == 0 {
						b.Fatalf("err %v, %d events", err, out.Len())
					}
				}
				b.StopTimer()
				for _, r := range d.Books() {
					if r.Stats.ChecksumFailures != 0 || r.Stats.Gaps != 0 {
						b.Fatalf("stats %+v", r.Stats)
					}
				}
			})
		}
	}
}

// BenchmarkDecodeBaseline is the floor and a standard-library reference for the same messages:
// fastjson parsing alone, and encoding/json into a struct.
func BenchmarkDecodeBaseline(b *testing.B) {
	type push struct {
		Arg struct {
			Channel string `json:"channel"`
			InstID  string `json:"instId"`
		} `json:"arg"`
		Action string `json:"action"`
		Data   []struct {
			Asks     [][]string `json:"asks"`
			Bids     [][]string `json:"bids"`
			TS       string     `json:"ts"`
			Checksum int32      `json:"checksum"`
		} `json:"data"`
	}
	for _, bc := range benchCases(b)[:2] {
		b.Run("impl=fastjson-parse/msg="+bc.name, func(b *testing.B) {
			var p fastjson.Parser
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.msg)))
			for i := 0; i < b.N; i++ {
				v, err := p.ParseBytes(bc.msg)
				if err != nil || v.Get("data") == nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("impl=encoding-json/msg="+bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.msg)))
			for i := 0; i < b.N; i++ {
				var m push
				if err := json.Unmarshal(bc.msg, &m); err != nil || len(m.Data) != 1 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkChecksum measures building the checksum text of the real 400-level book and hashing
// it, beside hashing the prebuilt text alone.
func BenchmarkChecksum(b *testing.B) {
	d := newReplayDecoder()
	if _, errs := run(d, readLines(b, "books_BTC-USDT.jsonl")); len(errs) != 0 {
		b.Fatal(errs)
	}
	bs := d.symbols["BTC-USDT"].books[0]
	want := d.sum.compute(bs.r, &bs.texts)
	text := append([]byte(nil), d.sum.text...)
	b.Run("impl=build+crc32/levels=25", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			if d.sum.compute(bs.r, &bs.texts) != want {
				b.Fatal("checksum changed")
			}
		}
	})
	b.Run("impl=crc32-only/levels=25", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			if int32(crc32.ChecksumIEEE(text)) != want {
				b.Fatal("checksum changed")
			}
		}
	})
}
