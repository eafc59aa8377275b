package ring

import "fmt"

// Producer side. Every method in this file must be called from the one
// producer goroutine; it alone writes tail, prodTail, headCache and claimed.

// TryPush copies *v into the next slot and publishes it. It returns false and
// leaves the ring unchanged when the ring is full.
//
// Producer only. REQUIRES: no claim is outstanding (Publish the last Claim
// first); TryPush panics otherwise, since it would overwrite a claimed slot.
func (r *OneToOne[T]) TryPush(v *T) bool {
	if r.claimed != 0 {
		panicClaimOutstanding(r.claimed)
	}
	tail := r.prodTail
	if tail-r.headCache > r.mask {
		r.headCache = r.head.Load()
		if tail-r.headCache > r.mask {
			return false
		}
	}
	r.slots[tail&r.mask] = *v
	r.prodTail = tail + 1
	r.tail.Store(tail + 1)
	return true
}

// Claim returns up to n contiguous free slots, in order, for the producer to
// fill in place. It returns fewer than n when the ring has less room or when
// the free run wraps around the end of the buffer (the rest follows on the
// next Claim), and an empty slice when the ring is full or n <= 0. The slots
// hold stale data from a previous lap: write every field.
//
// The slice is valid until the next Publish, Claim or TryPush. Nothing in it
// is visible to the consumer until Publish. A second Claim without a Publish
// replaces the first; the slots of the first stay unpublished.
//
// Producer only.
func (r *OneToOne[T]) Claim(n int) []T {
	if n <= 0 {
		r.claimed = 0
		return r.slots[:0:0]
	}
	want := uint64(n)
	tail := r.prodTail
	free := r.mask + 1 - (tail - r.headCache)
	if free < want {
		r.headCache = r.head.Load()
		free = r.mask + 1 - (tail - r.headCache)
	}
	idx := tail & r.mask
	k := min(want, free, r.mask+1-idx)
	r.claimed = k
	return r.slots[idx : idx+k : idx+k]
}

// Publish makes the first n slots of the last Claim visible to the consumer,
// in order, and ends the claim. Slots claimed beyond n stay free and are
// returned again by the next Claim. Publish(0) abandons the claim.
//
// Producer only. REQUIRES: 0 <= n <= len(last Claim); Publish panics
// otherwise.
func (r *OneToOne[T]) Publish(n int) {
	if uint64(n) > r.claimed { // a negative n converts to a huge value
		panicPublish(n, r.claimed)
	}
	r.claimed = 0
	if n == 0 {
		return
	}
	tail := r.prodTail + uint64(n)
	r.prodTail = tail
	r.tail.Store(tail)
}

//go:noinline
func panicClaimOutstanding(claimed uint64) {
	panic(fmt.Sprintf("ring: TryPush with %d claimed slots not yet published", claimed))
}

//go:noinline
func panicPublish(n int, claimed uint64) {
	panic(fmt.Sprintf("ring: Publish(%d) with %d slots claimed", n, claimed))
}
