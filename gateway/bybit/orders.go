package bybit

import "ems/core/event"

// orderState is what the gateway remembers of one of its orders in flight.
type orderState struct {
	id         event.OrderID
	parent     event.ParentID
	instrument event.InstrumentID
	price      int64
	qty        int64
	filled     int64 // sum of the fills seen
	venue      event.VenueOrderID
	amendPrice int64 // an amend in flight: its price and quantity (amendQty 0: none)
	amendQty   int64
	acked      bool // an OrderAck was emitted
	unknown    bool // not found open at the latest reconciliation: being looked up
}

// orderTable maps OrderIDs to their state: open addressing with linear probing and
// backward-shift deletion over a fixed array, so it never allocates after newOrderTable.
//
// INVARIANT: len(slots) is a power of two and n < len(slots)/2 + 1 (insert refuses beyond
// limit).
type orderTable struct {
	slots []orderSlot
	mask  uint64
	n     int
	limit int
}

type orderSlot struct {
	used bool
	st   orderState
}

// newOrderTable returns a table holding up to capacity orders.
func newOrderTable(capacity int) orderTable {
	size := 16
	for size < 2*capacity {
		size <<= 1
	}
	return orderTable{slots: make([]orderSlot, size), mask: uint64(size - 1), limit: capacity}
}

func hashID(id uint64) uint64 {
	id ^= id >> 33
	id *= 0xff51afd7ed558ccd
	id ^= id >> 33
	return id
}

// get returns the state of id, or nil.
func (t *orderTable) get(id event.OrderID) *orderState {
	for i := hashID(uint64(id)) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if !s.used {
			return nil
		}
		if s.st.id == id {
			return &s.st
		}
	}
}

// put adds or replaces the state of st.id; ok is false when the table is full.
func (t *orderTable) put(st orderState) (*orderState, bool) {
	i := hashID(uint64(st.id)) & t.mask
	for ; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if !s.used {
			break
		}
		if s.st.id == st.id {
			s.st = st
			return &s.st, true
		}
	}
	if t.n >= t.limit {
		return nil, false
	}
	t.slots[i] = orderSlot{used: true, st: st}
	t.n++
	return &t.slots[i].st, true
}

// del removes id, shifting later entries of its probe run back.
func (t *orderTable) del(id event.OrderID) {
	i := hashID(uint64(id)) & t.mask
	for {
		s := &t.slots[i]
		if !s.used {
			return
		}
		if s.st.id == id {
			break
		}
		i = (i + 1) & t.mask
	}
	t.n--
	for {
		t.slots[i].used = false
		j := i
		for {
			j = (j + 1) & t.mask
			if !t.slots[j].used {
				return
			}
			home := hashID(uint64(t.slots[j].st.id)) & t.mask
			// The entry at j may move to i when its home is not in (i, j] (cyclically).
			if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
				t.slots[i] = t.slots[j]
				i = j
				break
			}
		}
	}
}

// each calls fn for every order (in no meaningful order). fn must not add or remove orders.
func (t *orderTable) each(fn func(st *orderState)) {
	for i := range t.slots {
		if t.slots[i].used {
			fn(&t.slots[i].st)
		}
	}
}

// len returns the number of orders.
func (t *orderTable) len() int { return t.n }
