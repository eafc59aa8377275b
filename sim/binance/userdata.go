package binance

import (
	"ems/sim"
	"ems/sim/match"
)

// userSub is one user data stream subscription of a WebSocket API connection
// (userDataStream.subscribe.signature): the account's execution reports go to conn wrapped as
// {"subscriptionId":id,"event":{...}}.
type userSub struct {
	c       *wsConn
	id      int
	account uint32
}

// addUserSub registers a subscription.
func (s *Server) addUserSub(u *userSub) {
	s.udMu.Lock()
	defer s.udMu.Unlock()
	s.udSubs[u.account] = append(s.udSubs[u.account], u)
}

// removeUserSubs removes conn's subscriptions: all of them, or the one with id when id >= 0.
// It returns how many it removed.
func (s *Server) removeUserSubs(c *wsConn, id int) int {
	s.udMu.Lock()
	defer s.udMu.Unlock()
	n := 0
	for acct, l := range s.udSubs {
		kept := l[:0:0]
		for _, u := range l {
			if u.c == c && (id < 0 || u.id == id) {
				n++
				continue
			}
			kept = append(kept, u)
		}
		if len(kept) == 0 {
			delete(s.udSubs, acct)
		} else {
			s.udSubs[acct] = kept
		}
	}
	return n
}

// onOrderEvent is the venue's callback for the order events of the accounts the keys trade as.
// It runs under the venue lock: it records fills (ledger, the placing request's capture) and
// queues executionReports for the account's user data subscriptions.
//
// Refused orders get no report (Binance answers the request with an error and sends none). A
// cancel lost by the lose-cancel-ack fault gets no report either. An order cut by the
// partial-fill fault reports the client's quantity; when the Engine filled the cut quantity, its
// last TRADE says PARTIALLY_FILLED and an EXPIRED report follows.
func (s *Server) onOrderEvent(ev sim.OrderEvent) {
	o := &ev.Order
	if o.Status == match.StatusRejected {
		return
	}
	mk := s.markets[ev.Market.Index]
	key := orderKey{mk.m.Index, o.ID}
	st := &s.orderState
	var rec *fillRec
	if ev.HasFill {
		r := newFillRec(mk, o, &ev.Fill, ev.Maker)
		rec = &r
		s.ledger.add(o.Account, mk.m.Index, r)
		if c := st.capture; c != nil && c.key == key && !ev.Maker {
			c.fills = append(c.fills, r)
		}
	}
	report := execReport{exec: execName(o.Exec), fill: rec, eventMs: o.Updated / 1e6}
	if ev.HasFill {
		report.exec = "TRADE"
		report.eventMs = ev.Fill.TS / 1e6
	}
	if o.Exec == match.ExecCanceled && st.cancel.set && st.cancel.key == key {
		if st.cancel.lose {
			return
		}
		report.cancelID = st.cancel.clientID
	}
	var ov *override
	if v, ok := st.overrides[key]; ok {
		ov = &v
	}
	report.v = viewOf(mk, o, ov)
	expire := false
	if ov != nil && o.Status == match.StatusFilled && o.Filled < ov.qty {
		report.v.status = "PARTIALLY_FILLED"
		expire = true
	}
	s.udMu.Lock()
	subs := s.udSubs[o.Account]
	s.udMu.Unlock()
	if len(subs) == 0 {
		return
	}
	st.execID++
	report.execID = st.execID
	payload := appendExecReport(nil, &report)
	for _, u := range subs {
		u.c.send(outMsg{kind: msgUser, subID: u.id, payload: payload})
	}
	if expire {
		st.execID++
		x := execReport{v: viewOf(mk, o, ov), exec: "EXPIRED", execID: st.execID, eventMs: report.eventMs}
		payload := appendExecReport(nil, &x)
		for _, u := range subs {
			u.c.send(outMsg{kind: msgUser, subID: u.id, payload: payload})
		}
	}
}
