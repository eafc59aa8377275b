package book

import "math/bits"

// Notional is an unsigned 128-bit sum of price × quantity, in price units × quantity units.
type Notional struct {
	Hi, Lo uint64
}

// add adds price × qty.
// REQUIRES: price >= 0, qty >= 0.
func (n *Notional) add(price, qty int64) {
	hi, lo := bits.Mul64(uint64(price), uint64(qty))
	var c uint64
	n.Lo, c = bits.Add64(n.Lo, lo, 0)
	n.Hi += hi + c
}

// Sweep is what taking a quantity from the top of one side would consume.
type Sweep struct {
	Qty      int64    // quantity found, at most the quantity asked
	Levels   int      // levels touched; the last one may be taken in part
	Worst    int64    // price of the last level touched; 0 when Levels == 0
	Notional Notional // sum of price × quantity taken; divide by Qty for the average price
}

// DepthFor returns what taking qty from the best levels of side would consume (an aggressive buy
// of qty consumes the asks: DepthFor(Ask, qty)). Sweep.Qty < qty when the side is too thin.
func (b *Book) DepthFor(side Side, qty int64) Sweep {
	var s Sweep
	if side != Bid && side != Ask || qty <= 0 {
		return s
	}
	l, mul := b.side(side)
	var c cursor
	for ok := c.first(l); ok && s.Qty < qty; ok = c.next() {
		take := min(c.qty, qty-s.Qty)
		px := c.key * mul
		s.Qty += take
		s.Levels++
		s.Worst = px
		s.Notional.add(px, take)
	}
	return s
}

// CumQty returns the total quantity on side at prices at or better than limit (bids at or above
// limit, asks at or below it).
func (b *Book) CumQty(side Side, limit int64) int64 {
	if side != Bid && side != Ask {
		return 0
	}
	l, mul := b.side(side)
	var c cursor
	var sum int64
	for ok := c.first(l); ok; ok = c.next() {
		px := c.key * mul
		if side == Bid && px < limit || side == Ask && px > limit {
			break
		}
		sum += c.qty
	}
	return sum
}
