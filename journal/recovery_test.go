package journal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// pos is where a record sits.
type pos struct {
	seg  uint64
	off  int64
	size int
}

// buildJournal writes records 1..n and returns their positions.
func buildJournal(t *testing.T, dir string, segSize int64, n uint64) []pos {
	t.Helper()
	w := mustOpen(t, dir, smallOptions(segSize))
	appendRange(t, w, 1, n)
	mustClose(t, w)
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ps := []pos{{}} // ps[seq] for seq >= 1
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, pos{rec.Segment, rec.Offset, recordSize(len(rec.Payload))})
	}
	if uint64(len(ps)) != n+1 {
		t.Fatalf("built %d records, want %d", len(ps)-1, n)
	}
	return ps
}

func patch(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func readAt(t *testing.T, path string, off int64, n int) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	return b
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// flip returns the byte at off of path with its bits inverted.
func flip(t *testing.T, path string, off int64) []byte {
	return []byte{^readAt(t, path, off, 1)[0]}
}

func wantPosition(t *testing.T, what string, err, kind error, path string, off int64) {
	t.Helper()
	var pe *PositionError
	if !errors.Is(err, kind) || !errors.As(err, &pe) {
		t.Fatalf("%s: error %v, want %v as a *PositionError", what, err, kind)
	}
	if pe.Segment != path || pe.Offset != off {
		t.Fatalf("%s: error at %s offset %d, want %s offset %d (%v)", what, pe.Segment, pe.Offset, path, off, err)
	}
}

// readUntilError reads path and returns how many records came before the
// first error, and that error (io.EOF at a clean end).
func readUntilError(t *testing.T, path string) (uint64, error) {
	t.Helper()
	r, err := OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	var n uint64
	for {
		rec, err := r.Next()
		if err != nil {
			return n, err
		}
		n++
		if rec.Seq != n || !checkRecordFor(rec) {
			t.Fatalf("record %d: seq %d or content wrong", n, rec.Seq)
		}
	}
}

func TestTornTailRecovery(t *testing.T) {
	const n = 100
	tests := []struct {
		name string
		// damage breaks the journal and returns where the torn tail starts
		// and how many records survive.
		damage func(t *testing.T, path string, ps []pos) (int64, uint64)
		// lengthWord reports that a length word is set at the torn offset,
		// so that a Reader sees a damaged record there (else it sees the end).
		lengthWord bool
	}{
		{"partial record after the end", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			end := ps[n].off + int64(ps[n].size)
			patch(t, path, end, append(le32(96), 1, 0, 0, 0, 0xff, 0xee))
			return end, n
		}, true},
		{"bytes without a length word", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			end := ps[n].off + int64(ps[n].size)
			patch(t, path, end+4, []byte("payload of a record whose length was never stored"))
			return end, n
		}, false},
		{"length past the end of the segment", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			end := ps[n].off + int64(ps[n].size)
			patch(t, path, end, le32(0x7ffffff8))
			return end, n
		}, true},
		{"length not a multiple of 8", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			end := ps[n].off + int64(ps[n].size)
			patch(t, path, end, le32(45))
			return end, n
		}, true},
		{"last record's checksum wrong", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			at := ps[n].off + int64(ps[n].size) - 3
			patch(t, path, at, flip(t, path, at))
			return ps[n].off, n - 1
		}, true},
		{"last record's payload lost (zero page)", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			patch(t, path, ps[n].off+recHeaderSize, make([]byte, ps[n].size-recHeaderSize))
			return ps[n].off, n - 1
		}, true},
		{"last record's length word lost", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			patch(t, path, ps[n].off, le32(0))
			return ps[n].off, n - 1
		}, false},
		{"last two records damaged", func(t *testing.T, path string, ps []pos) (int64, uint64) {
			for _, p := range ps[n-1:] {
				at := p.off + int64(p.size) - 1
				patch(t, path, at, flip(t, path, at))
			}
			return ps[n-1].off, n - 2
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ps := buildJournal(t, dir, 64<<10, n)
			path := filepath.Join(dir, segmentName(0))
			off, keep := tt.damage(t, path, ps)

			// Before recovery: readers stop at the tail, Verify reports it.
			got, err := readUntilError(t, dir)
			if got != keep {
				t.Fatalf("reader returned %d records before %v, want %d", got, err, keep)
			}
			if tt.lengthWord {
				wantPosition(t, "Reader", err, ErrTornTail, path, off)
			} else if err != io.EOF {
				t.Fatalf("Reader: %v, want io.EOF", err)
			}
			rep, err := Verify(dir)
			wantPosition(t, "Verify", err, ErrTornTail, path, off)
			if rep.Records != int64(keep) || rep.Problem == nil {
				t.Fatalf("Verify report %+v", rep)
			}

			w := mustOpen(t, dir, smallOptions(64<<10))
			rec := w.Recovery()
			if !rec.Truncated || rec.Segment != path || rec.Offset != off || rec.Bytes <= 0 || rec.Records != int64(keep) {
				t.Fatalf("recovery report %+v, want truncation at %d", rec, off)
			}
			if last, _ := w.LastSeq(); last != keep {
				t.Fatalf("LastSeq = %d, want %d", last, keep)
			}
			appendRange(t, w, keep+1, keep+20)
			mustClose(t, w)
			checkContiguous(t, readSeqs(t, dir), 1, keep+20)
			if _, err := Verify(dir); err != nil {
				t.Fatalf("Verify after recovery: %v", err)
			}
			w = mustOpen(t, dir, smallOptions(64<<10))
			if w.Recovery().Truncated {
				t.Fatalf("second recovery truncated again: %+v", w.Recovery())
			}
			mustClose(t, w)
		})
	}
}

// A torn record that was the only one in the newest segment: the sequence
// carries over from the seal of the segment before.
func TestTornTailAloneInSegment(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	if err := w.Append(1, 1, 1, make([]byte, MaxPayload(MinSegmentSize))); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(1, 2, 2, []byte("lost")); err != nil {
		t.Fatal(err)
	}
	mustClose(t, w)
	path := filepath.Join(dir, segmentName(1))
	patch(t, path, segmentHeaderSize+recHeaderSize, []byte("LOST"))

	w = mustOpen(t, dir, smallOptions(MinSegmentSize))
	if rec := w.Recovery(); !rec.Truncated || rec.Segment != path || rec.Offset != segmentHeaderSize {
		t.Fatalf("recovery %+v", rec)
	}
	if last, ok := w.LastSeq(); !ok || last != 1 {
		t.Fatalf("LastSeq = %d, %v; want 1 from the seal", last, ok)
	}
	if err := w.Append(1, 2, 2, []byte("again")); err != nil {
		t.Fatal(err)
	}
	mustClose(t, w)
	if rep, err := Verify(dir); err != nil || rep.Records != 2 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

func TestCorruptionIsNotTruncated(t *testing.T) {
	const n = 100
	tests := []struct {
		name string
		// damage breaks the journal and returns the damaged file, offset and
		// how many records a reader returns before the error.
		damage func(t *testing.T, dir string, ps []pos) (string, int64, uint64)
		// openFails: Open (which scans the newest segment) refuses the journal.
		openFails bool
	}{
		{"checksum mismatch mid-segment", func(t *testing.T, dir string, ps []pos) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			at := ps[50].off + recHeaderSize
			patch(t, path, at, flip(t, path, at))
			return path, ps[50].off, 49
		}, true},
		{"length word damaged mid-segment", func(t *testing.T, dir string, ps []pos) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			patch(t, path, ps[50].off, le32(0x12345678))
			return path, ps[50].off, 49
		}, true},
		{"length word zeroed mid-segment (a hole)", func(t *testing.T, dir string, ps []pos) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			patch(t, path, ps[50].off, le32(0))
			return path, ps[50].off, 49
		}, true},
		{"sequence field damaged mid-segment", func(t *testing.T, dir string, ps []pos) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			at := ps[2].off + recOffSeq
			patch(t, path, at, flip(t, path, at))
			return path, ps[2].off, 1
		}, true},
		{"first record damaged", func(t *testing.T, dir string, ps []pos) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			at := ps[1].off + int64(ps[1].size) - 1
			patch(t, path, at, flip(t, path, at))
			return path, ps[1].off, 0
		}, true},
		{"bad segment header", func(t *testing.T, dir string, ps []pos) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			patch(t, path, hdrOffIndex, []byte{7})
			return path, 0, 0
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ps := buildJournal(t, dir, 64<<10, n)
			path, off, before := tt.damage(t, dir, ps)
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}

			got, err := readUntilError(t, dir)
			wantPosition(t, "Reader", err, ErrCorrupt, path, off)
			if got != before {
				t.Fatalf("reader returned %d records before the corruption, want %d", got, before)
			}
			if errors.Is(err, ErrTornTail) {
				t.Fatalf("corruption also matches ErrTornTail: %v", err)
			}
			rep, err := Verify(dir)
			wantPosition(t, "Verify", err, ErrCorrupt, path, off)
			if rep.Problem == nil || rep.Records != int64(before) {
				t.Fatalf("Verify report %+v", rep)
			}

			w, err := Open(dir, smallOptions(64<<10))
			if tt.openFails {
				wantPosition(t, "Open", err, ErrCorrupt, path, off)
			} else if err != nil {
				t.Fatalf("Open: %v", err)
			} else {
				mustClose(t, w)
			}
			now, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(orig, now) {
				t.Fatal("Open changed a corrupt segment")
			}
		})
	}
}

// Damage in an older, sealed segment: Open (which scans only the newest)
// succeeds; readers and Verify report the corruption at its offset.
func TestCorruptionInOlderSegment(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string, ps []pos, lastInSeg0 uint64) (string, int64, uint64)
	}{
		{"checksum in a sealed segment", func(t *testing.T, dir string, ps []pos, last uint64) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			at := ps[3].off + int64(ps[3].size) - 1
			patch(t, path, at, flip(t, path, at))
			return path, ps[3].off, 2
		}},
		{"last record before the seal", func(t *testing.T, dir string, ps []pos, last uint64) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			at := ps[last].off + int64(ps[last].size) - 1
			patch(t, path, at, flip(t, path, at))
			return path, ps[last].off, last - 1
		}},
		{"seal lost", func(t *testing.T, dir string, ps []pos, last uint64) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			at := ps[last].off + int64(ps[last].size)
			patch(t, path, at, make([]byte, sealSize))
			return path, at, last
		}},
		{"bytes after the seal", func(t *testing.T, dir string, ps []pos, last uint64) (string, int64, uint64) {
			path := filepath.Join(dir, segmentName(0))
			at := ps[last].off + int64(ps[last].size) + sealSize
			patch(t, path, MinSegmentSize-8, []byte{1})
			return path, at, last
		}},
		{"missing middle segment", func(t *testing.T, dir string, ps []pos, last uint64) (string, int64, uint64) {
			if err := os.Remove(filepath.Join(dir, segmentName(1))); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, segmentName(0)), ps[last].off + int64(ps[last].size), last
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ps := buildJournal(t, dir, MinSegmentSize, 200)
			var last uint64
			for seq := 1; seq < len(ps) && ps[seq].seg == 0; seq++ {
				last = uint64(seq)
			}
			if ps[len(ps)-1].seg < 2 {
				t.Fatalf("journal has %d segments, want at least 3", ps[len(ps)-1].seg+1)
			}
			path, off, before := tt.damage(t, dir, ps, last)
			got, err := readUntilError(t, dir)
			wantPosition(t, "Reader", err, ErrCorrupt, path, off)
			if got != before {
				t.Fatalf("reader returned %d records before the corruption, want %d", got, before)
			}
			_, err = Verify(dir)
			wantPosition(t, "Verify", err, ErrCorrupt, path, off)
			w, err := Open(dir, smallOptions(MinSegmentSize))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			mustClose(t, w)
		})
	}
}

// Leftovers of an interrupted segment preparation are cleaned up.
func TestRecoveryRemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	buildJournal(t, dir, MinSegmentSize, 10)
	tmp := filepath.Join(dir, "00000000000000000007"+tmpSuffix) // not one the preparer makes
	if err := os.WriteFile(tmp, []byte("half made"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An empty segment after the last one written, as if prepared ahead.
	spare := filepath.Join(dir, segmentName(1))
	if err := os.WriteFile(spare, make([]byte, MinSegmentSize), 0o644); err != nil {
		t.Fatal(err)
	}
	w := mustOpen(t, dir, smallOptions(MinSegmentSize))
	if rec := w.Recovery(); len(rec.Removed) != 1 || rec.Removed[0] != spare {
		t.Fatalf("recovery %+v, want %s removed", rec, spare)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary file left: %v", err)
	}
	appendRange(t, w, 11, 20)
	mustClose(t, w)
	checkContiguous(t, readSeqs(t, dir), 1, 20)
}
