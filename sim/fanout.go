package sim

import (
	"fmt"

	"ems/core/event"
	"ems/sim/match"
)

// MarketEventKind says what a MarketEvent reports.
type MarketEventKind uint8

const (
	MarketLevel MarketEventKind = 1 // an aggregated book level changed
	MarketTrade MarketEventKind = 2 // a trade printed
)

// MarketEvent is one public market-data change of a market, in Engine order.
type MarketEvent struct {
	Market *Market
	Kind   MarketEventKind
	// Seq is the market's book sequence number: the nth level event of the market has Seq n
	// (1, 2, 3 ... with no gaps, over the venue's life). A trade carries the Seq of the latest
	// level event before it. Protocol servers derive their update ids from it (Binance U/u, OKX
	// seqId, Bybit u).
	Seq        uint64
	Side       event.Side // level: the book side; trade: the taker's side
	Price, Qty int64      // level: absolute quantity, 0 = level gone; trade: price and quantity
	TradeID    uint64     // trade: the Engine's trade id (1, 2, 3 ... per market)
	// TS is the trade's time for a trade, and for a level the time of its batch (the Step's now
	// or the Do's clock reading), ns since the Unix epoch.
	TS int64
	// Final marks the market's last event in its batch: one Do call, or one Step. A server may
	// gather events until Final and push them as one message.
	Final bool
}

// OrderEvent is one change of an account's order, in Engine order.
type OrderEvent struct {
	Market *Market
	Order  match.Order // the order after the change (Order.Exec says what the change was)
	// HasFill: the change is a fill, and Fill is it; Order is this account's side of the fill
	// (Maker says which). The Engine's separate order report of the same fill (Exec ==
	// ExecTrade) is not delivered: the fill event carries the same order state.
	HasFill bool
	Maker   bool
	Fill    match.Fill
}

// subscriber is a registered callback.
type subscriber[E any] struct {
	id   uint64
	fn   func(E)
	from int // skip the first from buffered events of the current batch (State.Subscribe)
}

// subscribers are a venue's market-data and order callbacks. Guarded by the venue lock.
type subscribers struct {
	next     uint64
	market   [][]subscriber[MarketEvent] // by Market.Index
	all      []subscriber[MarketEvent]
	accounts map[uint32][]subscriber[OrderEvent]
	late     bool // some subscriber has from > 0
}

func removeSub[E any](s []subscriber[E], id uint64) []subscriber[E] {
	for i := range s {
		if s[i].id == id {
			return append(s[:i:i], s[i+1:]...) // a copy: the old slice is never written
		}
	}
	return s
}

// Subscribe registers fn for the market events of market key (a canonical name or an unambiguous
// venue symbol; "" for every market) and returns the function that removes it.
//
// fn is called during Step and Do, on the calling goroutine, with the venue lock held, after the
// batch's engine calls: it must not block and must not call Do, Step, Subscribe, OrderEvents or
// an unsubscribe function (queue the event and return). Events arrive in Engine order with
// consecutive Seq. To start from a snapshot, use State.Subscribe inside Do, which subscribes and
// lets the caller read the book and Seq atomically.
//
// REQUIRES: not called from inside Do or a callback (the venue lock is not reentrant); the same
// holds for the returned function. Once it returns, fn is not called again.
func (v *Venue) Subscribe(key string, fn func(MarketEvent)) (unsubscribe func(), err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.subscribe(key, fn)
}

// subscribe is Subscribe with the venue lock held.
func (v *Venue) subscribe(key string, fn func(MarketEvent)) (func(), error) {
	var m *Market
	if key != "" {
		var ok bool
		if m, ok = v.Market(key); !ok {
			return nil, fmt.Errorf("sim: venue %s: no market %q", v.name, key)
		}
	}
	s := &v.subs
	s.next++
	id := s.next
	sub := subscriber[MarketEvent]{id: id, fn: fn, from: len(v.pendingM)}
	if sub.from > 0 {
		s.late = true
	}
	if m == nil {
		s.all = append(s.all, sub)
	} else {
		s.market[m.Index] = append(s.market[m.Index], sub)
	}
	return func() {
		v.mu.Lock()
		defer v.mu.Unlock()
		if m == nil {
			s.all = removeSub(s.all, id)
		} else {
			s.market[m.Index] = removeSub(s.market[m.Index], id)
		}
	}, nil
}

// OrderEvents registers fn for the order events of account (its orders on every market of the
// venue) and returns the function that removes it. fn is called like a Subscribe callback, with
// the same restrictions.
func (v *Venue) OrderEvents(account uint32, fn func(OrderEvent)) (unsubscribe func()) {
	v.mu.Lock()
	defer v.mu.Unlock()
	s := &v.subs
	s.next++
	id := s.next
	s.accounts[account] = append(s.accounts[account], subscriber[OrderEvent]{id: id, fn: fn})
	return func() {
		v.mu.Lock()
		defer v.mu.Unlock()
		if l := removeSub(s.accounts[account], id); len(l) > 0 {
			s.accounts[account] = l
		} else {
			delete(s.accounts, account)
		}
	}
}

// listener is a market's match.Listener: it numbers level events and buffers the events someone
// subscribed to until the batch ends (flush). It runs with the venue lock held.
type listener struct {
	v *Venue
	m *Market
}

func (l *listener) wantMarket() bool {
	return len(l.v.subs.all) > 0 || len(l.v.subs.market[l.m.Index]) > 0
}

func (l *listener) OnLevel(side event.Side, price, qty int64) {
	l.m.seq++
	if l.wantMarket() {
		l.v.pendingM = append(l.v.pendingM, MarketEvent{Market: l.m, Kind: MarketLevel, Seq: l.m.seq,
			Side: side, Price: price, Qty: qty, TS: l.v.batchTS})
	}
}

func (l *listener) OnTrade(f *match.Fill) {
	if l.wantMarket() {
		l.v.pendingM = append(l.v.pendingM, MarketEvent{Market: l.m, Kind: MarketTrade, Seq: l.m.seq,
			Side: f.TakerSide, Price: f.Price, Qty: f.Qty, TradeID: f.TradeID, TS: f.TS})
	}
	if _, ok := l.v.subs.accounts[f.Maker.Account]; ok {
		l.v.pendingO = append(l.v.pendingO, OrderEvent{Market: l.m, Order: f.Maker, HasFill: true,
			Maker: true, Fill: *f})
	}
	if _, ok := l.v.subs.accounts[f.Taker.Account]; ok {
		l.v.pendingO = append(l.v.pendingO, OrderEvent{Market: l.m, Order: f.Taker, HasFill: true, Fill: *f})
	}
}

func (l *listener) OnOrder(o *match.Order) {
	if o.Exec == match.ExecTrade {
		return // reported with its fill by OnTrade
	}
	if _, ok := l.v.subs.accounts[o.Account]; ok {
		l.v.pendingO = append(l.v.pendingO, OrderEvent{Market: l.m, Order: *o})
	}
}

// flush delivers the batch's buffered events: order events first, then market events with Final
// set on each market's last one. REQUIRES: the venue lock is held.
func (v *Venue) flush() {
	s := &v.subs
	for i := range v.pendingO {
		ev := &v.pendingO[i]
		for _, sub := range s.accounts[ev.Order.Account] {
			sub.fn(*ev)
		}
	}
	clear(v.pendingO)
	v.pendingO = v.pendingO[:0]
	for i := len(v.pendingM) - 1; i >= 0; i-- {
		if ev := &v.pendingM[i]; !v.final[ev.Market.Index] {
			ev.Final, v.final[ev.Market.Index] = true, true
		}
	}
	clear(v.final)
	for i := range v.pendingM {
		ev := &v.pendingM[i]
		for _, sub := range s.market[ev.Market.Index] {
			if i >= sub.from {
				sub.fn(*ev)
			}
		}
		for _, sub := range s.all {
			if i >= sub.from {
				sub.fn(*ev)
			}
		}
	}
	clear(v.pendingM)
	v.pendingM = v.pendingM[:0]
	if s.late {
		s.late = false
		for i := range s.all {
			s.all[i].from = 0
		}
		for _, l := range s.market {
			for i := range l {
				l[i].from = 0
			}
		}
	}
}
