package journal

import (
	"runtime"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/sys/unix"
)

var sinkU64 uint64

func threadCPU() int64 {
	var ru unix.Rusage
	unix.Getrusage(unix.RUSAGE_THREAD, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func cpuPerOp(n int, f func(i int)) float64 {
	best := 1e18
	for range 5 {
		t0 := threadCPU()
		for i := range n {
			f(i)
		}
		d := float64(threadCPU()-t0) / float64(n)
		best = min(best, d)
	}
	return best
}

func TestZZMicro(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rec := make([]byte, 96)
	p := (*uint32)(unsafe.Pointer(&rec[0]))
	const n = 5_000_000
	t.Logf("digest   %.2f", cpuPerOp(n, func(int) { sinkU64 += recordChecksum(rec) }))
	t.Logf("sum64    %.2f", cpuPerOp(n, func(int) { sinkU64 += xxhash.Sum64(rec[:88]) }))
	t.Logf("xchg     %.2f", cpuPerOp(n, func(i int) { atomic.StoreUint32(p, uint32(i)) }))
	t.Logf("plain    %.2f", cpuPerOp(n, func(i int) { *p = uint32(i) }))
	w := mustOpen(t, t.TempDir(), Options{SegmentSize: 16 << 20})
	defer w.Close()
	payload := make([]byte, 64)
	size := recordSize(64)
	seq := uint64(0)
	t.Logf("append   %.2f", cpuPerOp(n, func(i int) {
		if w.limit-w.off < size {
			w.rewind()
		}
		seq++
		if err := w.Append(1, seq, int64(i), payload); err != nil {
			t.Fatal(err)
		}
	}))
	path, cnt := benchJournalT(t)
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var want uint64
	t.Logf("next     %.2f", cpuPerOp(n, func(int) {
		if want == cnt {
			r.off, want = segmentHeaderSize, 0
		}
		want++
		rec, err := r.Next()
		if err != nil || rec.Seq != want {
			t.Fatal(err)
		}
	}))
}

func benchJournalT(t *testing.T) (string, uint64) {
	dir := t.TempDir()
	w := mustOpen(t, dir, Options{SegmentSize: 16 << 20})
	payload := make([]byte, 64)
	n := uint64(MaxPayload(16<<20)/recordSize(64) - 1)
	for seq := uint64(1); seq <= n; seq++ {
		if err := w.Append(1, seq, int64(seq), payload); err != nil {
			t.Fatal(err)
		}
	}
	mustClose(t, w)
	return dir + "/" + segmentName(0), n
}
