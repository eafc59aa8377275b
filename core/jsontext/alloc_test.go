//go:build !race

package jsontext

import "testing"

func TestNoAllocations(t *testing.T) {
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() {
		buf = AppendKey(buf[:0], "clOrdId")
		buf = AppendString(buf, "e7k2x42\n")
	}); n != 0 {
		t.Fatalf("%v allocations, want 0", n)
	}
}
