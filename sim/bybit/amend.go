package bybit

import (
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// Order amend: POST /v5/order/amend and the trade WebSocket's order.amend.
//
//	request  {"category":"linear","symbol":"BTCUSDT","orderId":"..."|"orderLinkId":"...",
//	          "qty":"0.002","price":"67990.5"}      qty and price optional, one at least
//	answer   {"orderId":"...","orderLinkId":"..."}  (the REST result, the trade WS data)
//
// The order keeps its orderId and orderLinkId (match.Engine.Replace); qty is the new total
// quantity, fills included. The order stream then reports the order with the new price and
// qty (its status unchanged, or PartiallyFilled/Filled when the new price trades).

// amendReq is a validated order.amend request.
type amendReq struct {
	cancelReq       // the order named: category, symbol, orderId or orderLinkId
	price     int64 // 0: unchanged
	qty       int64 // 0: unchanged
}

// Amend refusals of this venue's own. [unconfirmed wording and codes]
var (
	errAmendNothing   = errParams("params error: qty or price is required")
	errAmendUnchanged = errParams("The order remains unchanged as the parameters entered match the existing ones.")
)

// errAmendNotExist is an amend of an order the account does not have open; linear's message
// is the one Bybit's amend answers.
func errAmendNotExist(c category) *apiError {
	if c == catSpot {
		return errNotExist(c)
	}
	return &apiError{codeOrderNotExist, "order not exists or too late to replace"}
}

// errAmendPostOnly is an amend that would make a post-only order take liquidity. [unconfirmed]
func errAmendPostOnly(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotPostOnly, "The LIMIT-MAKER order is rejected due to invalid price."}
	}
	return errParams("params error: post-only order would take liquidity")
}

// parseAmend validates an order.amend object: the order as order.cancel names it, then qty
// (lot and minimum) and price (tick), each optional but not both absent.
func (s *Server) parseAmend(o *fastjson.Value) (amendReq, *apiError) {
	cr, e := s.parseCancel(o)
	if e != nil {
		return amendReq{}, e
	}
	k, c := cr.k, cr.k.cat
	r := amendReq{cancelReq: cr}
	qtyText, _, ok := str(o, "qty")
	if !ok {
		return r, errParam(c, "qty")
	}
	if qtyText != "" {
		v, err := fixed.ParseString(qtyText, k.l.QtyScale)
		switch {
		case errors.Is(err, fixed.ErrPrecision):
			return r, errQtyLot(c)
		case err != nil || v <= 0:
			return r, errParam(c, "qty")
		case v%k.l.Lot != 0:
			return r, errQtyLot(c)
		case v < k.l.MinQty:
			return r, errQtyMin(c)
		}
		r.qty = v
	}
	priceText, _, ok := str(o, "price")
	if !ok {
		return r, errParam(c, "price")
	}
	if priceText != "" {
		v, err := fixed.ParseString(priceText, k.l.PriceScale)
		switch {
		case errors.Is(err, fixed.ErrPrecision):
			return r, errPriceTick(c)
		case err != nil || v <= 0:
			return r, errParam(c, "price")
		case v%k.l.Tick != 0:
			return r, errPriceTick(c)
		}
		r.price = v
	}
	if r.qty == 0 && r.price == 0 {
		return r, errAmendNothing
	}
	return r, nil
}

// amend changes the order of a for key's account under one Venue.Do, applying the order rate
// limit (an amend counts as an order, as on Bybit). A quantity not above the order's filled
// quantity, or an amend that changes nothing, is refused; the Engine's refusals (tick, lot,
// minimum value, post-only crossing) leave the order as it was.
func (s *Server) amend(key sim.APIKey, a amendReq) (orderAck, *apiError) {
	k := a.k
	if ok, _ := s.v.AllowOrder(key.Key, s.v.Now()); !ok {
		return orderAck{}, errTooManyVisits
	}
	var ack orderAck
	var apiErr *apiError
	s.v.Do(func(st *sim.State) {
		e := st.Engine(k.m)
		var o match.Order
		var ok bool
		if a.hasID {
			o, ok = e.Order(a.id)
		} else {
			o, ok = e.OrderByClient(key.Account, a.linkID)
		}
		if !ok || o.Account != key.Account || !o.Status.Open() {
			apiErr = errAmendNotExist(k.cat)
			return
		}
		price, qty := o.Price, o.Qty
		if a.price != 0 {
			price = a.price
		}
		if a.qty != 0 {
			qty = a.qty
		}
		switch {
		case price == o.Price && qty == o.Qty:
			apiErr = errAmendUnchanged
			return
		case qty <= o.Filled:
			apiErr = errParam(k.cat, "qty")
			return
		}
		r, err := e.Replace(key.Account, o.ID, price, qty, st.Now())
		var me *match.Error
		if err != nil {
			apiErr = errParam(k.cat, "qty") // an order whose value overflows the simulator's range
			if errors.As(err, &me) {
				apiErr = amendError(k, me.Reason)
			}
			return
		}
		ack.orderID, ack.linkID = orderID(k, r.ID), r.ClientID
	})
	return ack, apiErr
}

// amendError maps an Engine refusal of a Replace to the venue's error.
func amendError(k *mkt, r event.RejectReason) *apiError {
	switch r {
	case event.RejectUnknownOrder:
		return errAmendNotExist(k.cat)
	case event.RejectPostOnly:
		return errAmendPostOnly(k.cat)
	}
	e, _ := reasonError(k, r, false)
	return e
}

// orderAmend answers POST /v5/order/amend.
func (s *Server) orderAmend(c *restCall) reply {
	o, e := c.object()
	if e != nil {
		return reply{err: e}
	}
	a, e := s.parseAmend(o)
	if e != nil {
		return reply{err: e, limit: true}
	}
	ack, e := s.amend(c.key, a)
	if e != nil {
		return reply{err: e, limit: true}
	}
	return reply{result: appendAckResult(nil, ack), limit: true}
}
