package instrument

import (
	"testing"

	"ems/core/event"
)

// probe is one venue symbol a feed would look up, with the instrument it must resolve to.
type probe struct {
	venue  event.VenueID
	symbol []byte
	want   event.InstrumentID
}

// probes returns every unambiguous venue symbol and alias of m.
func probes(m *Master) []probe {
	var ps []probe
	for _, in := range m.Instruments() {
		for _, l := range in.Listings {
			for _, s := range append([]string{l.Symbol}, l.Aliases...) {
				if _, ok := m.Lookup(l.Venue, []byte(s)); ok {
					ps = append(ps, probe{l.Venue, []byte(s), in.ID})
				}
			}
		}
	}
	return ps
}

func avgLen(ps []probe) int64 {
	n := 0
	for _, p := range ps {
		n += len(p.symbol)
	}
	return int64(n / len(ps))
}

// BenchmarkLookup measures the hot venue-symbol lookup against a baseline of one Go map per venue
// indexed with m[string(b)] (which the compiler does without allocating).
func BenchmarkLookup(b *testing.B) {
	m := mustDefault(b)
	ps := probes(m)
	var maps [NumVenues + 1]map[string]*Listing
	for i := range maps {
		maps[i] = map[string]*Listing{}
	}
	for _, p := range ps {
		l, _ := m.Lookup(p.venue, p.symbol)
		maps[p.venue][string(p.symbol)] = l
	}
	b.Run("impl=master", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(avgLen(ps))
		for i := 0; i < b.N; i++ {
			p := &ps[i%len(ps)]
			if l, ok := m.Lookup(p.venue, p.symbol); !ok || l.Instrument != p.want {
				b.Fatal("wrong listing")
			}
		}
	})
	b.Run("impl=map", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(avgLen(ps))
		for i := 0; i < b.N; i++ {
			p := &ps[i%len(ps)]
			if l, ok := maps[p.venue][string(p.symbol)]; !ok || l.Instrument != p.want {
				b.Fatal("wrong listing")
			}
		}
	})
}

// BenchmarkResolver measures the feed-facing resolver of one venue, hit and miss.
func BenchmarkResolver(b *testing.B) {
	m := mustDefault(b)
	resolve := m.Resolver(VenueOKX)
	for _, c := range []struct {
		name   string
		symbol []byte
		ok     bool
	}{
		{"case=hit", []byte("BTC-USDT-SWAP"), true},
		{"case=miss", []byte("DOGE-USDT-SWAP"), false},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.symbol)))
			for i := 0; i < b.N; i++ {
				if _, _, _, _, ok := resolve(c.symbol); ok != c.ok {
					b.Fatal("wrong answer")
				}
			}
		})
	}
}

// BenchmarkParse measures loading the default file (start-up cost, not hot path).
func BenchmarkParse(b *testing.B) {
	data := []byte(defaultFile)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if m, err := Parse(data); err != nil || m.Len() != 7 {
			b.Fatal(err)
		}
	}
}
