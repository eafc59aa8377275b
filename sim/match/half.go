package match

import "ems/core/event"

// slot is one price level of a half: its sort key and its level in the pool.
type slot struct {
	key int64 // sgn × price
	lvl int32
}

// half is one side of the book: its price levels in an array sorted by key ascending, where the
// key is the price for bids and minus the price for asks, so the best level is always the last
// element. Taking and removing the best level is O(1); inserting or removing a deeper level
// moves the levels better than it (a memmove of 16 bytes per level, small for the few hundred
// levels a simulated book holds).
//
// INVARIANT: keys are strictly ascending; every slot's level has at least one order.
type half struct {
	side  event.Side
	sgn   int64
	slots []slot
}

func newHalf(side event.Side, capacity int) half {
	h := half{side: side, sgn: 1, slots: make([]slot, 0, capacity)}
	if side == event.SideSell {
		h.sgn = -1
	}
	return h
}

// search returns the index of price's slot, or where it would be inserted, and whether found.
func (h *half) search(price int64) (int, bool) {
	key := h.sgn * price
	lo, hi := 0, len(h.slots)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if h.slots[m].key < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(h.slots) && h.slots[lo].key == key
}

// best returns the best level, if any.
func (h *half) best() (int32, bool) {
	if len(h.slots) == 0 {
		return nilIdx, false
	}
	return h.slots[len(h.slots)-1].lvl, true
}

// worst returns the deepest level, if any.
func (h *half) worst() (int32, bool) {
	if len(h.slots) == 0 {
		return nilIdx, false
	}
	return h.slots[0].lvl, true
}

// insert puts level lvl at price at index i (from search).
func (h *half) insert(i int, price int64, lvl int32) {
	h.slots = append(h.slots, slot{})
	copy(h.slots[i+1:], h.slots[i:])
	h.slots[i] = slot{key: h.sgn * price, lvl: lvl}
}

// remove deletes the slot at price. REQUIRES: the price is in the half.
func (h *half) remove(price int64) {
	n := len(h.slots) - 1
	if h.slots[n].key == h.sgn*price { // the best: the common case when matching
		h.slots = h.slots[:n]
		return
	}
	i, _ := h.search(price)
	copy(h.slots[i:], h.slots[i+1:])
	h.slots = h.slots[:n]
}

// crosses reports whether an order on side at price trades against a level of the other side at
// opp.
func crosses(side event.Side, price, opp int64) bool {
	if side == event.SideBuy {
		return price >= opp
	}
	return price <= opp
}

// opposite returns the other side.
func opposite(side event.Side) event.Side {
	if side == event.SideBuy {
		return event.SideSell
	}
	return event.SideBuy
}
