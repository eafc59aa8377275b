package binance

import (
	"ems/core/jsontext"
	"net/http"
	"time"

	"ems/sim"
	"ems/sim/match"
)

// Cancel-replace: order.cancelReplace on the WebSocket API and POST /api/v3/order/cancelReplace
// (web-socket-api.md and rest-api.md "Cancel and replace order"). The cancel and the new order
// are carried out in one venue call, so nothing trades between them. Success:
//
//	{"cancelResult":"SUCCESS","newOrderResult":"SUCCESS",
//	 "cancelResponse":{...as order.cancel...},"newOrderResponse":{...as order.place...}}
//
// Failure is an error whose data has the same four fields, a failed part being {"code","msg"}
// and a part not attempted null:
//
//	-2022 "Order cancel-replace failed."            (HTTP 400) the cancel failed, and the new
//	                                                 order failed or was not attempted
//	-2021 "Order cancel-replace partially failed."  (HTTP 409) one part succeeded
//
// Request errors found before either part (parameters, symbol, key, signature) are plain errors.

// cancelReplaceParams are the parameters cancel-replace reads beyond a new order's.
var cancelReplaceParams = []string{"cancelReplaceMode", "cancelOrderId", "cancelOrigClientOrderId",
	"cancelNewClientOrderId"}

// errReplaceNeedsID is the answer to a cancel-replace naming no order to cancel.
var errReplaceNeedsID = newErr(http.StatusBadRequest, -1102,
	"Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!")

// replaceArgs is a parsed cancel-replace request.
type replaceArgs struct {
	order        orderArgs
	cancelID     match.OrderID
	origClientID string
	cancelClient string // the cancel's own client order id ("" to generate one)
	allowFailure bool   // ALLOW_FAILURE: place the new order even when the cancel fails
}

// parseCancelReplace checks a cancel-replace's parameters: the cancel's, then the new order's
// (with parseNewOrder, over the other parameters).
func (s *Server) parseCancelReplace(p params) (replaceArgs, *apiError) {
	var a replaceArgs
	np := make(params, len(p))
	for k, v := range p {
		np[k] = v
	}
	for _, k := range cancelReplaceParams {
		delete(np, k)
	}
	if _, e := s.marketParam(p); e != nil {
		return a, e
	}
	switch p["cancelReplaceMode"] {
	case "":
		return a, errMandatory("cancelReplaceMode")
	case "STOP_ON_FAILURE":
	case "ALLOW_FAILURE":
		a.allowFailure = true
	default:
		return a, errIllegal("cancelReplaceMode", "STOP_ON_FAILURE, ALLOW_FAILURE")
	}
	if v, ok := p["cancelOrderId"]; ok {
		id, e := orderIDParam(params{"orderId": v})
		if e != nil {
			return a, errIllegal("cancelOrderId", "^[0-9]{1,20}$")
		}
		a.cancelID = id
	}
	a.origClientID = p["cancelOrigClientOrderId"]
	if a.cancelID == 0 && a.origClientID == "" {
		return a, errReplaceNeedsID
	}
	if v, ok := p["cancelNewClientOrderId"]; ok {
		if !validClientID(v) {
			return a, errIllegal("cancelNewClientOrderId", clientIDRange)
		}
		a.cancelClient = v
	}
	o, e := s.parseNewOrder(np)
	if e != nil {
		return a, e
	}
	a.order = o
	return a, nil
}

// replaced is the outcome of a cancel-replace.
type replaced struct {
	c         canceled
	p         placed
	attempted bool // the new order was tried
}

// cancelReplace cancels and places in one venue call. The reject fault refuses the new order
// (asked only when the cancel succeeded or ALLOW_FAILURE); the partial-fill fault applies to it
// as to any order; delay-ack and lose-cancel-ack are not carried out here. inDo, when not nil,
// runs inside the venue call once the outcome is known, before the call's execution reports go
// out.
func (s *Server) cancelReplace(account uint32, a replaceArgs, inDo func(r *replaced)) replaced {
	res := replaced{c: canceled{clientID: a.cancelClient}}
	if res.c.clientID == "" {
		res.c.clientID = s.orderState.newClientID()
	}
	mk := a.order.mk
	var c *capture
	s.v.Do(func(st *sim.State) {
		if inDo != nil {
			defer inDo(&res)
		}
		s.cancelLocked(st, account, mk, a.cancelID, a.origClientID, false, &res.c)
		if res.c.err != nil && !a.allowFailure {
			return
		}
		res.attempted = true
		if s.v.Fault(sim.FaultReject, mk.symbol) {
			res.p.err = errBalance
			return
		}
		c = s.submitLocked(st, account, a.order, &res.p)
	})
	if c != nil {
		res.p.fills = c.fills
	}
	return res
}

// appendReplaced appends the answer to a cancel-replace: the result's JSON text, or the error.
func appendReplaced(dst []byte, a *replaceArgs, r *replaced) ([]byte, *apiError) {
	mk := a.order.mk
	okCancel := r.c.err == nil
	okNew := r.attempted && r.p.err == nil
	dst = append(dst, `{"cancelResult":`...)
	dst = jsontext.AppendString(dst, resultName(okCancel, true))
	dst = append(dst, `,"newOrderResult":`...)
	dst = jsontext.AppendString(dst, resultName(okNew, r.attempted))
	dst = append(dst, `,"cancelResponse":`...)
	if okCancel {
		dst = appendCanceled(dst, viewOf(mk, &r.c.o, r.c.ov), r.c.clientID)
	} else {
		dst = r.c.err.appendBody(dst)
	}
	dst = append(dst, `,"newOrderResponse":`...)
	switch {
	case okNew:
		dst = appendNewOrder(dst, viewOf(mk, &r.p.o, r.p.ov), a.order.resp, r.p.fills)
	case r.attempted:
		dst = r.p.err.appendBody(dst)
	default:
		dst = append(dst, "null"...)
	}
	dst = append(dst, '}')
	switch {
	case okCancel && okNew:
		return dst, nil
	case okCancel || okNew:
		return nil, &apiError{status: http.StatusConflict, code: -2021,
			msg: "Order cancel-replace partially failed.", data: dst}
	}
	return nil, &apiError{status: http.StatusBadRequest, code: -2022, msg: "Order cancel-replace failed.", data: dst}
}

func resultName(ok, attempted bool) string {
	switch {
	case !attempted:
		return "NOT_ATTEMPTED"
	case ok:
		return "SUCCESS"
	}
	return "FAILURE"
}

// wsOrderCancelReplace is order.cancelReplace. Its response goes out before the execution
// reports of the cancel and the new order.
func (s *Server) wsOrderCancelReplace(c *wsConn, req *wsRequest) {
	cr, e := s.wsAuth(req)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	p := req.p
	delete(p, "returnRateLimits")
	a, e := s.parseCancelReplace(p)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	req.use.isOrder = true
	n, e := s.chargeOrder(cr.account)
	if e != nil {
		s.wsReply(c, req, nil, e)
		return
	}
	req.use.orders = n
	var slot *replySlot
	res := s.cancelReplace(cr.account, a, func(*replaced) { slot = c.reserve() })
	body, e := appendReplaced(nil, &a, &res)
	slot.fill(s.appendReply(nil, req, body, e))
}

// restCancelReplace is POST /api/v3/order/cancelReplace.
func (s *Server) restCancelReplace(r *http.Request, p *restParams) ([]byte, *apiError, time.Duration) {
	if e := s.weigh(r, p, 1); e != nil {
		return nil, e, 0
	}
	c, e := s.authenticate(r, p)
	if e != nil {
		return nil, e, 0
	}
	a, e := s.parseCancelReplace(p.vals)
	if e != nil {
		return nil, e, 0
	}
	n, e := s.chargeOrder(c.account)
	if e != nil {
		return nil, e, 0
	}
	p.orderCount = n
	res := s.cancelReplace(c.account, a, nil)
	body, e := appendReplaced(nil, &a, &res)
	return body, e, 0
}
