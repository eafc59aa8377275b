package match

import (
	"fmt"
	"math/big"
	"slices"

	"ems/core/book"
	"ems/core/event"
)

// refModel is a brute-force reference engine for the differential test and the benchmark
// baseline: resting orders in an unordered slice, the next maker found by scanning for the best
// price and then the lowest arrival sequence, fees in math/big. It implements the documented
// rules independently of the engine's code, and writes the events it expects in the recorder's
// format. It has no overflow guard: the differential test keeps values small.
type refModel struct {
	rules   Rules
	lastID  OrderID
	trade   uint64
	seq     uint64
	all     map[OrderID]*refOrder
	resting []*refOrder
	clients map[clientKey]OrderID
	events  []string
	fills   []Fill
	quiet   bool // no events or fills (benchmark)
}

type refOrder struct {
	o   Order
	seq uint64 // arrival for time priority; renewed when a replace loses priority
}

func newRefModel(r Rules) *refModel {
	return &refModel{rules: r, all: map[OrderID]*refOrder{}, clients: map[clientKey]OrderID{}}
}

func (m *refModel) event(format string, args ...any) {
	if !m.quiet {
		m.events = append(m.events, fmt.Sprintf(format, args...))
	}
}

func (m *refModel) orderEvent(o *Order) {
	m.event("order %d %s %s %d/%d", o.ID, o.Status, o.Exec, o.Filled, o.Qty)
}

// take returns the expected events and fills and forgets them.
func (m *refModel) take() ([]string, []Fill) {
	ev, f := m.events, m.fills
	m.events, m.fills = nil, nil
	return ev, f
}

// bigDiv returns a × b / d truncated toward zero, with big integers.
func bigDiv(a, b, d int64) int64 {
	x := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return x.Quo(x, big.NewInt(d)).Int64()
}

func (m *refModel) notional(price, qty int64) int64 {
	d := int64(1)
	for range m.rules.QtyScale {
		d *= 10
	}
	return bigDiv(price, qty, d)
}

// best returns the resting order of side that trades first.
func (m *refModel) best(side event.Side) *refOrder {
	var b *refOrder
	for _, r := range m.resting {
		if r.o.Side != side {
			continue
		}
		if b == nil || r.o.Price == b.o.Price && r.seq < b.seq ||
			side == event.SideBuy && r.o.Price > b.o.Price || side == event.SideSell && r.o.Price < b.o.Price {
			b = r
		}
	}
	return b
}

func (m *refModel) levelQty(side event.Side, price int64) int64 {
	var q int64
	for _, r := range m.resting {
		if r.o.Side == side && r.o.Price == price {
			q += r.o.Qty - r.o.Filled
		}
	}
	return q
}

func (m *refModel) unrest(id OrderID) {
	m.resting = slices.DeleteFunc(m.resting, func(r *refOrder) bool { return r.o.ID == id })
}

func (m *refModel) isOpen(id OrderID) bool {
	r, ok := m.all[id]
	return ok && (r.o.Status == StatusNew || r.o.Status == StatusPartiallyFilled)
}

func accepts(side event.Side, limit, price int64) bool {
	if side == event.SideBuy {
		return limit >= price
	}
	return limit <= price
}

func other(side event.Side) event.Side { return 3 - side }

// validate returns the reason the engine refuses r for, in the documented order.
func (m *refModel) validate(r *Request) event.RejectReason {
	ru := m.rules
	switch {
	case r.Side != event.SideBuy && r.Side != event.SideSell,
		r.Type > event.OrderMarket, r.TIF > event.TIFFOK,
		r.PostOnly && (r.Type != event.OrderLimit || r.TIF != event.TIFGTC):
		return event.RejectInvalidRequest
	case r.Qty <= 0:
		return event.RejectQtyFilter
	case r.Type == event.OrderLimit && (r.Price <= 0 || r.Price%ru.Tick != 0):
		return event.RejectPriceFilter
	case r.Qty%ru.Lot != 0 || r.Qty < ru.MinQty:
		return event.RejectQtyFilter
	}
	value := r.Price
	if r.Type == event.OrderMarket {
		b := m.best(other(r.Side))
		if b == nil {
			return event.RejectInvalidRequest
		}
		value = b.o.Price
	}
	if m.notional(value, r.Qty) < ru.MinNotional {
		return event.RejectMinNotional
	}
	return 0
}

func (m *refModel) crossesNow(side event.Side, price int64) bool {
	b := m.best(other(side))
	return b != nil && accepts(side, price, b.o.Price)
}

func (m *refModel) submit(r Request, ts int64) (Order, event.RejectReason) {
	m.lastID++
	o := Order{ID: m.lastID, Request: r, Created: ts, Updated: ts}
	reason := m.validate(&r)
	if reason == 0 && r.ClientID != "" {
		if id, ok := m.clients[clientKey{r.Account, r.ClientID}]; ok && m.isOpen(id) {
			reason = event.RejectDuplicate
		}
	}
	if reason == 0 && r.PostOnly && m.crossesNow(r.Side, r.Price) {
		reason = event.RejectPostOnly
	}
	if reason == 0 && r.TIF == event.TIFFOK {
		var avail int64
		for _, x := range m.resting {
			if x.o.Side != r.Side && (r.Type == event.OrderMarket || accepts(r.Side, r.Price, x.o.Price)) {
				avail += x.o.Qty - x.o.Filled
			}
		}
		if avail < r.Qty {
			reason = event.RejectFOK
		}
	}
	ro := &refOrder{o: o}
	m.all[o.ID] = ro
	if reason != 0 {
		ro.o.Reason = reason
		ro.o.Status, ro.o.Exec = StatusRejected, ExecRejected
		if reason == event.RejectFOK {
			ro.o.Status, ro.o.Exec = StatusExpired, ExecExpired
			m.index(&ro.o)
		}
		m.orderEvent(&ro.o)
		return ro.o, reason
	}
	ro.o.Status, ro.o.Exec = StatusNew, ExecNew
	m.index(&ro.o)
	m.orderEvent(&ro.o)
	m.match(ro, ts)
	m.settle(ro, ts)
	return ro.o, 0
}

func (m *refModel) index(o *Order) {
	if o.ClientID != "" {
		m.clients[clientKey{o.Account, o.ClientID}] = o.ID
	}
}

func (m *refModel) match(t *refOrder, ts int64) {
	levelOpen := false
	var levelPrice int64
	closeLevel := func() {
		if levelOpen {
			m.event("level %s %d %d", other(t.o.Side), levelPrice, m.levelQty(other(t.o.Side), levelPrice))
			levelOpen = false
		}
	}
	for t.o.Filled < t.o.Qty {
		mk := m.best(other(t.o.Side))
		if mk == nil || t.o.Type == event.OrderLimit && !accepts(t.o.Side, t.o.Price, mk.o.Price) {
			break
		}
		if levelOpen && mk.o.Price != levelPrice {
			closeLevel()
		}
		levelOpen, levelPrice = true, mk.o.Price
		q := min(t.o.Qty-t.o.Filled, mk.o.Qty-mk.o.Filled)
		n := m.notional(mk.o.Price, q)
		mf, tf := bigDiv(n, m.rules.MakerFee, 1_000_000), bigDiv(n, m.rules.TakerFee, 1_000_000)
		for _, x := range []struct {
			o   *Order
			fee int64
		}{{&mk.o, mf}, {&t.o, tf}} {
			x.o.Filled += q
			x.o.Notional += n
			x.o.Fees += x.fee
			x.o.Exec, x.o.Updated = ExecTrade, ts
			x.o.Status = StatusPartiallyFilled
			if x.o.Filled == x.o.Qty {
				x.o.Status = StatusFilled
			}
		}
		m.trade++
		if !m.quiet {
			m.fills = append(m.fills, Fill{TradeID: m.trade, Price: mk.o.Price, Qty: q, Notional: n,
				Maker: mk.o, Taker: t.o, MakerFee: mf, TakerFee: tf, TakerSide: t.o.Side, TS: ts})
		}
		m.event("trade #%d %dx%d maker=%d taker=%d fees=%d/%d", m.trade, mk.o.Price, q, mk.o.ID, t.o.ID, mf, tf)
		m.orderEvent(&mk.o)
		m.orderEvent(&t.o)
		if mk.o.Status == StatusFilled {
			m.unrest(mk.o.ID)
		}
	}
	closeLevel()
}

// settle rests a GTC limit remainder or expires any other.
func (m *refModel) settle(t *refOrder, ts int64) {
	if t.o.Filled == t.o.Qty {
		return
	}
	if t.o.Type == event.OrderLimit && t.o.TIF == event.TIFGTC {
		m.seq++
		t.seq = m.seq
		m.resting = append(m.resting, t)
		m.event("level %s %d %d", t.o.Side, t.o.Price, m.levelQty(t.o.Side, t.o.Price))
		return
	}
	t.o.Status, t.o.Exec, t.o.Updated = StatusExpired, ExecExpired, ts
	m.orderEvent(&t.o)
}

func (m *refModel) cancel(account uint32, id OrderID, ts int64) (Order, event.RejectReason) {
	r, ok := m.all[id]
	if !ok || !m.isOpen(id) || r.o.Account != account {
		return Order{}, event.RejectUnknownOrder
	}
	m.unrest(id)
	r.o.Status, r.o.Exec, r.o.Updated = StatusCanceled, ExecCanceled, ts
	m.orderEvent(&r.o)
	m.event("level %s %d %d", r.o.Side, r.o.Price, m.levelQty(r.o.Side, r.o.Price))
	return r.o, 0
}

func (m *refModel) cancelClient(account uint32, cid string, ts int64) (Order, event.RejectReason) {
	id, ok := m.clients[clientKey{account, cid}]
	if !ok || cid == "" {
		return Order{}, event.RejectUnknownOrder
	}
	return m.cancel(account, id, ts)
}

func (m *refModel) replace(account uint32, id OrderID, price, qty, ts int64) (Order, event.RejectReason) {
	r, ok := m.all[id]
	if !ok || !m.isOpen(id) || r.o.Account != account {
		return Order{}, event.RejectUnknownOrder
	}
	req := r.o.Request
	req.Price, req.Qty = price, qty
	if reason := m.validate(&req); reason != 0 {
		return r.o, reason
	}
	if req.PostOnly && m.crossesNow(req.Side, price) {
		return r.o, event.RejectPostOnly
	}
	if qty <= r.o.Filled {
		return m.cancel(account, id, ts)
	}
	oldPrice, oldQty := r.o.Price, r.o.Qty
	r.o.Price, r.o.Qty, r.o.Exec, r.o.Updated = price, qty, ExecReplaced, ts
	if price == oldPrice && qty <= oldQty {
		m.orderEvent(&r.o)
		if qty != oldQty {
			m.event("level %s %d %d", r.o.Side, price, m.levelQty(r.o.Side, price))
		}
		return r.o, 0
	}
	m.unrest(id)
	m.orderEvent(&r.o)
	if price != oldPrice {
		m.event("level %s %d %d", r.o.Side, oldPrice, m.levelQty(r.o.Side, oldPrice))
	}
	m.match(r, ts)
	m.settle(r, ts)
	return r.o, 0
}

// levels returns side's aggregated levels, best first.
func (m *refModel) levels(side event.Side) []book.Level {
	agg := map[int64]int64{}
	for _, r := range m.resting {
		if r.o.Side == side {
			agg[r.o.Price] += r.o.Qty - r.o.Filled
		}
	}
	out := make([]book.Level, 0, len(agg))
	for p, q := range agg {
		out = append(out, book.Level{Price: p, Qty: q})
	}
	slices.SortFunc(out, func(a, b book.Level) int {
		if side == event.SideBuy {
			return int(b.Price - a.Price)
		}
		return int(a.Price - b.Price)
	})
	return out
}

// open returns account's open orders by id.
func (m *refModel) open(account uint32) []Order {
	var out []Order
	for _, r := range m.resting {
		if r.o.Account == account {
			out = append(out, r.o)
		}
	}
	slices.SortFunc(out, func(a, b Order) int { return int(a.ID) - int(b.ID) })
	return out
}
