package atomicle

import (
	"encoding/binary"
	"fmt"
	"testing"
)

func TestLittleEndianLayout(t *testing.T) {
	for _, v := range []uint32{0, 1, 0x20, 0x01020304, 0xffffffff} {
		b := make([]byte, 8)
		Store32(b, v)
		if got := binary.LittleEndian.Uint32(b); got != v {
			t.Errorf("Store32(%#x) wrote %x", v, b[:4])
		}
		if got := Load32(b); got != v {
			t.Errorf("Load32 after Store32(%#x) = %#x", v, got)
		}
	}
}

// A release store followed by an acquire load from another goroutine
// publishes the bytes written before it (message passing): message i is
// written once into its own slot, then the word says i.
func TestPublishOrder(t *testing.T) {
	const rounds = 20000
	word := make([]byte, 8)
	slots := make([]byte, 8*(rounds+1))
	done := make(chan error)
	go func() {
		for seen := uint32(0); seen < rounds; {
			v := Load32(word)
			if v == seen {
				continue
			}
			if got := binary.LittleEndian.Uint64(slots[8*v:]); got != uint64(v) {
				done <- fmt.Errorf("saw word %d before its slot (%d)", v, got)
				return
			}
			seen = v
		}
		done <- nil
	}()
	for i := uint32(1); i <= rounds; i++ {
		binary.LittleEndian.PutUint64(slots[8*i:], uint64(i))
		Store32(word, i)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
