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
// publishes the bytes written before it (message passing).
func TestPublishOrder(t *testing.T) {
	const rounds = 20000
	buf := make([]byte, 64)
	done := make(chan error)
	go func() {
		for want := uint32(1); want <= rounds; {
			v := Load32(buf)
			if v < want {
				continue
			}
			if got := binary.LittleEndian.Uint64(buf[8:]); got < uint64(v) {
				done <- fmt.Errorf("saw word %d before payload %d", v, got)
				return
			}
			want = v + 1
		}
		done <- nil
	}()
	for i := uint32(1); i <= rounds; i++ {
		binary.LittleEndian.PutUint64(buf[8:], uint64(i))
		Store32(buf, i)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
