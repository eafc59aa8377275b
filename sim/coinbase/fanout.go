package coinbase

import (
	"ems/core/book"
	"ems/core/event"
	"ems/core/jsontext"
	"ems/sim"
)

// Market data fan-out. The venue calls onMarket for every level change and trade of every
// market, in engine order, under the venue lock; the server gathers a market's events until the
// batch's last (Final) and then encodes them once, as the "events" array of one l2_data message
// and one market_trades message, shared by every subscribed connection. Each connection wraps
// the shared events in its own envelope when it writes them, numbering its messages itself
// (sequence_num is per connection):
//
//	{"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":N,
//	 "events":[{"type":"update","product_id":"BTC-USDT","updates":[
//	   {"side":"bid"|"offer","event_time":"<batch time>","price_level":"68000.01","new_quantity":"0.25"},...]}]}
//	{"channel":"market_trades",...,"events":[{"type":"update","trades":[
//	   {"trade_id":"1234","product_id":"BTC-USDT","price":"68000.01","size":"0.01","side":"BUY"|"SELL","time":"..."},...]}]}
//
// new_quantity is the level's absolute quantity, "0" when it is gone. A trade's side is the
// maker's (the resting order's) side, the opposite of the aggressor, as the legacy Exchange feed
// defined match.side and as the project's feed decoder reads it (venue specs section 5 keeps the
// question open for Advanced Trade).

// level is one aggregated level change.
type level struct {
	side       event.Side
	price, qty int64
}

// tradeRecord is one public trade.
type tradeRecord struct {
	id         uint64
	price, qty int64
	taker      event.Side
	ts         int64
}

// marketBatch gathers one market's events until the end of the venue's batch. Touched only by
// onMarket, under the venue lock.
type marketBatch struct {
	levels []level
	trades []tradeRecord
	ts     int64
}

// onMarket is the venue's market-data callback (venue lock held; must not block).
func (s *Server) onMarket(ev sim.MarketEvent) {
	b := &s.batches[ev.Market.Index]
	switch ev.Kind {
	case sim.MarketLevel:
		b.levels = append(b.levels, level{side: ev.Side, price: ev.Price, qty: ev.Qty})
		b.ts = ev.TS
	case sim.MarketTrade:
		b.trades = append(b.trades, tradeRecord{id: ev.TradeID, price: ev.Price, qty: ev.Qty, taker: ev.Side, ts: ev.TS})
		if b.ts == 0 {
			b.ts = ev.TS
		}
	}
	if !ev.Final {
		return
	}
	s.publish(ev.Market, b)
	b.levels, b.trades, b.ts = b.levels[:0], b.trades[:0], 0
}

// publish records b's trades and pushes b to the market's subscribers.
func (s *Server) publish(m *sim.Market, b *marketBatch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := m.Index
	if len(b.trades) > 0 {
		s.remember(i, b.trades)
		if subs := s.trades[i]; len(subs) > 0 {
			body := appendTradeEvents(nil, "update", m, b.trades, false)
			for _, c := range subs {
				c.push(outMsg{channel: chMarketTrades, events: body, market: m})
			}
		}
	}
	if len(b.levels) > 0 {
		if subs := s.level2[i]; len(subs) > 0 {
			body := appendL2Update(nil, m, b.levels, b.ts)
			for _, c := range subs {
				c.push(outMsg{channel: chL2Data, events: body, market: m})
			}
		}
	}
}

// remember keeps the last TradeSnapshot trades of market i and counts their volume.
// REQUIRES: s.mu.
func (s *Server) remember(i int, trades []tradeRecord) {
	for _, t := range trades {
		s.volume[i] += t.qty
	}
	r := append(s.recent[i], trades...)
	if n := s.opts.TradeSnapshot; len(r) > 2*n {
		r = append(r[:0], r[len(r)-n:]...)
	}
	s.recent[i] = r
}

// recentTrades returns market i's last TradeSnapshot trades, oldest first. REQUIRES: s.mu.
func (s *Server) recentTrades(i int) []tradeRecord {
	r := s.recent[i]
	if n := s.opts.TradeSnapshot; len(r) > n {
		r = r[len(r)-n:]
	}
	return r
}

// appendL2Update appends the events array of an l2_data update.
func appendL2Update(dst []byte, m *sim.Market, levels []level, ts int64) []byte {
	l := m.Listing
	dst = append(dst, `[{"type":"update","product_id":`...)
	dst = jsontext.AppendString(dst, m.Symbol)
	dst = append(dst, `,"updates":[`...)
	for i, lv := range levels {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendLevel(dst, lv.side, lv.price, lv.qty, l.PriceScale, l.QtyScale, ts)
	}
	return append(dst, `]}]`...)
}

// appendL2Snapshot appends the events array of an l2_data snapshot: every bid, best first, then
// every offer, best first; event_time is the epoch, as in the venue's documented example.
func appendL2Snapshot(dst []byte, m *sim.Market, bids, asks []book.Level) []byte {
	l := m.Listing
	dst = append(dst, `[{"type":"snapshot","product_id":`...)
	dst = jsontext.AppendString(dst, m.Symbol)
	dst = append(dst, `,"updates":[`...)
	n := 0
	for _, side := range [2]struct {
		s  event.Side
		lv []book.Level
	}{{event.SideBuy, bids}, {event.SideSell, asks}} {
		for _, lv := range side.lv {
			if n > 0 {
				dst = append(dst, ',')
			}
			n++
			dst = appendLevel(dst, side.s, lv.Price, lv.Qty, l.PriceScale, l.QtyScale, 0)
		}
	}
	return append(dst, `]}]`...)
}

// appendLevel appends one update object; ts 0 writes the epoch.
func appendLevel(dst []byte, side event.Side, price, qty int64, ps, qs uint8, ts int64) []byte {
	if side == event.SideBuy {
		dst = append(dst, `{"side":"bid","event_time":"`...)
	} else {
		dst = append(dst, `{"side":"offer","event_time":"`...)
	}
	if ts == 0 {
		dst = append(dst, epochTime...)
	} else {
		dst = appendTime(dst, ts)
	}
	dst = append(dst, '"')
	dst = appendDec(dst, "price_level", price, ps)
	dst = appendDec(dst, "new_quantity", qty, qs)
	return append(dst, '}')
}

// appendTradeEvents appends the events array of a market_trades message of type typ ("update",
// or "snapshot" with newestFirst for the trades a subscription starts with).
func appendTradeEvents(dst []byte, typ string, m *sim.Market, trades []tradeRecord, newestFirst bool) []byte {
	l := m.Listing
	dst = append(dst, `[{"type":`...)
	dst = jsontext.AppendString(dst, typ)
	dst = append(dst, `,"trades":[`...)
	for i := range trades {
		t := &trades[i]
		if newestFirst {
			t = &trades[len(trades)-1-i]
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		dst = appendIntString(dst, "trade_id", int64(t.id))
		dst = appendField(dst, "product_id", m.Symbol)
		dst = appendDec(dst, "price", t.price, l.PriceScale)
		dst = appendDec(dst, "size", t.qty, l.QtyScale)
		maker := event.SideSell
		if t.taker == event.SideSell {
			maker = event.SideBuy
		}
		dst = appendField(dst, "side", sideName(maker))
		dst = appendTimeField(dst, "time", t.ts)
		dst = append(dst, '}')
	}
	return append(dst, `]}]`...)
}
