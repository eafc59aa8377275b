package sim_test

import (
	"fmt"

	"ems/core/event"
	"ems/core/fixed"
	"ems/core/instrument"
	"ems/sim"
)

// A venue from the default configuration, stepped by hand: the books are seeded at the first
// Step, and Do gives exclusive access to the engines.
func ExampleVenue() {
	master, err := instrument.Default()
	if err != nil {
		panic(err)
	}
	cfg := sim.DefaultConfig()
	v, err := sim.NewVenue(cfg.Venues[0], master, cfg.Seed) // binance
	if err != nil {
		panic(err)
	}
	const start = int64(1_709_251_200) * 1_000_000_000 // 2024-03-01 00:00 UTC
	if err := v.Step(start); err != nil {
		panic(err)
	}
	v.Do(func(s *sim.State) {
		for _, m := range s.Markets() {
			bid, _, _ := s.Engine(m).Best(event.SideBuy)
			ask, _, _ := s.Engine(m).Best(event.SideSell)
			levels := len(s.Engine(m).Depth(event.SideBuy, -1, nil))
			fmt.Printf("%s %s / %s, %d bid levels\n", m.Symbol,
				fixed.Append(nil, bid, m.Listing.PriceScale), fixed.Append(nil, ask, m.Listing.PriceScale), levels)
		}
	})
	// Output:
	// BTCUSDT 67999.99 / 68000.01, 400 bid levels
	// ETHUSDT 3499.99 / 3500.01, 400 bid levels
}
