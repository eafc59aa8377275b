package book

import "math"

// MaxVenues is the number of books a Consolidated can merge (one bit each in ConsLevel.Venues).
const MaxVenues = 64

// ConsLevel is one price level of a consolidated side.
type ConsLevel struct {
	Price  int64
	Qty    int64  // quantity at Price summed over the usable venues
	Cum    int64  // Qty summed over this level and every better one
	Venues uint64 // bit v is set when venue v has a level at Price
}

// Consolidated is a read-only view over the books of one instrument on several venues: the venue
// index v is the position of the venue's book in the slice given to NewConsolidated. Only usable
// venues count; a venue starts unusable, and the owner marks it usable when its book is live and
// unusable when the book turns invalid or the venue stale.
//
// REQUIRES: all books use the same price and quantity scales (their ticks may differ).
//
// A Consolidated is owned by the goroutine that owns its books (the core) and is not safe for
// concurrent use. It allocates nothing after NewConsolidated.
type Consolidated struct {
	books  []*Book
	usable uint64
	cur    [MaxVenues]cursor
	np     [MaxVenues]int64 // per-venue current price, normalized so that larger is better
}

// NewConsolidated returns a view over books (nil entries are venues without a book). The slice is
// copied; the books are not.
func NewConsolidated(books []*Book) (*Consolidated, error) {
	if len(books) > MaxVenues {
		return nil, ErrVenues
	}
	return &Consolidated{books: append([]*Book(nil), books...)}, nil
}

// Venues returns the number of venue slots.
func (c *Consolidated) Venues() int { return len(c.books) }

// Book returns the book of venue v (nil when none).
func (c *Consolidated) Book(v int) *Book { return c.books[v] }

// SetUsable marks venue v usable or not. Out-of-range v is ignored.
func (c *Consolidated) SetUsable(v int, ok bool) {
	if uint(v) >= uint(len(c.books)) {
		return
	}
	if ok {
		c.usable |= 1 << uint(v)
	} else {
		c.usable &^= 1 << uint(v)
	}
}

// Usable reports whether venue v is usable and has a book.
func (c *Consolidated) Usable(v int) bool {
	return uint(v) < uint(len(c.books)) && c.usable&(1<<uint(v)) != 0 && c.books[v] != nil
}

// BestBid returns the highest bid over the usable venues, its quantity on that venue and the venue;
// on a tie the lowest venue index wins. ok is false when no usable venue has a bid.
func (c *Consolidated) BestBid() (px, qty int64, venue int, ok bool) {
	return c.Best(Bid)
}

// BestAsk returns the lowest ask over the usable venues, like BestBid.
func (c *Consolidated) BestAsk() (px, qty int64, venue int, ok bool) {
	return c.Best(Ask)
}

// Best returns the best level of side over the usable venues, like BestBid.
func (c *Consolidated) Best(side Side) (px, qty int64, venue int, ok bool) {
	if side != Bid && side != Ask {
		return 0, 0, -1, false
	}
	bestNP := int64(math.MinInt64)
	venue = -1
	for v, b := range c.books {
		if c.usable&(1<<uint(v)) == 0 || b == nil {
			continue
		}
		l, mul := b.side(side)
		if l.n == 0 {
			continue
		}
		k, q := l.bestLevel()
		if np := k * b.tick; np > bestNP { // k*tick: price for bids, -price for asks
			bestNP, qty, venue = np, q, v
			px = k * mul
		}
	}
	return px, qty, venue, venue >= 0
}

// Levels appends up to n consolidated levels of side (all when n < 0) to dst, best first: the
// ordered merge of the usable venues' levels, equal prices summed. It allocates only when dst
// lacks capacity. Cost: O(levels read × usable venues).
func (c *Consolidated) Levels(side Side, n int, dst []ConsLevel) []ConsLevel {
	if side != Bid && side != Ask || n == 0 {
		return dst
	}
	var active uint64
	for v, b := range c.books {
		if c.usable&(1<<uint(v)) == 0 || b == nil {
			continue
		}
		l, _ := b.side(side)
		if c.cur[v].first(l) {
			c.np[v] = c.cur[v].key * b.tick
			active |= 1 << uint(v)
		}
	}
	var cum int64
	for active != 0 && n != 0 {
		best := int64(math.MinInt64)
		for m := active; m != 0; m &= m - 1 {
			if np := c.np[trailing(m)]; np > best {
				best = np
			}
		}
		lv := ConsLevel{Price: best}
		if side == Ask {
			lv.Price = -best
		}
		for m := active; m != 0; m &= m - 1 {
			v := trailing(m)
			if c.np[v] != best {
				continue
			}
			cur := &c.cur[v]
			lv.Qty += cur.qty
			lv.Venues |= 1 << uint(v)
			if cur.next() {
				c.np[v] = cur.key * c.books[v].tick
			} else {
				active &^= 1 << uint(v)
			}
		}
		cum += lv.Qty
		lv.Cum = cum
		dst = append(dst, lv)
		n--
	}
	return dst
}
