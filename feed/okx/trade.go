package okx

import (
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// trades emits one Trade event per element of a trades / trades-all push:
//
//	{"instId","tradeId","px","sz","side":"buy"|"sell" (the taker's side),"ts","count"}
//
// The header's Seq is the trade id. A malformed element is noted and skipped; the others are
// still emitted.
func (d *Decoder) trades(s *symbol, items []*fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	var first error
	start := out.Len()
	for _, it := range items {
		if err := d.trade(s, it, recvTS, out); err != nil {
			d.anomalies.Note("bad trade", msg, err)
			if first == nil {
				first = err
			}
		}
	}
	if evs := out.Events(); len(evs) > start {
		evs[len(evs)-1].Flags |= event.FlagLastInBatch
	}
	return first
}

func (d *Decoder) trade(s *symbol, it *fastjson.Value, recvTS int64, out *feed.Batch) error {
	if it.Type() != fastjson.TypeObject {
		return fmt.Errorf("okx: trade is %s, not an object", it.Type())
	}
	px, sz, id := it.GetStringBytes("px"), it.GetStringBytes("sz"), it.GetStringBytes("tradeId")
	ts, err := msTime(it.Get("ts"))
	if err != nil {
		return err
	}
	ps, qs := s.scales.Price, s.scales.Qty
	if !s.scales.Known {
		// Replay of an instrument outside the master: the widest text seen so far.
		s.tradePx = max(s.tradePx, uint8(min(fixed.Places(px), fixed.MaxScale)))
		s.tradeSz = max(s.tradeSz, uint8(min(fixed.Places(sz), fixed.MaxScale)))
		ps, qs = s.tradePx, s.tradeSz
	}
	p, err := fixed.Parse(px, ps)
	if err != nil || p <= 0 {
		return fmt.Errorf("okx: trade price %q: %v", px, err)
	}
	q, err := fixed.Parse(sz, qs)
	if err != nil || q <= 0 {
		return fmt.Errorf("okx: trade size %q: %v", sz, err)
	}
	var aggr event.Side
	switch string(it.GetStringBytes("side")) {
	case "buy":
		aggr = event.SideBuy
	case "sell":
		aggr = event.SideSell
	}
	tid := feed.TradeID(id)
	e := out.Add()
	e.Kind, e.Venue, e.Instrument = event.KindTrade, event.VenueID(d.cfg.Venue), s.id
	e.Seq, e.ExchTS, e.RecvTS = tid, ts, recvTS
	t := e.Trade()
	t.Price, t.Qty, t.TradeID, t.Aggressor = p, q, tid, aggr
	return nil
}
