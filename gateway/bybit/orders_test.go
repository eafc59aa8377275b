package bybit

import (
	"testing"

	"ems/core/event"
)

// TestOrderTable checks put, get and del against a map over a churn of ids that collide.
func TestOrderTable(t *testing.T) {
	tb := newOrderTable(64)
	ref := map[event.OrderID]bool{}
	for i := 0; i < 20000; i++ {
		id := event.OrderID((i * 7919) % 97)
		if ref[id] {
			tb.del(id)
			delete(ref, id)
		} else if _, ok := tb.put(orderState{id: id, qty: int64(id)}); ok {
			ref[id] = true
		} else if len(ref) < 64 {
			t.Fatalf("put refused with %d orders", len(ref))
		}
		if tb.len() != len(ref) {
			t.Fatalf("len %d, want %d", tb.len(), len(ref))
		}
		for k := event.OrderID(0); k < 97; k++ {
			st := tb.get(k)
			if (st != nil) != ref[k] || (st != nil && st.qty != int64(k)) {
				t.Fatalf("step %d: get(%d) = %v, want present %v", i, k, st, ref[k])
			}
		}
	}
}
