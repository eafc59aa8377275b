package match

import "ems/core/event"

// Listener receives the engine's output in the order it happens, synchronously, during Submit /
// Cancel / Replace. Levels are aggregated book levels (absolute quantity, 0 = level gone).
//
// The *Fill and *Order arguments point into the engine's scratch space: they are valid only
// during the call and must not be modified; copy the value to keep it.
//
// REQUIRES: a Listener does not call Submit, Cancel, CancelClient, Replace or SetHistory of the
// engine that calls it (the read-only methods are fine, and see the book as it is at that event).
type Listener interface {
	OnLevel(side event.Side, price, qty int64)
	OnTrade(f *Fill)
	OnOrder(o *Order) // every state change of an order: accepted (New), partially filled, filled, canceled, expired, rejected
}

// nopListener drops everything; New uses it for a nil Listener.
type nopListener struct{}

func (nopListener) OnLevel(event.Side, int64, int64) {}
func (nopListener) OnTrade(*Fill)                    {}
func (nopListener) OnOrder(*Order)                   {}
