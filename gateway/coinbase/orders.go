package coinbase

import "ems/core/event"

// orderState is what the Session knows of one of its live orders.
type orderState struct {
	id         event.OrderID
	parent     event.ParentID
	instrument event.InstrumentID
	market     int32 // index in the Session's markets
	price, qty int64
	filled     int64 // sum of the fills emitted
	venue      event.VenueOrderID
	acked      bool   // OrderAck emitted
	inflight   bool   // the create request has not been answered yet
	cancelSent bool   // the venue accepted a cancel; the CancelAck comes with the order's update
	unknown    bool   // the create request got no answer: the order may or may not exist
	editQty    int64  // the new total quantity of an edit in flight; 0 when none
	seen       uint32 // the reconciliation generation that found it at the venue
}

// orderTable holds the live orders by OrderID in a fixed array: no allocation after
// newOrderTable, and pointers to states stay valid until the state is removed. Guarded by the
// Session's lock.
type orderTable struct {
	idx   idTable
	slots []orderState
	free  []int32
}

func newOrderTable(capacity int) orderTable {
	t := orderTable{idx: newIDTable(capacity), slots: make([]orderState, capacity), free: make([]int32, capacity)}
	for i := range t.free {
		t.free[i] = int32(capacity - 1 - i)
	}
	return t
}

func (t *orderTable) get(id event.OrderID) *orderState {
	i, ok := t.idx.get(uint64(id))
	if !ok {
		return nil
	}
	return &t.slots[i]
}

// add inserts st; nil when the table is full or the id is already live.
func (t *orderTable) add(st orderState) *orderState {
	if len(t.free) == 0 || t.get(st.id) != nil {
		return nil
	}
	i := t.free[len(t.free)-1]
	t.free = t.free[:len(t.free)-1]
	t.slots[i] = st
	t.idx.put(uint64(st.id), i)
	return &t.slots[i]
}

func (t *orderTable) remove(id event.OrderID) {
	i, ok := t.idx.get(uint64(id))
	if !ok {
		return
	}
	t.idx.del(uint64(id))
	t.slots[i] = orderState{}
	t.free = append(t.free, i)
}

// len returns the number of live orders.
func (t *orderTable) len() int { return t.idx.n }

// each calls fn for every live order (in slot order).
func (t *orderTable) each(fn func(*orderState)) {
	for k, v := range t.idx.vals {
		if v >= 0 && t.idx.keys[k] == uint64(t.slots[v].id) {
			fn(&t.slots[v])
		}
	}
}
