package binance

import (
	"errors"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// replayDiffs decodes lines into d, failing on any error.
func replayDiffs(t *testing.T, d *Decoder, out *feed.Batch, lines []line) {
	t.Helper()
	for _, l := range lines {
		if err := d.Decode(l.msg, l.recv, out); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGap deletes one diff from a copy of the recording: the next diff is a gap, the book turns
// invalid (a BookStatus event), a snapshot is requested and later diffs wait. A snapshot taken
// after the gap (rendered from an unbroken replay) resyncs the book: the waiting diffs it does not
// cover are applied, and the book ends equal to the unbroken one.
func TestGap(t *testing.T) {
	const missing, resyncAt = 60, 120 // indexes in the recording
	lines := readLines(t, diffFile)
	snap := readLines(t, snapshotFile)[0]

	ref := newInfer()
	out := feed.NewBatch(4096)
	if err := ref.LoadSnapshot("", snap.msg, snap.recv, out); err != nil {
		t.Fatal(err)
	}
	replayDiffs(t, ref, out, lines[:resyncAt+1])
	_, u := updateID(t, lines[resyncAt].msg)
	resync := snapshotOf(ref.Books()[0], u)
	replayDiffs(t, ref, out, lines[resyncAt+1:])

	d := newInfer()
	if err := d.LoadSnapshot("", snap.msg, snap.recv, out); err != nil {
		t.Fatal(err)
	}
	replayDiffs(t, d, out, lines[:missing])
	r := d.Books()[0]
	if reqs := d.Requests(nil); len(reqs) != 0 {
		t.Fatalf("requests before the gap: %v", reqs)
	}
	out.Reset()
	replayDiffs(t, d, out, lines[missing+1:missing+2])
	if r.Stats.Gaps != 1 || r.State() != event.BookInvalid {
		t.Fatalf("after the gap: stats %+v state %v", r.Stats, r.State())
	}
	if !r.Book().Empty() {
		t.Error("an invalid book still shows levels")
	}
	var status []event.BookStatus
	for _, e := range out.Events() {
		if e.Kind == event.KindBookStatus {
			status = append(status, *e.BookStatus())
		}
	}
	if len(status) != 1 || status[0].State != event.BookInvalid || status[0].Reason != event.BookReasonGap {
		t.Errorf("status events %+v, want one invalid/gap", status)
	}
	reqs := d.Requests(nil)
	if len(reqs) != 1 || reqs[0].Kind != feed.RequestSnapshot || reqs[0].Replica != r {
		t.Fatalf("requests %+v, want one snapshot request", reqs)
	}
	replayDiffs(t, d, out, lines[missing+2:resyncAt+5])
	if reqs := d.Requests(nil); len(reqs) != 0 {
		t.Errorf("requested again while waiting: %v", reqs)
	}
	if r.Stats.Applied != missing-1 {
		t.Errorf("applied %d, want %d", r.Stats.Applied, missing-1)
	}

	if err := d.LoadSnapshot("NKNUSDT", resync, 0, out); err != nil {
		t.Fatal(err)
	}
	if r.Stats.Resyncs != 1 || r.State() != event.BookLive {
		t.Fatalf("after the new snapshot: stats %+v state %v", r.Stats, r.State())
	}
	replayDiffs(t, d, out, lines[resyncAt+5:])
	sameBook(t, r, ref.Books()[0])
	s := r.Stats
	if s.Applied+s.Dropped != int64(len(lines)-1) || s.Messages != int64(len(lines)-1) {
		t.Errorf("stats %+v: applied+dropped should be every message", s)
	}
	// Diffs applied: 59 before the gap, then those after the resync snapshot.
	if want := int64(missing-1) + int64(len(lines)-1-resyncAt); s.Applied != want {
		t.Errorf("applied %d, want %d", s.Applied, want)
	}
}

// TestStaleSnapshot: a snapshot older than the waiting diffs is refused and asked for again; the
// next, good one syncs the book with the same result as the recording's acceptance test.
func TestStaleSnapshot(t *testing.T) {
	lines := readLines(t, diffFile)
	snap := readLines(t, snapshotFile)[0]
	d := newInfer()
	out := feed.NewBatch(4096)
	replayDiffs(t, d, out, lines[:10])
	if reqs := d.Requests(nil); len(reqs) != 1 {
		t.Fatalf("requests %v, want one", reqs)
	}
	old := []byte(`{"lastUpdateId":499869000,"bids":[["0.35","1"]],"asks":[["0.36","1"]]}`)
	if err := d.LoadSnapshot("NKNUSDT", old, 0, out); !errors.Is(err, ErrStaleSnapshot) {
		t.Fatalf("err = %v, want ErrStaleSnapshot", err)
	}
	if reqs := d.Requests(nil); len(reqs) != 1 {
		t.Fatalf("requests after a stale snapshot %v, want one", reqs)
	}
	r := d.Books()[0]
	if r.State() != event.BookSyncing || !r.Book().Empty() {
		t.Fatalf("state %v after a stale snapshot", r.State())
	}
	if err := d.LoadSnapshot("nknusdt", snap.msg, snap.recv, out); err != nil {
		t.Fatal(err)
	}
	replayDiffs(t, d, out, lines[10:])
	if s := r.Stats; s.Applied != 149 || s.Dropped != 1 || s.Gaps != 0 || s.Resyncs != 0 {
		t.Errorf("stats %+v", s)
	}
	if got, want := bookTop(r), (top{"0.3527", "9602", "0.3531", "152"}); got != want {
		t.Errorf("top %+v, want %+v", got, want)
	}
}

// TestGapInsideBuffer: the diffs waiting for a snapshot have a hole; the snapshot syncs the book,
// the diffs before the hole are applied, and the hole is a gap that asks for another snapshot.
func TestGapInsideBuffer(t *testing.T) {
	lines := readLines(t, diffFile)
	snap := readLines(t, snapshotFile)[0]
	d := newInfer()
	out := feed.NewBatch(4096)
	replayDiffs(t, d, out, lines[:20])
	replayDiffs(t, d, out, lines[21:40])
	d.Requests(nil)
	if err := d.LoadSnapshot("NKNUSDT", snap.msg, snap.recv, out); err != nil {
		t.Fatal(err)
	}
	r := d.Books()[0]
	if s := r.Stats; s.Applied != 19 || s.Gaps != 1 || s.Dropped != 1+19 {
		t.Errorf("stats %+v, want 19 applied, 1 gap, 20 dropped", s)
	}
	if r.State() != event.BookInvalid {
		t.Errorf("state %v, want invalid", r.State())
	}
	if reqs := d.Requests(nil); len(reqs) != 1 {
		t.Errorf("requests %v, want one", reqs)
	}
	if n := d.listed[0].buf.Len(); n != 19 {
		t.Errorf("%d diffs still waiting, want 19", n)
	}
}
