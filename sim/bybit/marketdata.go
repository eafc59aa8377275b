package bybit

import (
	"ems/core/jsontext"
	"strconv"
	"time"

	"ems/core/book"
	"ems/core/event"
	"ems/sim"
)

// tradeStream is the publicTrade.{symbol} topic of a market: its subscribers. Guarded by the
// Server's mu.
type tradeStream struct {
	topic string
	subs  []*wsConn
	buf   []sim.MarketEvent // scratch: the trades of one batch
}

// mirrorCapacity is the number of levels a side of a mirror holds outside its ladder's window
// without allocating.
const mirrorCapacity = 2048

// initMirror starts the market's market-data state from the Engine's book in st, and numbers the
// streams from it. REQUIRES: the venue lock (inside Do) and the Server's mu.
func (k *mkt) initMirror(st *sim.State) error {
	b, err := book.New(k.l.Tick, mirrorCapacity)
	if err != nil {
		return err
	}
	e := st.Engine(k.m)
	for _, side := range [...]event.Side{event.SideBuy, event.SideSell} {
		for _, l := range e.Depth(side, -1, nil) {
			if _, err := b.Set(book.Side(side), l.Price, l.Qty); err != nil {
				return err
			}
		}
	}
	k.mirror = b
	k.seq = st.Seq(k.m)
	k.batchTS = st.Now()
	k.trades.topic = "publicTrade." + k.sym
	for i, d := range depths {
		k.streams[i] = newDepthStream(d, k.sym)
		k.streams[i].update(b)
	}
	if p, ok := e.LastTrade(); ok {
		k.lastPx = p
	}
	return nil
}

// onMarket is the venue's market-data callback (under the venue lock): it gathers a market's
// events until the batch's Final one, then publishes the batch.
func (s *Server) onMarket(ev sim.MarketEvent) {
	k := s.mkts[ev.Market.Index]
	k.pending = append(k.pending, ev)
	if ev.Final {
		s.publish(k)
		clear(k.pending)
		k.pending = k.pending[:0]
	}
}

// publish applies a market's batch to its mirror and pushes what changed: one message per depth
// stream whose top levels changed (a delta, or a snapshot on orderbook.1, which Bybit pushes as
// snapshots), and one publicTrade message with the batch's trades. Streams without subscribers
// are only marked dirty and caught up when read. The faults act here: stale holds the pushes
// back (the next batch's deltas cover the change, so no u is lost), gap skips one update id.
func (s *Server) publish(k *mkt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	trades := k.trades.buf[:0]
	for i := range k.pending {
		ev := &k.pending[i]
		switch ev.Kind {
		case sim.MarketLevel:
			k.mirror.Set(book.Side(ev.Side), ev.Price, ev.Qty)
			k.seq, k.batchTS = ev.Seq, ev.TS
		case sim.MarketTrade:
			trades = append(trades, *ev)
		}
	}
	k.trades.buf = trades
	if s.closed || s.v.Fault(sim.FaultStale, k.m.Name) {
		k.tickDirection(trades) // the trades are lost to subscribers, not to the tick rule
		return
	}
	due := time.Now().Add(s.v.Latency())
	for _, d := range k.streams {
		if len(d.subs) == 0 {
			d.dirty = true
			continue
		}
		if !d.catchUp(k.mirror) {
			continue
		}
		if s.v.Fault(sim.FaultGap, k.m.Name) {
			d.u++
		}
		snapshot := d.depth == 1
		msg := d.appendBookMessage(make([]byte, 0, 256), k, snapshot, d.u, k.seq, k.batchTS)
		for _, c := range d.subs {
			c.push(msg, k.m.Name, due)
		}
		n := uint64(len(d.subs))
		levels := len(d.dBids) + len(d.dAs)
		if snapshot {
			levels = len(d.bids) + len(d.asks)
		}
		s.pushed.messages += n
		s.pushed.levels += n * uint64(levels)
		s.pushed.bytes += n * uint64(len(msg))
	}
	if len(trades) > 0 && len(k.trades.subs) > 0 {
		msg := k.appendTradeMessage(make([]byte, 0, 256), trades)
		for _, c := range k.trades.subs {
			c.push(msg, k.m.Name, due)
		}
		s.pushed.messages += uint64(len(k.trades.subs))
		s.pushed.bytes += uint64(len(k.trades.subs) * len(msg))
	} else {
		k.tickDirection(trades)
	}
}

// catchUp brings the stream's published levels up to mirror and reports whether they changed,
// in which case u has been advanced for the message that carries the change.
func (d *depthStream) catchUp(mirror *book.Book) bool {
	d.dirty = false
	if !d.update(mirror) {
		return false
	}
	d.u++
	return true
}

// tickDirection advances the market's last trade price and tick direction over trades.
func (k *mkt) tickDirection(trades []sim.MarketEvent) {
	for i := range trades {
		k.direction(trades[i].Price)
	}
}

// direction returns the tick direction of a trade at px and records it (Bybit's L field:
// PlusTick, ZeroPlusTick, MinusTick, ZeroMinusTick).
func (k *mkt) direction(px int64) string {
	switch {
	case k.lastPx == 0 || px > k.lastPx:
		k.lastDir = "PlusTick"
	case px < k.lastPx:
		k.lastDir = "MinusTick"
	case k.lastDir == "PlusTick" || k.lastDir == "ZeroPlusTick":
		k.lastDir = "ZeroPlusTick"
	default:
		k.lastDir = "ZeroMinusTick"
	}
	k.lastPx = px
	return k.lastDir
}

// appendTradeMessage appends a publicTrade message with trades, in Bybit's field order (spot:
// i, T, p, v, S, s, BT, seq; linear: T, s, S, v, p, L, i, BT, seq):
//
//	{"topic":"publicTrade.BTCUSDT","ts":1690720953113,"type":"snapshot",
//	 "data":[{"i":"2290000000000000001","T":1690720953111,"p":"3.6279","v":"1.3637","S":"Sell",
//	          "s":"BTCUSDT","BT":false,"seq":12}]}
func (k *mkt) appendTradeMessage(dst []byte, trades []sim.MarketEvent) []byte {
	ts := trades[len(trades)-1].TS
	dst = append(dst, '{')
	dst = appendStrField(dst, "topic", k.trades.topic)
	if k.cat == catSpot {
		dst = appendIntField(dst, "ts", ts/1e6)
		dst = appendStrField(dst, "type", "snapshot")
	} else {
		dst = appendStrField(dst, "type", "snapshot")
		dst = appendIntField(dst, "ts", ts/1e6)
	}
	dst = append(jsontext.AppendKey(dst, "data"), '[')
	for i := range trades {
		t := &trades[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		if k.cat == catSpot {
			dst = append(jsontext.AppendKey(dst, "i"), '"')
			dst = append(appendTradeID(dst, k, t.TradeID), '"')
			dst = appendIntField(dst, "T", t.TS/1e6)
			dst = k.priceField(dst, "p", t.Price)
			dst = k.qtyField(dst, "v", t.Qty)
			dst = appendStrField(dst, "S", sideName(t.Side))
			dst = appendStrField(dst, "s", k.sym)
			k.direction(t.Price)
		} else {
			dst = appendIntField(dst, "T", t.TS/1e6)
			dst = appendStrField(dst, "s", k.sym)
			dst = appendStrField(dst, "S", sideName(t.Side))
			dst = k.qtyField(dst, "v", t.Qty)
			dst = k.priceField(dst, "p", t.Price)
			dst = appendStrField(dst, "L", k.direction(t.Price))
			dst = append(jsontext.AppendKey(dst, "i"), '"')
			dst = append(appendTradeID(dst, k, t.TradeID), '"')
		}
		dst = appendBoolField(dst, "BT", false)
		dst = strconv.AppendUint(jsontext.AppendKey(dst, "seq"), t.Seq, 10)
		dst = append(dst, '}')
	}
	return append(dst, ']', '}')
}

// sideName returns "Buy" or "Sell".
func sideName(s event.Side) string {
	if s == event.SideSell {
		return "Sell"
	}
	return "Buy"
}

// subscribeLocked adds c to the market-data topic of k at depth (0: publicTrade) and queues the
// subscription's first message: a book snapshot at the stream's current u (nothing for trades).
// REQUIRES: s.mu; the topic was validated.
func (s *Server) subscribeLocked(c *wsConn, k *mkt, depth int) {
	c.topics[topicName(k, depth)] = true
	if depth == 0 {
		k.trades.subs = append(k.trades.subs, c)
		return
	}
	d := k.streams[depthIndex(depth)]
	d.subs = append(d.subs, c)
	if d.dirty {
		d.catchUp(k.mirror)
	}
	msg := d.appendBookMessage(make([]byte, 0, 1024), k, true, d.u, k.seq, k.batchTS)
	c.push(msg, k.m.Name, time.Now().Add(s.v.Latency()))
}

// unsubscribeLocked removes c from a topic it holds. REQUIRES: s.mu.
func (s *Server) unsubscribeLocked(c *wsConn, topic string) {
	delete(c.topics, topic)
	if c.kind != connPublic {
		return
	}
	k, depth, ok := s.parseTopic(c.cat, topic)
	if !ok {
		return
	}
	if depth == 0 {
		k.trades.subs = removeConn(k.trades.subs, c)
		return
	}
	d := k.streams[depthIndex(depth)]
	d.subs = removeConn(d.subs, c)
}

// removeConn returns subs without c, in a new array (a publication in progress keeps the old).
func removeConn(subs []*wsConn, c *wsConn) []*wsConn {
	for i, x := range subs {
		if x == c {
			return append(subs[:i:i], subs[i+1:]...)
		}
	}
	return subs
}

// depthIndex returns the index in depths of a served depth.
func depthIndex(depth int) int {
	for i, d := range depths {
		if d == depth {
			return i
		}
	}
	return -1
}

// topicName returns the topic of market k at depth (0: publicTrade).
func topicName(k *mkt, depth int) string {
	if depth == 0 {
		return k.trades.topic
	}
	return k.streams[depthIndex(depth)].topic
}

// parseTopic reads "orderbook.{depth}.{symbol}" (a served depth) or "publicTrade.{symbol}"
// (depth 0) of category c.
func (s *Server) parseTopic(c category, topic string) (k *mkt, depth int, ok bool) {
	const ob, pt = "orderbook.", "publicTrade."
	switch {
	case len(topic) > len(pt) && topic[:len(pt)] == pt:
		k, ok = s.market(c, topic[len(pt):])
		return k, 0, ok
	case len(topic) > len(ob) && topic[:len(ob)] == ob:
		rest := topic[len(ob):]
		for i := 0; i < len(rest); i++ {
			if rest[i] == '.' {
				d, err := strconv.Atoi(rest[:i])
				if err != nil || depthIndex(d) < 0 {
					return nil, 0, false
				}
				k, ok = s.market(c, rest[i+1:])
				return k, d, ok
			}
		}
	}
	return nil, 0, false
}
