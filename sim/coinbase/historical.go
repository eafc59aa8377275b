package coinbase

import (
	"ems/core/jsontext"
	"slices"
	"strconv"

	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// Order history and account figures:
//
//	GET orders/historical/{order_id}   {"order":<order>}; 404 NOT_FOUND "order with this orderID was not found"
//	GET orders/historical/batch        ?product_ids=&order_status=&order_ids=&order_side=&limit=&cursor=
//	    {"orders":[<order>...],"sequence":"0","has_next":false,"cursor":""}      newest first
//	GET orders/historical/fills        ?order_ids=&product_ids=&trade_ids=&limit=&cursor=
//	    {"fills":[<fill>...],"cursor":""}                                        newest first
//	GET transaction_summary            fee tier from the listing's fees; volume and fees traded
//
// The history holds the orders placed through this server and their fills, the last
// Options.History of each per account. The cursor is an offset into the filtered list.

// defaultPage and maxPage bound the list endpoints' limit.
const (
	defaultPage = 100
	maxPage     = 1000
)

const errOrderNotFound = "order with this orderID was not found"

func (s *Server) getOrder(q *request) reply {
	k, ok := parseOrderID(q.id)
	markets := s.v.Markets()
	if !ok || int(k.market) >= len(markets) {
		return notFound(errOrderNotFound)
	}
	m := markets[k.market]
	var o match.Order
	s.v.Do(func(st *sim.State) { o, ok = st.Engine(m).Order(k.id) })
	if !ok || o.Account != q.key.account {
		return notFound(errOrderNotFound)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := append([]byte(nil), `{"order":`...)
	b = appendRESTOrder(b, &o, s.accounts[q.key.account].orders[k], m, rulesOf(m))
	return jsonReply(append(b, '}'))
}

// page reads limit and cursor.
func page(q *request) (limit, offset int, bad string) {
	limit, offset = defaultPage, 0
	qs := q.r.URL.Query()
	if t := qs.Get("limit"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			return 0, 0, "limit is not a non-negative integer"
		}
		if n > 0 {
			limit = min(n, maxPage)
		}
	}
	if t := qs.Get("cursor"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			return 0, 0, "invalid cursor"
		}
		offset = n
	}
	return limit, offset, ""
}

// set returns a membership test of vals (nil when vals is empty: everything passes).
func set(vals []string) func(string) bool {
	if len(vals) == 0 {
		return nil
	}
	return func(s string) bool { return slices.Contains(vals, s) }
}

func (s *Server) listOrders(q *request) reply {
	limit, offset, bad := page(q)
	if bad != "" {
		return badRequest(bad)
	}
	products := set(append(queryList(q.r, "product_ids"), queryList(q.r, "product_id")...))
	statuses := set(queryList(q.r, "order_status"))
	ids := set(queryList(q.r, "order_ids"))
	side := q.r.URL.Query().Get("order_side")
	markets := s.v.Markets()
	s.mu.Lock()
	a := s.accounts[q.key.account]
	keys := slices.Clone(a.liveKeys())
	s.mu.Unlock()
	slices.Reverse(keys)
	orders := make([]match.Order, len(keys))
	found := make([]bool, len(keys))
	s.v.Do(func(st *sim.State) {
		for i, k := range keys {
			orders[i], found[i] = st.Engine(markets[k.market]).Order(k.id)
		}
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	b := append([]byte(nil), `{"orders":[`...)
	n, skipped, more := 0, 0, false
	for i, k := range keys {
		o := &orders[i]
		if !found[i] || o.Status == match.StatusRejected {
			continue
		}
		m := markets[k.market]
		meta := a.orders[k]
		if (products != nil && !products(m.Symbol)) || (statuses != nil && !statuses(wireStatus(o, meta))) ||
			(ids != nil && !ids(orderIDString(k))) || (side != "" && side != sideName(o.Side)) {
			continue
		}
		if skipped < offset {
			skipped++
			continue
		}
		if n == limit {
			more = true
			break
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendRESTOrder(b, o, meta, m, rulesOf(m))
	}
	b = append(b, ']')
	b = appendField(b, "sequence", "0")
	b = appendBool(b, "has_next", more)
	cursor := ""
	if more {
		cursor = strconv.Itoa(offset + n)
	}
	b = appendField(b, "cursor", cursor)
	return jsonReply(append(b, '}'))
}

func (s *Server) listFills(q *request) reply {
	limit, offset, bad := page(q)
	if bad != "" {
		return badRequest(bad)
	}
	orders := set(append(queryList(q.r, "order_ids"), queryList(q.r, "order_id")...))
	products := set(append(queryList(q.r, "product_ids"), queryList(q.r, "product_id")...))
	trades := set(queryList(q.r, "trade_ids"))
	s.mu.Lock()
	defer s.mu.Unlock()
	fills := s.accounts[q.key.account].liveFills()
	b := append([]byte(nil), `{"fills":[`...)
	n, skipped, more := 0, 0, false
	for i := len(fills) - 1; i >= 0; i-- {
		f := &fills[i]
		if (orders != nil && !orders(orderIDString(f.key))) || (products != nil && !products(f.market.Symbol)) ||
			(trades != nil && !trades(strconv.FormatUint(f.tradeID, 10))) {
			continue
		}
		if skipped < offset {
			skipped++
			continue
		}
		if n == limit {
			more = true
			break
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendFill(b, f)
	}
	b = append(b, ']')
	cursor := ""
	if more {
		cursor = strconv.Itoa(offset + n)
	}
	b = appendField(b, "cursor", cursor)
	return jsonReply(append(b, '}'))
}

// transactionSummary answers the account's fee tier (the first market's listing fees: the
// venue's lowest tier) and what it traded through this server. pricing_tier's name is the
// simulator's.
func (s *Server) transactionSummary(q *request) reply {
	l := s.v.Markets()[0].Listing
	s.mu.Lock()
	a := s.accounts[q.key.account]
	volume, fees := a.volume, a.fees
	s.mu.Unlock()
	b := append([]byte(nil), '{')
	b = fixed.AppendTrim(jsontext.AppendKey(b, "total_volume"), volume, volumeScale)
	b = fixed.AppendTrim(jsontext.AppendKey(b, "total_fees"), fees, volumeScale)
	b = append(jsontext.AppendKey(b, "fee_tier"), '{')
	b = appendField(b, "pricing_tier", "Advanced 1")
	b = appendField(b, "usd_from", "0")
	b = appendField(b, "usd_to", "1000")
	// Fees are basis points at scale 2: a rate at scale 6.
	b = appendDec(b, "taker_fee_rate", l.TakerFee, 6)
	b = appendDec(b, "maker_fee_rate", l.MakerFee, 6)
	b = appendField(b, "aop_from", "")
	b = appendField(b, "aop_to", "")
	b = append(b, '}')
	b = append(jsontext.AppendKey(b, "margin_rate"), "null"...)
	b = append(jsontext.AppendKey(b, "goods_and_services_tax"), "null"...)
	b = fixed.AppendTrim(jsontext.AppendKey(b, "advanced_trade_only_volume"), volume, volumeScale)
	b = fixed.AppendTrim(jsontext.AppendKey(b, "advanced_trade_only_fees"), fees, volumeScale)
	b = append(jsontext.AppendKey(b, "coinbase_pro_volume"), '0')
	b = append(jsontext.AppendKey(b, "coinbase_pro_fees"), '0')
	b = appendField(b, "total_balance", "")
	b = appendBool(b, "has_promo_fee", false)
	return jsonReply(append(b, '}'))
}
