package journal

import (
	"os"
	"path/filepath"
	"testing"
)

func TestVerifyAndStats(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(8<<10))
	appendRange(t, w, 1, 500)
	mustClose(t, w)

	rep, err := Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := listSegments(dir, false)
	if rep.Segments != len(idx) || rep.Records != 500 || rep.FirstSeq != 1 || rep.LastSeq != 500 || rep.Problem != nil {
		t.Fatalf("Verify = %+v (%d segments on disk)", rep, len(idx))
	}

	st, err := Stats(dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf [maxTestPayload]byte
	want := StatsReport{Segments: len(idx), Records: 500, FirstSeq: 1, LastSeq: 500, FirstTime: tsFor(1), LastTime: tsFor(500), ByType: map[uint16]int64{}}
	for seq := uint64(1); seq <= 500; seq++ {
		n := len(payloadFor(seq, buf[:]))
		want.PayloadBytes += int64(n)
		want.Bytes += int64(recordSize(n))
		want.ByType[typeFor(seq)]++
	}
	if st.Segments != want.Segments || st.Records != want.Records || st.Bytes != want.Bytes ||
		st.PayloadBytes != want.PayloadBytes || st.FirstSeq != want.FirstSeq || st.LastSeq != want.LastSeq ||
		st.FirstTime != want.FirstTime || st.LastTime != want.LastTime || len(st.ByType) != len(want.ByType) {
		t.Fatalf("Stats = %+v\nwant %+v", st, want)
	}
	for typ, n := range want.ByType {
		if st.ByType[typ] != n {
			t.Fatalf("type %d: %d records, want %d", typ, st.ByType[typ], n)
		}
	}
	if rep.Bytes != st.Bytes {
		t.Fatalf("Verify counts %d bytes, Stats %d", rep.Bytes, st.Bytes)
	}

	// One segment file alone.
	one, err := Verify(filepath.Join(dir, segmentName(0)))
	if err != nil || one.Segments != 1 || one.FirstSeq != 1 {
		t.Fatalf("Verify of one segment = %+v, %v", one, err)
	}
}

func TestVerifyEmpty(t *testing.T) {
	dir := t.TempDir()
	if rep, err := Verify(dir); err != nil || rep.Records != 0 || rep.Segments != 0 {
		t.Fatalf("Verify of an empty directory = %+v, %v", rep, err)
	}
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	mustClose(t, w)
	if rep, err := Verify(dir); err != nil || rep.Records != 0 || rep.Segments != 1 {
		t.Fatalf("Verify of a journal without records = %+v, %v", rep, err)
	}
	if st, err := Stats(dir); err != nil || st.Records != 0 || st.FirstTime != 0 {
		t.Fatalf("Stats of a journal without records = %+v, %v", st, err)
	}
	if _, err := Verify(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("Verify of a missing path succeeded")
	}
}

// A sequence that goes down is corruption even when every checksum holds.
func TestVerifySequenceOrder(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	appendRange(t, w, 1, 3)
	mustClose(t, w)
	// Rewrite record 3 as sequence 2, with a valid checksum.
	path := filepath.Join(dir, segmentName(0))
	seg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := buildPositions(t, dir)
	rec := seg[ps[3].off : ps[3].off+int64(ps[3].size)]
	rec[recOffSeq] = 2
	clear(rec[:4])
	writeRecord(rec, typeFor(3), int(rec[recOffFlags]), 2, tsFor(3))
	if err := os.WriteFile(path, seg, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Verify(dir)
	wantPosition(t, "Verify", err, ErrCorrupt, path, ps[3].off)
}

// buildPositions returns the positions of the records of dir, by sequence.
func buildPositions(t *testing.T, dir string) []pos {
	t.Helper()
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ps := []pos{{}}
	for {
		rec, err := r.Next()
		if err != nil {
			return ps
		}
		ps = append(ps, pos{rec.Segment, rec.Offset, recordSize(len(rec.Payload))})
	}
}
