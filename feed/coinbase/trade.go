package coinbase

import (
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

var errTradeValue = errors.New("trade price or size is not positive")

// addTrade appends the Trade event of one trade of p: px and qty are the venue's decimal text,
// aggressor the taker side. On error nothing is appended.
func addTrade(out *feed.Batch, venue uint16, p *product, px, qty []byte, id uint64, aggressor event.Side,
	seq uint64, exchTS, recvTS int64) error {
	ps, qs := p.scales.Price, p.scales.Qty
	if !p.scales.Known {
		if n := fixed.Places(px); n > int(p.tradePx) && n <= fixed.MaxScale {
			p.tradePx = uint8(n)
		}
		if n := fixed.Places(qty); n > int(p.tradeQty) && n <= fixed.MaxScale {
			p.tradeQty = uint8(n)
		}
		ps, qs = p.tradePx, p.tradeQty
	}
	price, err := fixed.Parse(px, ps)
	if err != nil {
		return err
	}
	size, err := fixed.Parse(qty, qs)
	if err != nil {
		return err
	}
	if price <= 0 || size <= 0 {
		return errTradeValue
	}
	e := out.Add()
	e.Kind, e.Venue, e.Instrument = event.KindTrade, event.VenueID(venue), p.id
	e.Seq, e.ExchTS, e.RecvTS = seq, exchTS, recvTS
	t := e.Trade()
	t.Price, t.Qty, t.TradeID, t.Aggressor = price, size, id, aggressor
	return nil
}

// takerOfMaker returns the taker side of a trade whose maker side is the text s (BUY/buy: a resting
// bid was hit, so the taker sold); SideNone for anything else.
func takerOfMaker(s []byte) event.Side {
	switch string(s) {
	case "BUY", "buy":
		return event.SideSell
	case "SELL", "sell":
		return event.SideBuy
	}
	return event.SideNone
}

// uint64Of returns the value of a JSON unsigned integer; ok is false for a missing value, another
// type, a fraction or an overflow.
func uint64Of(v *fastjson.Value) (n uint64, ok bool) {
	if v == nil || v.Type() != fastjson.TypeNumber {
		return 0, false
	}
	n, err := v.Uint64()
	return n, err == nil
}

// array returns the elements of a JSON array value; ok is false for a missing value or another
// type. The slice belongs to the parser.
func array(v *fastjson.Value) ([]*fastjson.Value, bool) {
	if v == nil || v.Type() != fastjson.TypeArray {
		return nil, false
	}
	return v.GetArray(), true
}
