package bybit

// idSet is a bounded set of trade ids: the last capacity ids added, the oldest forgotten first.
// It de-duplicates fills, which the execution stream and the execution list may both report.
// Open addressing with backward-shift deletion, and a FIFO of the ids in insertion order; it
// never allocates after newIDSet.
type idSet struct {
	slots []idSlot
	mask  uint64
	fifo  []uint64
	next  int // fifo position of the next insertion
	n     int
}

type idSlot struct {
	used bool
	id   uint64
}

func newIDSet(capacity int) idSet {
	size := 16
	for size < 2*capacity {
		size <<= 1
	}
	return idSet{slots: make([]idSlot, size), mask: uint64(size - 1), fifo: make([]uint64, capacity)}
}

// has reports whether id is in the set.
func (s *idSet) has(id uint64) bool {
	for i := hashID(id) & s.mask; ; i = (i + 1) & s.mask {
		if !s.slots[i].used {
			return false
		}
		if s.slots[i].id == id {
			return true
		}
	}
}

// add adds id and reports whether it was new; a full set forgets its oldest id first.
func (s *idSet) add(id uint64) bool {
	if s.has(id) {
		return false
	}
	if s.n == len(s.fifo) {
		s.remove(s.fifo[s.next])
	} else {
		s.n++
	}
	s.fifo[s.next] = id
	s.next = (s.next + 1) % len(s.fifo)
	i := hashID(id) & s.mask
	for s.slots[i].used {
		i = (i + 1) & s.mask
	}
	s.slots[i] = idSlot{used: true, id: id}
	return true
}

// remove deletes id from the hash index (the FIFO slot is overwritten by the caller).
func (s *idSet) remove(id uint64) {
	i := hashID(id) & s.mask
	for {
		if !s.slots[i].used {
			return
		}
		if s.slots[i].id == id {
			break
		}
		i = (i + 1) & s.mask
	}
	for {
		s.slots[i].used = false
		j := i
		for {
			j = (j + 1) & s.mask
			if !s.slots[j].used {
				return
			}
			home := hashID(s.slots[j].id) & s.mask
			if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
				s.slots[i] = s.slots[j]
				i = j
				break
			}
		}
	}
}
