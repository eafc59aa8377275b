package ring

import (
	"fmt"
	"testing"
	"unsafe"
)

// event64 is a plain 64-byte event, one cache line, the smallest event size
// the system uses.
type event64 struct {
	Seq   uint64
	Stamp int64
	Words [6]uint64
}

// fillEvent writes every field of e from seq, so that a torn or stale slot
// fails checkEvent.
func fillEvent(e *event64, seq uint64) {
	e.Seq = seq
	e.Stamp = int64(seq ^ 0x5a5a5a5a)
	for i := range e.Words {
		e.Words[i] = seq*0x9e3779b97f4a7c15 + uint64(i)
	}
}

// checkEvent returns an error unless e is exactly what fillEvent(e, want) wrote.
func checkEvent(e *event64, want uint64) error {
	var w event64
	fillEvent(&w, want)
	if *e != w {
		return fmt.Errorf("event seq %d (stamp %d, word0 %#x), want seq %d", e.Seq, e.Stamp, e.Words[0], want)
	}
	return nil
}

func mustNew[T any](tb testing.TB, capacity int) *OneToOne[T] {
	tb.Helper()
	r, err := New[T](capacity)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestEvent64Size(t *testing.T) {
	if got := unsafe.Sizeof(event64{}); got != 64 {
		t.Fatalf("event64 is %d bytes, want 64", got)
	}
}
