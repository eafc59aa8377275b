package bybit

import (
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// trades handles one publicTrade.{symbol} message: a Trade event per entry of data.
func (d *Decoder) trades(v *fastjson.Value, topic, msg []byte, recvTS int64, out *feed.Batch) error {
	name := topic[len(topicTrade):]
	if len(name) == 0 {
		d.anomalies.Note(AnomalyBadTopic, msg, errTradeSymbol)
		return errTradeSymbol
	}
	s := d.lookupSymbol(name)
	s.countLine()
	if err := d.resolve(s); err != nil {
		d.anomalies.Note(AnomalyUnknownSym, msg, err)
		return err
	}
	data := v.Get("data")
	if data == nil || data.Type() != fastjson.TypeArray {
		d.anomalies.Note(AnomalyBadTrade, msg, errTradeData)
		return errTradeData
	}
	arr := data.GetArray()
	first := out.Len()
	for _, t := range arr {
		if err := d.trade(s, t, recvTS, out); err != nil {
			err = fmt.Errorf("bybit: publicTrade.%s: %w", s.name, err)
			d.anomalies.Note(AnomalyBadTrade, msg, err)
			return err
		}
	}
	if evs := out.Events(); len(evs) > first {
		evs[len(evs)-1].Flags |= event.FlagLastInBatch
	}
	return nil
}

// trade appends the Trade event of one entry {"T","S","v","p","i","seq",...}. On error nothing
// is appended.
func (d *Decoder) trade(s *symbol, t *fastjson.Value, recvTS int64, out *feed.Batch) error {
	if t.Type() != fastjson.TypeObject {
		return errTradeEntry
	}
	px, ok := feed.StringBytes(t.Get("p"))
	if !ok {
		return errTradePrice
	}
	qty, ok := feed.StringBytes(t.Get("v"))
	if !ok {
		return errTradeSize
	}
	ps, qs := s.scales.Price, s.scales.Qty
	if !s.scales.Known {
		if n := fixed.Places(px); n > int(s.tradePx) && n <= fixed.MaxScale {
			s.tradePx = uint8(n)
		}
		if n := fixed.Places(qty); n > int(s.tradeQty) && n <= fixed.MaxScale {
			s.tradeQty = uint8(n)
		}
		ps, qs = s.tradePx, s.tradeQty
	}
	p, err := fixed.Parse(px, ps)
	if err != nil {
		return err
	}
	q, err := fixed.Parse(qty, qs)
	if err != nil {
		return err
	}
	if p <= 0 || q <= 0 {
		return fmt.Errorf("price %s or size %s not positive", px, qty)
	}
	var side event.Side
	switch string(t.GetStringBytes("S")) {
	case "Buy":
		side = event.SideBuy
	case "Sell":
		side = event.SideSell
	}
	e := out.Add()
	e.Kind, e.Venue, e.Instrument = event.KindTrade, event.VenueID(d.cfg.Venue), s.id
	e.Seq, e.ExchTS, e.RecvTS = t.GetUint64("seq"), t.GetInt64("T")*1e6, recvTS
	tr := e.Trade()
	tr.Price, tr.Qty, tr.TradeID, tr.Aggressor = p, q, feed.TradeID(t.GetStringBytes("i")), side
	return nil
}
