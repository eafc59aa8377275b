package match

// DefaultHistory is how many of the most recent order ids an Engine remembers once their orders
// are terminal (SetHistory changes it).
const DefaultHistory = 100_000

// clientKey indexes orders by (account, client order id).
type clientKey struct {
	account uint32
	id      string
}

// history keeps terminal orders in a ring indexed by id: order id k lives in slot (k-1) mod
// limit, so the ring remembers the terminal orders among the last limit ids and forgets older
// ones without any bookkeeping. The ring grows on demand up to limit entries.
//
// INVARIANT: ring[s].ID is 0 or an id with (id-1) mod limit == s.
type history struct {
	ring  []Order
	limit int
}

func (h *history) slot(id OrderID) int { return int(uint64(id-1) % uint64(h.limit)) }

// get returns terminal order id if it is still remembered.
func (h *history) get(id OrderID) (*Order, bool) {
	if id == 0 {
		return nil, false
	}
	s := h.slot(id)
	if s >= len(h.ring) || h.ring[s].ID != id {
		return nil, false
	}
	return &h.ring[s], true
}

// put records terminal order o; newest is the engine's latest id. It returns the order it evicts
// (ID 0 when none) and whether o itself was dropped because it is older than the window; the
// caller drops their client index entries.
func (h *history) put(o *Order, newest OrderID) (evicted OrderID, evictedKey clientKey, dropped bool) {
	if uint64(newest-o.ID) >= uint64(h.limit) {
		return 0, clientKey{}, true
	}
	s := h.slot(o.ID)
	if s >= len(h.ring) {
		h.grow(s + 1)
	}
	old := &h.ring[s]
	if old.ID != 0 && old.ID != o.ID {
		evicted, evictedKey = old.ID, clientKey{old.Account, old.ClientID}
	}
	*old = *o
	return evicted, evictedKey, false
}

// grow extends the ring to at least n entries, doubling, capped at limit.
func (h *history) grow(n int) {
	if n <= cap(h.ring) {
		h.ring = h.ring[:n]
		return
	}
	c := max(2*cap(h.ring), n, 1024)
	c = min(c, h.limit)
	ring := make([]Order, n, c)
	copy(ring, h.ring)
	h.ring = ring
}
