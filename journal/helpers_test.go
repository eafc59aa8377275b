package journal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// Records in tests are derived from their sequence, so that a reader can
// check any record it meets without remembering what was written.

const maxTestPayload = 200

// payloadFor fills buf with the payload of record seq (0 to maxTestPayload
// bytes) and returns it. It writes a word at a time so that the crash child
// spends its time in Append, where the kills should land.
func payloadFor(seq uint64, buf []byte) []byte {
	n := int(seq * 37 % (maxTestPayload + 1))
	var w [8]byte
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(w[:], seq*0x9e3779b97f4a7c15+uint64(i))
		copy(buf[i:n], w[:])
	}
	return buf[:n]
}

func typeFor(seq uint64) uint16 { return uint16(seq%5) + 1 }
func tsFor(seq uint64) int64    { return int64(seq)*1000 + 7 }

// appendRange appends the records for sequences [from, to].
func appendRange(t testing.TB, w *Writer, from, to uint64) {
	t.Helper()
	var buf [maxTestPayload]byte
	for seq := from; seq <= to; seq++ {
		if err := w.Append(typeFor(seq), seq, tsFor(seq), payloadFor(seq, buf[:])); err != nil {
			t.Fatalf("Append(seq %d): %v", seq, err)
		}
	}
}

// checkRecordFor reports whether rec is the record the helpers make for its
// sequence.
func checkRecordFor(rec Record) bool {
	var buf [maxTestPayload]byte
	return rec.Type == typeFor(rec.Seq) && rec.Timestamp == tsFor(rec.Seq) &&
		bytes.Equal(rec.Payload, payloadFor(rec.Seq, buf[:]))
}

// readSeqs reads path to its end and returns the sequences read, checking
// every record's content.
func readSeqs(t testing.TB, path string) []uint64 {
	t.Helper()
	r, err := OpenReader(path)
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	defer r.Close()
	var seqs []uint64
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return seqs
		}
		if err != nil {
			t.Fatalf("Next after %d records: %v", len(seqs), err)
		}
		if !checkRecordFor(rec) {
			t.Fatalf("record seq %d at segment %d offset %d has wrong content", rec.Seq, rec.Segment, rec.Offset)
		}
		seqs = append(seqs, rec.Seq)
	}
}

// checkContiguous fails unless seqs is exactly from, from+1, ..., to.
func checkContiguous(t testing.TB, seqs []uint64, from, to uint64) {
	t.Helper()
	if want := int(to - from + 1); len(seqs) != want {
		t.Fatalf("read %d records, want %d (seqs %d..%d)", len(seqs), want, from, to)
	}
	for i, s := range seqs {
		if s != from+uint64(i) {
			t.Fatalf("record %d has seq %d, want %d", i, s, from+uint64(i))
		}
	}
}

// smallOptions makes segments small enough to roll often in tests.
func smallOptions(size int64) Options { return Options{SegmentSize: size} }

func mustOpen(t testing.TB, dir string, opts Options) *Writer {
	t.Helper()
	w, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return w
}

func mustClose(t testing.TB, w *Writer) {
	t.Helper()
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
