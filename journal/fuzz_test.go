package journal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// fuzzSeeds returns segment files made by the writer: the golden segment, a
// sealed segment, the unsealed last segment of a rolled journal, one with a
// torn tail and one damaged in the middle.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	var seeds [][]byte
	dir := f.TempDir()
	w, err := Open(dir, Options{SegmentSize: MinSegmentSize, Clock: func() int64 { return 1 }})
	if err != nil {
		f.Fatal(err)
	}
	var buf [maxTestPayload]byte
	for seq := uint64(1); seq <= 60; seq++ {
		if err := w.Append(typeFor(seq), seq, tsFor(seq), payloadFor(seq, buf[:])); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	idx, err := listSegments(dir, false)
	if err != nil || len(idx) < 2 {
		f.Fatalf("seed journal has segments %v, %v", idx, err)
	}
	for _, i := range []uint64{idx[0], idx[len(idx)-1]} {
		b, err := os.ReadFile(filepath.Join(dir, segmentName(i)))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	last := seeds[len(seeds)-1]
	end := lastNonZero(last, 0)
	end = (end + 7) &^ 7
	torn := bytes.Clone(last)
	binary.LittleEndian.PutUint32(torn[end:], 64)
	copy(torn[end+4:], "torn")
	seeds = append(seeds, torn)
	mid := bytes.Clone(seeds[0])
	mid[segmentHeaderSize+recHeaderSize] ^= 0xff
	seeds = append(seeds, mid)
	return seeds
}

// FuzzReader feeds damaged segment files to the Reader and Verify, alone and
// inside a journal directory. They must never panic, and every record they
// return must be one whose checksum verifies over the file's bytes; damage
// must come back as ErrCorrupt or ErrTornTail.
func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	dir := f.TempDir()
	path := filepath.Join(dir, segmentName(0))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, dir} {
			checkReads(t, p, data)
			rep, err := verify(p, 0)
			if err == nil && rep.Problem != nil || err != nil && rep.Problem != nil && rep.Problem != err {
				t.Fatalf("Verify report %+v does not match error %v", rep, err)
			}
			if err == nil {
				// An intact journal reads to io.EOF without error.
				if n := checkReads(t, p, data); n != rep.Records {
					t.Fatalf("Verify counted %d records, a Reader read %d", rep.Records, n)
				}
			}
		}
	})
}

// checkReads reads p (the file holding data, or its directory) to its end or
// first error and checks every record against the raw bytes. It returns the
// number of records read before a clean end, or -1.
func checkReads(t *testing.T, p string, data []byte) int64 {
	t.Helper()
	r, err := OpenReader(p)
	if err != nil {
		wantDamage(t, err, len(data))
		return -1
	}
	defer r.Close()
	var n int64
	for range 1 << 16 {
		rec, err := r.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			wantDamage(t, err, len(data))
			return -1
		}
		off := int(rec.Offset)
		size := int(binary.LittleEndian.Uint32(data[off:]))
		raw := data[off : off+size]
		if xxhash.Sum64(raw[:size-8]) != binary.LittleEndian.Uint64(raw[size-8:]) {
			t.Fatalf("record at offset %d returned with a bad checksum", off)
		}
		if rec.Type == TypeSeal || !bytes.Equal(rec.Payload, raw[recHeaderSize:recHeaderSize+len(rec.Payload)]) {
			t.Fatalf("record at offset %d: type %#x or payload does not match the file", off, rec.Type)
		}
		if size != recordSize(len(rec.Payload)) {
			t.Fatalf("record at offset %d: %d bytes for a %d-byte payload", off, size, len(rec.Payload))
		}
		n++
	}
	t.Fatalf("more than %d records in a %d-byte file", 1<<16, len(data))
	return -1
}

func wantDamage(t *testing.T, err error, size int) {
	t.Helper()
	var pe *PositionError
	if !errors.As(err, &pe) || !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTornTail) {
		t.Fatalf("error %v is not a located ErrCorrupt or ErrTornTail", err)
	}
	if pe.Offset < 0 || pe.Offset > int64(size) {
		t.Fatalf("error offset %d outside a %d-byte file", pe.Offset, size)
	}
}

// FuzzRecover opens a Writer on a journal whose only segment is damaged.
// Open must either refuse with ErrCorrupt (changing nothing) or recover: the
// journal then verifies, keeps the records Open counted, and takes one more.
func FuzzRecover(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		dir := t.TempDir()
		path := filepath.Join(dir, segmentName(0))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		w, err := Open(dir, Options{SegmentSize: MinSegmentSize})
		if err != nil {
			var pe *PositionError
			if !errors.Is(err, ErrCorrupt) || !errors.As(err, &pe) {
				t.Fatalf("Open: %v, want a located ErrCorrupt", err)
			}
			now, rerr := os.ReadFile(path)
			if rerr != nil || !bytes.Equal(now, data) {
				t.Fatalf("Open failed (%v) but changed the segment", err)
			}
			return
		}
		kept := w.Recovery().Records
		last, ok := w.LastSeq()
		if ok && last == math.MaxUint64 {
			w.Close()
			return
		}
		next := last + 1
		if !ok {
			next = 0
		}
		if err := w.Append(1, next, 0, []byte("after recovery")); err != nil {
			t.Fatalf("Append after recovery: %v", err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		rep, err := verify(dir, 0)
		if err != nil {
			t.Fatalf("Verify after recovery: %v", err)
		}
		if rep.Records != kept+1 || rep.LastSeq != next {
			t.Fatalf("after recovery of %d records and one append: %+v", kept, rep)
		}
	})
}
