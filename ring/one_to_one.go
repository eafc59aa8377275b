package ring

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"
)

// MaxCapacity is the largest capacity New accepts.
const MaxCapacity = 1 << 30

// maxBufferBytes bounds the slot buffer so that its size never overflows an
// int: 1 TiB on 64-bit platforms, 1 GiB on 32-bit ones.
const maxBufferBytes = min(1<<40, math.MaxInt/2)

// New returns an empty ring of capacity slots of T.
//
// It returns an error when capacity is not a power of two, exceeds
// MaxCapacity, when the buffer would exceed 1 TiB (1 GiB on 32-bit
// platforms), or when T holds a pointer
// (see the package documentation). New allocates the ring and its slot buffer;
// nothing allocates afterwards.
func New[T any](capacity int) (*OneToOne[T], error) {
	if capacity <= 0 || capacity&(capacity-1) != 0 {
		return nil, fmt.Errorf("ring: capacity %d is not a power of two", capacity)
	}
	if capacity > MaxCapacity {
		return nil, fmt.Errorf("ring: capacity %d exceeds the maximum %d", capacity, MaxCapacity)
	}
	typ := reflect.TypeFor[T]()
	if err := checkPlain(typ); err != nil {
		return nil, err
	}
	size := typ.Size()
	if size != 0 && uint64(capacity) > maxBufferBytes/uint64(size) {
		return nil, fmt.Errorf("ring: capacity %d of %d-byte slots exceeds %d bytes", capacity, size, maxBufferBytes)
	}
	r := &OneToOne[T]{
		slots: alignedSlots[T](capacity, size),
		mask:  uint64(capacity - 1),
	}
	return r, nil
}

// alignedSlots returns capacity slots whose first slot starts on a padBytes
// boundary, with at least padBytes of unused memory before the first slot and
// after the last one, so
// that no other heap object shares a line (or a prefetched pair of lines) with
// a slot, and a 64-byte slot fills exactly one cache line.
//
// REQUIRES: T holds no pointers (checkPlain), so a buffer allocated as
// []uint64 is a valid home for it: the collector has nothing to scan in
// either. The returned slice keeps the whole buffer alive.
func alignedSlots[T any](capacity int, size uintptr) []T {
	total := uintptr(capacity)*size + 3*padBytes
	raw := make([]uint64, (total+7)/8)
	base := uintptr(unsafe.Pointer(&raw[0]))
	skip := padBytes + (padBytes-base%padBytes)%padBytes // bytes; a multiple of 8
	first := unsafe.Pointer(&raw[skip/8])
	return unsafe.Slice((*T)(first), capacity)
}

// Cap returns the number of slots. Any goroutine may call it.
func (r *OneToOne[T]) Cap() int { return len(r.slots) }

// Len returns the number of published slots not yet released. Any goroutine
// may call it; from a goroutine other than the producer or the consumer the
// answer is a snapshot that may be stale by the time it returns.
func (r *OneToOne[T]) Len() int {
	head := r.head.Load() // head first: tail loaded later is never behind it
	n := r.tail.Load() - head
	if n > r.mask+1 {
		// Both sides moved between the two loads; the ring cannot hold more.
		n = r.mask + 1
	}
	return int(n)
}
