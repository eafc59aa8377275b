package binance

import (
	"ems/core/event"
	"ems/core/instrument"
)

// Cancel-replace answers (order.cancelReplace, STOP_ON_FAILURE). Success gives no event from the
// response: the execution reports that follow carry the outcome, a CANCELED report of the old
// order (its client id in C) → CancelAck for Replace.Order, and a NEW report of the new order →
// OrderAck for Replace.NewOrder. A refusal gives Rejects:
//
//	answer                                     Reject for Order          Reject for NewOrder
//	-2022, cancel FAILURE, new NOT_ATTEMPTED   cancel's code (-2011 …)   -2022, cancel's reason
//	-2021, cancel SUCCESS, new FAILURE         none (CancelAck follows)  new order's code (-2010, -1013 …)
//	any other error (auth, filters, limits)    none (order untouched)    the error's code
//
// The reason comes from the inner code (RejectReason); VenueCode is the inner code, or the
// outer one where the part was not attempted.

// replaceRefused appends the Rejects of a refused cancel-replace. REQUIRES: s.mu held.
func (s *Session) replaceRefused(r *Response, p *pending, out []event.Event, now int64) []event.Event {
	cancelReason := RejectReason(r.Code, r.Msg)
	if r.CancelResult == ReplaceFailure {
		cancelReason = RejectReason(r.CancelCode, r.CancelMsg)
		out = appendReject(out, p, now, p.order, r.CancelCode, cancelReason)
	}
	switch r.NewOrderResult {
	case ReplaceSuccess: // ALLOW_FAILURE only; the gateway sends STOP_ON_FAILURE
		return out
	case ReplaceFailure:
		out = appendReject(out, p, now, p.newOrder, r.NewOrderCode, RejectReason(r.NewOrderCode, r.NewOrderMsg))
	case ReplaceNotAttempted:
		out = appendReject(out, p, now, p.newOrder, r.Code, cancelReason)
	default:
		out = appendReject(out, p, now, p.newOrder, r.Code, RejectReason(r.Code, r.Msg))
	}
	if r.Code != CodeTimeout { // -1007: the new order may exist
		delete(s.live, p.newOrder)
	}
	return out
}

// appendReject appends a Reject for order, a part of p.
func appendReject(out []event.Event, p *pending, now int64, order event.OrderID, code int64, reason event.RejectReason) []event.Event {
	e := event.Event{Kind: event.KindReject, Venue: instrument.VenueBinance, Instrument: p.instr, RecvTS: now}
	*e.Reject() = event.Reject{Order: order, Parent: p.parent, VenueCode: code, Reason: reason}
	return append(out, e)
}
