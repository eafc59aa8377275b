package binance

import (
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

var (
	// ErrTrade reports a trade or aggTrade without a numeric id, price and quantity strings or the
	// buyer-is-maker flag.
	ErrTrade = errors.New("binance: malformed trade")
	// ErrTicker reports a bookTicker without a numeric u or its four price and quantity strings.
	ErrTicker = errors.New("binance: malformed bookTicker")
)

// trade turns a trade (idKey "t") or aggTrade (idKey "a") into a Trade event: the trade id as
// TradeID and Seq, the trade time T as ExchTS, aggressor SELL when the buyer was the maker ("m")
// and BUY otherwise. A futures trade whose "X" is not MARKET (INSURANCE_FUND, ADL, ...) is not a
// normal trade: it is counted for its symbol and skipped.
func (d *Decoder) trade(msg []byte, data *fastjson.Value, idKey string, recvTS int64, out *feed.Batch) error {
	in, err := d.symbolOf(msg, data)
	if err != nil {
		return err
	}
	r := in.r
	r.Stats.Messages++
	if x := data.GetStringBytes("X"); x != nil && string(x) != "MARKET" {
		return nil
	}
	id, ok := getUint(data, idKey)
	px, qty := data.GetStringBytes("p"), data.GetStringBytes("q")
	m := data.Get("m")
	if !ok || px == nil || qty == nil || m == nil || (m.Type() != fastjson.TypeTrue && m.Type() != fastjson.TypeFalse) {
		d.anomalies.Note("bad trade", msg, ErrTrade)
		return fmt.Errorf("%s: %w", d.venue, ErrTrade)
	}
	p, q, err := d.values(r, px, qty)
	if err != nil {
		d.anomalies.Note("bad trade", msg, err)
		return err
	}
	e := out.Add()
	e.Kind, e.Venue, e.Instrument = event.KindTrade, event.VenueID(d.cfg.Venue), r.Config().Instrument
	e.Seq, e.ExchTS, e.RecvTS = id, exchTS(data), recvTS
	t := e.Trade()
	t.Price, t.Qty, t.TradeID, t.Aggressor = p, q, id, event.SideBuy
	if m.Type() == fastjson.TypeTrue {
		t.Aggressor = event.SideSell
	}
	e.Flags = event.FlagLastInBatch
	return nil
}

// bookTicker turns a bookTicker (spot: no "e"; futures: "e":"bookTicker" with T and E) into a
// TopOfBook event with the venue's order book update id u as Seq.
func (d *Decoder) bookTicker(msg []byte, data *fastjson.Value, recvTS int64, out *feed.Batch) error {
	in, err := d.symbolOf(msg, data)
	if err != nil {
		return err
	}
	r := in.r
	r.Stats.Messages++
	u, ok := getUint(data, "u")
	bp, bq := data.GetStringBytes("b"), data.GetStringBytes("B")
	ap, aq := data.GetStringBytes("a"), data.GetStringBytes("A")
	if !ok || bp == nil || bq == nil || ap == nil || aq == nil {
		d.anomalies.Note("bad bookTicker", msg, ErrTicker)
		return fmt.Errorf("%s: %w", d.venue, ErrTicker)
	}
	if err := r.Fit(ap, aq); err != nil {
		d.anomalies.Note("bad bookTicker", msg, err)
		return fmt.Errorf("%s: %w", d.venue, err)
	}
	bpx, bqty, err := d.values(r, bp, bq)
	if err != nil {
		d.anomalies.Note("bad bookTicker", msg, err)
		return err
	}
	apx, aqty, err := d.values(r, ap, aq)
	if err != nil {
		d.anomalies.Note("bad bookTicker", msg, err)
		return err
	}
	e := out.Add()
	e.Kind, e.Venue, e.Instrument = event.KindTopOfBook, event.VenueID(d.cfg.Venue), r.Config().Instrument
	e.Seq, e.ExchTS, e.RecvTS = u, exchTS(data), recvTS
	t := e.TopOfBook()
	t.BidPrice, t.BidQty, t.AskPrice, t.AskQty = bpx, bqty, apx, aqty
	e.Flags = event.FlagLastInBatch
	return nil
}

// values parses a price and a quantity at r's scales, widening inferred scales first.
func (d *Decoder) values(r *feed.Replica, px, qty []byte) (int64, int64, error) {
	if err := r.Fit(px, qty); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", d.venue, err)
	}
	p, err := fixed.Parse(px, r.PriceScale())
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %s price: %w", d.venue, r.Config().Symbol, err)
	}
	q, err := fixed.Parse(qty, r.QtyScale())
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %s quantity: %w", d.venue, r.Config().Symbol, err)
	}
	if p < 0 || q < 0 {
		return 0, 0, fmt.Errorf("%s: %s: negative price or quantity", d.venue, r.Config().Symbol)
	}
	return p, q, nil
}
