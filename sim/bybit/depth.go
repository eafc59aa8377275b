package bybit

import (
	"ems/core/jsontext"
	"strconv"

	"ems/core/book"
)

// depthStream is one orderbook.{depth}.{symbol} topic: the top depth levels of each side as last
// published, the topic's update id u, and the connections subscribed to it. Guarded by the
// Server's mu.
//
// Bybit's deltas are differences between consecutive top-N books (venue specs section 4): a level
// leaving the top N arrives as an explicit delete and a level entering it as an insert, so a
// client that applies them keeps exactly N levels a side. publish computes them that way from the
// market's mirror of the Engine's whole book.
//
// INVARIANT: bids and asks are the levels last published (best first, at most depth each), and
// u is the update id of the last message published (or of the state at creation).
type depthStream struct {
	depth      int
	topic      string // "orderbook.50.BTCUSDT"
	u          uint64
	bids, asks []book.Level
	subs       []*wsConn
	dirty      bool // the mirror changed since the last update (no subscriber was listening)

	next       []book.Level // scratch: the new top levels of one side
	dBids, dAs []book.Level // scratch: the changes of one publication
}

func newDepthStream(depth int, sym string) *depthStream {
	return &depthStream{depth: depth, topic: "orderbook." + strconv.Itoa(depth) + "." + sym, u: 1}
}

// update recomputes the top levels from mirror and records the changes in dBids and dAs
// (quantity 0: the level left the top). It reports whether anything changed; the published
// levels are then the new ones.
func (d *depthStream) update(mirror *book.Book) bool {
	d.next = mirror.Levels(book.Bid, d.depth, d.next[:0])
	d.dBids = diffLevels(d.dBids[:0], d.bids, d.next, true)
	d.bids = append(d.bids[:0], d.next...)
	d.next = mirror.Levels(book.Ask, d.depth, d.next[:0])
	d.dAs = diffLevels(d.dAs[:0], d.asks, d.next, false)
	d.asks = append(d.asks[:0], d.next...)
	return len(d.dBids) > 0 || len(d.dAs) > 0
}

// diffLevels appends to dst the changes from old to cur, two sides' levels sorted best first
// (descending prices for bids, ascending for asks): a level whose quantity changed or that is
// new, with its quantity, and a level that is gone, with quantity 0. The changes come best first.
func diffLevels(dst, old, cur []book.Level, bids bool) []book.Level {
	better := func(a, b int64) bool {
		if bids {
			return a > b
		}
		return a < b
	}
	i, j := 0, 0
	for i < len(old) && j < len(cur) {
		o, c := old[i], cur[j]
		switch {
		case o.Price == c.Price:
			if o.Qty != c.Qty {
				dst = append(dst, c)
			}
			i++
			j++
		case better(c.Price, o.Price):
			dst = append(dst, c)
			j++
		default:
			dst = append(dst, book.Level{Price: o.Price})
			i++
		}
	}
	for ; i < len(old); i++ {
		dst = append(dst, book.Level{Price: old[i].Price})
	}
	return append(dst, cur[j:]...)
}

// appendBookMessage appends an orderbook message of stream d of market k: a snapshot of the
// published levels, or the delta of the last update. u is the message's update id, seq the
// cross sequence, ts the system and matching time (ns). Field order is Bybit's: spot writes
// "ts" before "type", linear after.
//
//	{"topic":"orderbook.50.BTCUSDT","ts":1731035685345,"type":"delta",
//	 "data":{"s":"BTCUSDT","b":[["75848.62","0.014895"],["75837.13","0"]],"a":[...],
//	         "u":2876701,"seq":47474967823},"cts":1731035685342}
func (d *depthStream) appendBookMessage(dst []byte, k *mkt, snapshot bool, u, seq uint64, ts int64) []byte {
	typ := "delta"
	bids, asks := d.dBids, d.dAs
	if snapshot {
		typ, bids, asks = "snapshot", d.bids, d.asks
	}
	dst = append(dst, '{')
	dst = appendStrField(dst, "topic", d.topic)
	if k.cat == catSpot {
		dst = appendIntField(dst, "ts", ts/1e6)
		dst = appendStrField(dst, "type", typ)
	} else {
		dst = appendStrField(dst, "type", typ)
		dst = appendIntField(dst, "ts", ts/1e6)
	}
	dst = append(jsontext.AppendKey(dst, "data"), '{')
	dst = appendStrField(dst, "s", k.sym)
	dst = appendLevels(jsontext.AppendKey(dst, "b"), k, bids)
	dst = appendLevels(jsontext.AppendKey(dst, "a"), k, asks)
	dst = strconv.AppendUint(jsontext.AppendKey(dst, "u"), u, 10)
	dst = strconv.AppendUint(jsontext.AppendKey(dst, "seq"), seq, 10)
	dst = append(dst, '}')
	dst = appendIntField(dst, "cts", ts/1e6)
	return append(dst, '}')
}

// appendLevels appends levels as [["px","qty"],...].
func appendLevels(dst []byte, k *mkt, levels []book.Level) []byte {
	dst = append(dst, '[')
	for i, l := range levels {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[', '"')
		dst = k.appendPrice(dst, l.Price)
		dst = append(dst, '"', ',', '"')
		dst = k.appendQty(dst, l.Qty)
		dst = append(dst, '"', ']')
	}
	return append(dst, ']')
}
