package instrument

import (
	"sync"
	"testing"

	"ems/core/event"
)

func TestLookupByVenueSymbol(t *testing.T) {
	m := mustDefault(t)
	tests := []struct {
		venue  event.VenueID
		symbol string
		want   string // instrument name; "" when not found
	}{
		{VenueBinance, "BTCUSDT", "BTC-USDT"},
		{VenueBinance, "SOLUSDT", "SOL-USDT"},
		{VenueBinanceUSDM, "BTCUSDT", "BTC-USDT-PERP"},
		{VenueOKX, "BTC-USDT", "BTC-USDT"},
		{VenueOKX, "BTC-USDT-SWAP", "BTC-USDT-PERP"},
		{VenueOKX, "ETH-USDT", "ETH-USDT"},
		{VenueBybit, "ETHUSDT", "ETH-USDT"},
		{VenueBybit, "BTCUSDT", ""}, // spot and linear: ambiguous without a segment
		{VenueCoinbase, "BTC-USD", "BTC-USD"},
		{VenueCoinbase, "BTC-USDC", "BTC-USD"},
		{VenueCoinbase, "BTC-USDT", "BTC-USDT"},
		{VenueKraken, "BTC/USD", "BTC-USD"},
		{VenueKraken, "XBT/USD", "BTC-USD"},
		{VenueKraken, "XBT/USDT", "BTC-USDT"},
		{VenueKraken, "ETH/USD", "ETH-USD"},
		{VenueKraken, "XBTUSD", ""},
		{VenueBinance, "btcusdt", ""}, // symbols are exact
		{VenueBinance, "", ""},
		{VenueOKX, "BTCUSDT", ""},
		{0, "BTCUSDT", ""},
		{NumVenues + 1, "BTCUSDT", ""},
	}
	for _, tt := range tests {
		l, ok := m.Lookup(tt.venue, []byte(tt.symbol))
		got := ""
		if ok {
			in, _ := m.ByID(l.Instrument)
			got = in.Name
			if l.Venue != tt.venue {
				t.Errorf("Lookup(%d, %q) returned a listing of venue %d", tt.venue, tt.symbol, l.Venue)
			}
		}
		if got != tt.want {
			t.Errorf("Lookup(%s, %q) = %q, want %q", VenueName(tt.venue), tt.symbol, got, tt.want)
		}
	}
}

func TestLookupInSegment(t *testing.T) {
	m := mustDefault(t)
	tests := []struct {
		venue  event.VenueID
		seg    Segment
		symbol string
		want   string
	}{
		{VenueBybit, SegmentSpot, "BTCUSDT", "BTC-USDT"},
		{VenueBybit, SegmentDerivatives, "BTCUSDT", "BTC-USDT-PERP"},
		{VenueBybit, SegmentDerivatives, "ETHUSDT", ""},
		{VenueOKX, SegmentDerivatives, "BTC-USDT-SWAP", "BTC-USDT-PERP"},
		{VenueOKX, SegmentSpot, "BTC-USDT-SWAP", ""},
		{VenueKraken, SegmentSpot, "XBT/USDT", "BTC-USDT"},
		{VenueBybit, Segment(2), "BTCUSDT", ""},
		{0, SegmentSpot, "BTCUSDT", ""},
	}
	for _, tt := range tests {
		l, ok := m.LookupIn(tt.venue, tt.seg, []byte(tt.symbol))
		got := ""
		if ok {
			in, _ := m.ByID(l.Instrument)
			got = in.Name
		}
		if got != tt.want {
			t.Errorf("LookupIn(%s, %d, %q) = %q, want %q", VenueName(tt.venue), tt.seg, tt.symbol, got, tt.want)
		}
	}
}

func TestResolver(t *testing.T) {
	m := mustDefault(t)
	okx := m.Resolver(VenueOKX)
	id, ps, qs, tick, ok := okx([]byte("BTC-USDT-SWAP"))
	if !ok || id != 4 || ps != 1 || qs != 2 || tick != 1 {
		t.Errorf("okx BTC-USDT-SWAP = %d %d %d %d %v", id, ps, qs, tick, ok)
	}
	if id, _, _, _, ok := okx([]byte("NOPE")); ok || id != 0 {
		t.Errorf("unknown symbol resolved to %d", id)
	}
	lin := m.ResolverIn(VenueBybit, SegmentDerivatives)
	if id, ps, qs, tick, ok := lin([]byte("BTCUSDT")); !ok || id != 4 || ps != 1 || qs != 3 || tick != 1 {
		t.Errorf("bybit linear BTCUSDT = %d %d %d %d %v", id, ps, qs, tick, ok)
	}
	if _, _, _, _, ok := m.Resolver(VenueBybit)([]byte("BTCUSDT")); ok {
		t.Error("bybit BTCUSDT resolved without a segment")
	}
}

func TestByIDAndListing(t *testing.T) {
	m := mustDefault(t)
	for _, id := range []event.InstrumentID{0, event.InstrumentID(m.Len() + 1), ^event.InstrumentID(0)} {
		if in, ok := m.ByID(id); ok {
			t.Errorf("ByID(%d) = %s", id, in.Name)
		}
	}
	if _, ok := m.ByName("BTC-USDT-SWAP"); ok {
		t.Error("ByName found a venue symbol")
	}
	perp, _ := m.ByName("BTC-USDT-PERP")
	if perp.Kind != KindPerpetual || perp.Base != "BTC" || perp.Quote != "USDT" || len(perp.Listings) != 3 {
		t.Errorf("BTC-USDT-PERP = %+v", perp)
	}
	l, ok := perp.Listing(VenueOKX)
	if !ok || l.Symbol != "BTC-USDT-SWAP" {
		t.Errorf("perp.Listing(okx) = %+v, %v", l, ok)
	}
	if _, ok := perp.Listing(VenueCoinbase); ok {
		t.Error("perp listed on coinbase")
	}
	k, _ := m.Lookup(VenueKraken, []byte("XBT/USD"))
	if k.Symbol != "BTC/USD" || len(k.Aliases) != 1 || k.Aliases[0] != "XBT/USD" {
		t.Errorf("kraken listing symbol %q aliases %q", k.Symbol, k.Aliases)
	}
}

func TestVenueTable(t *testing.T) {
	want := []string{"", "binance", "binance-usdm", "okx", "bybit", "coinbase", "kraken", ""}
	for v, name := range want {
		if got := VenueName(event.VenueID(v)); got != name {
			t.Errorf("VenueName(%d) = %q, want %q", v, got, name)
		}
		if name == "" {
			continue
		}
		if id, ok := VenueByName(name); !ok || id != event.VenueID(v) {
			t.Errorf("VenueByName(%q) = %d, %v", name, id, ok)
		}
	}
	for _, c := range []struct {
		v          event.VenueID
		spot, derv bool
	}{{VenueBinance, true, false}, {VenueBinanceUSDM, false, true}, {VenueOKX, true, true}, {VenueBybit, true, true},
		{VenueCoinbase, true, true}, {VenueKraken, true, false}, {0, false, false}, {NumVenues + 1, false, false}} {
		if VenueHas(c.v, SegmentSpot) != c.spot || VenueHas(c.v, SegmentDerivatives) != c.derv || VenueHas(c.v, Segment(2)) {
			t.Errorf("VenueHas(%d): want spot %v derivatives %v", c.v, c.spot, c.derv)
		}
	}
	if _, ok := VenueByName("Binance"); ok {
		t.Error("venue names are lower case and exact")
	}
	for k, s := range map[Kind]string{KindSpot: "spot", KindPerpetual: "perpetual", KindFuture: "future", 0: "unknown"} {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q", k, k.String())
		}
	}
}

// TestConcurrentLookups reads one master from several goroutines; under -race it proves the
// lookups only read.
func TestConcurrentLookups(t *testing.T) {
	m := mustDefault(t)
	syms := [][]byte{[]byte("BTCUSDT"), []byte("ETHUSDT"), []byte("SOLUSDT")}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				s := syms[i%len(syms)]
				if l, ok := m.Lookup(VenueBinance, s); !ok || l.Symbol != string(s) {
					t.Errorf("Lookup(binance, %s) = %v", s, ok)
					return
				}
				if _, ok := m.ByID(event.InstrumentID(i%m.Len() + 1)); !ok {
					t.Error("ByID failed")
					return
				}
			}
		}()
	}
	wg.Wait()
}
