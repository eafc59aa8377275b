package instrument_test

import (
	"fmt"

	"ems/core/fixed"
	"ems/core/instrument"
)

func Example() {
	m, err := instrument.Default()
	if err != nil {
		panic(err)
	}
	fmt.Println("version", m.Version())

	// A feed thread resolves the symbol it reads off the wire.
	l, _ := m.Lookup(instrument.VenueOKX, []byte("BTC-USDT-SWAP"))
	in, _ := m.ByID(l.Instrument)
	fmt.Println(in.ID, in.Name, in.Kind, "price scale", l.PriceScale, "qty scale", l.QtyScale)
	fmt.Println("tick", string(fixed.AppendTrim(nil, l.Tick, l.PriceScale)),
		"contract", string(fixed.AppendTrim(nil, l.ContractValue, l.ContractScale)), in.Base)

	// Kraken's v1 name resolves to the same listing as its v2 symbol.
	k, _ := m.Lookup(instrument.VenueKraken, []byte("XBT/USD"))
	fmt.Println(k.Symbol, "min qty", string(fixed.AppendTrim(nil, k.MinQty, k.QtyScale)))

	// Bybit uses "BTCUSDT" for spot and linear: a connection resolves in its own segment.
	_, ok := m.Lookup(instrument.VenueBybit, []byte("BTCUSDT"))
	p, _ := m.LookupIn(instrument.VenueBybit, instrument.SegmentDerivatives, []byte("BTCUSDT"))
	fmt.Println(ok, p.Instrument, "taker bps", string(fixed.AppendTrim(nil, p.TakerFee, instrument.FeeScale)))
	// Output:
	// version 1.0
	// 4 BTC-USDT-PERP perpetual price scale 1 qty scale 2
	// tick 0.1 contract 0.01 BTC
	// BTC/USD min qty 0.00005
	// false 4 taker bps 5.5
}

func ExampleParse() {
	_, err := instrument.Parse([]byte(`{"version":"x","instruments":[{"name":"BTC-USDT","kind":"spot",
		"base":"BTC","quote":"USDT","listings":[{"venue":"okx","symbol":"BTC-USDT","price_scale":1,
		"qty_scale":8,"tick":"0.01","lot":"0.00000001","min_qty":"0.00001","min_notional":"0",
		"maker_fee_bps":"8","taker_fee_bps":"10","source":"s","fee_source":"f"}]}]}`))
	fmt.Println(err)
	// Output:
	// instrument: BTC-USDT on okx: tick "0.01" is not representable at price_scale 1 (fixed: "0.01" has more than 1 decimal place)
}
