package binance

import (
	"sync"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim/match"
)

// fillRec is one fill of an account's order, as GET /api/v3/myTrades and FULL order responses
// report it.
type fillRec struct {
	tradeID    uint64
	orderID    match.OrderID
	price, qty int64
	quoteQty   int64 // price × qty, quote units at the price scale
	commission int64 // at commScale, in commAsset
	commScale  uint8
	commAsset  string
	timeMs     int64
	isBuyer    bool
	isMaker    bool
}

// newFillRec builds the record of the fill ev reports, for the side of the account it went to.
//
// Commission is charged, as on Binance (without BNB), in the asset the account receives: a buyer
// pays in the base asset, qty × rate, at wireScale; a seller in the quote asset, the Engine's fee.
// Both are truncated toward zero.
func newFillRec(mk *market, o *match.Order, f *match.Fill, maker bool) fillRec {
	r := fillRec{tradeID: f.TradeID, orderID: o.ID, price: f.Price, qty: f.Qty, quoteQty: f.Notional,
		timeMs: f.TS / 1e6, isBuyer: o.Side == event.SideBuy, isMaker: maker}
	fee, bps := f.TakerFee, mk.l.TakerFee
	if maker {
		fee, bps = f.MakerFee, mk.l.MakerFee
	}
	if r.isBuyer {
		q := f.Qty * fixed.Pow10(wireScale-mk.l.QtyScale)
		c, err := fixed.MulDiv(q, bps, match.FeeDivisor)
		if err != nil {
			c = 0
		}
		r.commission, r.commScale, r.commAsset = c, wireScale, mk.base
	} else {
		r.commission, r.commScale, r.commAsset = fee, mk.l.PriceScale, mk.quote
	}
	return r
}

// ledger keeps each account's recent fills per market (a bounded ring each). Written by the
// venue's order-event callback, read by request handlers: safe for concurrent use.
type ledger struct {
	mu      sync.Mutex
	markets int
	limit   int
	books   map[uint32][]fillRing // by account, then market index
}

type fillRing struct {
	recs []fillRec
	head int // index of the oldest once full
}

func newLedger(markets, limit int) *ledger {
	return &ledger{markets: markets, limit: limit, books: map[uint32][]fillRing{}}
}

func (l *ledger) add(account uint32, market int, r fillRec) {
	l.mu.Lock()
	defer l.mu.Unlock()
	rings, ok := l.books[account]
	if !ok {
		rings = make([]fillRing, l.markets)
		l.books[account] = rings
	}
	rg := &rings[market]
	if len(rg.recs) < l.limit {
		rg.recs = append(rg.recs, r)
		return
	}
	rg.recs[rg.head] = r
	rg.head = (rg.head + 1) % l.limit
}

// tradeQuery selects fills for myTrades.
type tradeQuery struct {
	orderID        match.OrderID // 0: any
	fromID         uint64        // > 0: trade ids >= fromID, oldest first
	hasFrom        bool
	startMs, endMs int64 // 0: unbounded
	limit          int
}

// query returns account's fills on market that q selects, oldest first: from fromID on when it
// is set, otherwise the most recent limit.
func (l *ledger) query(account uint32, market int, q tradeQuery) []fillRec {
	l.mu.Lock()
	defer l.mu.Unlock()
	rings, ok := l.books[account]
	if !ok {
		return nil
	}
	rg := &rings[market]
	n := len(rg.recs)
	var sel []fillRec
	for i := 0; i < n; i++ {
		r := rg.recs[(rg.head+i)%n]
		switch {
		case q.orderID != 0 && r.orderID != q.orderID:
		case q.hasFrom && r.tradeID < q.fromID:
		case q.startMs != 0 && r.timeMs < q.startMs:
		case q.endMs != 0 && r.timeMs > q.endMs:
		default:
			sel = append(sel, r)
		}
	}
	if len(sel) > q.limit {
		if q.hasFrom {
			sel = sel[:q.limit]
		} else {
			sel = sel[len(sel)-q.limit:]
		}
	}
	return sel
}
