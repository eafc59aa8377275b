package instrument

import "testing"

// FuzzParse feeds arbitrary files to Parse: it must never panic, and a file it accepts must give
// a master whose invariants hold and whose every symbol looks up to its own listing.
func FuzzParse(f *testing.F) {
	f.Add([]byte(defaultFile))
	f.Add([]byte(spot(L())))
	f.Add([]byte(spot(L("aliases", `["XBT-USDT"]`, "tick", `"0.5"`, "price_scale", `2`))))
	f.Add([]byte(perp(L("symbol", `"BTC-USDT-SWAP"`, "qty_scale", `2`, "lot", `"0.01"`, "min_qty", `"0.01"`, "contract_value", `"0.01"`))))
	f.Add([]byte(spot(L("min_qty", `"0.00015"`, "lot", `"0.0001"`))))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			return
		}
		for i, in := range m.Instruments() {
			if int(in.ID) != i+1 {
				t.Fatalf("instrument %d has id %d", i, in.ID)
			}
			for _, l := range in.Listings {
				if l.Tick <= 0 || l.Lot <= 0 || l.MinQty <= 0 || l.MinQty%l.Lot != 0 || l.MinNotional < 0 ||
					l.ContractValue <= 0 || l.PriceScale > 18 || l.QtyScale > 18 {
					t.Fatalf("%s on %s breaks an invariant: %+v", in.Name, VenueName(l.Venue), l)
				}
				for _, s := range append([]string{l.Symbol}, l.Aliases...) {
					got, ok := m.LookupIn(l.Venue, l.Segment, []byte(s))
					if !ok || got != l {
						t.Fatalf("LookupIn(%s, %q) = %p, %v; want %p", VenueName(l.Venue), s, got, ok, l)
					}
				}
			}
		}
	})
}
