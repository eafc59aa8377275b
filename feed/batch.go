package feed

import "ems/core/event"

// Batch collects the events decoded from one or more venue messages, in order. The feed thread
// owns it; the consumer (a ring producer, a replay, a test) drains it with Events and Reset.
//
// A Batch grows to the largest message it has seen (a 1000-level snapshot is 2000 events) and then
// allocates nothing: size it with NewBatch to avoid growth in steady state.
type Batch struct {
	events []event.Event
}

// NewBatch returns a Batch with room for capacity events.
func NewBatch(capacity int) *Batch {
	return &Batch{events: make([]event.Event, 0, capacity)}
}

// Add appends a zeroed event and returns a pointer to it, valid until the next Add or Reset.
func (b *Batch) Add() *event.Event {
	if len(b.events) == cap(b.events) {
		grown := make([]event.Event, len(b.events), 2*cap(b.events)+64)
		copy(grown, b.events)
		b.events = grown
	}
	b.events = b.events[:len(b.events)+1]
	e := &b.events[len(b.events)-1]
	*e = event.Event{}
	return e
}

// Events returns the events added since the last Reset; the slice is valid until the next Add or
// Reset.
func (b *Batch) Events() []event.Event { return b.events }

// Len returns the number of events in the batch.
func (b *Batch) Len() int { return len(b.events) }

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() { b.events = b.events[:0] }
