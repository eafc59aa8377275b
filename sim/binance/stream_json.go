package binance

import (
	"ems/core/book"
	"ems/core/event"
	"ems/core/jsontext"
	"ems/sim"
)

// Market-data payloads, spelled as Binance spot sends them (venue specs 1.1 and the recordings
// in venues/data/binance-spot): decimal strings with 8 places, times in milliseconds.
//
//	depthUpdate  {"e":"depthUpdate","E":1633998512068,"s":"NKNUSDT","U":499869753,"u":499869754,
//	              "b":[["0.35170000","4265.00000000"]],"a":[["0.35290000","10968.00000000"]]}
//	trade        {"e":"trade","E":1639351062244,"s":"ETHUSDT","t":705291099,"p":"4149.74000000",
//	              "q":"0.43870000","T":1639351062243,"m":true,"M":true}
//	bookTicker   {"u":499869768,"s":"NKNUSDT","b":"0.35210000","B":"672.00000000",
//	              "a":"0.35260000","A":"3199.00000000"}
//	partial      {"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}
//	REST depth   {"lastUpdateId":499869752,"bids":[[px,qty],...],"asks":[[px,qty],...]}

// appendLevels appends [["px","qty"],...].
func appendLevels(dst []byte, mk *market, lv []book.Level) []byte {
	dst = append(dst, '[')
	for i, l := range lv {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		dst = appendDec(dst, l.Price, mk.l.PriceScale)
		dst = append(dst, ',')
		dst = appendDec(dst, l.Qty, mk.l.QtyScale)
		dst = append(dst, ']')
	}
	return append(dst, ']')
}

// appendDepthUpdate appends a diff-depth event of the levels a gathered.
func appendDepthUpdate(dst []byte, mk *market, a *diffAgg, nowMs int64) []byte {
	dst = append(dst, `{"e":"depthUpdate","E":`...)
	dst = appendInt(dst, nowMs)
	dst = append(dst, `,"s":`...)
	dst = jsontext.AppendString(dst, mk.symbol)
	dst = append(dst, `,"U":`...)
	dst = appendInt(dst, int64(a.first))
	dst = append(dst, `,"u":`...)
	dst = appendInt(dst, int64(a.last))
	dst = append(dst, `,"b":`...)
	dst = appendLevels(dst, mk, a.bids)
	dst = append(dst, `,"a":`...)
	dst = appendLevels(dst, mk, a.asks)
	return append(dst, '}')
}

// appendTrade appends a trade event. m (the buyer is the maker) is true when the taker sold.
func appendTrade(dst []byte, mk *market, ev *sim.MarketEvent, nowMs int64) []byte {
	dst = append(dst, `{"e":"trade","E":`...)
	dst = appendInt(dst, nowMs)
	dst = append(dst, `,"s":`...)
	dst = jsontext.AppendString(dst, mk.symbol)
	dst = append(dst, `,"t":`...)
	dst = appendInt(dst, int64(ev.TradeID))
	dst = append(dst, `,"p":`...)
	dst = appendDec(dst, ev.Price, mk.l.PriceScale)
	dst = append(dst, `,"q":`...)
	dst = appendDec(dst, ev.Qty, mk.l.QtyScale)
	dst = append(dst, `,"T":`...)
	dst = appendInt(dst, ev.TS/1e6)
	dst = append(dst, `,"m":`...)
	dst = appendBool(dst, ev.Side == event.SideSell)
	return append(dst, `,"M":true}`...)
}

// appendBookTicker appends a bookTicker event: top[0] the best bid, top[1] the best ask.
func appendBookTicker(dst []byte, mk *market, u uint64, top [2]book.Level) []byte {
	l := mk.l
	dst = append(dst, `{"u":`...)
	dst = appendInt(dst, int64(u))
	dst = append(dst, `,"s":`...)
	dst = jsontext.AppendString(dst, mk.symbol)
	dst = append(dst, `,"b":`...)
	dst = appendDec(dst, top[0].Price, l.PriceScale)
	dst = append(dst, `,"B":`...)
	dst = appendDec(dst, top[0].Qty, l.QtyScale)
	dst = append(dst, `,"a":`...)
	dst = appendDec(dst, top[1].Price, l.PriceScale)
	dst = append(dst, `,"A":`...)
	dst = appendDec(dst, top[1].Qty, l.QtyScale)
	return append(dst, '}')
}

// appendPartial appends a partial-book event of the best n levels of m's mirror. REQUIRES: hub.mu.
func appendPartial(dst []byte, m *mdMarket, n int) []byte {
	m.scratch = m.book.Levels(book.Bid, n, m.scratch[:0])
	bids := len(m.scratch)
	m.scratch = m.book.Levels(book.Ask, n, m.scratch)
	return appendBook(dst, m.mk, m.seq, m.scratch[:bids], m.scratch[bids:])
}

// appendBook appends {"lastUpdateId":u,"bids":[...],"asks":[...]} (REST depth, partial depth).
func appendBook(dst []byte, mk *market, u uint64, bids, asks []book.Level) []byte {
	dst = append(dst, `{"lastUpdateId":`...)
	dst = appendInt(dst, int64(u))
	dst = append(dst, `,"bids":`...)
	dst = appendLevels(dst, mk, bids)
	dst = append(dst, `,"asks":`...)
	dst = appendLevels(dst, mk, asks)
	return append(dst, '}')
}
