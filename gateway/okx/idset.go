package okx

// idSet is a bounded set of 128-bit keys with first-in first-out eviction: it remembers the
// latest Cap keys added. The parser keeps fill keys (order id, trade id) in one, to drop a fill
// the venue reports twice (the orders channel and the fills query after a reconnect, or a
// repeated push), and acknowledged order ids in another.
//
// Open addressing with linear probing over a table twice the capacity, and a ring of the keys
// in insertion order; eviction removes the oldest key with backward-shift deletion, so no
// tombstones build up. Nothing allocates after newIDSet.
//
// Not safe for concurrent use: owned by the parser's goroutine.
type idSet struct {
	slots []idKey // INVARIANT: len is a power of two, at least 2 × len(ring)
	used  []bool
	mask  uint64
	ring  []idKey // insertion order; ring[head] is the oldest once full
	head  int
	n     int
}

// idKey is one key: two words (order id and trade id, or order id and 0).
type idKey struct{ a, b uint64 }

// newIDSet returns a set remembering up to capacity keys (at least 1).
func newIDSet(capacity int) *idSet {
	capacity = max(capacity, 1)
	n := 16
	for n < 2*capacity {
		n <<= 1
	}
	return &idSet{slots: make([]idKey, n), used: make([]bool, n), mask: uint64(n - 1),
		ring: make([]idKey, capacity)}
}

func (s *idSet) hash(k idKey) uint64 {
	h := k.a*0x9e3779b97f4a7c15 ^ k.b*0xc2b2ae3d27d4eb4f
	h ^= h >> 29
	return h * 0xbf58476d1ce4e5b9
}

// Has reports whether k is in the set.
func (s *idSet) Has(k idKey) bool {
	for i := s.hash(k) & s.mask; s.used[i]; i = (i + 1) & s.mask {
		if s.slots[i] == k {
			return true
		}
	}
	return false
}

// Add adds k and reports whether it was new; adding to a full set first evicts the oldest key.
func (s *idSet) Add(k idKey) bool {
	i := s.hash(k) & s.mask
	for ; s.used[i]; i = (i + 1) & s.mask {
		if s.slots[i] == k {
			return false
		}
	}
	if s.n == len(s.ring) {
		s.remove(s.ring[s.head])
		s.ring[s.head] = k
		s.head = (s.head + 1) % len(s.ring)
		// The removal may have shifted k's probe chain: find the free slot again.
		i = s.hash(k) & s.mask
		for s.used[i] {
			i = (i + 1) & s.mask
		}
	} else {
		s.ring[(s.head+s.n)%len(s.ring)] = k
		s.n++
	}
	s.slots[i], s.used[i] = k, true
	return true
}

// Len returns the number of keys held.
func (s *idSet) Len() int { return s.n }

// remove deletes k from the table (not from the ring) by backward-shift deletion.
func (s *idSet) remove(k idKey) {
	i := s.hash(k) & s.mask
	for ; s.used[i]; i = (i + 1) & s.mask {
		if s.slots[i] == k {
			break
		}
	}
	if !s.used[i] {
		return
	}
	for {
		s.used[i] = false
		j := i
		for {
			j = (j + 1) & s.mask
			if !s.used[j] {
				return
			}
			h := s.hash(s.slots[j]) & s.mask
			// Move slots[j] into the hole at i unless its home h lies cyclically in (i, j].
			if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
				s.slots[i], s.used[i] = s.slots[j], true
				i = j
				break
			}
		}
	}
}
