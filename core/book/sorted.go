package book

// kq is one level in key space: key is the tick index normalized so that a larger key is a better
// level (bids: price/tick, asks: -price/tick), qty the absolute quantity.
type kq struct {
	key int64
	qty int64
}

// sortedLevels is one side kept as a sorted array, best level last, so that the touch, where most
// updates land, is reached by a short gallop from the end and inserting near it moves few bytes.
// It is the ladder's overflow (levels deeper than the window) and, alone, the benchmark baseline.
//
// INVARIANT: keys strictly ascending; every qty > 0.
type sortedLevels struct {
	lv []kq
}

func newSortedLevels(capacity int) sortedLevels {
	return sortedLevels{lv: make([]kq, 0, capacity)}
}

func (s *sortedLevels) len() int { return len(s.lv) }

func (s *sortedLevels) clear() { s.lv = s.lv[:0] }

// search returns the index of the first level whose key is >= key, and whether that level has key.
// It gallops from the end (the best level) then bisects, so its cost grows with the log of the
// distance from the touch, not of the depth.
func (s *sortedLevels) search(key int64) (int, bool) {
	lv := s.lv
	n := len(lv)
	hi, lo, step := n, n-1, 1
	// INVARIANT: lv[hi].key >= key (or hi == n).
	for lo >= 0 && lv[lo].key >= key {
		hi = lo
		lo -= step
		step <<= 1
	}
	if lo < 0 {
		lo = -1
	}
	// lv[lo].key < key (or lo == -1): the answer is in [lo+1, hi].
	l, h := lo+1, hi
	for l < h {
		m := int(uint(l+h) >> 1)
		if lv[m].key < key {
			l = m + 1
		} else {
			h = m
		}
	}
	return l, l < n && lv[l].key == key
}

// get returns the quantity at key, 0 when absent.
func (s *sortedLevels) get(key int64) int64 {
	if i, ok := s.search(key); ok {
		return s.lv[i].qty
	}
	return 0
}

// set sets the level at key to qty (0 deletes) and returns the previous quantity (0: absent).
func (s *sortedLevels) set(key, qty int64) int64 {
	if qty == 0 {
		return s.del(key)
	}
	i, ok := s.search(key)
	if ok {
		prev := s.lv[i].qty
		s.lv[i].qty = qty
		return prev
	}
	s.lv = append(s.lv, kq{})
	copy(s.lv[i+1:], s.lv[i:])
	s.lv[i] = kq{key: key, qty: qty}
	return 0
}

// del deletes the level at key and returns its quantity (0: it did not exist).
func (s *sortedLevels) del(key int64) int64 {
	i, ok := s.search(key)
	if !ok {
		return 0
	}
	prev := s.lv[i].qty
	copy(s.lv[i:], s.lv[i+1:])
	s.lv = s.lv[:len(s.lv)-1]
	return prev
}

// push appends a level better than every level held.
// REQUIRES: len == 0 or key > the last key; qty > 0.
func (s *sortedLevels) push(key, qty int64) { s.lv = append(s.lv, kq{key: key, qty: qty}) }

// last returns the best level.
// REQUIRES: len > 0.
func (s *sortedLevels) last() kq { return s.lv[len(s.lv)-1] }

// pop removes the best level.
// REQUIRES: len > 0.
func (s *sortedLevels) pop() { s.lv = s.lv[:len(s.lv)-1] }

// dropWorst removes the m worst levels.
// REQUIRES: 0 <= m <= len.
func (s *sortedLevels) dropWorst(m int) {
	if m == 0 {
		return
	}
	n := copy(s.lv, s.lv[m:])
	s.lv = s.lv[:n]
}
