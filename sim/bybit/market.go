package bybit

import (
	"ems/core/jsontext"
	"strings"

	"ems/core/book"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/sim"
)

// category is a Bybit v5 product type. The simulator serves spot pairs (category=spot) and the
// linear perpetuals (category=linear) of the instrument master; Bybit's inverse and option
// categories have no listings there.
type category uint8

const (
	catSpot   category = 1
	catLinear category = 2
)

// String returns the category's name on the wire.
func (c category) String() string {
	if c == catSpot {
		return "spot"
	}
	return "linear"
}

// parseCategory returns the category named s.
func parseCategory(s string) (category, bool) {
	switch s {
	case "spot":
		return catSpot, true
	case "linear":
		return catLinear, true
	}
	return 0, false
}

// depths are the orderbook.{depth} channels served, in stream order.
var depths = [...]int{1, 50, 200, 1000}

// restDepth is the index in depths of the stream whose u GET /v5/market/orderbook reports:
// Bybit documents it as the 50-level stream's on spot and the 200-level stream's on linear.
func (c category) restDepth() int {
	if c == catSpot {
		return 1
	}
	return 2
}

// mkt is one of the venue's markets as the protocol serves it: its category, symbol, grid and
// wire formatting, and its market-data state.
//
// The exported-from-sim fields (m, l) and cat, sym, base, quote are fixed at New and read
// anywhere. pending belongs to the venue lock (it is filled by the venue's callback). mirror,
// streams, trade and lastPx belong to the Server's mu.
type mkt struct {
	m     *sim.Market
	l     *instrument.Listing
	cat   category
	sym   string
	base  string
	quote string

	pending []sim.MarketEvent // the current batch's events, until the market's Final one

	mirror  *book.Book // the Engine's whole book, as of the last complete batch
	streams [len(depths)]*depthStream
	trades  tradeStream
	lastPx  int64 // price of the latest public trade (0: none), for the tick direction
	lastDir string
	batchTS int64 // ns of the last complete batch
	seq     uint64
}

// newMkt describes market m of the venue.
func newMkt(m *sim.Market) *mkt {
	cat := catSpot
	if m.Listing.Segment == instrument.SegmentDerivatives {
		cat = catLinear
	}
	base, quote, _ := strings.Cut(m.Name, "-")
	quote, _, _ = strings.Cut(quote, "-")
	return &mkt{m: m, l: m.Listing, cat: cat, sym: m.Symbol, base: base, quote: quote}
}

// appendPrice appends price units as Bybit writes prices: spot trims trailing zeros
// ("75845.4"), linear writes the listing's decimals ("28552.0" at one decimal).
func (k *mkt) appendPrice(dst []byte, v int64) []byte {
	if k.cat == catSpot {
		return fixed.AppendTrim(dst, v, k.l.PriceScale)
	}
	return fixed.Append(dst, v, k.l.PriceScale)
}

// appendQty appends quantity units, trimmed on spot ("0.00659") and at the listing's decimals
// on linear ("0.047").
func (k *mkt) appendQty(dst []byte, v int64) []byte {
	if k.cat == catSpot {
		return fixed.AppendTrim(dst, v, k.l.QtyScale)
	}
	return fixed.Append(dst, v, k.l.QtyScale)
}

// appendValue appends a quote-asset value held at the price scale (notional, fee), trimmed.
func (k *mkt) appendValue(dst []byte, v int64) []byte {
	return fixed.AppendTrim(dst, v, k.l.PriceScale)
}

// Values (price × quantity) and fees are written exactly, not at the price scale the Engine
// keeps them at: a 0.001 BTC fill at 67999.6 is worth 67.9996 USDT, where the Engine's
// truncated notional says 67.9. An exact value is held at the value scale (price scale +
// quantity scale), an exact fee at the value scale + feeDecimals.
const feeDecimals = 4

// valueScale is the scale of exact values.
func (k *mkt) valueScale() uint8 { return k.l.PriceScale + k.l.QtyScale }

// exactValue returns price × qty at the value scale; ok is false on overflow.
func (k *mkt) exactValue(price, qty int64) (int64, bool) {
	v, err := fixed.MulDiv(price, qty, 1)
	return v, err == nil
}

// exactFee returns the fee of value (at the value scale) at bps (basis points at
// instrument.FeeScale), at the value scale + feeDecimals, truncated toward zero.
func exactFee(value, bps int64) int64 {
	f, err := fixed.MulDiv(value, bps, 100) // value × bps/10^6, four decimals finer
	if err != nil {
		return 0
	}
	return f
}

// appendExact appends an exact value, trimmed.
func (k *mkt) appendExact(dst []byte, v int64) []byte {
	return fixed.AppendTrim(dst, v, k.valueScale())
}

// appendExactFee appends an exact fee, trimmed.
func (k *mkt) appendExactFee(dst []byte, v int64) []byte {
	return fixed.AppendTrim(dst, v, k.valueScale()+feeDecimals)
}

// avgScale is the number of decimals average prices get beyond the price scale.
const avgScale = 4

// appendAvg appends the average price of value (exact, at the value scale) over filled
// quantity units, truncated to avgScale more decimals than the price scale and trimmed; ""
// (spot) or "0" (linear) when nothing is filled.
func (k *mkt) appendAvg(dst []byte, value, filled int64) []byte {
	if filled <= 0 {
		if k.cat == catSpot {
			return dst
		}
		return append(dst, '0')
	}
	avg, err := fixed.MulDiv(value, fixed.Pow10(avgScale), filled)
	if err != nil {
		return dst
	}
	return fixed.AppendTrim(dst, avg, k.l.PriceScale+avgScale)
}

// appendFeeRate appends a fee in basis points at instrument.FeeScale as a rate ("0.001").
func appendFeeRate(dst []byte, bps int64) []byte {
	return fixed.AppendTrim(dst, bps, instrument.FeeScale+4)
}

// priceField appends "key":"price".
func (k *mkt) priceField(dst []byte, key string, v int64) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(k.appendPrice(dst, v), '"')
}

// qtyField appends "key":"qty".
func (k *mkt) qtyField(dst []byte, key string, v int64) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(k.appendQty(dst, v), '"')
}

// valueField appends "key":"value" for a quote value at the price scale.
func (k *mkt) valueField(dst []byte, key string, v int64) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(k.appendValue(dst, v), '"')
}

// exactField appends "key":"value" for an exact value.
func (k *mkt) exactField(dst []byte, key string, v int64) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(k.appendExact(dst, v), '"')
}

// feeField appends "key":"fee" for an exact fee.
func (k *mkt) feeField(dst []byte, key string, v int64) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(k.appendExactFee(dst, v), '"')
}
