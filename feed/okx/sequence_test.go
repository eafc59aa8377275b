package okx

import (
	"bytes"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// seqStep is one synthetic push of a sequence test.
type seqStep struct {
	action     string
	prev, seq  int64
	bids, asks []lv
}

// runSteps decodes steps on one books book of BTC-USDT (no checksum) and returns the decoder and
// every event.
func runSteps(t *testing.T, steps []seqStep) (*Decoder, []event.Event) {
	t.Helper()
	var lines [][]byte
	for _, s := range steps {
		lines = append(lines, bookPush("books", "BTC-USDT", s.action, s.bids, s.asks,
			pushOpts{prev: s.prev, seq: s.seq, seqs: true}))
	}
	d := newReplayDecoder()
	evs, errs := run(d, lines)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	return d, evs
}

// TestSequenceDocExample is the doc's sequence: snapshot (-1,10) -> (10,15) -> heartbeat (15,15)
// -> maintenance reset (15,3) -> (3,5). Nothing is a gap.
func TestSequenceDocExample(t *testing.T) {
	d, evs := runSteps(t, []seqStep{
		{"snapshot", -1, 10, []lv{{"100", "1"}, {"99", "2"}}, []lv{{"101", "1"}}},
		{"update", 10, 15, []lv{{"100", "3"}}, nil},
		{"update", 15, 15, nil, nil}, // heartbeat: empty sides
		{"update", 15, 3, nil, []lv{{"102", "4"}}},
		{"update", 3, 5, []lv{{"99", "0"}}, nil},
	})
	r := d.Books()[0]
	want := feed.Stats{Messages: 5, Applied: 5}
	if r.Stats != want {
		t.Errorf("stats %+v, want %+v", r.Stats, want)
	}
	if r.State() != event.BookLive {
		t.Errorf("state %v", r.State())
	}
	if got := best(r, true); got != "100 x 3" {
		t.Errorf("best bid %q", got)
	}
	if r.Book().Len(1) != 1 || r.Book().Len(2) != 2 {
		t.Errorf("levels %d/%d", r.Book().Len(1), r.Book().Len(2))
	}
	if reqs := d.Requests(nil); len(reqs) != 0 {
		t.Errorf("requests %v", reqs)
	}
	// Events carry the seqId; the snapshot is flagged.
	var seqs []uint64
	for i := range evs {
		if evs[i].Kind == event.KindBookLevel {
			seqs = append(seqs, evs[i].Seq)
		}
		if evs[i].ExchTS != 1652459225453_000_000 {
			t.Fatalf("event %d ExchTS %d", i, evs[i].ExchTS)
		}
	}
	if want := []uint64{10, 10, 10, 15, 3, 5}; !equalU64(seqs, want) {
		t.Errorf("level seqs %v, want %v", seqs, want)
	}
	if evs[0].Flags&event.FlagSnapshotBegin == 0 {
		t.Error("first level not flagged as snapshot begin")
	}
	if s := statuses(evs); len(s) != 1 || s[0].State != event.BookLive {
		t.Errorf("statuses %+v", s)
	}
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSequenceGap: a prevSeqId that is not the last seqId invalidates the book, asks for a
// resubscription and drops the book's messages until the next snapshot, which counts a resync.
func TestSequenceGap(t *testing.T) {
	d, evs := runSteps(t, []seqStep{
		{"update", 1, 2, []lv{{"98", "1"}}, nil}, // before any snapshot: dropped
		{"snapshot", -1, 10, []lv{{"100", "1"}}, []lv{{"101", "1"}}},
		{"update", 10, 15, []lv{{"100", "3"}}, nil},
		{"update", 14, 20, []lv{{"100", "4"}}, nil}, // gap: 14 != 15
		{"update", 20, 25, []lv{{"100", "5"}}, nil}, // dropped
		{"update", 25, 25, nil, nil},                // heartbeat while invalid: dropped
		{"snapshot", -1, 30, []lv{{"100", "6"}}, []lv{{"101", "2"}}},
		{"update", 30, 31, nil, []lv{{"101", "3"}}},
	})
	r := d.Books()[0]
	want := feed.Stats{Messages: 8, Applied: 4, Dropped: 4, Gaps: 1, Resyncs: 1}
	if r.Stats != want {
		t.Errorf("stats %+v, want %+v", r.Stats, want)
	}
	if r.State() != event.BookLive {
		t.Errorf("state %v", r.State())
	}
	if got := best(r, true) + " / " + best(r, false); got != "100 x 6 / 101 x 3" {
		t.Errorf("top %q", got)
	}
	reqs := d.Requests(nil)
	if len(reqs) != 1 || reqs[0].Kind != feed.RequestResubscribe || reqs[0].Replica != r {
		t.Errorf("requests %+v", reqs)
	}
	if again := d.Requests(nil); len(again) != 0 {
		t.Errorf("requests not forgotten: %+v", again)
	}
	s := statuses(evs)
	wantS := []event.BookStatus{
		{State: event.BookLive, Reason: event.BookReasonSnapshot},
		{State: event.BookInvalid, Reason: event.BookReasonGap},
		{State: event.BookLive, Reason: event.BookReasonSnapshot},
	}
	if len(s) != len(wantS) {
		t.Fatalf("statuses %+v", s)
	}
	for i := range s {
		if s[i] != wantS[i] {
			t.Errorf("status %d %+v, want %+v", i, s[i], wantS[i])
		}
	}
}

// TestSequenceWithoutSeqIds: pushes without seqId (2022 recordings) are not sequence-checked, and
// a first seqId starts the chain.
func TestSequenceWithoutSeqIds(t *testing.T) {
	var lines [][]byte
	lines = append(lines, bookPush("books", "A-B", "snapshot", []lv{{"1", "1"}}, []lv{{"2", "1"}}, pushOpts{}))
	lines = append(lines, bookPush("books", "A-B", "update", []lv{{"1", "2"}}, nil, pushOpts{}))
	lines = append(lines, bookPush("books", "A-B", "update", []lv{{"1", "3"}}, nil, pushOpts{prev: 7, seq: 8, seqs: true}))
	lines = append(lines, bookPush("books", "A-B", "update", []lv{{"1", "4"}}, nil, pushOpts{prev: 9, seq: 10, seqs: true}))
	d := newReplayDecoder()
	if _, errs := run(d, lines); len(errs) != 0 {
		t.Fatal(errs)
	}
	want := feed.Stats{Messages: 4, Applied: 3, Dropped: 1, Gaps: 1}
	if got := d.Books()[0].Stats; got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
}

// TestChecksumCorruptedLevel corrupts one level of a real update: its checksum fails, the book is
// invalidated and resubscribed, the rest is dropped, and a later snapshot resyncs.
func TestChecksumCorruptedLevel(t *testing.T) {
	lines := readLines(t, "books_BTC-USDT.jsonl")
	const at = 9 // line 9: the 8th update (line 0 is the ack, line 1 the snapshot)
	old, bad := []byte(`["30254.2","0.06523858"`), []byte(`["30254.2","0.06523859"`)
	if bytes.Count(lines[at], old) != 1 {
		t.Fatalf("line %d does not hold %s once", at, old)
	}
	lines[at] = bytes.Replace(lines[at], old, bad, 1)
	lines = append(lines, lines[1]) // the snapshot again, as a resubscription brings it
	d := newReplayDecoder()
	evs, errs := run(d, lines)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	r := d.Books()[0]
	after := int64(len(lines) - 2 - at) // updates after the corrupted one
	want := feed.Stats{
		Messages: int64(len(lines)), Applied: at, Dropped: after, // snapshot, 7 updates, snapshot
		ChecksumsVerified: at, ChecksumFailures: 1, Resyncs: 1,
	}
	if r.Stats != want {
		t.Errorf("stats %+v, want %+v", r.Stats, want)
	}
	if r.State() != event.BookLive || best(r, true) != "30243.4 x 0.0012029" {
		t.Errorf("state %v best bid %q", r.State(), best(r, true))
	}
	reqs := d.Requests(nil)
	if len(reqs) != 1 || reqs[0].Kind != feed.RequestResubscribe || reqs[0].Replica != r {
		t.Errorf("requests %+v", reqs)
	}
	s := statuses(evs)
	if len(s) != 3 || s[1] != (event.BookStatus{State: event.BookInvalid, Reason: event.BookReasonChecksum}) {
		t.Errorf("statuses %+v", s)
	}
}

// TestMalformedBookPush: a book push that cannot be read is an anomaly; a live book is
// invalidated and resubscribed, a book waiting for its snapshot is left alone.
func TestMalformedBookPush(t *testing.T) {
	snap := bookPush("books", "A-B", "snapshot", []lv{{"1", "1"}}, []lv{{"2", "1"}}, pushOpts{})
	tests := []struct {
		name  string
		msg   string
		kind  string
		after bool // sent after a snapshot (live book)
	}{
		{"bad-action", `{"arg":{"channel":"books","instId":"A-B"},"action":"merge","data":[{"asks":[],"bids":[]}]}`, "bad action", true},
		{"no-action", `{"arg":{"channel":"books","instId":"A-B"},"data":[{"asks":[],"bids":[]}]}`, "bad action", true},
		{"bad-price", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[["x","1","0","1"]],"bids":[]}]}`, "bad level", true},
		{"short-level", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[["1"]],"bids":[]}]}`, "bad level", true},
		{"number-level", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[[1,2]],"bids":[]}]}`, "bad level", true},
		{"asks-object", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":{},"bids":[]}]}`, "bad book data", true},
		{"bad-ts", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[],"bids":[],"ts":"x"}]}`, "bad book data", true},
		{"bad-checksum", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[],"bids":[],"checksum":5000000000}]}`, "bad book data", true},
		{"bad-seq", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[],"bids":[],"seqId":"7"}]}`, "bad book data", true},
		{"data-not-object", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[7]}`, "bad book data", true},
		{"negative-size", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[["2","-1","0","1"]],"bids":[]}]}`, "bad level", true},
		{"update-while-syncing", `{"arg":{"channel":"books","instId":"A-B"},"action":"update","data":[{"asks":[],"bids":[],"ts":"x"}]}`, "bad book data", false},
	}
	for _, tc := range tests {
		t.Run("msg="+tc.name, func(t *testing.T) {
			d := newReplayDecoder()
			out := feed.NewBatch(16)
			if tc.after {
				if err := d.Decode(snap, 1, out); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Decode([]byte(tc.msg), 2, out); err == nil {
				t.Fatal("no error")
			}
			if d.Anomalies().Count(tc.kind) != 1 {
				t.Errorf("anomaly %q not counted (total %d)", tc.kind, d.Anomalies().Total())
			}
			r := d.Books()[0]
			reqs := d.Requests(nil)
			if tc.after {
				if r.State() != event.BookInvalid || len(reqs) != 1 {
					t.Errorf("state %v, %d requests", r.State(), len(reqs))
				}
			} else if r.State() != event.BookSyncing || len(reqs) != 0 {
				t.Errorf("state %v, %d requests", r.State(), len(reqs))
			}
		})
	}
}

// TestChecksumFailedSnapshots: a snapshot that fails its checksum while the book is already
// invalid leaves no levels behind, and asks for another resubscription.
func TestChecksumFailedSnapshots(t *testing.T) {
	bad := bookPush("books", "A-B", "snapshot", []lv{{"1", "1"}}, []lv{{"2", "1"}}, pushOpts{checksum: 12345})
	good := bookPush("books", "A-B", "snapshot", []lv{{"1", "1"}}, []lv{{"2", "1"}}, pushOpts{checksum: crc("1:1:2:1")})
	d := newReplayDecoder()
	if _, errs := run(d, [][]byte{bad, bad}); len(errs) != 0 {
		t.Fatal(errs)
	}
	r := d.Books()[0]
	if r.State() != event.BookInvalid || !r.Book().Empty() || r.Stats.ChecksumFailures != 2 || r.Stats.Applied != 0 {
		t.Errorf("state %v empty %v stats %+v", r.State(), r.Book().Empty(), r.Stats)
	}
	if reqs := d.Requests(nil); len(reqs) != 2 {
		t.Errorf("%d requests", len(reqs))
	}
	if _, errs := run(d, [][]byte{good}); len(errs) != 0 {
		t.Fatal(errs)
	}
	if r.State() != event.BookLive || r.Stats.ChecksumsVerified != 1 || r.Stats.Applied != 1 {
		t.Errorf("state %v stats %+v", r.State(), r.Stats)
	}
}
