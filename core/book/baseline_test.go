package book

// sortedBook is the baseline implementation: the same front end as Book (validation, exact
// division by the tick) over one plain sortedLevels per side, best level last. The differential
// test checks it against Book and a map; the benchmarks measure Book against it.
type sortedBook struct {
	tick  int64
	div   divider
	sides [2]sortedLevels // bids, asks
}

func newSortedBook(tick int64, capacity int) *sortedBook {
	return &sortedBook{
		tick:  tick,
		div:   newDivider(uint64(tick)),
		sides: [2]sortedLevels{newSortedLevels(capacity), newSortedLevels(capacity)},
	}
}

func (b *sortedBook) ticks(price int64) (int64, error) {
	if price <= 0 || price > MaxPrice {
		return 0, ErrPrice
	}
	t, ok := b.div.exact(uint64(price))
	if !ok {
		return 0, ErrOffTick
	}
	return int64(t), nil
}

func (b *sortedBook) side(s Side) (*sortedLevels, int64) {
	if s == Bid {
		return &b.sides[0], b.tick
	}
	return &b.sides[1], -b.tick
}

func (b *sortedBook) Set(side Side, price, qty int64) (int64, error) {
	if qty < 0 {
		return 0, ErrQty
	}
	t, err := b.ticks(price)
	if err != nil {
		return 0, err
	}
	i := uint(side) - 1
	if i > 1 {
		return 0, ErrSide
	}
	neg := -int64(i) // the same branch-free side selection as Book
	return b.sides[i&1].set(t^neg-neg, qty), nil
}

func (b *sortedBook) Clear() {
	b.sides[0].clear()
	b.sides[1].clear()
}

func (b *sortedBook) Qty(side Side, price int64) int64 {
	t, err := b.ticks(price)
	if err != nil {
		return 0
	}
	switch side {
	case Bid:
		return b.sides[0].get(t)
	case Ask:
		return b.sides[1].get(-t)
	}
	return 0
}

func (b *sortedBook) Best(side Side) (int64, int64, bool) {
	s, mul := b.side(side)
	if s.len() == 0 {
		return 0, 0, false
	}
	top := s.last()
	return top.key * mul, top.qty, true
}

func (b *sortedBook) Len(side Side) int {
	s, _ := b.side(side)
	return s.len()
}

func (b *sortedBook) Crossed() bool {
	bids, asks := &b.sides[0], &b.sides[1]
	return bids.len() > 0 && asks.len() > 0 && bids.last().key >= -asks.last().key
}

func (b *sortedBook) Truncate(side Side, n int) int {
	s, _ := b.side(side)
	drop := s.len() - max(n, 0)
	if drop <= 0 {
		return 0
	}
	s.dropWorst(drop)
	return drop
}

func (b *sortedBook) Levels(side Side, n int, dst []Level) []Level {
	s, mul := b.side(side)
	for i := s.len() - 1; i >= 0 && n != 0; i-- {
		dst = append(dst, Level{Price: s.lv[i].key * mul, Qty: s.lv[i].qty})
		n--
	}
	return dst
}
