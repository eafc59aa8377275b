package kraken

import (
	"encoding/json"
	"hash/crc32"
	"testing"

	"ems/feed"
)

// v2Update returns an update to the docs example's book (two bids, one ask changed) carrying its
// checksum. Updates carry absolute sizes, so applying it again leaves the book, and the checksum,
// unchanged: a benchmark can repeat it.
func v2Update() []byte {
	ref := newRefBook(10)
	bids, asks := docsSnapshot()
	refApply(ref, "snapshot", "BTC/USD", bids, asks)
	return refApply(ref, "update", "BTC/USD",
		[][2]string{{"45283.4", "2.00000000"}, {"45280.3", "0.00000000"}}, [][2]string{{"45286.4", "0.75000000"}})
}

// BenchmarkDecode measures Decode on real and docs payloads: parse once, apply, verify the
// checksum, truncate, emit events.
func BenchmarkDecode(b *testing.B) {
	docs := readLines(b, "docs_v2_book_checksum_example.jsonl")[0]
	v1Lines := readLines(b, "v1_book1000_xbtchf.jsonl")
	for _, bc := range []struct {
		name  string
		v1    bool
		setup []byte // a snapshot first, or nil
		msg   []byte
		check func(*testing.B, feed.Decoder)
	}{
		{name: "msg=v2-snapshot", msg: docs},
		{name: "msg=v2-update", setup: docs, msg: v2Update()},
		{name: "msg=v2-trade", msg: readLines(b, "docs_v2_trade_snapshot.jsonl")[0]},
		{name: "msg=v1-snapshot-818", v1: true, msg: v1Lines[1]},
		{name: "msg=v1-update", v1: true, setup: v1Lines[1], msg: v1Lines[2]},
		{name: "msg=v1-trade", v1: true, msg: readLines(b, "v1_trade.jsonl")[3]},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var d feed.Decoder
			if bc.v1 {
				d = newV1(b)
			} else {
				d = newV2(b, feed.Config{InferUnknown: true})
			}
			out := feed.NewBatch(4096)
			if bc.setup != nil {
				mustDecode(b, d, bc.setup, out)
			}
			mustDecode(b, d, bc.msg, out)
			out.Reset()
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.msg)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := d.Decode(bc.msg, int64(i), out); err != nil || out.Len() == 0 {
					b.Fatalf("decode: %v, %d events", err, out.Len())
				}
				out.Reset()
			}
			b.StopTimer()
			for _, r := range d.Books() {
				if r.Stats.ChecksumFailures != 0 {
					b.Fatal("checksum failure")
				}
			}
		})
	}
}

// BenchmarkDecodeBaseline is the standard-library baseline beside BenchmarkDecode/msg=v2-update:
// encoding/json into structs keeping each number's text (json.Number), then a CRC over the
// message's level text by the checksum rule — parsing and hashing only, no book.
func BenchmarkDecodeBaseline(b *testing.B) {
	msg := v2Update()
	type level struct{ Price, Qty json.Number }
	type message struct {
		Channel, Type string
		Data          []struct {
			Symbol     string
			Bids, Asks []level
			Checksum   uint32
			Timestamp  string
		}
	}
	b.Run("lib=encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(msg)))
		var text []byte
		for i := 0; i < b.N; i++ {
			var m message
			if err := json.Unmarshal(msg, &m); err != nil || len(m.Data) != 1 {
				b.Fatal(err)
			}
			text = text[:0]
			for _, side := range [2][]level{m.Data[0].Asks, m.Data[0].Bids} {
				for _, l := range side {
					text = checksumText(text, string(l.Price))
					text = checksumText(text, string(l.Qty))
				}
			}
			if crc32.ChecksumIEEE(text) == 0 {
				b.Fatal("zero checksum")
			}
		}
	})
}

// BenchmarkChecksum measures the checksum of a 10+10-level book from its integers, beside the
// baseline over the same levels kept as text.
func BenchmarkChecksum(b *testing.B) {
	d := newV2(b, feed.Config{InferUnknown: true})
	mustDecode(b, d, readLines(b, "docs_v2_book_checksum_example.jsonl")[0], feed.NewBatch(64))
	bs := d.tab.books[0]
	b.Run("from=book", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if got, ok := d.sum.sum(bs); !ok || got != docsChecksum {
				b.Fatal(got)
			}
		}
	})
	bids, asks := docsSnapshot()
	b.Run("from=text", func(b *testing.B) {
		b.ReportAllocs()
		var text []byte
		for i := 0; i < b.N; i++ {
			text = text[:0]
			for _, side := range [2][][2]string{asks, bids} {
				for _, l := range side {
					text = checksumText(text, l[0])
					text = checksumText(text, l[1])
				}
			}
			if crc32.ChecksumIEEE(text) != docsChecksum {
				b.Fatal("checksum")
			}
		}
	})
}
