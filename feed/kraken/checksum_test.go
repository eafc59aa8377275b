package kraken

import (
	"encoding/json"
	"strconv"
	"testing"

	"ems/feed"
)

const docsChecksum = 3310070434 // docs.kraken.com book-checksum-v2 guide, BTC/USD

func TestChecksumText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0.00100000", "100000"},
		{"45285.2", "452852"},
		{"0.10000000", "10000000"},
		{"45281.0", "452810"},
		{"56218.30000", "5621830000"},
		{"1000", "1000"},
		{"0.1", "1"}, // what a float round trip prints, and why it fails
	} {
		if got := string(checksumText(nil, tc.in)); got != tc.want {
			t.Errorf("checksumText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestChecksumDocsExample(t *testing.T) {
	bids, asks := docsSnapshot()
	if got := textChecksum(asks, bids); got != docsChecksum {
		t.Fatalf("text rule on the docs levels = %d, want %d", got, docsChecksum)
	}
	d, err := New(feed.Config{InferUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	out := feed.NewBatch(64)
	decodeAll(t, d, readLines(t, "docs_v2_book_checksum_example.jsonl"), out, false)
	r := d.Books()[0]
	if s := r.Stats; s.ChecksumsVerified != 1 || s.ChecksumFailures != 0 || s.Applied != 1 {
		t.Fatalf("stats %+v, want 1 applied, 1 checksum verified", s)
	}
	if got, ok := d.sum.sum(d.tab.books[0]); !ok || got != docsChecksum {
		t.Fatalf("checksum from the book's integers = %d (ok %v), want %d", got, ok, docsChecksum)
	}
}

// TestChecksumFloatRoundTrip is the acceptance test of the text rule: numbers parsed as float64
// and printed back lose their trailing zeros ("0.10000000" becomes "0.1"), and the checksum over
// that text does not match the venue's.
func TestChecksumFloatRoundTrip(t *testing.T) {
	msg := readLines(t, "docs_v2_book_checksum_example.jsonl")[0]
	var m struct {
		Data []struct {
			Bids, Asks []struct{ Price, Qty float64 }
			Checksum   uint32
		}
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		t.Fatal(err)
	}
	side := func(ls []struct{ Price, Qty float64 }) [][2]string {
		var out [][2]string
		for _, l := range ls {
			out = append(out, [2]string{
				strconv.FormatFloat(l.Price, 'f', -1, 64), strconv.FormatFloat(l.Qty, 'f', -1, 64)})
		}
		return out
	}
	e := m.Data[0]
	if e.Checksum != docsChecksum {
		t.Fatalf("docs message checksum %d", e.Checksum)
	}
	if got := textChecksum(side(e.Asks), side(e.Bids)); got == docsChecksum {
		t.Fatalf("a float round trip reproduced the checksum %d; the test no longer shows why text matters", got)
	}
}

func TestParseChecksum(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"2628179034", 2628179034, true},
		{"0", 0, true},
		{"4294967295", 4294967295, true},
		{"4294967296", 0, false},
		{"12345678901", 0, false},
		{"", 0, false},
		{"-1", 0, false},
		{"12a", 0, false},
	} {
		got, ok := parseChecksum([]byte(tc.in))
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseChecksum(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAtPlaces(t *testing.T) {
	for _, tc := range []struct {
		v             int64
		scale, places uint8
		want          uint64
		ok            bool
	}{
		{452852, 1, 1, 452852, true},
		{4528520000, 5, 1, 452852, true},   // a finer instrument scale than the wire's
		{452852, 1, 5, 4528520000, true},   // a coarser one
		{4528521, 2, 1, 0, false},          // a digit the wire precision cannot hold
		{1 << 62, 0, 18, 0, false},         // overflow
		{100000, 8, 8, 100000, true},       // 0.00100000
		{-5, 0, 0, 0, false},               // never in a book
		{9, 0, 3, 9000, true},              // 9 → 9.000
		{123456789, 9, 9, 123456789, true}, // same scale fast path
	} {
		got, ok := atPlaces(tc.v, tc.scale, tc.places)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("atPlaces(%d, %d, %d) = %d, %v; want %d, %v", tc.v, tc.scale, tc.places, got, ok, tc.want, tc.ok)
		}
	}
}
