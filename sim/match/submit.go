package match

import (
	"ems/core/event"
)

// Submit enters a new order at engine time ts and returns it as it stands when Submit returns.
// Every request gets the next OrderID, even a refused one; the returned Order is valid whenever
// its ID is not 0, also together with an error.
//
// It returns an *Error for: an invalid side, type or time in force, or post-only on anything but
// a GTC limit (RejectInvalidRequest); qty <= 0 (RejectQtyFilter); a limit price <= 0 or off the
// tick (RejectPriceFilter); qty off the lot or below MinQty (RejectQtyFilter); a market order on
// an empty opposite side (RejectInvalidRequest); a notional below MinNotional (RejectMinNotional;
// a market order is valued at the best opposite price); a notional or level quantity that could
// overflow int64 (RejectInvalidRequest); a client order id already used by an open order of the
// same account (RejectDuplicate); a post-only order that would cross (RejectPostOnly). Those are
// reported once through OnOrder with StatusRejected, ExecRejected and the reason.
//
// A FOK order (limit or market) that cannot fill completely is killed: Submit returns it with
// StatusExpired, ExecExpired, Reason RejectFOK, and an *Error with RejectFOK; it is reported
// once through OnOrder (no New before it) and never touches the book.
func (e *Engine) Submit(r Request, ts int64) (Order, error) {
	e.lastID++
	o := Order{ID: e.lastID, Request: r, Created: ts, Updated: ts}
	if err := e.checkSubmit(&o.Request); err != nil {
		o.Reason = err.Reason
		if err.Reason == event.RejectFOK {
			o.Status, o.Exec = StatusExpired, ExecExpired
			e.indexClient(&o)
		} else {
			o.Status, o.Exec = StatusRejected, ExecRejected
		}
		e.record(&o)
		e.emit(&o)
		return o, err
	}
	o.Status, o.Exec = StatusNew, ExecNew
	e.indexClient(&o)
	e.emit(&o)
	e.match(&o, ts)
	e.finish(&o, nilIdx, ts)
	return o, nil
}

// checkSubmit is checkRequest followed by the checks only a new order has.
func (e *Engine) checkSubmit(r *Request) *Error {
	if err := e.checkRequest(r, 0, 0); err != nil {
		return err
	}
	if r.ClientID != "" {
		if id, ok := e.clients[clientKey{r.Account, r.ClientID}]; ok {
			if _, open := e.open[id]; open {
				return reject(event.RejectDuplicate, "client order id "+r.ClientID+" is in use by open order "+itoa(int64(id)))
			}
		}
	}
	if r.PostOnly && e.wouldCross(r.Side, r.Price) {
		return reject(event.RejectPostOnly, "post-only order at price "+itoa(r.Price)+" would cross")
	}
	if r.TIF == event.TIFFOK && !e.canFill(r, r.Qty) {
		return reject(event.RejectFOK, "fill-or-kill order cannot fill qty "+itoa(r.Qty))
	}
	return nil
}

// finish settles taker t after matching: a GTC limit remainder rests (in node n when t lives in
// one, else in a new node) and its level is reported; any other remainder expires and is
// reported; a filled order is retired.
func (e *Engine) finish(t *Order, n int32, ts int64) {
	if t.Filled < t.Qty {
		if t.Type == event.OrderLimit && t.TIF == event.TIFGTC {
			if n == nilIdx {
				n = e.allocNode(t)
				e.addOpen(n)
			}
			qty := e.rest(n)
			e.l.OnLevel(t.Side, t.Price, qty)
			return
		}
		t.Status, t.Exec, t.Updated = StatusExpired, ExecExpired, ts
		e.emit(t)
	}
	if n != nilIdx {
		e.removeOpen(n)
		e.record(t)
		e.releaseNode(n)
		return
	}
	e.record(t)
}

// match trades taker t against the opposite side, best level first and FIFO within a level, at
// the makers' prices, until t is filled or no level it accepts remains. Per fill it reports
// OnTrade, OnOrder(maker), OnOrder(taker); after the last fill at a level, OnLevel for it.
//
// REQUIRES: t passed checkRequest (no fill overflows) and is not in the book.
func (e *Engine) match(t *Order, ts int64) {
	opp := e.half(opposite(t.Side))
	ru := &e.rules
	for t.Filled < t.Qty {
		l, ok := opp.best()
		if !ok {
			return
		}
		lv := &e.levels[l]
		if t.Type == event.OrderLimit && !crosses(t.Side, t.Price, lv.price) {
			return
		}
		price := lv.price
		for t.Filled < t.Qty && lv.head != nilIdx {
			mn := lv.head
			m := &e.nodes[mn].o
			q := min(t.Qty-t.Filled, m.Qty-m.Filled)
			notional, err := ru.Notional(price, q)
			mfee, err2 := ru.Fee(notional, ru.MakerFee)
			tfee, err3 := ru.Fee(notional, ru.TakerFee)
			if err != nil || err2 != nil || err3 != nil {
				panic("match: fill overflow despite the overflow guard") // unreachable: see checkOverflow
			}
			fillOrder(m, q, notional, mfee, ts)
			fillOrder(t, q, notional, tfee, ts)
			lv.qty -= q
			e.lastTrade++
			e.lastPrice, e.traded = price, true
			e.fill = Fill{TradeID: e.lastTrade, Price: price, Qty: q, Notional: notional,
				Maker: *m, Taker: *t, MakerFee: mfee, TakerFee: tfee, TakerSide: t.Side, TS: ts}
			e.l.OnTrade(&e.fill)
			e.emit(m)
			e.emit(t)
			if m.Filled == m.Qty {
				// The maker's leaves are already out of lv.qty: unlink subtracts 0.
				e.unlink(mn)
				e.removeOpen(mn)
				e.record(m)
				e.releaseNode(mn)
			}
		}
		qty := lv.qty
		if lv.head == nilIdx {
			opp.remove(price)
			e.releaseLevel(l)
		}
		e.l.OnLevel(opp.side, price, qty)
	}
}

// fillOrder applies one fill of q to o.
func fillOrder(o *Order, q, notional, fee, ts int64) {
	o.Filled += q
	o.Notional += notional
	o.Fees += fee
	o.Exec, o.Updated = ExecTrade, ts
	if o.Filled == o.Qty {
		o.Status = StatusFilled
	} else {
		o.Status = StatusPartiallyFilled
	}
}
