package okx

import (
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// lv is a level as text.
type lv [2]string

// pushOpts are the optional fields of a synthetic book push.
type pushOpts struct {
	checksum  int32
	prev, seq int64
	seqs      bool // write prevSeqId and seqId
}

// bookPush builds a books push as OKX writes it.
func bookPush(channel, inst, action string, bids, asks []lv, o pushOpts) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"arg":{"channel":%q,"instId":%q},`, channel, inst)
	if action != "" {
		fmt.Fprintf(&b, `"action":%q,`, action)
	}
	b.WriteString(`"data":[{"asks":`)
	writeLevels(&b, asks)
	b.WriteString(`,"bids":`)
	writeLevels(&b, bids)
	fmt.Fprintf(&b, `,"ts":"1652459225453","checksum":%d`, o.checksum)
	if o.seqs {
		fmt.Fprintf(&b, `,"prevSeqId":%d,"seqId":%d`, o.prev, o.seq)
	}
	b.WriteString(`}]}`)
	return []byte(b.String())
}

func writeLevels(b *strings.Builder, ls []lv) {
	b.WriteByte('[')
	for i, l := range ls {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `[%q,%q,"0","1"]`, l[0], l[1])
	}
	b.WriteByte(']')
}

// crc is the reference checksum, straight from hash/crc32.
func crc(text string) int32 { return int32(crc32.ChecksumIEEE([]byte(text))) }

// TestChecksumFunction checks Checksum on the worked examples of the venue specs section 3.
func TestChecksumFunction(t *testing.T) {
	tests := []struct {
		text string
		want int32
	}{
		{"3366.1:7:3366.8:9:3366:6:3368:8", -1881014294}, // unsigned 2413953002
		{"3366.1:7:3366.8:9:3368:8:3372:8", 831078360},   // the bids run out first
		{"", 0},
	}
	for _, tc := range tests {
		if got := Checksum([]byte(tc.text)); got != tc.want {
			t.Errorf("Checksum(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

// TestChecksumText builds books whose checksum text is a worked example (or a trailing-zero
// variant) and checks both the text the decoder hashes and the verdict.
func TestChecksumText(t *testing.T) {
	tests := []struct {
		name       string
		bids, asks []lv
		text       string
		checksum   int32
	}{
		{"doc1", []lv{{"3366.1", "7"}, {"3366", "6"}}, []lv{{"3366.8", "9"}, {"3368", "8"}},
			"3366.1:7:3366.8:9:3366:6:3368:8", -1881014294},
		{"doc2", []lv{{"3366.1", "7"}}, []lv{{"3366.8", "9"}, {"3368", "8"}, {"3372", "8"}},
			"3366.1:7:3366.8:9:3368:8:3372:8", 831078360},
		{"asks-run-out", []lv{{"3", "1"}, {"2", "2"}, {"1", "3"}}, []lv{{"4", "1"}},
			"3:1:4:1:2:2:1:3", crc("3:1:4:1:2:2:1:3")},
		{"trailing-zeros", []lv{{"8477.0", "1.50"}, {"8476", "2"}}, []lv{{"8478.10", "0.0100"}},
			"8477.0:1.50:8478.10:0.0100:8476:2", crc("8477.0:1.50:8478.10:0.0100:8476:2")},
		{"integer-zeros", []lv{{"8470", "100"}}, []lv{{"8480", "0.1"}},
			"8470:100:8480:0.1", crc("8470:100:8480:0.1")},
		{"empty", nil, nil, "", 0},
	}
	for _, tc := range tests {
		t.Run("book="+tc.name, func(t *testing.T) {
			for _, known := range []bool{false, true} {
				cfg := feed.Config{Venue: 1, InferUnknown: true}
				if known {
					cfg.Resolve = func([]byte) (uint32, feed.Scales, bool) {
						return 5, feed.Scales{Price: 4, Qty: 8, Tick: 1, Known: true}, true
					}
				}
				d := New(cfg)
				cs := tc.checksum
				if cs == 0 {
					cs = -1 // force a verification (0 means none): expect a failure for "empty"
				}
				out := feed.NewBatch(64)
				if err := d.Decode(bookPush("books", "X-Y", "snapshot", tc.bids, tc.asks, pushOpts{checksum: cs}), 1, out); err != nil {
					t.Fatal(err)
				}
				if got := string(d.sum.text); got != tc.text {
					t.Errorf("known=%v: text %q, want %q", known, got, tc.text)
				}
				r := d.Books()[0]
				wantOK := tc.checksum != 0
				if wantOK && (r.Stats.ChecksumsVerified != 1 || r.State() != event.BookLive) {
					t.Errorf("known=%v: stats %+v state %v", known, r.Stats, r.State())
				}
				if !wantOK && r.Stats.ChecksumFailures != 1 {
					t.Errorf("known=%v: stats %+v", known, r.Stats)
				}
			}
		})
	}
}

// TestChecksumSnapshot2022 checks the real snapshot's text and value (venue specs section 3).
func TestChecksumSnapshot2022(t *testing.T) {
	d := newReplayDecoder()
	if _, errs := run(d, readLines(t, "books_snapshot_2022-08-06.jsonl")); len(errs) != 0 {
		t.Fatal(errs)
	}
	r := d.Books()[0]
	if got := d.sum.compute(r, &d.symbols["BTC-USDT"].books[0].texts); got != -1462286744 {
		t.Errorf("checksum %d, want -1462286744", got)
	}
	if !strings.HasPrefix(string(d.sum.text), "0.07014:56:0.07026:5:0.07011:608:") {
		t.Errorf("text starts %q", d.sum.text[:40])
	}
	if r.Stats.ChecksumsVerified != 1 {
		t.Errorf("stats %+v", r.Stats)
	}
}

// TestChecksumTextKept follows levels written with trailing zeros through updates that rewrite
// them canonically, delete them, and widen the inferred price scale (the kept keys move with it).
func TestChecksumTextKept(t *testing.T) {
	steps := []struct {
		action     string
		bids, asks []lv
		text       string // the book's checksum text after the step
	}{
		{"snapshot", []lv{{"8477.0", "1.50"}, {"8476", "2"}}, []lv{{"8478.10", "0.0100"}, {"8479", "3.0"}},
			"8477.0:1.50:8478.10:0.0100:8476:2:8479:3.0"},
		{"update", []lv{{"8477", "1.5"}}, nil, // same values, canonical text now
			"8477:1.5:8478.10:0.0100:8476:2:8479:3.0"},
		{"update", []lv{{"8476.555", "4"}}, nil, // price scale 2 -> 3
			"8477:1.5:8478.10:0.0100:8476.555:4:8479:3.0:8476:2"},
		{"update", nil, []lv{{"8478.1", "0"}}, // deleted: the kept text goes with it
			"8477:1.5:8479:3.0:8476.555:4:8476:2"},
		{"update", nil, []lv{{"8478.100", "7.00"}},
			"8477:1.5:8478.100:7.00:8476.555:4:8479:3.0:8476:2"},
		{"snapshot", []lv{{"8477", "1"}}, []lv{{"8478.1", "1"}}, // a snapshot forgets everything
			"8477:1:8478.1:1"},
	}
	d := newReplayDecoder()
	out := feed.NewBatch(64)
	for i, s := range steps {
		msg := bookPush("books", "X-Y", s.action, s.bids, s.asks, pushOpts{checksum: crc(s.text)})
		if err := d.Decode(msg, int64(i), out); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := string(d.sum.text); got != s.text {
			t.Errorf("step %d: text %q, want %q", i, got, s.text)
		}
	}
	r := d.Books()[0]
	if r.Stats.ChecksumsVerified != int64(len(steps)) || r.Stats.ChecksumFailures != 0 {
		t.Errorf("stats %+v", r.Stats)
	}
	if d.Anomalies().Total() != 0 {
		t.Errorf("anomalies %d", d.Anomalies().Total())
	}
}

// TestTextShape covers the text classification the checksum relies on.
func TestTextShape(t *testing.T) {
	tests := []struct {
		text   string
		shape  textShape
		places int8
	}{
		{"0", shapeCanonical, 0},
		{"30250", shapeCanonical, 0},
		{"0.07014", shapeCanonical, 0},
		{"30243.5", shapeCanonical, 0},
		{"8477.0", shapePlaces, 1},
		{"0.10", shapePlaces, 2},
		{"0.00000000", shapePlaces, 8},
		{"007.5", shapeLost, 0},
		{"00", shapeLost, 0},
		{"-1", shapeLost, 0},
		{"", shapeLost, 0},
	}
	for _, tc := range tests {
		s, p := shapeOf([]byte(tc.text))
		if s != tc.shape || p != tc.places {
			t.Errorf("shapeOf(%q) = %d, %d; want %d, %d", tc.text, s, p, tc.shape, tc.places)
		}
		if c := canonical([]byte(tc.text)); c != (tc.shape == shapeCanonical) {
			t.Errorf("canonical(%q) = %v", tc.text, c)
		}
	}
}

// TestChecksumLostText: a text that cannot be rebuilt is an anomaly (and fails its checksum).
func TestChecksumLostText(t *testing.T) {
	d := newReplayDecoder()
	msg := bookPush("books", "X-Y", "snapshot", []lv{{"08477", "1"}}, []lv{{"8478", "1"}},
		pushOpts{checksum: crc("08477:1:8478:1")})
	if err := d.Decode(msg, 1, feed.NewBatch(8)); err != nil {
		t.Fatal(err)
	}
	if d.Anomalies().Count("unreproducible decimal text") != 1 {
		t.Errorf("anomalies %d", d.Anomalies().Total())
	}
	if d.Books()[0].Stats.ChecksumFailures != 1 {
		t.Errorf("stats %+v", d.Books()[0].Stats)
	}
}
