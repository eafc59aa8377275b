package ring

import "fmt"

// Consumer side. Every method in this file must be called from the one
// consumer goroutine; it alone writes head, consHead, tailCache and peeked.

// TryPop copies the oldest published slot into *dst and releases it. It
// returns false and leaves *dst unchanged when the ring is empty.
//
// Consumer only. REQUIRES: no peek is outstanding (Release the last Peek
// first); TryPop panics otherwise, since the peeked slot could be reused.
func (r *OneToOne[T]) TryPop(dst *T) bool {
	if r.peeked != 0 {
		panicPeekOutstanding(r.peeked)
	}
	head := r.consHead
	if head == r.tailCache {
		r.tailCache = r.tail.Load()
		if head == r.tailCache {
			return false
		}
	}
	*dst = r.slots[head&r.mask]
	r.consHead = head + 1
	r.head.Store(head + 1)
	return true
}

// Peek returns the published slots from the oldest onwards, in order, without
// copying or releasing them. It returns an empty slice when the ring is
// empty. The slice stops at the end of the buffer (the rest follows on the
// next Peek after a Release) and may be shorter than what is published: the
// consumer reloads the producer's position only when its cached copy is used
// up.
//
// The slice is valid until the next Release, Peek, TryPop or Poll; its slots
// must not be written. A second Peek without a Release replaces the first.
//
// Consumer only.
func (r *OneToOne[T]) Peek() []T {
	head := r.consHead
	avail := r.tailCache - head
	if avail == 0 {
		r.tailCache = r.tail.Load()
		avail = r.tailCache - head
	}
	idx := head & r.mask
	k := min(avail, r.mask+1-idx)
	r.peeked = k
	return r.slots[idx : idx+k : idx+k]
}

// Release hands the first n slots of the last Peek back to the producer and
// ends the peek. Slots peeked beyond n stay published and are returned again
// by the next Peek. Release(0) abandons the peek.
//
// Consumer only. REQUIRES: 0 <= n <= len(last Peek); Release panics
// otherwise.
func (r *OneToOne[T]) Release(n int) {
	if uint64(n) > r.peeked { // a negative n converts to a huge value
		panicRelease(n, r.peeked)
	}
	r.peeked = 0
	if n == 0 {
		return
	}
	head := r.consHead + uint64(n)
	r.consHead = head
	r.head.Store(head)
}

// Poll calls handler on up to limit published slots, oldest first, in place,
// and returns how many it consumed. The handler returns true when it has
// consumed the slot; it returns false to stop, and that slot and the ones
// after it stay in the ring for the next call (back-pressure). Poll releases
// the consumed slots once, at the end. It returns 0 when the ring is empty or
// limit <= 0.
//
// The pointer passed to handler is valid during that call only; the handler
// must not keep it or write through it. If the handler panics, nothing of
// this call is released.
//
// Consumer only. REQUIRES: no peek is outstanding (Poll panics otherwise);
// handler does not call the consumer methods of r.
func (r *OneToOne[T]) Poll(handler func(*T) bool, limit int) int {
	if r.peeked != 0 {
		panicPeekOutstanding(r.peeked)
	}
	if limit <= 0 {
		return 0
	}
	head := r.consHead
	avail := r.tailCache - head
	if avail == 0 {
		r.tailCache = r.tail.Load()
		avail = r.tailCache - head
		if avail == 0 {
			return 0
		}
	}
	avail = min(avail, uint64(limit))
	var n uint64
	for n < avail && handler(&r.slots[(head+n)&r.mask]) {
		n++
	}
	if n != 0 {
		r.consHead = head + n
		r.head.Store(head + n)
	}
	return int(n)
}

//go:noinline
func panicPeekOutstanding(peeked uint64) {
	panic(fmt.Sprintf("ring: consuming with %d peeked slots not yet released", peeked))
}

//go:noinline
func panicRelease(n int, peeked uint64) {
	panic(fmt.Sprintf("ring: Release(%d) with %d slots peeked", n, peeked))
}
