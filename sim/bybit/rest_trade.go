package bybit

import (
	"ems/core/jsontext"
	"slices"
	"strconv"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/sim"
	"ems/sim/match"
)

// body parses a POST body as a JSON object.
func (c *restCall) object() (*fastjson.Value, *apiError) {
	v, err := c.p.ParseBytes(c.body)
	if err != nil || v.Type() != fastjson.TypeObject {
		return nil, errParams("Request parameter error.")
	}
	return v, nil
}

// orderCreate answers POST /v5/order/create.
func (s *Server) orderCreate(c *restCall) reply {
	o, e := c.object()
	if e != nil {
		return reply{err: e}
	}
	n, e := s.parseCreate(o)
	if e != nil {
		return reply{err: e, limit: true}
	}
	ack, e := s.place(c.key, n)
	if e != nil {
		return reply{err: e, limit: true, delay: ack.delay}
	}
	return reply{result: appendAckResult(nil, ack), delay: ack.delay, limit: true}
}

// orderCancel answers POST /v5/order/cancel.
func (s *Server) orderCancel(c *restCall) reply {
	o, e := c.object()
	if e != nil {
		return reply{err: e}
	}
	cr, e := s.parseCancel(o)
	if e != nil {
		return reply{err: e, limit: true}
	}
	ack, e := s.cancel(c.key, cr)
	if e != nil {
		return reply{err: e, limit: true}
	}
	return reply{result: appendAckResult(nil, ack), limit: true, drop: ack.lost}
}

// marketsOf returns the markets of category cat, or the one named symbol ("" for all).
func (s *Server) marketsOf(cat category, symbol string) ([]*mkt, *apiError) {
	if symbol != "" {
		k, ok := s.market(cat, symbol)
		if !ok {
			return nil, errSymbol(cat, symbol)
		}
		return []*mkt{k}, nil
	}
	var ks []*mkt
	for _, k := range s.mkts {
		if k.cat == cat {
			ks = append(ks, k)
		}
	}
	return ks, nil
}

// orderRealtime answers GET /v5/order/realtime: by orderId or orderLinkId (any status), else
// the account's open orders (openOnly=0) or its recent closed ones (openOnly=1), newest first.
// Linear needs symbol, baseCoin or settleCoin, as on Bybit.
func (s *Server) orderRealtime(c *restCall) reply {
	q := c.query
	cat, e := queryCategory(q)
	if e != nil {
		return reply{err: e}
	}
	sym := q.Get("symbol")
	if cat == catLinear && sym == "" && q.Get("baseCoin") == "" && q.Get("settleCoin") == "" {
		return reply{err: errParams("Missing some parameters that must be filled in, symbol or settleCoin or baseCoin")} // wording [unconfirmed]
	}
	ks, e := s.marketsOf(cat, sym)
	if e != nil {
		return reply{err: e}
	}
	limit, e := queryLimit(q, 20, 50)
	if e != nil {
		return reply{err: e}
	}
	id, link := q.Get("orderId"), q.Get("orderLinkId")
	closed := q.Get("openOnly") == "1"
	acct := c.key.Account
	type found struct {
		k *mkt
		o match.Order
	}
	var list []found
	b := append([]byte(nil), '{')
	b = append(jsontext.AppendKey(b, "list"), '[')
	s.v.Do(func(st *sim.State) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case id != "" || link != "":
			for _, k := range ks {
				e := st.Engine(k.m)
				var o match.Order
				var ok bool
				if id != "" {
					if n, valid := parseID(k, idOrder, id); valid {
						o, ok = e.Order(match.OrderID(n))
					}
				} else {
					o, ok = e.OrderByClient(acct, link)
				}
				if ok && o.Account == acct && acknowledged(&o) {
					list = append(list, found{k, o})
				}
			}
		case closed:
			a := s.accts[acct]
			if a == nil {
				break
			}
			a.closed.each(func(key *orderKey) bool {
				k := s.mkts[key.mkt]
				if !slices.Contains(ks, k) {
					return true
				}
				if o, ok := st.Engine(k.m).Order(key.id); ok {
					list = append(list, found{k, o})
				}
				return len(list) < limit
			})
		default:
			var open []match.Order
			for _, k := range ks {
				open = st.Engine(k.m).Open(acct, open[:0])
				for _, o := range open {
					list = append(list, found{k, o})
				}
			}
			slices.SortStableFunc(list, func(x, y found) int {
				switch {
				case x.o.Created != y.o.Created:
					return -cmpInt(x.o.Created, y.o.Created)
				case x.k.m.Index != y.k.m.Index:
					return x.k.m.Index - y.k.m.Index
				}
				return -cmpInt(int64(x.o.ID), int64(y.o.ID))
			})
		}
		for i := 0; i < len(list) && i < limit; i++ {
			if i > 0 {
				b = append(b, ',')
			}
			f := &list[i]
			b = appendOrder(b, f.k, &f.o, s.meta.get(orderKey{f.k.m.Index, f.o.ID}), false)
		}
	})
	b = append(b, ']')
	b = appendStrField(b, "nextPageCursor", "")
	b = appendStrField(b, "category", cat.String())
	return reply{result: append(b, '}')}
}

// acknowledged reports whether an order was acknowledged to its owner: every order but those
// refused synchronously (rejected for another reason than the ones Bybit accepts first).
func acknowledged(o *match.Order) bool {
	if o.Status != match.StatusRejected {
		return true
	}
	return o.Reason == event.RejectPostOnly || (o.Reason == event.RejectInvalidRequest && o.Type == event.OrderMarket)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// executionList answers GET /v5/execution/list: the account's recent executions (the last
// maxExecs), newest first, by category, symbol and orderId; limit 1..100, default 50.
func (s *Server) executionList(c *restCall) reply {
	q := c.query
	cat, e := queryCategory(q)
	if e != nil {
		return reply{err: e}
	}
	sym, id := q.Get("symbol"), q.Get("orderId")
	if sym != "" {
		if _, ok := s.market(cat, sym); !ok {
			return reply{err: errSymbol(cat, sym)}
		}
	}
	limit, e := queryLimit(q, 50, 100)
	if e != nil {
		return reply{err: e}
	}
	b := append([]byte(nil), '{')
	b = appendStrField(b, "nextPageCursor", "")
	b = appendStrField(b, "category", cat.String())
	b = append(jsontext.AppendKey(b, "list"), '[')
	s.mu.Lock()
	if a := s.accts[c.key.Account]; a != nil {
		n := 0
		a.execs.each(func(r *execRecord) bool {
			if r.k.cat != cat || (sym != "" && r.k.sym != sym) {
				return true
			}
			if id != "" && orderID(r.k, r.order.ID) != id {
				return true
			}
			if n > 0 {
				b = append(b, ',')
			}
			b = appendExec(b, r, s.meta.get(orderKey{r.k.m.Index, r.order.ID}), false)
			n++
			return n < limit
		})
	}
	s.mu.Unlock()
	return reply{result: append(b, ']', '}')}
}

// queryAPI answers GET /v5/user/query-api: the key's information, with read-write trade
// permissions and the account as user id.
func (s *Server) queryAPI(c *restCall) reply {
	k := c.key
	b := append([]byte(nil), '{')
	b = appendStrField(b, "id", strconv.FormatUint(uint64(k.Account), 10))
	b = appendStrField(b, "note", "ems sim")
	b = appendStrField(b, "apiKey", k.Key)
	b = appendIntField(b, "readOnly", 0)
	b = appendStrField(b, "secret", "")
	b = append(jsontext.AppendKey(b, "permissions"), '{')
	b = appendRaw(b, "ContractTrade", []byte(`["Order","Position"]`))
	b = appendRaw(b, "Spot", []byte(`["SpotTrade"]`))
	for _, p := range [...]string{"Wallet", "Options", "Derivatives", "CopyTrading", "BlockTrade", "Exchange", "NFT", "Affiliate"} {
		b = appendRaw(b, p, []byte("[]"))
	}
	b = append(b, '}')
	b = appendRaw(b, "ips", []byte(`["*"]`))
	b = appendIntField(b, "type", 1)
	b = appendIntField(b, "deadlineDay", -1)
	b = appendStrField(b, "expiredAt", "")
	b = appendStrField(b, "createdAt", strconv.FormatInt(s.start.Load()/1e6, 10))
	b = appendIntField(b, "unified", 0)
	b = appendIntField(b, "uta", 1)
	b = appendIntField(b, "userID", int64(k.Account))
	b = appendIntField(b, "inviterID", 0)
	b = appendStrField(b, "vipLevel", "No VIP")
	b = appendStrField(b, "mktMakerLevel", "0")
	b = appendIntField(b, "affiliateID", 0)
	b = appendStrField(b, "rsaPublicKey", "")
	b = appendBoolField(b, "isMaster", true)
	b = appendStrField(b, "parentUid", "0")
	b = appendStrField(b, "kycLevel", "LEVEL_DEFAULT")
	b = appendStrField(b, "kycRegion", "")
	return reply{result: append(b, '}')}
}

// accountInfo answers GET /v5/account/info: a unified trading account (UTA 2.0) in regular
// margin mode.
func (s *Server) accountInfo(c *restCall) reply {
	b := append([]byte(nil), '{')
	b = appendIntField(b, "unifiedMarginStatus", 5)
	b = appendStrField(b, "marginMode", "REGULAR_MARGIN")
	b = appendBoolField(b, "isMasterTrader", false)
	b = appendStrField(b, "spotHedgingStatus", "OFF")
	b = appendStrField(b, "updatedTime", strconv.FormatInt(s.start.Load()/1e6, 10))
	b = appendStrField(b, "dcpStatus", "OFF")
	b = appendIntField(b, "timeWindow", 10)
	b = appendIntField(b, "smpGroup", 0)
	return reply{result: append(b, '}')}
}
