package instrument

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"

	"ems/core/event"
)

func mustDefault(t testing.TB) *Master {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return m
}

func TestDefaultLoads(t *testing.T) {
	m := mustDefault(t)
	disk, err := os.ReadFile("instruments.json")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Hash(), xxhash.Sum64(disk); got != want {
		t.Errorf("Hash = %#x, want xxhash64 of instruments.json %#x", got, want)
	}
	if m.Version() != "1.0" {
		t.Errorf("Version = %q", m.Version())
	}
	if m.Len() != len(m.Instruments()) || m.Len() == 0 {
		t.Fatalf("Len = %d, Instruments = %d", m.Len(), len(m.Instruments()))
	}
	for _, in := range m.Instruments() {
		if len(in.Listings) == 0 {
			t.Errorf("%s has no listings", in.Name)
		}
		for _, l := range in.Listings {
			if l.Source == "" || l.FeeSource == "" {
				t.Errorf("%s on %s: no source", in.Name, VenueName(l.Venue))
			}
			if l.Instrument != in.ID || l.Segment != in.Kind.Segment() {
				t.Errorf("%s on %s: listing says instrument %d segment %v", in.Name, VenueName(l.Venue), l.Instrument, l.Segment)
			}
		}
	}
}

// TestIDsStable pins the ids of the default file: they are journaled, so changing one is a
// format change (append new instruments at the end of the file).
func TestIDsStable(t *testing.T) {
	m := mustDefault(t)
	want := []string{"BTC-USDT", "ETH-USDT", "SOL-USDT", "BTC-USDT-PERP", "BTC-USD", "ETH-USD", "SOL-USD"}
	if m.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", m.Len(), len(want))
	}
	for i, name := range want {
		id := event.InstrumentID(i + 1)
		in, ok := m.ByID(id)
		if !ok || in.Name != name || in.ID != id {
			t.Errorf("ByID(%d) = %+v, %v; want %s", id, in, ok, name)
		}
		byName, ok := m.ByName(name)
		if !ok || byName != in {
			t.Errorf("ByName(%q) = %p, %v; want the ByID instrument %p", name, byName, ok, in)
		}
	}
	// Parsing the same bytes twice gives the same ids and hash.
	m2 := mustDefault(t)
	if m2.Hash() != m.Hash() {
		t.Error("two loads of one file hash differently")
	}
}

// TestDefaultGrid spot-checks the default file's numbers in fixed point.
func TestDefaultGrid(t *testing.T) {
	m := mustDefault(t)
	tests := []struct {
		venue                  event.VenueID
		seg                    Segment
		symbol, inst           string
		ps, qs                 uint8
		tick, lot, minQty, mnn int64
		cv                     int64
		cs                     uint8
		maker, taker           int64
	}{
		{VenueBinance, SegmentSpot, "BTCUSDT", "BTC-USDT", 2, 5, 1, 1, 1, 500, 1, 0, 1000, 1000},
		{VenueOKX, SegmentSpot, "BTC-USDT", "BTC-USDT", 1, 8, 1, 1, 1000, 0, 1, 0, 800, 1000},
		{VenueBybit, SegmentSpot, "BTCUSDT", "BTC-USDT", 2, 6, 1, 1, 48, 100, 1, 0, 1000, 1000},
		{VenueKraken, SegmentSpot, "XBT/USDT", "BTC-USDT", 1, 8, 1, 1, 5000, 5, 1, 0, 2500, 4000},
		{VenueBinanceUSDM, SegmentDerivatives, "BTCUSDT", "BTC-USDT-PERP", 1, 3, 1, 1, 1, 1000, 1, 0, 200, 500},
		{VenueOKX, SegmentDerivatives, "BTC-USDT-SWAP", "BTC-USDT-PERP", 1, 2, 1, 1, 1, 0, 1, 2, 200, 500},
		{VenueBybit, SegmentDerivatives, "BTCUSDT", "BTC-USDT-PERP", 1, 3, 1, 1, 1, 50, 1, 0, 200, 550},
		{VenueCoinbase, SegmentSpot, "BTC-USD", "BTC-USD", 2, 8, 1, 1, 1, 100, 1, 0, 6000, 12000},
		{VenueKraken, SegmentSpot, "BTC/USD", "BTC-USD", 1, 8, 1, 1, 5000, 5, 1, 0, 2500, 4000},
	}
	for _, tt := range tests {
		l, ok := m.LookupIn(tt.venue, tt.seg, []byte(tt.symbol))
		if !ok {
			t.Errorf("%s %s: not found", VenueName(tt.venue), tt.symbol)
			continue
		}
		in, _ := m.ByID(l.Instrument)
		got := []int64{int64(l.PriceScale), int64(l.QtyScale), l.Tick, l.Lot, l.MinQty, l.MinNotional,
			l.ContractValue, int64(l.ContractScale), l.MakerFee, l.TakerFee}
		want := []int64{int64(tt.ps), int64(tt.qs), tt.tick, tt.lot, tt.minQty, tt.mnn,
			tt.cv, int64(tt.cs), tt.maker, tt.taker}
		if in.Name != tt.inst || !equal(got, want) {
			t.Errorf("%s %s: %s %v, want %s %v", VenueName(tt.venue), tt.symbol, in.Name, got, tt.inst, want)
		}
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestHashFollowsBytes(t *testing.T) {
	m := mustDefault(t)
	disk, _ := os.ReadFile("instruments.json")
	m2, err := Parse(append(append([]byte(nil), disk...), "\n\n"...))
	if err != nil {
		t.Fatal(err)
	}
	if m2.Version() != m.Version() || m2.Hash() == m.Hash() {
		t.Errorf("same version %q/%q, hashes %#x/%#x: the hash must change with the bytes",
			m.Version(), m2.Version(), m.Hash(), m2.Hash())
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "i.json")
	if err := os.WriteFile(path, []byte(spot(L())), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version() != "t" || m.Len() != 1 {
		t.Errorf("Load: version %q, %d instruments", m.Version(), m.Len())
	}
	_, err = Load(filepath.Join(t.TempDir(), "missing.json"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "instrument: open ") {
		t.Errorf("Load of a missing file: %v", err)
	}
}
