package coinbase

import (
	"net/http"

	"github.com/valyala/fastjson"

	"ems/sim"
)

// POST orders/batch_cancel:
//
//	{"order_ids":["<id>",...]}     1 to 100 ids
//	→ {"results":[{"success":true,"failure_reason":"UNKNOWN_CANCEL_FAILURE_REASON","order_id":"<id>"},
//	              {"success":false,"failure_reason":"UNKNOWN_CANCEL_ORDER","order_id":"<id>"},...]}
//
// in request order. An id that is not an open order of the key's account (unknown, another
// account's, or already filled or cancelled) fails with UNKNOWN_CANCEL_ORDER. The cancels run in
// one venue step. Under the lose-cancel-ack fault the order is cancelled but the answer never
// comes: the connection is closed without a response, and the user channel does not report the
// cancel either (the order history does).

// maxCancelBatch is the venue's limit of ids per request.
const maxCancelBatch = 100

func (s *Server) batchCancel(q *request) reply {
	var p fastjson.Parser
	v, err := p.ParseBytes(q.body)
	if err != nil || v.Type() != fastjson.TypeObject {
		return badRequest("malformed JSON body")
	}
	arr, err := v.Get("order_ids").Array()
	if v.Get("order_ids") == nil || err != nil {
		return badRequest("order_ids is required")
	}
	if len(arr) == 0 || len(arr) > maxCancelBatch {
		return badRequest("order_ids must hold 1 to 100 ids")
	}
	ids := make([]string, len(arr))
	for i, x := range arr {
		b, err := x.StringBytes()
		if err != nil {
			return badRequest("order_ids holds a non-string")
		}
		ids[i] = string(b)
	}
	account := q.key.account
	markets := s.v.Markets()
	ok := make([]bool, len(ids))
	drop := false
	s.v.Do(func(st *sim.State) {
		for i, id := range ids {
			k, valid := parseOrderID(id)
			if !valid || int(k.market) >= len(markets) {
				continue
			}
			m := markets[k.market]
			e := st.Engine(m)
			o, open := e.Order(k.id)
			if !open || o.Account != account || !o.Status.Open() {
				continue
			}
			lost := s.v.Fault(sim.FaultLoseCancelAck, m.Symbol)
			if lost {
				s.mu.Lock()
				if meta := s.accounts[account].orders[k]; meta != nil {
					meta.lostCancel = true
				}
				s.mu.Unlock()
			}
			if _, err := e.Cancel(account, k.id, st.Now()); err == nil {
				ok[i] = true
				drop = drop || lost
			}
		}
	})
	if drop {
		return reply{drop: true}
	}
	b := append([]byte(nil), `{"results":[`...)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendBool(b, "success", ok[i])
		if ok[i] {
			b = appendField(b, "failure_reason", "UNKNOWN_CANCEL_FAILURE_REASON")
		} else {
			b = appendField(b, "failure_reason", "UNKNOWN_CANCEL_ORDER")
		}
		b = appendField(b, "order_id", id)
		b = append(b, '}')
	}
	return reply{status: http.StatusOK, body: append(b, ']', '}')}
}
