package match

import (
	"fmt"

	"ems/core/fixed"
)

// FeeDivisor turns a fee rate into a fraction: a rate is in basis points at scale 2 (550 is 5.50
// bps), so a fraction is rate / (100 × 10_000).
const FeeDivisor = 1_000_000

// MaxFee bounds |MakerFee| and |TakerFee| (10_000 bps, 100 %). It keeps every fee no larger than
// the notional it is charged on, which is what lets the engine prove before matching that no fill
// overflows.
const MaxFee = FeeDivisor

// Rules are an instrument's trading rules in fixed point (from core/instrument.Listing).
type Rules struct {
	PriceScale, QtyScale uint8
	Tick, Lot, MinQty    int64 // in price / quantity units
	MinNotional          int64 // quote units at PriceScale (price × qty / 10^QtyScale); 0: none
	MakerFee, TakerFee   int64 // basis points at scale 2 (550 = 5.50 bps); negative maker = rebate
}

// Validate reports whether the rules are usable: scales at most fixed.MaxScale, Tick > 0,
// Lot > 0, MinQty >= 0, MinNotional >= 0 and |MakerFee|, |TakerFee| <= MaxFee. The error wraps
// ErrRules.
func (r Rules) Validate() error {
	switch {
	case r.PriceScale > fixed.MaxScale || r.QtyScale > fixed.MaxScale:
		return fmt.Errorf("%w: scale above %d (price %d, qty %d)", ErrRules, fixed.MaxScale,
			r.PriceScale, r.QtyScale)
	case r.Tick <= 0:
		return fmt.Errorf("%w: tick %d is not positive", ErrRules, r.Tick)
	case r.Lot <= 0:
		return fmt.Errorf("%w: lot %d is not positive", ErrRules, r.Lot)
	case r.MinQty < 0:
		return fmt.Errorf("%w: min qty %d is negative", ErrRules, r.MinQty)
	case r.MinNotional < 0:
		return fmt.Errorf("%w: min notional %d is negative", ErrRules, r.MinNotional)
	case r.MakerFee < -MaxFee || r.MakerFee > MaxFee || r.TakerFee < -MaxFee || r.TakerFee > MaxFee:
		return fmt.Errorf("%w: fee out of [-%d, %d] (maker %d, taker %d)", ErrRules, MaxFee, MaxFee,
			r.MakerFee, r.TakerFee)
	}
	return nil
}

// Notional returns price × qty / 10^QtyScale: the value of qty at price in quote units at
// PriceScale, truncated toward zero, with a 128-bit intermediate product. It fails (an error
// wrapping fixed.ErrRange) when the result does not fit an int64; it never wraps.
func (r Rules) Notional(price, qty int64) (int64, error) {
	return fixed.MulDiv(price, qty, fixed.Pow10(r.QtyScale))
}

// Fee returns the fee at rate bps (basis points at scale 2) on notional (quote units at
// PriceScale): notional × bps / 10^6, truncated toward zero, so a maker rebate (negative bps) is
// truncated toward zero as well. With |bps| <= MaxFee it cannot fail; otherwise it fails like
// fixed.MulDiv rather than overflow.
//
// The fee of a fill is Fee(Notional(price, qty), bps): the fill's notional is the quote quantity
// venues report for the fill, and the fee is charged on that.
func (r Rules) Fee(notional, bps int64) (int64, error) {
	return fixed.MulDiv(notional, bps, FeeDivisor)
}
