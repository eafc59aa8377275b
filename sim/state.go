package sim

import (
	"ems/sim/flow"
	"ems/sim/match"
)

// State is a venue's mutable state as Do hands it out: the Engines and Flows of its markets and
// their sequence numbers. A *State is valid only during the Do call that received it; it must not
// be kept or passed to another goroutine.
type State struct {
	v   *Venue
	now int64
}

// Now returns the venue's time of this Do call (its clock, read once): the timestamp to give
// Engine calls.
func (s *State) Now() int64 { return s.now }

// Markets returns the venue's markets in configuration order (read only).
func (s *State) Markets() []*Market { return s.v.markets }

// Engine returns the market's matching engine. Engine calls report to the venue's subscribers
// when Do returns.
func (s *State) Engine(m *Market) *match.Engine { return m.engine }

// Flow returns the market's background flow.
func (s *State) Flow(m *Market) *flow.Flow { return m.flow }

// Seq returns the market's latest book sequence number (see MarketEvent.Seq): a book snapshot
// taken in this Do call is the book after level event Seq.
func (s *State) Seq(m *Market) uint64 { return m.seq }

// Subscribe is Venue.Subscribe from inside Do: the subscription takes effect with this call, so a
// snapshot read in the same Do call (Engine.Depth and Seq) is followed exactly by the events fn
// receives (the first has Seq+1). The returned function must be called outside Do.
func (s *State) Subscribe(key string, fn func(MarketEvent)) (unsubscribe func(), err error) {
	return s.v.subscribe(key, fn)
}
