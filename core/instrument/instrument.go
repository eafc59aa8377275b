package instrument

import "ems/core/event"

// FeeScale is the scale of fees: a fee of 550 is 5.50 basis points (0.055 %).
const FeeScale = 2

// Instrument is one canonical instrument ("BTC-USDT", "BTC-USDT-PERP") and its listings.
//
// Instruments belong to the Master that loaded them and are immutable: never modify one, or
// anything it points to. They are safe to read from any goroutine.
type Instrument struct {
	ID    event.InstrumentID // 1..N in file order
	Name  string             // canonical name, unique in the master
	Kind  Kind
	Base  string // base asset ("BTC"): what quantity counts, or what a contract is worth in
	Quote string // quote asset ("USDT"): what price counts
	// Listings are the instrument's venue listings in file order, at most one per venue.
	Listings []*Listing
}

// Listing returns the instrument's listing on venue v.
func (in *Instrument) Listing(v event.VenueID) (*Listing, bool) {
	for _, l := range in.Listings {
		if l.Venue == v {
			return l, true
		}
	}
	return nil, false
}

// Listing is one instrument on one venue: the venue's names for it, its price and quantity grids
// in fixed point, its minimums and its fees.
//
// Units. A price is an int64 count of 10^-PriceScale quote units; a quantity is an int64 count of
// 10^-QtyScale of the venue's quantity unit (base asset on spot and on Binance USD-M and Bybit
// linear, contracts on OKX SWAP). ContractValue converts: one quantity of 1 (10^QtyScale units)
// is ContractValue × 10^-ContractScale base asset.
//
// INVARIANT: Tick > 0 and Lot > 0; Tick, Lot and MinQty are exact at their scales; MinQty is a
// positive multiple of Lot; MinNotional >= 0; ContractValue > 0.
type Listing struct {
	Instrument event.InstrumentID
	Venue      event.VenueID
	Segment    Segment
	Symbol     string   // the venue's symbol as its current API writes it ("BTC/USD" on Kraken v2)
	Aliases    []string // other spellings the venue uses for it ("XBT/USD" on Kraken v1)

	PriceScale  uint8 // decimal places of prices
	QtyScale    uint8 // decimal places of quantities
	Tick        int64 // price increment, in price units
	Lot         int64 // quantity increment, in quantity units
	MinQty      int64 // smallest order quantity, in quantity units
	MinNotional int64 // smallest order value price × quantity × contract value, in quote units at PriceScale; 0: none

	ContractValue int64 // base asset per quantity of 1, at ContractScale; 1 at scale 0 on spot
	ContractScale uint8

	MakerFee int64 // default-tier maker fee in basis points at FeeScale; negative is a rebate
	TakerFee int64 // default-tier taker fee in basis points at FeeScale

	Source    string // where the grid and minimums come from, and what is assumed
	FeeSource string // where the fees come from, and what is assumed
}
