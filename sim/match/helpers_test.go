package match

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ems/core/book"
	"ems/core/event"
)

const (
	buy  = event.SideBuy
	sell = event.SideSell
)

// testRules: prices at scale 2 on a tick of 5, quantities at scale 3 on a lot of 10, MinQty 20,
// maker rebate 0.25 bps, taker 5.50 bps.
var testRules = Rules{PriceScale: 2, QtyScale: 3, Tick: 5, Lot: 10, MinQty: 20,
	MakerFee: -25, TakerFee: 550}

// countListener counts events without allocating.
type countListener struct{ levels, trades, orders int }

func (c *countListener) OnLevel(event.Side, int64, int64) { c.levels++ }
func (c *countListener) OnTrade(*Fill)                    { c.trades++ }
func (c *countListener) OnOrder(*Order)                   { c.orders++ }

// recorder is a Listener writing every event as a line of text.
type recorder struct {
	lines []string
	fills []Fill
}

func (r *recorder) OnLevel(side event.Side, price, qty int64) {
	r.lines = append(r.lines, fmt.Sprintf("level %s %d %d", side, price, qty))
}

func (r *recorder) OnTrade(f *Fill) {
	r.fills = append(r.fills, *f)
	r.lines = append(r.lines, fmt.Sprintf("trade #%d %dx%d maker=%d taker=%d fees=%d/%d",
		f.TradeID, f.Price, f.Qty, f.Maker.ID, f.Taker.ID, f.MakerFee, f.TakerFee))
}

func (r *recorder) OnOrder(o *Order) {
	r.lines = append(r.lines, fmt.Sprintf("order %d %s %s %d/%d", o.ID, o.Status, o.Exec, o.Filled, o.Qty))
}

// take returns the recorded lines and forgets them.
func (r *recorder) take() []string {
	l := r.lines
	r.lines, r.fills = nil, nil
	return l
}

func newTestEngine(t testing.TB, rules Rules) (*Engine, *recorder) {
	t.Helper()
	rec := &recorder{}
	e, err := New("BTC-USDT", rules, rec)
	if err != nil {
		t.Fatal(err)
	}
	return e, rec
}

func limit(acct uint32, side event.Side, price, qty int64) Request {
	return Request{Account: acct, Side: side, Type: event.OrderLimit, TIF: event.TIFGTC, Price: price, Qty: qty}
}

func market(acct uint32, side event.Side, qty int64) Request {
	return Request{Account: acct, Side: side, Type: event.OrderMarket, Qty: qty}
}

// mustSubmit submits r and fails the test on an error.
func mustSubmit(t testing.TB, e *Engine, r Request) Order {
	t.Helper()
	o, err := e.Submit(r, 1)
	if err != nil {
		t.Fatalf("Submit(%+v): %v", r, err)
	}
	return o
}

// reasonOf returns the reject reason of err (RejectUnknown for nil or a foreign error).
func reasonOf(err error) event.RejectReason {
	var me *Error
	if errors.As(err, &me) {
		return me.Reason
	}
	return event.RejectUnknown
}

// depthString renders all levels of both sides: "bids 100x5 95x10 | asks 105x3".
func depthString(e *Engine) string {
	var b strings.Builder
	b.WriteString("bids")
	for _, l := range e.Depth(buy, -1, nil) {
		fmt.Fprintf(&b, " %dx%d", l.Price, l.Qty)
	}
	b.WriteString(" | asks")
	for _, l := range e.Depth(sell, -1, nil) {
		fmt.Fprintf(&b, " %dx%d", l.Price, l.Qty)
	}
	return b.String()
}

// checkInvariants walks the engine's internal structures and fails on any broken invariant:
// sorted halves, non-empty levels whose quantity is the sum of their orders' leaves, consistent
// links, open orders indexed exactly once, account lists ascending by id, and no crossed book.
func checkInvariants(t testing.TB, e *Engine) {
	t.Helper()
	if err := invariantError(e); err != nil {
		t.Fatal(err)
	}
}

func invariantError(e *Engine) error {
	seen := 0
	for _, h := range []*half{&e.bids, &e.asks} {
		for i, s := range h.slots {
			if i > 0 && h.slots[i-1].key >= s.key {
				return fmt.Errorf("%s keys not ascending at %d", h.side, i)
			}
			lv := &e.levels[s.lvl]
			if lv.side != h.side || s.key != h.sgn*lv.price {
				return fmt.Errorf("%s slot %d: level side %s price %d key %d", h.side, i, lv.side, lv.price, s.key)
			}
			if lv.head == nilIdx {
				return fmt.Errorf("%s level %d is empty", h.side, lv.price)
			}
			var sum int64
			prev := nilIdx
			for n := lv.head; n != nilIdx; n = e.nodes[n].next {
				nd := &e.nodes[n]
				if nd.prev != prev || nd.lvl != s.lvl {
					return fmt.Errorf("order %d: bad queue links", nd.o.ID)
				}
				if !nd.o.Status.Open() || nd.o.Price != lv.price || nd.o.Side != h.side || nd.o.Filled >= nd.o.Qty {
					return fmt.Errorf("order %d resting in %s %d: %+v", nd.o.ID, h.side, lv.price, nd.o)
				}
				if e.open[nd.o.ID] != n {
					return fmt.Errorf("order %d not indexed as open", nd.o.ID)
				}
				sum += nd.o.Qty - nd.o.Filled
				prev = n
				seen++
			}
			if lv.tail != prev || sum != lv.qty {
				return fmt.Errorf("%s level %d: qty %d, orders sum %d", h.side, lv.price, lv.qty, sum)
			}
		}
	}
	if seen != len(e.open) {
		return fmt.Errorf("%d orders rest, %d indexed open", seen, len(e.open))
	}
	inLists := 0
	for acct, a := range e.accounts {
		var last OrderID
		prev := nilIdx
		for n := a.head; n != nilIdx; n = e.nodes[n].anext {
			nd := &e.nodes[n]
			if nd.aprev != prev || nd.o.Account != acct || nd.o.ID <= last {
				return fmt.Errorf("account %d list broken at order %d", acct, nd.o.ID)
			}
			last, prev = nd.o.ID, n
			inLists++
		}
		if a.tail != prev {
			return fmt.Errorf("account %d: bad tail", acct)
		}
	}
	if inLists != len(e.open) {
		return fmt.Errorf("%d orders in account lists, %d open", inLists, len(e.open))
	}
	bp, _, bok := e.Best(buy)
	ap, _, aok := e.Best(sell)
	if bok && aok && bp >= ap {
		return fmt.Errorf("crossed book at rest: bid %d >= ask %d", bp, ap)
	}
	return nil
}

// levelsEqual compares two level slices.
func levelsEqual(a, b []book.Level) bool { return slices.Equal(a, b) }
