package book

// Book is the L2 book of one (venue, instrument): two ladders of absolute level sizes indexed by
// price/tick. The zero value is not usable; build one with New.
//
// A Book is owned by one goroutine (the feed or core thread that applies its updates) and is not
// safe for concurrent use. It is large (about 66 KB): keep it behind its pointer, never copy it.
type Book struct {
	tick int64
	div  divider
	// sides[0] holds the bids with key = price/tick, sides[1] the asks with key = -price/tick,
	// so that a larger key is a better level on both sides.
	sides [2]ladder
}

// New returns an empty book for an instrument whose tick is tick price units. capacity is the
// number of levels per side that may lie outside the ladder's window (about 3500 ticks or more
// behind the touch, or left behind by a price move) without allocating; capacity <= 0 means DefaultCapacity. Levels past that
// capacity are accepted and grow the overflow array (an allocation).
func New(tick int64, capacity int) (*Book, error) {
	if tick <= 0 || tick > MaxPrice {
		return nil, ErrTick
	}
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	b := &Book{tick: tick, div: newDivider(uint64(tick))}
	b.sides[0].ovf = newSortedLevels(capacity)
	b.sides[1].ovf = newSortedLevels(capacity)
	return b, nil
}

// Tick returns the book's tick in price units.
func (b *Book) Tick() int64 { return b.tick }

// ticks converts price to its tick index.
func (b *Book) ticks(price int64) (int64, error) {
	if price <= 0 || price > MaxPrice {
		return 0, ErrPrice
	}
	t, ok := b.div.exact(uint64(price))
	if !ok {
		return 0, ErrOffTick
	}
	return int64(t), nil
}

// side returns the ladder of s and the multiplier from its keys to prices.
// REQUIRES: s is Bid or Ask.
func (b *Book) side(s Side) (*ladder, int64) {
	if s == Bid {
		return &b.sides[0], b.tick
	}
	return &b.sides[1], -b.tick
}

// Set sets the level at price on side to the absolute quantity qty; qty 0 deletes the level, and
// deleting a level that does not exist is a no-op. It returns the level's previous quantity (0: it
// did not exist), so prev != 0 tells whether it existed and prev != qty whether it changed.
// A price off the tick or out of range, a negative quantity or an invalid side is an error and
// leaves the book unchanged.
func (b *Book) Set(side Side, price, qty int64) (prev int64, err error) {
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
	// Branch-free side selection: updates alternate sides unpredictably.
	neg := -int64(i) // 0 for bids, -1 for asks
	return b.sides[i&1].set(t^neg-neg, qty), nil
}

// Apply sets each level of levels on side, in order (a repeated price ends with its last
// quantity). It stops at the first invalid level and returns its error; the levels before it stay
// applied.
func (b *Book) Apply(side Side, levels []Level) error {
	for i := range levels {
		if _, err := b.Set(side, levels[i].Price, levels[i].Qty); err != nil {
			return err
		}
	}
	return nil
}

// Clear empties both sides. A feed clears its book when it loses sync; the core clears its view
// when the venue's book is reported invalid. O(window/64).
func (b *Book) Clear() {
	b.sides[0].clear()
	b.sides[1].clear()
}

// BeginSnapshot starts loading a snapshot: it clears the book, after which the caller Sets every
// level of the snapshot. A snapshot always replaces the book; it is never merged into the levels
// held before, which could hold levels the venue has since deleted.
func (b *Book) BeginSnapshot() { b.Clear() }

// Qty returns the quantity at price on side, 0 when there is no level there (or price is invalid).
func (b *Book) Qty(side Side, price int64) int64 {
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

// BestBid returns the highest bid and its quantity; ok is false when there is no bid. O(1).
func (b *Book) BestBid() (px, qty int64, ok bool) {
	l := &b.sides[0]
	if l.n == 0 {
		return 0, 0, false
	}
	k, q := l.bestLevel()
	return k * b.tick, q, true
}

// BestAsk returns the lowest ask and its quantity; ok is false when there is no ask. O(1).
func (b *Book) BestAsk() (px, qty int64, ok bool) {
	l := &b.sides[1]
	if l.n == 0 {
		return 0, 0, false
	}
	k, q := l.bestLevel()
	return -k * b.tick, q, true
}

// Best returns the best level of side; ok is false when the side is empty. O(1).
func (b *Book) Best(side Side) (px, qty int64, ok bool) {
	if side == Bid {
		return b.BestBid()
	}
	if side == Ask {
		return b.BestAsk()
	}
	return 0, 0, false
}

// Len returns the number of levels on side.
func (b *Book) Len(side Side) int {
	if side != Bid && side != Ask {
		return 0
	}
	l, _ := b.side(side)
	return l.size()
}

// Empty reports whether both sides are empty.
func (b *Book) Empty() bool { return b.sides[0].n == 0 && b.sides[1].n == 0 }

// Crossed reports whether both sides hold levels and the best bid is at or above the best ask.
// A venue's book is never crossed after a complete update; a crossed replica is a symptom.
func (b *Book) Crossed() bool {
	bids, asks := &b.sides[0], &b.sides[1]
	return bids.n > 0 && asks.n > 0 && bids.best >= -asks.best
}

// Truncate keeps the n best levels of side and drops the others (n <= 0 empties the side); it
// returns the number of levels dropped. Venues that publish a fixed depth (Kraken) send no
// deletes for levels pushed out of it: truncate after each message. O(1) when nothing is dropped.
func (b *Book) Truncate(side Side, n int) int {
	if side != Bid && side != Ask {
		return 0
	}
	l, _ := b.side(side)
	return l.truncate(n)
}

// Levels appends up to n best levels of side (all when n < 0) to dst, best first, and returns the
// extended slice. It allocates only when dst lacks capacity.
func (b *Book) Levels(side Side, n int, dst []Level) []Level {
	if side != Bid && side != Ask {
		return dst
	}
	l, mul := b.side(side)
	return l.appendLevels(dst, n, mul)
}

// Walk calls fn with the price and quantity of up to n best levels of side (all when n < 0), best
// first, and stops early when fn returns false. fn must not modify the book.
func (b *Book) Walk(side Side, n int, fn func(price, qty int64) bool) {
	if side != Bid && side != Ask {
		return
	}
	l, mul := b.side(side)
	l.walk(n, mul, fn)
}
