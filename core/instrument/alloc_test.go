//go:build !race

package instrument

import "testing"

func TestHotLookupsAllocateNothing(t *testing.T) {
	m := mustDefault(t)
	okx := []byte("BTC-USDT-SWAP")
	xbt := []byte("XBT/USD")
	miss := []byte("DOGE-USDT")
	resolve := m.Resolver(VenueOKX)
	linear := m.ResolverIn(VenueBybit, SegmentDerivatives)
	btc := []byte("BTCUSDT")
	n := testing.AllocsPerRun(1000, func() {
		if l, ok := m.Lookup(VenueOKX, okx); !ok || l.Instrument != 4 {
			t.Fatal("okx lookup")
		}
		if _, ok := m.Lookup(VenueKraken, xbt); !ok {
			t.Fatal("kraken alias lookup")
		}
		if _, ok := m.Lookup(VenueOKX, miss); ok {
			t.Fatal("miss found")
		}
		if _, ok := m.LookupIn(VenueBybit, SegmentSpot, btc); !ok {
			t.Fatal("bybit spot lookup")
		}
		if id, _, _, _, ok := resolve(okx); !ok || id != 4 {
			t.Fatal("resolver")
		}
		if id, _, _, _, ok := linear(btc); !ok || id != 4 {
			t.Fatal("linear resolver")
		}
		if _, ok := m.ByID(2); !ok {
			t.Fatal("ByID")
		}
		if _, ok := m.ByName("ETH-USDT"); !ok {
			t.Fatal("ByName")
		}
	})
	if n != 0 {
		t.Fatalf("hot lookups: %v allocs per run, want 0", n)
	}
}
