package coinbase

import (
	"errors"
	"net/http"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/sim"
	"ems/sim/match"
)

// POST orders/edit (limit_limit_gtc orders only):
//
//	{"order_id":"<id>","price":"68001","size":"0.002"}     both required; size is the new total, fills included
//	→ 200 {"success":true,"errors":[]}
//	→ 200 {"success":false,"errors":[{"edit_failure_reason":"<code>","preview_failure_reason":"<code>"}]}
//
// The edit is match.Engine.Replace in one venue step: the order keeps its id, client_order_id
// and fills; it keeps its time priority when the price is unchanged and the size does not grow,
// and otherwise goes to the back of its (new) level, trading first if the new price crosses.
// The user channel then reports the order with the new limit_price and leaves_quantity, and the
// order history shows the new order_configuration.
//
// Failures (edit_failure_reason, with preview_failure_reason where one is more specific):
//
//	ORDER_NOT_FOUND                    unknown id, another account's order, or no longer open
//	ONLY_LIMIT_ORDER_EDITS_SUPPORTED   the order is not limit_limit_gtc
//	CANNOT_EDIT_TO_BELOW_FILLED_SIZE   0 < size <= the filled size
//	INVALID_EDITED_PRICE               price <= 0 or off tick (PREVIEW_INVALID_PRICE_PRECISION)
//	INVALID_EDITED_SIZE                size off lot, below the minimum size or the minimum notional
//	UNKNOWN_EDIT_ORDER_FAILURE_REASON  + PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY: a post-only order
//	                                   would cross at the new price
//
// Not sure: which of the two reasons the venue fills in each case, and whether it answers an
// edit that changes nothing with EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST (the simulator accepts
// it; the order keeps its priority). A malformed body or a missing field is HTTP 400
// INVALID_ARGUMENT. The reject fault fails the edit with UNKNOWN_EDIT_ORDER_FAILURE_REASON.

// editFailure is an edit's failure as the venue words it.
type editFailure struct {
	edit, preview string
}

var (
	editNotFound    = editFailure{"ORDER_NOT_FOUND", ""}
	editOnlyLimit   = editFailure{"ONLY_LIMIT_ORDER_EDITS_SUPPORTED", ""}
	editBelowFilled = editFailure{"CANNOT_EDIT_TO_BELOW_FILLED_SIZE", ""}
	editPrice       = editFailure{"INVALID_EDITED_PRICE", "PREVIEW_INVALID_PRICE_PRECISION"}
	editLimitPrice  = editFailure{"INVALID_EDITED_PRICE", "PREVIEW_INVALID_LIMIT_PRICE"}
	editSize        = editFailure{"INVALID_EDITED_SIZE", "PREVIEW_INVALID_SIZE_PRECISION"}
	editSizeSmall   = editFailure{"INVALID_EDITED_SIZE", "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL"}
	editNotional    = editFailure{"INVALID_EDITED_SIZE", "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL"}
	editPostOnly    = editFailure{"UNKNOWN_EDIT_ORDER_FAILURE_REASON", "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY"}
	editUnknown     = editFailure{"UNKNOWN_EDIT_ORDER_FAILURE_REASON", ""}
)

// editFailureOf maps an engine refusal of Replace to the venue's failure.
func editFailureOf(me *match.Error, price, qty int64, rules match.Rules) editFailure {
	switch me.Reason {
	case event.RejectPriceFilter:
		if price <= 0 {
			return editLimitPrice
		}
		return editPrice
	case event.RejectQtyFilter:
		if qty < rules.MinQty || qty <= 0 {
			return editSizeSmall
		}
		return editSize
	case event.RejectMinNotional:
		return editNotional
	case event.RejectPostOnly:
		return editPostOnly
	case event.RejectUnknownOrder:
		return editNotFound
	}
	return editUnknown
}

func (s *Server) editOrder(q *request) reply {
	var p fastjson.Parser
	v, err := p.ParseBytes(q.body)
	if err != nil || v.Type() != fastjson.TypeObject {
		return badRequest("malformed JSON body")
	}
	id := string(v.GetStringBytes("order_id"))
	if id == "" {
		return badRequest("order_id is required")
	}
	pv, sv := v.Get("price"), v.Get("size")
	if pv == nil || sv == nil {
		return badRequest("price and size are required")
	}
	k, valid := parseOrderID(id)
	markets := s.v.Markets()
	if !valid || k.market < 0 || int(k.market) >= len(markets) {
		return editReply(&editNotFound)
	}
	m := markets[k.market]
	l := m.Listing
	price, f := decimal(pv, l.PriceScale, &failPricePrec)
	switch {
	case f == &errNotDecimal:
		return badRequest("price is not a decimal")
	case f != nil || price%l.Tick != 0:
		return editReply(&editPrice)
	case price <= 0:
		return editReply(&editLimitPrice)
	}
	qty, f := decimal(sv, l.QtyScale, &failSizePrec)
	switch {
	case f == &errNotDecimal:
		return badRequest("size is not a decimal")
	case f != nil:
		return editReply(&editSize)
	}
	if s.v.Fault(sim.FaultReject, m.Symbol) {
		return editReply(&editUnknown)
	}
	account := q.key.account
	var fail *editFailure
	s.v.Do(func(st *sim.State) {
		fail = s.edit(st, account, k, m, price, qty)
	})
	return editReply(fail)
}

// edit applies one edit inside the venue lock; nil on success.
func (s *Server) edit(st *sim.State, account uint32, k orderKey, m *sim.Market, price, qty int64) *editFailure {
	e := st.Engine(m)
	o, open := e.Order(k.id)
	if !open || o.Account != account || !o.Status.Open() {
		return &editNotFound
	}
	s.mu.Lock()
	meta := s.accounts[account].orders[k]
	s.mu.Unlock()
	if o.Type != event.OrderLimit || o.TIF != event.TIFGTC || (meta != nil && meta.kind != cfgLimitGTC) {
		return &editOnlyLimit
	}
	if qty <= 0 {
		return &editSizeSmall
	}
	if qty <= o.Filled {
		return &editBelowFilled // the engine would cancel; the venue refuses
	}
	if _, err := e.Replace(account, k.id, price, qty, st.Now()); err != nil {
		var me *match.Error
		if !errors.As(err, &me) {
			return &editUnknown
		}
		f := editFailureOf(me, price, qty, e.Rules())
		return &f
	}
	if meta != nil {
		// The events of the step are delivered after this function returns (Venue.Do), so
		// the user channel and the history see the new figures.
		s.mu.Lock()
		meta.price, meta.qty = price, qty
		s.mu.Unlock()
	}
	return nil
}

// editReply answers an edit: success when f is nil.
func editReply(f *editFailure) reply {
	if f == nil {
		return reply{status: http.StatusOK, body: []byte(`{"success":true,"errors":[]}`)}
	}
	b := append([]byte(nil), `{"success":false,"errors":[{`...)
	b = appendField(b, "edit_failure_reason", f.edit)
	if f.preview != "" {
		b = appendField(b, "preview_failure_reason", f.preview)
	}
	return reply{status: http.StatusOK, body: append(b, "}]}"...)}
}
