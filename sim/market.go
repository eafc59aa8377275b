package sim

import (
	"fmt"
	"strings"

	"ems/core/fixed"
	"ems/core/instrument"
	"ems/sim/flow"
	"ems/sim/match"
)

// Market is one instrument on a venue: its listing, and the Engine and background Flow that
// trade it. The exported fields are fixed when NewVenue returns and may be read from any
// goroutine; the Engine, the Flow and the sequence number belong to the venue lock (State).
type Market struct {
	Name    string              // canonical instrument name ("BTC-USDT")
	Symbol  string              // the venue's symbol ("BTCUSDT")
	Index   int                 // position in the venue's Instruments
	Listing *instrument.Listing // scales, tick, lot, minimums and fees, from the master

	engine *match.Engine
	flow   *flow.Flow
	seq    uint64 // level events so far
}

// rulesOf returns the Engine rules of a listing. For a listing traded in contracts the Engine
// values an order as price × contracts, so the listing's minimum notional (in base-asset value)
// is converted to that measure, rounded up.
func rulesOf(l *instrument.Listing) (match.Rules, error) {
	r := match.Rules{
		PriceScale: l.PriceScale, QtyScale: l.QtyScale,
		Tick: l.Tick, Lot: l.Lot, MinQty: l.MinQty, MinNotional: l.MinNotional,
		MakerFee: l.MakerFee, TakerFee: l.TakerFee,
	}
	unit := fixed.Pow10(l.ContractScale)
	if r.MinNotional > 0 && l.ContractValue != unit {
		n, err := fixed.MulDiv(r.MinNotional, unit, l.ContractValue)
		if err != nil {
			return r, err
		}
		if c, _ := fixed.MulDiv(n, l.ContractValue, unit); c < r.MinNotional {
			n++
		}
		r.MinNotional = n
	}
	return r, nil
}

// flowConfig returns the Flow configuration of market mc on listing l of venue vc. path names
// the market in errors.
func flowConfig(mc *MarketConfig, l *instrument.Listing, vc *VenueConfig, path string) (flow.Config, error) {
	mid, err := fixed.ParseString(truncateDecimal(mc.Mid, l.PriceScale), l.PriceScale)
	if err != nil || mid <= 0 {
		return flow.Config{}, configErr(path+".mid", err, "%q is not a positive price at price scale %d", mc.Mid, l.PriceScale)
	}
	mid, err = fixed.MulDiv(mid, int64(10_000+vc.PriceOffsetBps), 10_000)
	if err != nil {
		return flow.Config{}, configErr(path+".mid", err, "%q with an offset of %d bps", mc.Mid, vc.PriceOffsetBps)
	}
	mid -= mid % l.Tick
	// Base asset → quantity units: units = base × 10^QtyScale × 10^ContractScale / ContractValue.
	scale := l.QtyScale + l.ContractScale
	if scale > fixed.MaxScale {
		return flow.Config{}, configErr(path+".level_qty", nil, "quantity scale %d + contract scale %d above %d",
			l.QtyScale, l.ContractScale, fixed.MaxScale)
	}
	base, err := fixed.ParseString(truncateDecimal(mc.LevelQty, scale), scale)
	if err != nil || base <= 0 {
		return flow.Config{}, configErr(path+".level_qty", err, "%q is not a positive quantity", mc.LevelQty)
	}
	qty := base / l.ContractValue
	qty = max(qty-qty%l.Lot, l.Lot)
	spread := mc.SpreadTicks
	if spread == 0 {
		spread = DefaultSpreadTicks
	}
	return flow.Config{
		MidPrice:          mid,
		SpreadTicks:       spread,
		Levels:            vc.DepthLevels,
		GapTicks:          mc.GapTicks,
		LevelQty:          qty,
		TakersPerSecond:   mc.TakersPerSecond,
		RequotesPerSecond: mc.RequotesPerSecond,
		VolatilityBps:     mc.VolatilityBps,
		Profile:           mc.Profile,
		Account:           FlowAccount,
	}, nil
}

// truncateDecimal drops the digits of a decimal string beyond scale places (rounding toward zero),
// so a configured price or size finer than a listing's grid is accepted and rounded down.
func truncateDecimal(s string, scale uint8) string {
	i := strings.IndexByte(s, '.')
	if i < 0 || len(s)-i-1 <= int(scale) {
		return s
	}
	if scale == 0 {
		return s[:i]
	}
	return s[:i+1+int(scale)]
}

// marketErr is an error of one market of a venue.
func marketErr(venue, name string, err error) error {
	return fmt.Errorf("sim: venue %s: %s: %w", venue, name, err)
}
