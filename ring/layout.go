package ring

import "sync/atomic"

// Memory layout of a OneToOne ring on a 64-bit platform. Offsets in bytes
// from the start of the struct. Every group of fields is followed by
// padBytes (128) of padding.
//
//	   0 +----------------------------------------------+
//	     | guard                          128 B         |  keeps neighbouring heap
//	 128 +----------------------------------------------+  objects off the hot lines
//	     | tail       atomic  W: producer  R: consumer  |  published position
//	 136 | pad                            128 B         |
//	 264 +----------------------------------------------+
//	     | prodTail, headCache, claimed                 |  producer-private
//	 288 | pad                            128 B         |
//	 416 +----------------------------------------------+
//	     | head       atomic  W: consumer  R: producer  |  released position
//	 424 | pad                            128 B         |
//	 552 +----------------------------------------------+
//	     | consHead, tailCache, peeked                  |  consumer-private
//	 576 | pad                            128 B         |
//	 704 +----------------------------------------------+
//	     | slots, mask     read-only after New          |  read by both, never written
//	 736 | pad                            128 B         |
//	 864 +----------------------------------------------+
//
//	slot buffer (separate allocation, first slot 128-byte aligned):
//	     | guard 128-255 B | slot 0 | slot 1 | ... | slot cap-1 | guard >= 128 B |
//
// Positions are uint64 counters that only grow; slot = position & mask.
//
// INVARIANT: head <= tail <= head + cap.
// INVARIANT: headCache <= head and tailCache <= tail (a cache may lag, never lead).
// INVARIANT: prodTail == tail and consHead == head, outside a method call.
//
// Why 128 bytes: a cache line is 64 bytes, but the adjacent-line (spatial)
// prefetcher fetches 128-byte aligned pairs of lines. Two groups with 128
// bytes of padding between them can never share such a pair, whatever the
// alignment of the struct (Go aligns it to 8 bytes only), so a write by one
// side never drags the other side's line along with it. TestLayout enforces
// the gaps.
//
// Why each side caches the other's index: the producer only needs to know
// that there is room, so it loads head (the consumer's hot line) only when
// its cached copy says the ring is full; the consumer loads tail only when
// its cached copy says the ring is empty. In a steady stream each side reads
// the other's line once per lap or batch instead of once per event.
//
// Why private copies of the own index: the producer never reads tail back and
// the consumer never reads head back; the shared line is only written.
const (
	// padBytes separates fields written by different goroutines.
	padBytes = 128
)

// OneToOne is a bounded lock-free ring with one producer goroutine and one
// consumer goroutine. Create it with [New]; the zero value is not usable.
// The producer methods are TryPush, Claim and Publish; the consumer methods
// are TryPop, Peek, Release and Poll. See the package documentation for the
// ownership rules and slice lifetimes.
type OneToOne[T any] struct {
	_ [padBytes]byte

	// tail is the position after the last published slot.
	// Written by the producer only (Store); loaded by the consumer.
	tail atomic.Uint64
	_    [padBytes]byte

	// Producer-private: read and written by the producer goroutine only.
	prodTail  uint64 // equal to tail, kept so the producer never loads its own line
	headCache uint64 // last head the producer loaded
	claimed   uint64 // slots returned by the last Claim, not yet published
	_         [padBytes]byte

	// head is the position of the oldest slot not yet released.
	// Written by the consumer only (Store); loaded by the producer.
	head atomic.Uint64
	_    [padBytes]byte

	// Consumer-private: read and written by the consumer goroutine only.
	consHead  uint64 // equal to head, kept so the consumer never loads its own line
	tailCache uint64 // last tail the consumer loaded
	peeked    uint64 // slots returned by the last Peek, not yet released
	_         [padBytes]byte

	// Read-only after New: read by both sides, written by neither.
	slots []T    // len(slots) == mask+1, a power of two
	mask  uint64 // len(slots) - 1
	_     [padBytes]byte
}
