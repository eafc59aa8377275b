package coinbase

// idTable maps uint64 keys to int32 values with open addressing (linear probing, backward-shift
// deletion), sized once: it never allocates after newIDTable. It holds at most capacity keys.
// Owned by its Session (guarded by the Session's lock).
type idTable struct {
	keys []uint64
	vals []int32 // -1: empty slot
	mask uint64
	n    int
	max  int
}

func newIDTable(capacity int) idTable {
	size := 16
	for size < 2*capacity {
		size <<= 1
	}
	t := idTable{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1), max: capacity}
	for i := range t.vals {
		t.vals[i] = -1
	}
	return t
}

func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return k
}

// get returns the value of k.
func (t *idTable) get(k uint64) (int32, bool) {
	for i := mix(k) & t.mask; ; i = (i + 1) & t.mask {
		switch {
		case t.vals[i] < 0:
			return 0, false
		case t.keys[i] == k:
			return t.vals[i], true
		}
	}
}

// put sets k to v; it reports false when the table is full and k is new.
// REQUIRES: v >= 0.
func (t *idTable) put(k uint64, v int32) bool {
	for i := mix(k) & t.mask; ; i = (i + 1) & t.mask {
		switch {
		case t.vals[i] < 0:
			if t.n >= t.max {
				return false
			}
			t.keys[i], t.vals[i] = k, v
			t.n++
			return true
		case t.keys[i] == k:
			t.vals[i] = v
			return true
		}
	}
}

// del removes k.
func (t *idTable) del(k uint64) {
	i := mix(k) & t.mask
	for ; ; i = (i + 1) & t.mask {
		if t.vals[i] < 0 {
			return
		}
		if t.keys[i] == k {
			break
		}
	}
	t.n--
	// Backward shift: move later entries of the probe run into the hole when their home allows.
	for j := (i + 1) & t.mask; t.vals[j] >= 0; j = (j + 1) & t.mask {
		home := mix(t.keys[j]) & t.mask
		if (j-home)&t.mask >= (j-i)&t.mask {
			t.keys[i], t.vals[i] = t.keys[j], t.vals[j]
			i = j
		}
	}
	t.vals[i] = -1
}

// tradeSet remembers the last capacity trade ids seen, forgetting the oldest first: fills are
// de-duplicated by venue trade id across the user channel, the fills endpoint and reconciliation.
type tradeSet struct {
	t    idTable
	ring []uint64
	next int
	full bool
}

func newTradeSet(capacity int) tradeSet {
	return tradeSet{t: newIDTable(capacity), ring: make([]uint64, capacity)}
}

// add records id and reports whether it was new.
func (s *tradeSet) add(id uint64) bool {
	if _, ok := s.t.get(id); ok {
		return false
	}
	if s.full {
		s.t.del(s.ring[s.next])
	}
	s.ring[s.next] = id
	s.t.put(id, 0)
	s.next++
	if s.next == len(s.ring) {
		s.next, s.full = 0, true
	}
	return true
}
