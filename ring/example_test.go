package ring_test

import (
	"fmt"

	"ems/ring"
)

// trade is a plain event: integers only, no pointers.
type trade struct {
	Instrument uint32
	Side       uint8
	Price      int64 // in ticks
	Qty        int64 // in lots
}

// A producer goroutine pushes events; the consumer goroutine pops them in
// order. Each side waits with its own Idler.
func Example() {
	r, err := ring.New[trade](8)
	if err != nil {
		panic(err)
	}
	const n = 5
	go func() { // the producer goroutine owns TryPush, Claim and Publish
		idle := ring.NewSpinThenYield(100)
		for i := range int64(n) {
			t := trade{Instrument: 7, Side: 1, Price: 68_000_00 + i, Qty: 10 + i}
			for !r.TryPush(&t) {
				idle.Idle(0)
			}
			idle.Idle(1)
		}
	}()

	idle := ring.NewSpinThenYield(100) // this goroutine owns TryPop, Peek, Release and Poll
	var t trade
	for got := 0; got < n; {
		if !r.TryPop(&t) {
			idle.Idle(0)
			continue
		}
		idle.Idle(1)
		got++
		fmt.Println(t.Instrument, t.Price, t.Qty)
	}
	// Output:
	// 7 6800000 10
	// 7 6800001 11
	// 7 6800002 12
	// 7 6800003 13
	// 7 6800004 14
}

// Claim and Publish fill slots in place; Peek and Release read them in
// place. A run of slots stops at the end of the buffer, so a batch that wraps
// comes in two parts.
func ExampleOneToOne_Claim() {
	r, err := ring.New[trade](4)
	if err != nil {
		panic(err)
	}
	r.TryPush(&trade{Qty: 1}) // move both positions past slot 0
	var t trade
	r.TryPop(&t)

	for sent := int64(0); sent < 4; {
		batch := r.Claim(4 - int(sent)) // valid until Publish
		for i := range batch {
			batch[i] = trade{Instrument: 1, Price: 100 + sent, Qty: sent + 1}
			sent++
		}
		fmt.Println("claimed", len(batch))
		r.Publish(len(batch))
	}

	for r.Len() > 0 {
		events := r.Peek() // valid until Release
		for i := range events {
			fmt.Println("price", events[i].Price, "qty", events[i].Qty)
		}
		r.Release(len(events))
	}
	// Output:
	// claimed 3
	// claimed 1
	// price 100 qty 1
	// price 101 qty 2
	// price 102 qty 3
	// price 103 qty 4
}

// Poll hands each event to a handler in place; a handler that returns false
// leaves the event in the ring for the next call.
func ExampleOneToOne_Poll() {
	r, err := ring.New[trade](8)
	if err != nil {
		panic(err)
	}
	for i := range int64(4) {
		r.TryPush(&trade{Qty: i + 1})
	}
	var budget int64 = 3 // lots the consumer can take now
	take := func(t *trade) bool {
		if t.Qty > budget {
			return false // back-pressure: keep it for later
		}
		budget -= t.Qty
		fmt.Println("took", t.Qty)
		return true
	}
	fmt.Println("polled", r.Poll(take, 8), "left", r.Len())
	budget = 100
	fmt.Println("polled", r.Poll(take, 8), "left", r.Len())
	// Output:
	// took 1
	// took 2
	// polled 2 left 2
	// took 3
	// took 4
	// polled 2 left 0
}
