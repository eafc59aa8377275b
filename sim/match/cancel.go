package match

import "ems/core/event"

// lookup returns the node of open order id of account.
func (e *Engine) lookup(account uint32, id OrderID) (int32, *Error) {
	n, ok := e.open[id]
	if !ok || e.nodes[n].o.Account != account {
		return nilIdx, reject(event.RejectUnknownOrder, "no open order "+itoa(int64(id))+" of account "+itoa(int64(account)))
	}
	return n, nil
}

// Cancel cancels open order id of account at engine time ts and returns it (StatusCanceled,
// ExecCanceled). It reports OnOrder(canceled), then OnLevel for the order's level. It returns
// an *Error with RejectUnknownOrder when id is not open or not the account's (unknown, already
// terminal, or another account's), and then reports nothing.
func (e *Engine) Cancel(account uint32, id OrderID, ts int64) (Order, error) {
	n, err := e.lookup(account, id)
	if err != nil {
		return Order{}, err
	}
	return e.cancel(n, ts), nil
}

// CancelClient is Cancel by client order id: it cancels the open order of account whose
// ClientID is clientID. RejectUnknownOrder when there is none.
func (e *Engine) CancelClient(account uint32, clientID string, ts int64) (Order, error) {
	if clientID != "" {
		if id, ok := e.clients[clientKey{account, clientID}]; ok {
			if n, err := e.lookup(account, id); err == nil {
				return e.cancel(n, ts), nil
			}
		}
	}
	return Order{}, reject(event.RejectUnknownOrder, "no open order with client order id \""+clientID+
		"\" of account "+itoa(int64(account)))
}

// cancel takes open node n out of the book and reports it.
func (e *Engine) cancel(n int32, ts int64) Order {
	side, price, qty := e.take(n)
	o := &e.nodes[n].o
	o.Status, o.Exec, o.Updated = StatusCanceled, ExecCanceled, ts
	res := *o
	e.removeOpen(n)
	e.record(o)
	e.releaseNode(n)
	e.emit(&res)
	e.l.OnLevel(side, price, qty)
	return res
}
