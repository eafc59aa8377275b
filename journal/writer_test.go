package journal

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(1<<20))
	appendRange(t, w, 1, 2000)
	// Readers see records before Close: they are in the shared mapping.
	checkContiguous(t, readSeqs(t, dir), 1, 2000)
	mustClose(t, w)
	checkContiguous(t, readSeqs(t, dir), 1, 2000)
	if rep, err := Verify(dir); err != nil || rep.Records != 2000 || rep.FirstSeq != 1 || rep.LastSeq != 2000 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

func TestSegmentRoll(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	const n = 3000
	appendRange(t, w, 1, n)
	mustClose(t, w)

	idx, err := listSegments(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) < 50 {
		t.Fatalf("%d segments, want many", len(idx))
	}
	for i, x := range idx {
		if x != uint64(i) {
			t.Fatalf("segment indexes %v not contiguous from 0", idx)
		}
	}
	checkContiguous(t, readSeqs(t, dir), 1, n)
	rep, err := Verify(dir)
	if err != nil || rep.Segments != len(idx) || rep.Records != n {
		t.Fatalf("Verify = %+v, %v; want %d segments", rep, err, len(idx))
	}
	// Every segment but the last is sealed, and each can be read alone.
	total := 0
	for _, x := range idx {
		seqs := readSeqs(t, filepath.Join(dir, segmentName(x)))
		total += len(seqs)
	}
	if total != n {
		t.Fatalf("segments read one by one hold %d records, want %d", total, n)
	}
}

func TestReopenContinues(t *testing.T) {
	dir := t.TempDir()
	var last uint64
	for round := range 5 {
		w := mustOpen(t, dir, smallOptions(8<<10))
		got, ok := w.LastSeq()
		if ok != (round > 0) || got != last {
			t.Fatalf("round %d: LastSeq = %d, %v; want %d", round, got, ok, last)
		}
		if rep := w.Recovery(); rep.Truncated {
			t.Fatalf("round %d: clean reopen truncated: %+v", round, rep)
		}
		if round == 0 {
			// nothing appended yet: any sequence goes
		} else if err := w.Append(1, last, 0, nil); !errors.Is(err, ErrSequence) {
			t.Fatalf("round %d: Append of the last sequence again: %v, want ErrSequence", round, err)
		}
		appendRange(t, w, last+1, last+300)
		last += 300
		mustClose(t, w)
	}
	checkContiguous(t, readSeqs(t, dir), 1, last)
	if _, err := Verify(dir); err != nil {
		t.Fatal(err)
	}
}

// A roll that happens exactly when the writer is reopened: the newest
// segment is sealed, the next one exists but is empty.
func TestReopenAfterSealedSegment(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	big := make([]byte, MaxPayload(MinSegmentSize))
	if err := w.Append(1, 1, 1, big); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(1, 2, 2, nil); err != nil { // rolls; segment 1 active
		t.Fatal(err)
	}
	mustClose(t, w)
	// Simulate a crash right after the roll: segment 1 exists, empty.
	seg1 := filepath.Join(dir, segmentName(1))
	f, err := os.OpenFile(seg1, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, MinSegmentSize-segmentHeaderSize)
	if _, err := f.WriteAt(zero, segmentHeaderSize); err != nil {
		t.Fatal(err)
	}
	f.Close()

	w = mustOpen(t, dir, smallOptions(MinSegmentSize))
	if last, _ := w.LastSeq(); last != 1 {
		t.Fatalf("LastSeq = %d, want 1 (from the seal)", last)
	}
	if w.cur.index != 1 {
		t.Fatalf("resumed in segment %d, want the empty segment 1 reused", w.cur.index)
	}
	appendRange(t, w, 2, 40)
	mustClose(t, w)
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil || rec.Seq != 1 || len(rec.Payload) != len(big) {
		t.Fatalf("first record %+v, %v", rec.Seq, err)
	}
	for seq := uint64(2); seq <= 40; seq++ {
		rec, err := r.Next()
		if err != nil || rec.Seq != seq || !checkRecordFor(rec) {
			t.Fatalf("seq %d: got %d, %v", seq, rec.Seq, err)
		}
	}
}

func TestClaimCommit(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	var buf [maxTestPayload]byte
	for seq := uint64(1); seq <= 200; seq++ {
		want := payloadFor(seq, buf[:])
		p, err := w.Claim(len(want))
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range p {
			if c != 0 {
				t.Fatalf("seq %d: claimed byte %d is %#x, want zero", seq, i, c)
			}
		}
		copy(p, want)
		if seq%7 == 0 {
			// Abandon this claim with a longer one; the first must leave no trace.
			if _, err := w.Claim(maxTestPayload); err != nil {
				t.Fatal(err)
			}
			if err := w.Commit(typeFor(seq), seq, tsFor(seq)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := w.Commit(TypeSeal, seq, 0); !errors.Is(err, ErrReservedType) {
			t.Fatalf("Commit(TypeSeal) = %v", err)
		}
		if err := w.Commit(typeFor(seq), seq, tsFor(seq)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(1, 1000, 0); !errors.Is(err, ErrNoClaim) {
		t.Fatalf("Commit without claim = %v, want ErrNoClaim", err)
	}
	// A claim abandoned by Append.
	if p, err := w.Claim(64); err != nil {
		t.Fatal(err)
	} else {
		copy(p, "garbage garbage garbage")
	}
	appendRange(t, w, 201, 260)
	mustClose(t, w)

	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for seq := uint64(1); seq <= 260; seq++ {
		rec, err := r.Next()
		if err != nil || rec.Seq != seq {
			t.Fatalf("seq %d: got %d, %v", seq, rec.Seq, err)
		}
		if seq%7 == 0 && seq <= 200 {
			if len(rec.Payload) != maxTestPayload {
				t.Fatalf("seq %d: payload %d bytes", seq, len(rec.Payload))
			}
			for _, c := range rec.Payload {
				if c != 0 {
					t.Fatalf("seq %d: the second claim shows bytes of the abandoned one", seq)
				}
			}
			continue
		}
		if !checkRecordFor(rec) {
			t.Fatalf("seq %d: wrong content", seq)
		}
	}
	if _, err := Verify(dir); err != nil {
		t.Fatal(err)
	}
}

func TestAppendErrors(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	if err := w.Append(1, 10, 0, nil); err != nil {
		t.Fatal(err)
	}
	max := MaxPayload(MinSegmentSize)
	tests := []struct {
		name    string
		typ     uint16
		seq     uint64
		payload []byte
		want    error
	}{
		{"reserved type", TypeSeal, 11, nil, ErrReservedType},
		{"same sequence", 1, 10, nil, ErrSequence},
		{"lower sequence", 1, 3, nil, ErrSequence},
		{"one byte too large", 1, 11, make([]byte, max+1), ErrTooLarge},
		{"far too large", 1, 11, make([]byte, 1<<20), ErrTooLarge},
		{"largest", 1, 11, make([]byte, max), nil},
		{"empty", 1, 12, nil, nil},
	}
	for _, tt := range tests {
		if err := w.Append(tt.typ, tt.seq, 0, tt.payload); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: Append = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := w.Claim(max + 1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Claim(max+1) = %v", err)
	}
	mustClose(t, w)
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if err := w.Append(1, 100, 0, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close = %v", err)
	}
	if _, err := w.Claim(1); !errors.Is(err, ErrClosed) {
		t.Errorf("Claim after Close = %v", err)
	}
	if err := w.Sync(); !errors.Is(err, ErrClosed) {
		t.Errorf("Sync after Close = %v", err)
	}
}

func TestOpenOptionsAndLock(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int64{-1, 1000, MinSegmentSize + 1, MaxSegmentSize * 2} {
		if _, err := Open(dir, Options{SegmentSize: size}); !errors.Is(err, ErrOptions) {
			t.Errorf("SegmentSize %d: Open = %v, want ErrOptions", size, err)
		}
	}
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	if _, err := Open(dir, smallOptions(MinSegmentSize)); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	mustClose(t, w)
	w = mustOpen(t, dir, smallOptions(MinSegmentSize))
	mustClose(t, w)
}

func TestFlushIntervalAndClock(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, Options{SegmentSize: MinSegmentSize, FlushInterval: time.Millisecond, Clock: func() int64 { return 42 }})
	appendRange(t, w, 1, 500)
	time.Sleep(5 * time.Millisecond) // let the flusher run at least once
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	mustClose(t, w)
	r, err := OpenReader(filepath.Join(dir, segmentName(0)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.hdr.createdAt != 42 || !r.hdr.based || r.hdr.baseSeq != 1 || r.hdr.baseTime != tsFor(1) {
		t.Fatalf("segment header %+v", r.hdr)
	}
	checkContiguous(t, readSeqs(t, dir), 1, 500)
}

// Close removes the segment prepared ahead and never written.
func TestCloseRemovesPreparedSegment(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	appendRange(t, w, 1, 10)
	time.Sleep(10 * time.Millisecond) // the next segment is being prepared
	mustClose(t, w)
	idx, err := listSegments(dir, false)
	if err != nil || len(idx) != 1 {
		t.Fatalf("segments after Close: %v, %v", idx, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries, want 1", len(entries))
	}
}
