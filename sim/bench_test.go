package sim

import (
	"fmt"
	"testing"
)

// BenchmarkVenueStep measures one Step of 100 ms of simulated time of a default venue (two
// markets), with the market data fanned out to subscribers or to nobody (the baseline: the flows
// and engines alone).
func BenchmarkVenueStep(b *testing.B) {
	for _, subs := range []int{0, 1, 4} {
		b.Run(fmt.Sprintf("subscribers=%d", subs), func(b *testing.B) {
			v, _ := defaultVenue(b, "binance", 1)
			events := 0
			for range subs {
				if _, err := v.Subscribe("", func(MarketEvent) { events++ }); err != nil {
					b.Fatal(err)
				}
			}
			now := t0
			for range 100 {
				now += stepNanos
				if err := v.Step(now); err != nil {
					b.Fatal(err)
				}
			}
			events = 0
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				now += stepNanos
				if err := v.Step(now); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if subs > 0 && events == 0 {
				b.Fatal("no events delivered")
			}
			b.ReportMetric(float64(events)/float64(b.N), "deliveries/step")
		})
	}
}
