package coinbase

import "ems/core/event"

// Test hooks for the external tests (package coinbase_test), which cannot be internal: they run
// the simulator, which imports this package.

// InjectOpenOrder makes s believe order id (on instrument instr) is open at the venue under
// venueOrder, without telling the venue.
func (s *Session) InjectOpenOrder(id event.OrderID, instr event.InstrumentID, qty int64, venueOrder string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	vid, _ := s.venueIDs.Intern([]byte(venueOrder))
	s.orders.add(orderState{id: id, instrument: instr, market: s.byInstr[instr], qty: qty,
		venue: event.VenueOrderID(vid), acked: true})
}

// DropUserChannel makes the reader's next read fail, as a dropped connection would.
func (s *Session) DropUserChannel() { s.interrupt() }
