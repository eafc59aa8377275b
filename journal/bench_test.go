package journal

import (
	"bufio"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/cespare/xxhash/v2"
)

// Benchmarks write to b.TempDir(), under $TMPDIR (/tmp). On the development
// VM /tmp is ext4 on a virtual disk, not tmpfs: `df /tmp`.
//
// The append benchmarks run in one prefaulted 64 MiB segment and rewind to
// its start when it is full, so that they measure Append itself, not rolls
// (which wait for the preparer) nor the disk. The baseline does the same
// through bufio.Writer and an *os.File. Both set bytes to the record size,
// header and checksum included.

const (
	benchPayload = 64
	benchSegment = DefaultSegmentSize
	sampleEvery  = 64 // time one append in sampleEvery
)

// latency samples the duration of single operations.
type latency struct{ h *hdrhistogram.Histogram }

func newLatency() latency { return latency{hdrhistogram.New(1, int64(time.Second), 3)} }

func (l latency) record(d time.Duration) { _ = l.h.RecordValue(int64(d)) }

func (l latency) report(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(l.h.ValueAtQuantile(50)), "p50-ns")
	b.ReportMetric(float64(l.h.ValueAtQuantile(99)), "p99-ns")
}

// rewind moves w back to the start of its segment without zeroing what was
// written. Benchmarks only: readers would see stale records after the tail.
func (w *Writer) rewind() {
	w.off, w.hasLast = segmentHeaderSize, false
}

func BenchmarkAppend(b *testing.B) {
	size := recordSize(benchPayload)
	b.Run("impl=mmap/payload=64", func(b *testing.B) {
		w := mustOpen(b, b.TempDir(), Options{SegmentSize: benchSegment})
		defer w.Close()
		payload := make([]byte, benchPayload)
		lat := newLatency()
		b.SetBytes(int64(size))
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if w.limit-w.off < size {
				w.rewind()
			}
			seq := uint64(i)
			var err error
			if i%sampleEvery == 0 {
				t0 := time.Now()
				err = w.Append(1, seq, int64(i), payload)
				lat.record(time.Since(t0))
			} else {
				err = w.Append(1, seq, int64(i), payload)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		lat.report(b)
	})
	b.Run("impl=mmap-claim/payload=64", func(b *testing.B) {
		w := mustOpen(b, b.TempDir(), Options{SegmentSize: benchSegment})
		defer w.Close()
		payload := make([]byte, benchPayload)
		lat := newLatency()
		b.SetBytes(int64(size))
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if w.limit-w.off < size {
				w.rewind()
			}
			t0 := time.Time{}
			if i%sampleEvery == 0 {
				t0 = time.Now()
			}
			p, err := w.Claim(benchPayload)
			if err != nil {
				b.Fatal(err)
			}
			copy(p, payload)
			if err := w.Commit(1, uint64(i), int64(i)); err != nil {
				b.Fatal(err)
			}
			if i%sampleEvery == 0 {
				lat.record(time.Since(t0))
			}
		}
		lat.report(b)
	})
	b.Run("impl=bufio-file/payload=64", func(b *testing.B) {
		f, err := os.Create(filepath.Join(b.TempDir(), "baseline"))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		bw := bufio.NewWriterSize(f, 64<<10)
		rec := make([]byte, size)
		written := 0
		lat := newLatency()
		appendOne := func(seq uint64, ts int64) error {
			if written+size > benchSegment {
				if err := bw.Flush(); err != nil {
					return err
				}
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					return err
				}
				written = 0
			}
			binary.LittleEndian.PutUint32(rec, uint32(size))
			binary.LittleEndian.PutUint16(rec[recOffType:], 1)
			binary.LittleEndian.PutUint64(rec[recOffSeq:], seq)
			binary.LittleEndian.PutUint64(rec[recOffTime:], uint64(ts))
			binary.LittleEndian.PutUint64(rec[size-8:], xxhash.Sum64(rec[:size-8]))
			written += size
			_, err := bw.Write(rec)
			return err
		}
		b.SetBytes(int64(size))
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			var err error
			if i%sampleEvery == 0 {
				t0 := time.Now()
				err = appendOne(uint64(i), int64(i))
				lat.record(time.Since(t0))
			} else {
				err = appendOne(uint64(i), int64(i))
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if err := bw.Flush(); err != nil {
			b.Fatal(err)
		}
		lat.report(b)
	})
}

// benchJournal fills one segment with 64-byte records and returns its path
// and record count.
func benchJournal(b *testing.B) (string, uint64) {
	b.Helper()
	dir := b.TempDir()
	w := mustOpen(b, dir, Options{SegmentSize: benchSegment})
	payload := make([]byte, benchPayload)
	n := uint64(MaxPayload(benchSegment)/recordSize(benchPayload) - 1)
	for seq := uint64(1); seq <= n; seq++ {
		if err := w.Append(1, seq, int64(seq), payload); err != nil {
			b.Fatal(err)
		}
	}
	mustClose(b, w)
	return filepath.Join(dir, segmentName(0)), n
}

func BenchmarkRead(b *testing.B) {
	size := recordSize(benchPayload)
	b.Run("impl=mmap/payload=64", func(b *testing.B) {
		path, n := benchJournal(b)
		r, err := OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		b.SetBytes(int64(size))
		b.ReportAllocs()
		b.ResetTimer()
		var want uint64
		for range b.N {
			if want == n {
				r.off, want = segmentHeaderSize, 0
			}
			want++
			rec, err := r.Next()
			if err != nil || rec.Seq != want || len(rec.Payload) != benchPayload {
				b.Fatalf("Next: seq %d, %v; want %d", rec.Seq, err, want)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("impl=bufio-file/payload=64", func(b *testing.B) {
		path, n := benchJournal(b)
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		br := bufio.NewReaderSize(f, 64<<10)
		rec := make([]byte, size)
		rewind := func() {
			if _, err := f.Seek(segmentHeaderSize, io.SeekStart); err != nil {
				b.Fatal(err)
			}
			br.Reset(f)
		}
		rewind()
		b.SetBytes(int64(size))
		b.ReportAllocs()
		b.ResetTimer()
		var want uint64
		for range b.N {
			if want == n {
				rewind()
				want = 0
			}
			want++
			if _, err := io.ReadFull(br, rec[:recHeaderSize]); err != nil {
				b.Fatal(err)
			}
			l := int(binary.LittleEndian.Uint32(rec))
			if l != size {
				b.Fatalf("record length %d", l)
			}
			if _, err := io.ReadFull(br, rec[recHeaderSize:l]); err != nil {
				b.Fatal(err)
			}
			if xxhash.Sum64(rec[:l-8]) != binary.LittleEndian.Uint64(rec[l-8:]) ||
				binary.LittleEndian.Uint64(rec[recOffSeq:]) != want {
				b.Fatalf("record %d: bad checksum or sequence", want)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
}
