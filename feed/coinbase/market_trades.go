package coinbase

import (
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/feed"
)

// trades handles a market_trades message:
//
//	{"type":"snapshot"|"update","trades":[{"trade_id","product_id","price","size","side":"BUY"|"SELL","time"},...]}
//
// Trades of "update" events become Trade events. The "snapshot" event sent on subscribing holds
// recent past trades, not new ones: it is counted but produces no event, so that a resubscription
// never reports a trade twice. side is taken as the maker's side (see the package comment), so
// Aggressor is its opposite.
func (d *Decoder) trades(v *fastjson.Value, seq uint64, recvTS int64, out *feed.Batch, msg []byte) error {
	evs, ok := array(v.Get("events"))
	if !ok {
		d.anomalies.Note(AnomalyBadTrade, msg, errEvents)
		return errEvents
	}
	first := out.Len()
	for _, ev := range evs {
		trades, ok := array(ev.Get("trades"))
		if !ok {
			d.anomalies.Note(AnomalyBadTrade, msg, errTrades)
			return errTrades
		}
		live := string(ev.GetStringBytes("type")) == "update"
		for _, t := range trades {
			if kind, err := d.trade(t, live, seq, recvTS, out); err != nil {
				d.anomalies.Note(kind, msg, err)
				return err
			}
		}
	}
	if evs := out.Events(); len(evs) > first {
		evs[len(evs)-1].Flags |= event.FlagLastInBatch
	}
	return nil
}

// trade handles one trade; on error it returns the anomaly kind too.
func (d *Decoder) trade(t *fastjson.Value, live bool, seq uint64, recvTS int64, out *feed.Batch) (string, error) {
	name, ok1 := feed.StringBytes(t.Get("product_id"))
	px, ok2 := feed.StringBytes(t.Get("price"))
	qty, ok3 := feed.StringBytes(t.Get("size"))
	id, ok4 := feed.StringBytes(t.Get("trade_id"))
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return AnomalyBadTrade, errTrade
	}
	p, err := d.reg.lookup(name)
	if err != nil {
		return AnomalyUnknownProd, err
	}
	d.reg.count(p)
	if !live {
		return "", nil
	}
	var exch int64
	if ts, ok := feed.StringBytes(t.Get("time")); ok {
		exch, _ = parseTime(ts)
	}
	if err := addTrade(out, d.reg.cfg.Venue, p, px, qty, feed.TradeID(id), takerOfMaker(t.GetStringBytes("side")), seq, exch, recvTS); err != nil {
		return AnomalyBadTrade, fmt.Errorf("coinbase: market_trades %s: %w", p.name, err)
	}
	return "", nil
}
