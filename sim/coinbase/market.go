package coinbase

import (
	"ems/core/jsontext"
	"strconv"
	"strings"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// Market data over REST:
//
//	GET market/products, products                 {"products":[<product>...],"num_products":N}
//	GET market/products/{id}, products/{id}       <product>
//	GET market/product_book, product_book         ?product_id=BTC-USDT&limit=N
//	    {"pricebook":{"product_id","bids":[{"price","size"}],"asks":[...],"time"},
//	     "last","mid_market","spread_bps","spread_absolute"}
//	GET best_bid_ask                              ?product_ids=A&product_ids=B
//	    {"pricebooks":[{"product_id","bids":[{"price","size"}],"asks":[...],"time"}]}
//
// The market/ paths are public; the others need a JWT. volume_24h is the volume traded since the
// server started; the 24 h changes are "0".

// marketView is what a product object needs from the engine.
type marketView struct {
	m                    *sim.Market
	rules                match.Rules
	bid, ask, last       int64
	hasBid, hasAsk, trad bool
}

// view reads the books of ms inside the venue lock.
func (s *Server) view(ms []*sim.Market) []marketView {
	out := make([]marketView, len(ms))
	s.v.Do(func(st *sim.State) {
		for i, m := range ms {
			e := st.Engine(m)
			mv := marketView{m: m, rules: e.Rules()}
			mv.bid, _, mv.hasBid = e.Best(event.SideBuy)
			mv.ask, _, mv.hasAsk = e.Best(event.SideSell)
			mv.last, mv.trad = e.LastTrade()
			out[i] = mv
		}
	})
	return out
}

// product returns the market named id, which must be its venue symbol.
func (s *Server) product(id string) (*sim.Market, bool) {
	m, ok := s.v.Market(id)
	if !ok || m.Symbol != id {
		return nil, false
	}
	return m, true
}

func (s *Server) listProducts(q *request) reply {
	ms := s.v.Markets()
	if ids := queryList(q.r, "product_ids"); len(ids) > 0 {
		ms = nil
		for _, id := range ids {
			if m, ok := s.product(id); ok {
				ms = append(ms, m)
			}
		}
	}
	if t := q.r.URL.Query().Get("product_type"); t != "" && t != "SPOT" {
		ms = nil
	}
	views := s.view(ms)
	b := append([]byte(nil), `{"products":[`...)
	s.mu.Lock()
	for i := range views {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendProduct(b, &views[i])
	}
	s.mu.Unlock()
	b = append(b, ']')
	b = appendInt(b, "num_products", int64(len(views)))
	return jsonReply(append(b, '}'))
}

func (s *Server) getProduct(q *request) reply {
	m, ok := s.product(q.id)
	if !ok {
		return notFound("product " + q.id + " not found")
	}
	v := s.view([]*sim.Market{m})
	s.mu.Lock()
	defer s.mu.Unlock()
	return jsonReply(s.appendProduct(nil, &v[0]))
}

// appendProduct appends the product object of mv. REQUIRES: s.mu (for the volume).
func (s *Server) appendProduct(b []byte, mv *marketView) []byte {
	m, l, r := mv.m, mv.m.Listing, mv.rules
	base, quote, _ := strings.Cut(m.Symbol, "-")
	price := mv.last
	if !mv.trad {
		price = mid(mv)
	}
	b = append(b, '{')
	b = appendField(b, "product_id", m.Symbol)
	b = appendDec(b, "price", price, r.PriceScale)
	b = appendField(b, "price_percentage_change_24h", "0")
	b = appendDec(b, "volume_24h", s.volumeOf(m.Index), r.QtyScale)
	b = appendField(b, "volume_percentage_change_24h", "0")
	b = appendDec(b, "base_increment", r.Lot, r.QtyScale)
	b = appendDec(b, "quote_increment", r.Tick, r.PriceScale)
	b = appendDec(b, "quote_min_size", max(l.MinNotional, r.Tick), r.PriceScale)
	b = appendField(b, "quote_max_size", "150000000")
	b = appendDec(b, "base_min_size", r.MinQty, r.QtyScale)
	b = appendField(b, "base_max_size", "100000")
	b = appendField(b, "base_name", base)
	b = appendField(b, "quote_name", quote)
	b = appendBool(b, "watched", false)
	b = appendBool(b, "is_disabled", false)
	b = appendBool(b, "new", false)
	b = appendField(b, "status", "online")
	b = appendBool(b, "cancel_only", false)
	b = appendBool(b, "limit_only", false)
	b = appendBool(b, "post_only", false)
	b = appendBool(b, "trading_disabled", false)
	b = appendBool(b, "auction_mode", false)
	b = appendField(b, "product_type", "SPOT")
	b = appendField(b, "quote_currency_id", quote)
	b = appendField(b, "base_currency_id", base)
	b = append(jsontext.AppendKey(b, "fcm_trading_session_details"), "null"...)
	b = appendDec(b, "mid_market_price", mid(mv), r.PriceScale+1)
	b = appendField(b, "alias", "")
	b = append(jsontext.AppendKey(b, "alias_to"), '[', ']')
	b = appendField(b, "base_display_symbol", base)
	b = appendField(b, "quote_display_symbol", quote)
	b = appendBool(b, "view_only", false)
	b = appendDec(b, "price_increment", r.Tick, r.PriceScale)
	b = appendField(b, "display_name", base+"-"+quote)
	b = appendField(b, "product_venue", "CBE")
	return append(b, '}')
}

// mid returns the mid price at the price scale + 1 (exact), or 0 without a two-sided book.
func mid(mv *marketView) int64 {
	if !mv.hasBid || !mv.hasAsk {
		return 0
	}
	return (mv.bid + mv.ask) * 5
}

// volumeOf returns market i's traded quantity since start. REQUIRES: s.mu.
func (s *Server) volumeOf(i int) int64 {
	if i < len(s.volume) {
		return s.volume[i]
	}
	return 0
}

func (s *Server) productBook(q *request) reply {
	id := q.r.URL.Query().Get("product_id")
	if id == "" {
		return badRequest("product_id is required")
	}
	m, ok := s.product(id)
	if !ok {
		return notFound("product " + id + " not found")
	}
	limit := 0
	if t := q.r.URL.Query().Get("limit"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			return badRequest("limit is not a non-negative integer")
		}
		limit = n
	}
	var bids, asks []book.Level
	var mv marketView
	s.v.Do(func(st *sim.State) {
		e := st.Engine(m)
		nb, na := e.Levels(event.SideBuy), e.Levels(event.SideSell)
		if limit > 0 {
			nb, na = min(nb, limit), min(na, limit)
		}
		bids = e.Depth(event.SideBuy, nb, nil)
		asks = e.Depth(event.SideSell, na, nil)
		mv = marketView{m: m, rules: e.Rules()}
		mv.bid, _, mv.hasBid = e.Best(event.SideBuy)
		mv.ask, _, mv.hasAsk = e.Best(event.SideSell)
		mv.last, mv.trad = e.LastTrade()
	})
	r := mv.rules
	b := append([]byte(nil), `{"pricebook":`...)
	b = s.appendPricebook(b, m, r, bids, asks)
	b = appendDec(b, "last", mv.last, r.PriceScale)
	b = appendDec(b, "mid_market", mid(&mv), r.PriceScale+1)
	var spread, bps int64
	if mv.hasBid && mv.hasAsk {
		spread = mv.ask - mv.bid
		bps, _ = fixed.MulDiv(2*spread, 100_000_000, mv.bid+mv.ask) // bps at scale 4
	}
	b = appendDec(b, "spread_bps", bps, 4)
	b = appendDec(b, "spread_absolute", spread, r.PriceScale)
	return jsonReply(append(b, '}'))
}

// appendPricebook appends {"product_id","bids":[{"price","size"}],"asks":[...],"time"}.
func (s *Server) appendPricebook(b []byte, m *sim.Market, r match.Rules, bids, asks []book.Level) []byte {
	b = append(b, '{')
	b = appendField(b, "product_id", m.Symbol)
	for _, side := range [2]struct {
		name string
		lv   []book.Level
	}{{"bids", bids}, {"asks", asks}} {
		b = append(jsontext.AppendKey(b, side.name), '[')
		for i, lv := range side.lv {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendDec(b, "price", lv.Price, r.PriceScale)
			b = appendDec(b, "size", lv.Qty, r.QtyScale)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendTimeField(b, "time", s.v.Now())
	return append(b, '}')
}

func (s *Server) bestBidAsk(q *request) reply {
	ms := s.v.Markets()
	if ids := queryList(q.r, "product_ids"); len(ids) > 0 {
		ms = nil
		for _, id := range ids {
			m, ok := s.product(id)
			if !ok {
				return notFound("product " + id + " not found")
			}
			ms = append(ms, m)
		}
	}
	type top struct {
		bids, asks []book.Level
		rules      match.Rules
	}
	tops := make([]top, len(ms))
	s.v.Do(func(st *sim.State) {
		for i, m := range ms {
			e := st.Engine(m)
			tops[i] = top{bids: e.Depth(event.SideBuy, 1, nil), asks: e.Depth(event.SideSell, 1, nil), rules: e.Rules()}
		}
	})
	b := append([]byte(nil), `{"pricebooks":[`...)
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendPricebook(b, m, tops[i].rules, tops[i].bids, tops[i].asks)
	}
	return jsonReply(append(b, ']', '}'))
}

// rulesOf returns the formatting scales of market m's listing as Rules.
func rulesOf(m *sim.Market) match.Rules {
	return match.Rules{PriceScale: m.Listing.PriceScale, QtyScale: m.Listing.QtyScale}
}
