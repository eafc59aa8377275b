package kraken

import (
	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// trades handles {"channel":"trade","type":"snapshot"|"update","data":[{"symbol":"MATIC/USD",
// "side":"buy","price":0.5147,"qty":6423.46326,"ord_type":"limit","trade_id":4665846,
// "timestamp":"2023-09-25T07:48:36.925533Z"},...]}: one Trade event per entry, side being the
// taker's (the aggressor), Seq and TradeID the venue's trade_id. A malformed entry is noted and
// skipped; the others are kept.
func (d *Decoder) trades(v *fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	data := v.GetArray("data")
	if data == nil {
		d.an.Note(kindBadTrade, msg, errNoData)
		return errNoData
	}
	start := out.Len()
	var first error
	for _, e := range data {
		if err := d.trade(e, msg, recvTS, out); err != nil && first == nil {
			first = err
		}
	}
	lastInBatch(out, start)
	return first
}

func (d *Decoder) trade(e *fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	ii, err := d.symbol(e, msg, kindBadTrade)
	if err != nil {
		return err
	}
	pxT, err1 := text(e.Get("price"), d.px)
	qtyT, err2 := text(e.Get("qty"), d.qty)
	if err1 != nil || err2 != nil {
		d.an.Note(kindBadTrade, msg, errBadTrade)
		return errBadTrade
	}
	ps, qs := d.tab.scales(ii, pxT, qtyT)
	px, err1 := fixed.Parse(pxT, ps)
	qty, err2 := fixed.Parse(qtyT, qs)
	if err1 != nil || err2 != nil || px <= 0 || qty <= 0 {
		d.an.Note(kindBadTrade, msg, errBadTrade)
		return errBadTrade
	}
	id := e.GetUint64("trade_id")
	ts, _ := parseRFC3339(e.GetStringBytes("timestamp"))
	ev := d.tab.header(out, event.KindTrade, ii, id, ts, recvTS)
	t := ev.Trade()
	t.Price, t.Qty, t.TradeID, t.Aggressor = px, qty, id, aggressor(e.GetStringBytes("side"))
	return nil
}

// tickers handles {"channel":"ticker","type":...,"data":[{"symbol":"BTC/USD","bid":...,
// "bid_qty":...,"ask":...,"ask_qty":...,...}]}: one TopOfBook event per entry (the venue's own
// best bid and ask, for cross-checking the rebuilt book).
func (d *Decoder) tickers(v *fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	data := v.GetArray("data")
	if data == nil {
		d.an.Note(kindBadTicker, msg, errNoData)
		return errNoData
	}
	start := out.Len()
	var first error
	for _, e := range data {
		if err := d.ticker(e, msg, recvTS, out); err != nil && first == nil {
			first = err
		}
	}
	lastInBatch(out, start)
	return first
}

func (d *Decoder) ticker(e *fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	ii, err := d.symbol(e, msg, kindBadTicker)
	if err != nil {
		return err
	}
	var vals [4]int64
	var texts [4][]byte
	for i, k := range [4]string{"bid", "bid_qty", "ask", "ask_qty"} {
		var err error
		if texts[i], err = text(e.Get(k), d.tick[i]); err != nil {
			d.an.Note(kindBadTicker, msg, errBadTicker)
			return errBadTicker
		}
	}
	ps, qs := d.tab.scales(ii, texts[0], texts[1])
	ps2, qs2 := d.tab.scales(ii, texts[2], texts[3])
	ps, qs = max(ps, ps2), max(qs, qs2)
	for i := range vals {
		s := ps
		if i&1 == 1 {
			s = qs
		}
		var err error
		if vals[i], err = fixed.Parse(texts[i], s); err != nil || vals[i] < 0 {
			d.an.Note(kindBadTicker, msg, errBadTicker)
			return errBadTicker
		}
	}
	ts, _ := parseRFC3339(e.GetStringBytes("timestamp"))
	t := d.tab.header(out, event.KindTopOfBook, ii, 0, ts, recvTS).TopOfBook()
	t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = vals[0], vals[1], vals[2], vals[3]
	return nil
}

// symbol returns the instrument of a data entry's symbol, counting the line for its books.
func (d *Decoder) symbol(e *fastjson.Value, msg []byte, kind string) (int32, error) {
	sym := e.GetStringBytes("symbol")
	if len(sym) == 0 {
		d.an.Note(kind, msg, errNoSymbol)
		return 0, errNoSymbol
	}
	ii, ok := d.tab.instrument(sym)
	if !ok {
		d.an.Note(kindUnknownSymbol, msg, errUnknown)
		return 0, errUnknown
	}
	d.tab.touchSymbol(ii)
	return ii, nil
}

// header adds an event of kind for instrument ii to out with its header filled.
func (t *table) header(out *feed.Batch, k event.Kind, ii int32, seq uint64, exchTS, recvTS int64) *event.Event {
	e := out.Add()
	e.Kind, e.Venue, e.Instrument = k, t.venue, t.insts[ii].id
	e.Seq, e.ExchTS, e.RecvTS = seq, exchTS, recvTS
	return e
}

// lastInBatch flags the last event added since start as the end of the venue message.
func lastInBatch(out *feed.Batch, start int) {
	if evs := out.Events(); len(evs) > start {
		evs[len(evs)-1].Flags |= event.FlagLastInBatch
	}
}

// aggressor maps a taker side ("buy"/"b", "sell"/"s") to the event side.
func aggressor(side []byte) event.Side {
	switch string(side) {
	case "buy", "b":
		return event.SideBuy
	case "sell", "s":
		return event.SideSell
	}
	return event.SideNone
}
