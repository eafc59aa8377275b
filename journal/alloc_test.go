//go:build !race

package journal

import (
	"testing"
)

// Append, Claim+Commit and Reader.Next allocate nothing in steady state (in
// a prefaulted segment, without a roll).
func TestAppendAllocs(t *testing.T) {
	w := mustOpen(t, t.TempDir(), smallOptions(4<<20))
	defer mustClose(t, w)
	payload := make([]byte, 64)
	var seq uint64
	if a := testing.AllocsPerRun(10000, func() {
		seq++
		if err := w.Append(1, seq, int64(seq), payload); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Fatalf("Append: %v allocations per call, want 0", a)
	}
	if a := testing.AllocsPerRun(10000, func() {
		seq++
		p, err := w.Claim(len(payload))
		if err != nil {
			t.Fatal(err)
		}
		copy(p, payload)
		if err := w.Commit(2, seq, int64(seq)); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Fatalf("Claim+Commit: %v allocations per call, want 0", a)
	}
}

func TestReaderNextAllocs(t *testing.T) {
	dir := t.TempDir()
	w := mustOpen(t, dir, smallOptions(4<<20))
	const n = 30000
	payload := make([]byte, 64)
	for seq := uint64(1); seq <= n; seq++ {
		if err := w.Append(1, seq, 0, payload); err != nil {
			t.Fatal(err)
		}
	}
	mustClose(t, w)
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var want uint64
	if a := testing.AllocsPerRun(n-1, func() {
		want++
		rec, err := r.Next()
		if err != nil || rec.Seq != want {
			t.Fatalf("Next: seq %d, %v; want %d", rec.Seq, err, want)
		}
	}); a != 0 {
		t.Fatalf("Reader.Next: %v allocations per call, want 0", a)
	}
}
