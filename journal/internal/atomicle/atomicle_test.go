package atomicle

import (
	"encoding/binary"
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
