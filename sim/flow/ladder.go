package flow

import (
	"ems/core/event"
	"ems/sim/match"
)

// quote is one of the flow's resting orders. The flow quotes at most one order per price.
type quote struct {
	id     match.OrderID
	price  int64
	qty    int64 // the order's quantity as placed or replaced
	filled int64 // the order's filled quantity when the flow last looked
}

// ladder is the flow's quotes on one side of the book, best first, at strictly worsening prices.
//
// INVARIANT: q is sorted best first with distinct prices; every quote's order was open when the
// flow last looked at it (quotes near the touch are re-checked each quantum, see Flow.sync).
type ladder struct {
	side event.Side
	q    []quote
	tmp  []quote // scratch for inserting at the front; swapped with q
}

func newLadder(side event.Side, levels int) ladder {
	return ladder{side: side, q: make([]quote, 0, 2*levels+16), tmp: make([]quote, 0, 2*levels+16)}
}

// better reports whether price a is strictly better than b on this side (higher for bids).
func (l *ladder) better(a, b int64) bool {
	if l.side == event.SideBuy {
		return a > b
	}
	return a < b
}

// deeper returns the price d price units worse than p on this side.
func (l *ladder) deeper(p, d int64) int64 {
	if l.side == event.SideBuy {
		return p - d
	}
	return p + d
}

// dropFront removes the first n quotes.
func (l *ladder) dropFront(n int) {
	if n <= 0 {
		return
	}
	k := copy(l.q, l.q[n:])
	l.q = l.q[:k]
}

// removeAt removes quote i.
func (l *ladder) removeAt(i int) {
	copy(l.q[i:], l.q[i+1:])
	l.q = l.q[:len(l.q)-1]
}

// prepend puts the quotes in l.tmp (best first) before the current ones and empties l.tmp.
func (l *ladder) prepend() {
	if len(l.tmp) == 0 {
		return
	}
	l.tmp = append(l.tmp, l.q...)
	l.q, l.tmp = l.tmp, l.q[:0]
}
