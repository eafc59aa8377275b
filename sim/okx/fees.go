package okx

import (
	"math/big"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
)

// Exact money arithmetic of fills, in math/big: OKX reports fees and notionals with every digit
// (a 0.1 % fee on 0.00038128 BTC at 26228.1 is "-0.010000249968" USDT), which the Engine's
// fees, truncated to the price scale, cannot show. Not on any hot path.
//
// Fee currency (OKX spot): a buy pays in the base currency (fillSz × rate), a sell in the quote
// currency (fillPx × fillSz × rate); derivatives pay in the settlement currency (the quote, for
// the linear contracts simulated): fillPx × fillSz × ctVal × rate. Rates are the listing's
// default-tier fees in basis points at scale 2, so a rate is bps × 10^-6. A fee paid is negative,
// a rebate (negative maker fee) positive.

// rateScale is the decimal scale of bps at instrument.FeeScale as a fraction: 10^-6.
const rateScale = 6

// feeScale returns the decimal scale of the fee amounts of an order of side on mk.
func feeScale(mk *market, side event.Side) int {
	l := mk.l
	switch {
	case !mk.spot():
		return int(l.PriceScale) + int(l.QtyScale) + int(l.ContractScale) + rateScale
	case side == event.SideBuy:
		return int(l.QtyScale) + rateScale
	}
	return int(l.PriceScale) + int(l.QtyScale) + rateScale
}

// feeCcy returns the currency fees of an order of side on mk are paid in.
func feeCcy(mk *market, side event.Side) string {
	if mk.spot() && side == event.SideBuy {
		return mk.base
	}
	return mk.quote
}

// rebateCcy returns the currency OKX names as an order's rebate currency (the base for spot
// sells, the quote otherwise).
func rebateCcy(mk *market, side event.Side) string {
	if mk.spot() && side == event.SideSell {
		return mk.base
	}
	return mk.quote
}

// fillFee returns the signed fee of one fill of px × qty at bps (negative when paid), at
// feeScale(mk, side).
func fillFee(mk *market, side event.Side, px, qty, bps int64) *big.Int {
	v := big.NewInt(qty)
	v.Mul(v, big.NewInt(bps))
	if !mk.spot() || side == event.SideSell {
		v.Mul(v, big.NewInt(px))
	}
	if !mk.spot() {
		v.Mul(v, big.NewInt(mk.l.ContractValue))
	}
	return v.Neg(v)
}

// notionalScale returns the scale of notional(mk, ...).
func notionalScale(mk *market) int {
	s := int(mk.l.PriceScale) + int(mk.l.QtyScale)
	if !mk.spot() {
		s += int(mk.l.ContractScale)
	}
	return s
}

// notional returns px × qty (× the contract value) in the quote currency, at notionalScale.
func notional(mk *market, px, qty int64) *big.Int {
	v := big.NewInt(px)
	v.Mul(v, big.NewInt(qty))
	if !mk.spot() {
		v.Mul(v, big.NewInt(mk.l.ContractValue))
	}
	return v
}

// avgPxScale is how many decimals beyond the price scale an average price keeps (truncated).
const avgPxScale = 8

// appendAvgPx appends the quoted average price of sumPxQty (Σ px × qty, at price scale + qty
// scale) over qty; "0" when nothing filled.
func appendAvgPx(dst []byte, mk *market, sumPxQty *big.Int, qty int64) []byte {
	if qty == 0 {
		return append(dst, `"0"`...)
	}
	v := new(big.Int).Mul(sumPxQty, big.NewInt(fixed.Pow10(avgPxScale)))
	v.Quo(v, big.NewInt(qty))
	return appendBigDecQ(dst, v, int(mk.l.PriceScale)+avgPxScale)
}

// quoteScale is the decimal scale of quote-currency order sizes (SPOT market orders with
// tgtCcy quote_ccy).
const quoteScale = 8

// quoteToBase returns the base quantity (at the quantity scale, rounded down to lot) that
// amount of quote currency (at quoteScale) buys from, or sells into, levels (best first).
func quoteToBase(mk *market, levels []book.Level, amount int64) int64 {
	ps, qs := int(mk.l.PriceScale), int(mk.l.QtyScale)
	remaining := new(big.Int).Mul(big.NewInt(amount), pow10(ps+qs)) // at ps+qs+quoteScale
	unit := pow10(quoteScale)
	var base int64
	cost := new(big.Int)
	for _, l := range levels {
		cost.Mul(big.NewInt(l.Price), big.NewInt(l.Qty))
		cost.Mul(cost, unit)
		if cost.Cmp(remaining) <= 0 {
			base += l.Qty
			remaining.Sub(remaining, cost)
			continue
		}
		per := new(big.Int).Mul(big.NewInt(l.Price), unit)
		part := new(big.Int).Quo(remaining, per).Int64()
		base += part
		break
	}
	return base - base%mk.l.Lot
}

// pow10 returns 10^n as a big.Int.
func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }
