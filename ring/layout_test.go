package ring

import (
	"testing"
	"unsafe"
)

// TestLayout checks that fields written by different goroutines are kept at
// least padBytes apart, and from the ends of the struct, whatever T is.
func TestLayout(t *testing.T) {
	t.Run("T=event64", func(t *testing.T) { checkLayout[event64](t) })
	t.Run("T=uint8", func(t *testing.T) { checkLayout[uint8](t) })
	t.Run("T=[40]uint64", func(t *testing.T) { checkLayout[[40]uint64](t) })
}

func checkLayout[T any](t *testing.T) {
	var r OneToOne[T]
	type group struct {
		name       string
		start, end uintptr
	}
	groups := []group{
		{"tail", unsafe.Offsetof(r.tail), unsafe.Offsetof(r.tail) + unsafe.Sizeof(r.tail)},
		{"producer-private", unsafe.Offsetof(r.prodTail), unsafe.Offsetof(r.claimed) + unsafe.Sizeof(r.claimed)},
		{"head", unsafe.Offsetof(r.head), unsafe.Offsetof(r.head) + unsafe.Sizeof(r.head)},
		{"consumer-private", unsafe.Offsetof(r.consHead), unsafe.Offsetof(r.peeked) + unsafe.Sizeof(r.peeked)},
		{"read-only", unsafe.Offsetof(r.slots), unsafe.Offsetof(r.mask) + unsafe.Sizeof(r.mask)},
	}
	prev := group{name: "struct start"}
	for _, g := range groups {
		if gap := g.start - prev.end; g.start < prev.end || gap < padBytes {
			t.Errorf("%s at %d is %d bytes after %s ending at %d, want >= %d", g.name, g.start, int(g.start)-int(prev.end), prev.name, prev.end, padBytes)
		}
		prev = g
	}
	if size := unsafe.Sizeof(r); size-prev.end < padBytes {
		t.Errorf("%s ends at %d, %d bytes before the struct end %d, want >= %d", prev.name, prev.end, size-prev.end, size, padBytes)
	}
}

// TestSlotAlignment checks that the first slot starts on a padBytes boundary,
// so that a 64-byte slot fills exactly one cache line.
func TestSlotAlignment(t *testing.T) {
	for _, capacity := range []int{1, 2, 8, 64, 1024} {
		r := mustNew[event64](t, capacity)
		first := uintptr(unsafe.Pointer(&r.slots[0]))
		if first%padBytes != 0 {
			t.Errorf("capacity %d: first slot at %#x, not %d-byte aligned", capacity, first, padBytes)
		}
	}
}
