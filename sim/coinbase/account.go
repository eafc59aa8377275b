package coinbase

import (
	"math"

	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// account is what the server keeps of one engine account: metadata of the orders placed through
// it, its client order ids, and its fills, each bounded by Options.History (oldest forgotten
// first), plus running totals for transaction_summary. Guarded by Server.mu.
type account struct {
	id      uint32
	limit   int
	orders  map[orderKey]*orderMeta
	keys    []orderKey // creation order; keys[head:] are live
	head    int
	clients map[string]orderKey
	fills   []fillRecord // fills[fhead:] are live, oldest first
	fhead   int
	volume  int64 // traded notional, quote units at volumeScale
	fees    int64 // fees paid, quote units at volumeScale
}

// volumeScale is the scale of account totals, common to every market.
const volumeScale = 8

func newAccount(id uint32, limit int) *account {
	return &account{id: id, limit: limit, orders: map[orderKey]*orderMeta{}, clients: map[string]orderKey{}}
}

// addOrder records m, forgetting the oldest order beyond the limit.
func (a *account) addOrder(m *orderMeta) {
	a.orders[m.key] = m
	a.keys = append(a.keys, m.key)
	if m.clientID != "" {
		a.clients[m.clientID] = m.key
	}
	for len(a.keys)-a.head > a.limit {
		old := a.orders[a.keys[a.head]]
		delete(a.orders, a.keys[a.head])
		if old != nil && a.clients[old.clientID] == old.key {
			delete(a.clients, old.clientID)
		}
		a.head++
	}
	if a.head > len(a.keys)/2 && a.head > 64 {
		a.keys = append(a.keys[:0], a.keys[a.head:]...)
		a.head = 0
	}
}

// liveKeys returns the remembered orders' keys, oldest first (valid until the next addOrder).
func (a *account) liveKeys() []orderKey { return a.keys[a.head:] }

// addFill records f and updates the totals.
func (a *account) addFill(f fillRecord) {
	a.fills = append(a.fills, f)
	if len(a.fills)-a.fhead > a.limit {
		a.fills[a.fhead] = fillRecord{}
		a.fhead++
	}
	if a.fhead > len(a.fills)/2 && a.fhead > 64 {
		a.fills = append(a.fills[:0], a.fills[a.fhead:]...)
		a.fhead = 0
	}
	l := f.market.Listing
	if n, err := fixed.MulDiv(f.price, f.qty, fixed.Pow10(l.QtyScale)); err == nil {
		if v, err := fixed.Rescale(n, l.PriceScale, volumeScale); err == nil {
			a.volume += v
		}
	}
	if v, err := fixed.Rescale(f.fee, l.PriceScale, volumeScale); err == nil {
		a.fees += v
	}
}

// liveFills returns the remembered fills, oldest first (valid until the next addFill).
func (a *account) liveFills() []fillRecord { return a.fills[a.fhead:] }

// onOrder is the venue's order-event callback for the accounts of the server's keys (venue lock
// held; must not block). It records fills and pushes the order's new state to the account's
// user-channel subscribers. A refused order never existed on the wire (the REST answer said so)
// and is not pushed; nor is a cancel whose acknowledgement the lose-cancel-ack fault swallowed.
func (s *Server) onOrder(ev sim.OrderEvent) {
	o := &ev.Order
	mk := ev.Market
	k := orderKey{market: int32(mk.Index), id: o.ID}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[o.Account]
	if a == nil {
		return
	}
	m := a.orders[k]
	if ev.HasFill {
		fee := ev.Fill.TakerFee
		if ev.Maker {
			fee = ev.Fill.MakerFee
		}
		a.addFill(fillRecord{market: mk, key: k, tradeID: ev.Fill.TradeID, price: ev.Fill.Price, qty: ev.Fill.Qty,
			fee: fee, ts: ev.Fill.TS, maker: ev.Maker, side: o.Side, account: o.Account})
		if m != nil {
			m.fills++
			m.lastFill = ev.Fill.TS
			if pq, err := fixed.MulDiv(ev.Fill.Price, ev.Fill.Qty, 1); err != nil || m.exact > math.MaxInt64-pq {
				m.inexact = true
			} else {
				m.exact += pq
			}
		}
	}
	if o.Status == match.StatusRejected || (m != nil && m.lostCancel && o.Status == match.StatusCanceled) {
		return
	}
	var body []byte
	for _, c := range s.users[o.Account] {
		if c.userMarkets != nil && !c.userMarkets[mk.Index] {
			continue
		}
		if body == nil {
			body = append(body, `[{"type":"update","orders":[`...)
			body = appendUserOrder(body, o, m, mk, rulesOf(mk))
			body = append(body, `]}]`...)
		}
		c.push(outMsg{channel: chUser, events: body})
	}
}
