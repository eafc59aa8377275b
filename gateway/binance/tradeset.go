package binance

import "ems/core/event"

// TradeSet is a bounded set of the fills already seen, keyed by (instrument, venue trade id):
// Binance trade ids count per symbol. It remembers the last Cap keys added; older ones are
// forgotten first (a ring of keys and an open-addressing index with tombstone-free deletion by
// re-insertion).
//
// Owned by one goroutine (the session's reader); not safe for concurrent use. Add and Has never
// allocate.
type TradeSet struct {
	ring  []tradeKey // insertion order; ring[next] is the oldest once full
	next  int
	full  bool
	index []int32 // open addressing: position+1 in ring, 0 empty
	mask  uint64
}

type tradeKey struct {
	id    uint64
	instr event.InstrumentID
}

// NewTradeSet returns a set remembering the last capacity trades (at least 16).
func NewTradeSet(capacity int) *TradeSet {
	if capacity < 16 {
		capacity = 16
	}
	n := 16
	for n < 2*capacity {
		n <<= 1
	}
	return &TradeSet{ring: make([]tradeKey, capacity), index: make([]int32, n), mask: uint64(n - 1)}
}

func (k tradeKey) hash() uint64 {
	h := k.id ^ uint64(k.instr)<<40 ^ uint64(k.instr)
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// find returns the index slot holding k, or the empty slot where it would go.
func (s *TradeSet) find(k tradeKey) (slot uint64, found bool) {
	for i := k.hash() & s.mask; ; i = (i + 1) & s.mask {
		p := s.index[i]
		if p == 0 {
			return i, false
		}
		if s.ring[p-1] == k {
			return i, true
		}
	}
}

// Has reports whether trade id of instr was added and not yet forgotten.
func (s *TradeSet) Has(instr event.InstrumentID, id uint64) bool {
	_, ok := s.find(tradeKey{id, instr})
	return ok
}

// Add adds trade id of instr and reports whether it was new (false: a duplicate).
func (s *TradeSet) Add(instr event.InstrumentID, id uint64) bool {
	k := tradeKey{id, instr}
	if _, ok := s.find(k); ok {
		return false
	}
	if s.full {
		s.remove(s.ring[s.next])
	}
	s.ring[s.next] = k
	slot, _ := s.find(k)
	s.index[slot] = int32(s.next + 1)
	s.next++
	if s.next == len(s.ring) {
		s.next, s.full = 0, true
	}
	return true
}

// remove deletes k from the index and re-inserts the run of keys after it, so probing never
// needs tombstones.
func (s *TradeSet) remove(k tradeKey) {
	i, ok := s.find(k)
	if !ok {
		return
	}
	s.index[i] = 0
	for j := (i + 1) & s.mask; s.index[j] != 0; j = (j + 1) & s.mask {
		p := s.index[j]
		s.index[j] = 0
		slot, _ := s.find(s.ring[p-1])
		s.index[slot] = p
	}
}

// Len returns the number of trades remembered.
func (s *TradeSet) Len() int {
	if s.full {
		return len(s.ring)
	}
	return s.next
}
