package match

import (
	"math"
	"strconv"

	"ems/core/event"
)

// itoa formats an int64 for an error message.
func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// checkRequest applies the static rules and the book-dependent limits common to Submit and
// Replace, in this order: a known side, type and time in force (and post-only only on a GTC
// limit) → RejectInvalidRequest; qty > 0 → RejectQtyFilter; for a limit, price > 0 and on the
// tick → RejectPriceFilter; qty on the lot and >= MinQty → RejectQtyFilter; for a market order,
// a non-empty opposite side → RejectInvalidRequest; notional >= MinNotional (a market order is
// valued at the best opposite price) → RejectMinNotional; and finally the overflow guard →
// RejectInvalidRequest.
//
// The overflow guard proves that no fill of the order can overflow: notionalSoFar plus the
// notional of the unfilled quantity at the highest price the order can trade at (its limit for a
// buy, the deepest ask for a market buy, the higher of its limit and the best bid for a sell)
// must fit an int64, and so must the quantity of the level it would rest in. Fees are at most
// the notional (|fee| <= MaxFee), so they fit too.
func (e *Engine) checkRequest(r *Request, filled, notionalSoFar int64) *Error {
	if r.Side != event.SideBuy && r.Side != event.SideSell {
		return reject(event.RejectInvalidRequest, "invalid side "+itoa(int64(r.Side)))
	}
	if r.Type != event.OrderLimit && r.Type != event.OrderMarket {
		return reject(event.RejectInvalidRequest, "invalid order type "+itoa(int64(r.Type)))
	}
	if r.TIF != event.TIFGTC && r.TIF != event.TIFIOC && r.TIF != event.TIFFOK {
		return reject(event.RejectInvalidRequest, "invalid time in force "+itoa(int64(r.TIF)))
	}
	if r.PostOnly && (r.Type != event.OrderLimit || r.TIF != event.TIFGTC) {
		return reject(event.RejectInvalidRequest, "post-only needs a GTC limit order")
	}
	ru := &e.rules
	if r.Qty <= 0 {
		return reject(event.RejectQtyFilter, "qty "+itoa(r.Qty)+" is not positive")
	}
	limit := r.Type == event.OrderLimit
	if limit && r.Price <= 0 {
		return reject(event.RejectPriceFilter, "price "+itoa(r.Price)+" is not positive")
	}
	if limit && r.Price%ru.Tick != 0 {
		return reject(event.RejectPriceFilter, "price "+itoa(r.Price)+" is not a multiple of the tick "+itoa(ru.Tick))
	}
	if r.Qty%ru.Lot != 0 {
		return reject(event.RejectQtyFilter, "qty "+itoa(r.Qty)+" is not a multiple of the lot "+itoa(ru.Lot))
	}
	if r.Qty < ru.MinQty {
		return reject(event.RejectQtyFilter, "qty "+itoa(r.Qty)+" is below the minimum "+itoa(ru.MinQty))
	}
	opp := e.half(opposite(r.Side))
	valuePrice := r.Price
	if !limit {
		l, ok := opp.best()
		if !ok {
			return reject(event.RejectInvalidRequest, "market order with no "+opp.side.String()+" liquidity")
		}
		valuePrice = e.levels[l].price
	}
	if ru.MinNotional > 0 {
		n, err := ru.Notional(valuePrice, r.Qty)
		if err == nil && n < ru.MinNotional {
			return reject(event.RejectMinNotional, "notional "+itoa(n)+" is below the minimum "+itoa(ru.MinNotional))
		}
	}
	return e.checkOverflow(r, filled, notionalSoFar)
}

// checkOverflow is the overflow guard of checkRequest.
func (e *Engine) checkOverflow(r *Request, filled, notionalSoFar int64) *Error {
	limit := r.Type == event.OrderLimit
	top := r.Price // highest trade price
	if r.Side == event.SideBuy {
		if !limit {
			l, _ := e.asks.worst()
			top = e.levels[l].price
		}
	} else {
		if l, ok := e.bids.best(); ok && (!limit || e.levels[l].price > top) {
			top = e.levels[l].price
		}
	}
	n, err := e.rules.Notional(top, r.Qty-filled)
	if err != nil || n > math.MaxInt64-notionalSoFar {
		return reject(event.RejectInvalidRequest, "notional of qty "+itoa(r.Qty)+" at price "+itoa(top)+" overflows")
	}
	if limit && r.TIF == event.TIFGTC {
		h := e.half(r.Side)
		if i, ok := h.search(r.Price); ok && e.levels[h.slots[i].lvl].qty > math.MaxInt64-(r.Qty-filled) {
			return reject(event.RejectInvalidRequest, "level quantity at price "+itoa(r.Price)+" would overflow")
		}
	}
	return nil
}

// wouldCross reports whether a limit order on side at price trades on arrival.
func (e *Engine) wouldCross(side event.Side, price int64) bool {
	l, ok := e.half(opposite(side)).best()
	return ok && crosses(side, price, e.levels[l].price)
}

// canFill reports whether the opposite side holds qty at prices r accepts (any price for a
// market order).
func (e *Engine) canFill(r *Request, qty int64) bool {
	opp := e.half(opposite(r.Side))
	for i := len(opp.slots) - 1; i >= 0; i-- {
		lv := &e.levels[opp.slots[i].lvl]
		if r.Type == event.OrderLimit && !crosses(r.Side, r.Price, lv.price) {
			return false
		}
		if lv.qty >= qty {
			return true
		}
		qty -= lv.qty
	}
	return false
}
