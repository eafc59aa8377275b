// Package ring provides the lock-free single-producer single-consumer ring
// that connects the stages of the system, and the wait strategies the stages
// use when a ring has nothing for them.
//
// # The ring
//
// [OneToOne] is a bounded ring of fixed-size slots holding a plain value type
// T: a struct of integers and arrays of integers, with no pointers, strings,
// slices, maps, channels, functions or interfaces ([New] rejects anything
// else). Copying a slot is a memcpy and the garbage collector never scans the
// ring. The capacity is a power of two so that a position maps to a slot with
// a mask.
//
// The producer and the consumer each own one side:
//
//	producer goroutine             consumer goroutine
//	  TryPush                        TryPop
//	  Claim, Publish                 Peek, Release
//	                                 Poll
//
// Exactly one goroutine may call the producer methods and exactly one
// goroutine may call the consumer methods (the single-writer principle: the
// tail index has one writer, the head index has one writer). The two may be the
// same goroutine. Handing a side over to another goroutine is allowed only
// through a synchronisation that orders the two (a channel send, a WaitGroup,
// a mutex). [OneToOne.Len] and [OneToOne.Cap] may be called from any
// goroutine.
//
// The slices returned by [OneToOne.Claim] and [OneToOne.Peek] point into the
// ring itself (zero copy). A claimed slice is valid until the next Publish,
// Claim or TryPush; a peeked slice is valid until the next Release, Peek,
// TryPop or Poll. The pointer passed to a [OneToOne.Poll] handler is valid
// during that call only. Nothing allocates after [New].
//
// Publication uses sync/atomic: the producer writes the slots, then stores the
// tail; the consumer loads the tail, then reads the slots. Under the Go memory
// model the store synchronises with the load, so the consumer sees complete
// slots, and the race detector agrees. The reverse holds for the head.
//
// # Wait strategies
//
// A stage that found no work calls [Idler.Idle] with a work count of zero; a
// stage that did work calls it with the amount done, which resets the
// strategy. [BusySpin] burns its CPU and reacts fastest; [SpinThenYield]
// spins a while and then lets other goroutines run; [BackoffPark] spins,
// yields and then sleeps with exponential back-off. Each Idler value belongs
// to the one goroutine that calls it.
//
// # When not to use it
//
// OneToOne has exactly one producer and one consumer. Where several
// goroutines produce, give each its own ring and let the consumer poll them
// all; never share a side behind a mutex on the hot path. Do not use it for
// values holding pointers (pass an id into a table instead), for unbounded
// queues (a full ring is back-pressure the producer must handle), or between
// goroutines that block on each other anyway: there a Go channel is simpler
// and parks the waiting goroutine for free. Busy-spinning on a host with fewer
// free CPUs than spinning threads starves everything else: use
// [SpinThenYield] or [BackoffPark] there.
package ring
