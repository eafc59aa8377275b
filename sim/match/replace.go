package match

import "ems/core/event"

// Replace changes the price and total quantity of open order id of account at engine time ts
// (an amend: the order keeps its ID, ClientID, Created, Filled, Notional and Fees) and returns
// it as it stands when Replace returns.
//
//   - qty is the new total quantity, fills included. The new (price, qty) passes the same checks
//     as Submit (tick, lot, MinQty, MinNotional on price × qty, overflow guard, and RejectPostOnly
//     when a post-only order would cross at the new price). A refused Replace leaves the order
//     as it was, returns it with the *Error, and reports nothing.
//   - qty <= Filled cancels the order, exactly as Cancel.
//   - Same price and qty not larger: the order keeps its time priority; reported as
//     OnOrder(ExecReplaced), then OnLevel when the level's quantity changed.
//   - Otherwise the order loses its priority: OnOrder(ExecReplaced) with the new price and qty,
//     OnLevel for the level it left (when the price changed), then it is matched as a taker
//     like a new order (it may trade at the new price), and the remainder rests at the back of
//     its new level (OnLevel); a fully filled order is retired.
//
// RejectUnknownOrder when id is not open or not the account's. Binance-style cancel-replace,
// which gives the new order a new id, is Cancel followed by Submit.
func (e *Engine) Replace(account uint32, id OrderID, price, qty int64, ts int64) (Order, error) {
	n, err := e.lookup(account, id)
	if err != nil {
		return Order{}, err
	}
	o := &e.nodes[n].o
	r := o.Request
	r.Price, r.Qty = price, qty
	if err := e.checkRequest(&r, min(o.Filled, qty), o.Notional); err != nil {
		return *o, err
	}
	if r.PostOnly && e.wouldCross(r.Side, price) {
		return *o, reject(event.RejectPostOnly, "post-only order at price "+itoa(price)+" would cross")
	}
	if qty <= o.Filled {
		return e.cancel(n, ts), nil
	}
	if price == o.Price && qty <= o.Qty {
		lv := &e.levels[e.nodes[n].lvl]
		delta := o.Qty - qty
		o.Qty, o.Exec, o.Updated = qty, ExecReplaced, ts
		lv.qty -= delta
		e.emit(o)
		if delta != 0 {
			e.l.OnLevel(o.Side, price, lv.qty)
		}
		return *o, nil
	}
	side, oldPrice, oldQty := e.take(n)
	o = &e.nodes[n].o
	o.Price, o.Qty, o.Exec, o.Updated = price, qty, ExecReplaced, ts
	e.emit(o)
	if oldPrice != price {
		e.l.OnLevel(side, oldPrice, oldQty)
	}
	e.match(o, ts)
	res := *o // finish releases the node of a filled order; a GTC remainder only rests
	e.finish(o, n, ts)
	return res, nil
}
