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

// compactSegment builds a small segment file holding records 1..n of the
// test helpers, then a seal when sealed. It has the writer's layout but only
// the bytes needed (segment files need not be page multiples to be read),
// which keeps fuzzing and minimising fast.
func compactSegment(n uint64, sealed bool) []byte {
	var buf [maxTestPayload]byte
	size := segmentHeaderSize + sealSize
	for seq := uint64(1); seq <= n; seq++ {
		size += recordSize(len(payloadFor(seq, buf[:])))
	}
	seg := make([]byte, size+16)
	putSegmentHeader(seg, 0, int64(len(seg)), 1)
	putBase(seg, 1, tsFor(1))
	off := segmentHeaderSize
	for seq := uint64(1); seq <= n; seq++ {
		p := payloadFor(seq, buf[:])
		rec := seg[off : off+recordSize(len(p))]
		copy(rec[recHeaderSize:], p)
		writeRecord(rec, typeFor(seq), len(rec)-RecordOverhead-len(p), seq, tsFor(seq))
		off += len(rec)
	}
	if sealed {
		writeRecord(seg[off:off+sealSize], TypeSeal, 0, n, tsFor(n))
	}
	return seg
}

// fuzzSeeds returns segment files: compact ones (intact, sealed, with a torn
// tail, damaged in the middle) and one the writer made.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	intact := compactSegment(6, false)
	torn := bytes.Clone(intact)
	end := lastNonZero(torn, 0)
	end = (end + 7) &^ 7
	binary.LittleEndian.PutUint32(torn[end:], 64)
	copy(torn[end+4:], "torn")
	mid := bytes.Clone(intact)
	mid[segmentHeaderSize+recHeaderSize] ^= 0xff

	dir := f.TempDir()
	w, err := Open(dir, Options{SegmentSize: MinSegmentSize, Clock: func() int64 { return 1 }})
	if err != nil {
		f.Fatal(err)
	}
	appendRange(f, w, 1, 20)
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(dir, segmentName(0)))
	if err != nil {
		f.Fatal(err)
	}
	return [][]byte{intact, compactSegment(3, true), torn, mid, written}
}

// scratchDir returns a directory for the files each fuzz input is written
// to: on tmpfs when /dev/shm exists, because rewriting and deleting files on
// a disk file system mounted with "discard" waits for the device and slows
// fuzzing a hundredfold.
func scratchDir(f *testing.F) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "journal-fuzz-"); err == nil {
			f.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return f.TempDir()
}

// FuzzReader feeds damaged segment files to the Reader and Verify, alone and
// inside a journal directory. They must never panic, and every record they
// return must be one whose checksum verifies over the file's bytes; damage
// must come back as ErrCorrupt or ErrTornTail.
func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	dir := scratchDir(f)
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
	base := scratchDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		dir, err := os.MkdirTemp(base, "")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
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
