package book

import (
	"errors"
	"strconv"
)

// Side of a book. The values equal event.SideBuy and event.SideSell (asserted by a test), so a
// side read from an event converts with a plain conversion.
type Side uint8

const (
	Bid Side = 1 // buy side: the best level is the highest price
	Ask Side = 2 // sell side: the best level is the lowest price
)

// String returns "bid", "ask" or "side(n)".
func (s Side) String() string {
	switch s {
	case Bid:
		return "bid"
	case Ask:
		return "ask"
	}
	return "side(" + strconv.Itoa(int(s)) + ")"
}

// Level is one price level: a price and the absolute quantity resting there, in instrument units.
type Level struct {
	Price int64
	Qty   int64
}

// MaxPrice is the largest price a Book accepts (2^62 price units), which keeps every price and
// tick index arithmetic inside int64.
const MaxPrice = 1 << 62

// DefaultCapacity is the per-side overflow capacity New uses when given capacity <= 0.
const DefaultCapacity = 1024

var (
	// ErrTick is returned by New for a tick that is not positive or exceeds MaxPrice.
	ErrTick = errors.New("book: tick must be in [1, MaxPrice]")
	// ErrPrice is returned for a price that is not positive or exceeds MaxPrice.
	ErrPrice = errors.New("book: price out of range (0, MaxPrice]")
	// ErrOffTick is returned for a price that is not a multiple of the book's tick.
	ErrOffTick = errors.New("book: price not on the tick")
	// ErrQty is returned for a negative quantity.
	ErrQty = errors.New("book: negative quantity")
	// ErrSide is returned for a side that is neither Bid nor Ask.
	ErrSide = errors.New("book: invalid side")
	// ErrVenues is returned by NewConsolidated for more than MaxVenues books.
	ErrVenues = errors.New("book: too many venues for a Consolidated")
)
