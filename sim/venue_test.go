package sim

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ems/core/event"
	"ems/core/instrument"
	"ems/sim/match"
)

func TestDefaultConfigBuildsVenues(t *testing.T) {
	m := master(t)
	vs, err := NewVenues(DefaultConfig(), m)
	if err != nil {
		t.Fatal(err)
	}
	wantSymbols := map[string][2]string{
		"binance":  {"BTCUSDT", "ETHUSDT"},
		"okx":      {"BTC-USDT", "ETH-USDT"},
		"bybit":    {"BTCUSDT", "ETHUSDT"},
		"coinbase": {"BTC-USDT", "ETH-USDT"},
	}
	if len(vs) != len(wantSymbols) {
		t.Fatalf("%d venues", len(vs))
	}
	mids := map[string]int64{}
	for _, v := range vs {
		want, ok := wantSymbols[v.Name()]
		if !ok {
			t.Fatalf("unexpected venue %s", v.Name())
		}
		if id, _ := instrument.VenueByName(v.Name()); v.ID() != id {
			t.Fatalf("%s: id %d", v.Name(), v.ID())
		}
		if len(v.Markets()) != 2 {
			t.Fatalf("%s: %d markets", v.Name(), len(v.Markets()))
		}
		if err := v.Step(t0); err != nil {
			t.Fatal(err)
		}
		for i, mk := range v.Markets() {
			in, _ := m.ByName(mk.Name)
			l, _ := in.Listing(v.ID())
			if mk.Symbol != want[i] || mk.Listing != l {
				t.Fatalf("%s: market %d is %s (%p), want %s (%p)", v.Name(), i, mk.Symbol, mk.Listing, want[i], l)
			}
			if got, ok := v.Market(mk.Symbol); !ok || got != mk {
				t.Fatalf("%s: Market(%q) = %v", v.Name(), mk.Symbol, got)
			}
			v.Do(func(s *State) {
				r := s.Engine(mk).Rules()
				if r.MakerFee != l.MakerFee || r.TakerFee != l.TakerFee || r.Tick != l.Tick || r.Lot != l.Lot ||
					r.MinQty != l.MinQty || r.MinNotional != l.MinNotional || r.PriceScale != l.PriceScale {
					t.Fatalf("%s %s: rules %+v from listing %+v", v.Name(), mk.Name, r, l)
				}
				bids := s.Engine(mk).Depth(event.SideBuy, -1, nil)
				asks := s.Engine(mk).Depth(event.SideSell, -1, nil)
				if len(bids) != v.Config().DepthLevels || len(asks) != v.Config().DepthLevels {
					t.Fatalf("%s %s: %d/%d levels, want %d", v.Name(), mk.Name, len(bids), len(asks), v.Config().DepthLevels)
				}
				if mk.Name == "BTC-USDT" {
					// Compare mids at scale 2 (okx quotes BTC at scale 1).
					mid := (bids[0].Price + asks[0].Price) / 2
					for range 2 - int(l.PriceScale) {
						mid *= 10
					}
					mids[v.Name()] = mid
				}
			})
		}
		if k, ok := v.Key(v.Config().Keys[0].Key); !ok || k.Account != 1 {
			t.Fatalf("%s: key %+v", v.Name(), k)
		}
	}
	// Offsets: binance 0, okx +1, bybit -1, coinbase +2 bps of 68,000 (6.80 per bp).
	if !(mids["bybit"] < mids["binance"] && mids["binance"] < mids["okx"] && mids["okx"] < mids["coinbase"]) {
		t.Fatalf("mids do not follow the offsets: %v", mids)
	}
	if d := mids["coinbase"] - mids["binance"]; d < 1300 || d > 1420 {
		t.Fatalf("coinbase - binance = %d, want about 2 bps (1360)", d)
	}
}

func TestNewVenueErrors(t *testing.T) {
	m := master(t)
	base := func() VenueConfig {
		cfg := DefaultConfig()
		return cfg.Venues[0] // binance, with markets merged
	}
	tests := []struct {
		name string
		edit func(c *VenueConfig)
		want string
	}{
		{"unknown instrument", func(c *VenueConfig) {
			c.Instruments = []string{"DOGE-USDT"}
			c.Markets = append(c.Markets, MarketConfig{Instrument: "DOGE-USDT", Mid: "0.1", LevelQty: "100"})
		}, `"DOGE-USDT" is not in the instrument master`},
		{"no listing", func(c *VenueConfig) { c.Instruments = []string{"BTC-USD"} }, `"BTC-USD" has no binance listing`},
		{"no market", func(c *VenueConfig) { c.Instruments = []string{"SOL-USDT"} }, `binance.instruments[0]: no market for "SOL-USDT"`},
		{"bad mid", func(c *VenueConfig) { c.Markets[0].Mid = "abc" }, "binance.markets[0].mid"},
		{"zero qty", func(c *VenueConfig) { c.Markets[0].LevelQty = "0" }, "binance.markets[0].level_qty"},
		{"fault symbol", func(c *VenueConfig) {
			c.Faults = []Fault{{Kind: FaultGap, Symbol: "XRPUSDT", Prob: 1}}
		}, "binance.faults[0].symbol"},
		{"flow account", func(c *VenueConfig) { c.Keys[0].Account = FlowAccount }, "binance.keys[0].account"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.edit(&c)
			_, err := NewVenue(c, m, 1)
			if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewVenue: %v, want ErrConfig containing %s", err, tc.want)
			}
		})
	}
	if _, err := NewVenue(base(), nil, 1); err == nil {
		t.Fatal("nil master accepted")
	}
}

// TestFlowBook checks the books the flows keep through a simulated minute: hundreds of levels a
// side, never crossed, a spread of a few ticks, several hundred updates a second.
func TestFlowBook(t *testing.T) {
	steps := 600
	if raceEnabled {
		steps = 150
	}
	for _, name := range []string{"binance", "okx"} {
		v, _ := defaultVenue(t, name, 7)
		updates := make([]int, len(v.Markets()))
		unsub, err := v.Subscribe("", func(ev MarketEvent) {
			if ev.Kind == MarketLevel {
				updates[ev.Market.Index]++
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Step(t0); err != nil {
			t.Fatal(err)
		}
		clear(updates)
		spread := make([]int64, len(v.Markets()))
		for i := 1; i <= steps; i++ {
			if err := v.Step(t0 + int64(i)*stepNanos); err != nil {
				t.Fatal(err)
			}
			v.Do(func(s *State) {
				for _, mk := range s.Markets() {
					e := s.Engine(mk)
					bid, _, okb := e.Best(event.SideBuy)
					ask, _, oka := e.Best(event.SideSell)
					if !okb || !oka || bid >= ask {
						t.Fatalf("%s %s step %d: bid %d ask %d", name, mk.Name, i, bid, ask)
					}
					spread[mk.Index] += (ask - bid) / mk.Listing.Tick
					if i%50 == 0 {
						nb, na := len(e.Depth(event.SideBuy, -1, nil)), len(e.Depth(event.SideSell, -1, nil))
						if min(nb, na) < v.Config().DepthLevels*3/4 {
							t.Fatalf("%s %s step %d: %d/%d levels", name, mk.Name, i, nb, na)
						}
					}
				}
			})
		}
		unsub()
		for _, mk := range v.Markets() {
			perSec := updates[mk.Index] * 10 / steps
			avg := spread[mk.Index] / int64(steps)
			t.Logf("%s %s: %d book updates/s, average spread %d ticks", name, mk.Name, perSec, avg)
			if avg > 10 {
				t.Errorf("%s %s: average spread %d ticks", name, mk.Name, avg)
			}
			if perSec < 100 {
				t.Errorf("%s %s: %d updates/s", name, mk.Name, perSec)
			}
		}
	}
}

// run drives a venue through n Steps with a client order every 10 steps and returns the hash of
// every market and order event.
func runVenue(t *testing.T, seed uint64, n int) uint64 {
	t.Helper()
	v, clock := defaultVenue(t, "bybit", seed)
	h := newHasher()
	if _, err := v.Subscribe("", h.market); err != nil {
		t.Fatal(err)
	}
	v.OrderEvents(1, h.order)
	for i := 0; i <= n; i++ {
		now := t0 + int64(i)*stepNanos
		clock.ns.Store(now + 1)
		if err := v.Step(now); err != nil {
			t.Fatal(err)
		}
		if i%10 == 5 {
			v.Do(func(s *State) {
				mk := s.Markets()[0]
				e := s.Engine(mk)
				ask, _, _ := e.Best(event.SideSell)
				_, err := e.Submit(match.Request{Account: 1, Side: event.SideBuy, Type: event.OrderLimit,
					TIF: event.TIFIOC, Price: ask, Qty: 1000}, s.Now())
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	}
	return h.d.Sum64()
}

func TestStepDeterminism(t *testing.T) {
	n := 300
	if raceEnabled {
		n = 60
	}
	a, b := runVenue(t, 99, n), runVenue(t, 99, n)
	if a != b {
		t.Fatalf("same seed: %x vs %x", a, b)
	}
	if c := runVenue(t, 100, n); c == a {
		t.Fatal("seeds 99 and 100 gave the same events")
	}
}

// TestVenuesMoveTogether checks that two venues of one simulator walk the same mid.
func TestVenuesMoveTogether(t *testing.T) {
	a, _ := defaultVenue(t, "binance", 5)
	b, _ := defaultVenue(t, "bybit", 5)
	for i := 0; i <= 100; i++ {
		now := t0 + int64(i)*stepNanos
		if err := a.Step(now); err != nil {
			t.Fatal(err)
		}
		if err := b.Step(now); err != nil {
			t.Fatal(err)
		}
	}
	var ma, mb int64
	a.Do(func(s *State) { ma = s.Flow(s.Markets()[0]).Mid() })
	b.Do(func(s *State) { mb = s.Flow(s.Markets()[0]).Mid() })
	// bybit quotes 1 bp below binance: the mids differ by that, within rounding of one tick.
	if d := ma - mb - ma/10_000; d < -2 || d > 2 {
		t.Fatalf("binance mid %d, bybit mid %d: difference %d, want 1 bp", ma, mb, ma-mb)
	}
	if ma == 6_800_000 {
		t.Fatal("mid did not move")
	}
}

func TestStartClose(t *testing.T) {
	cfg := DefaultConfig()
	vc := cfg.Venues[0]
	vc.StepInterval = 2 * time.Millisecond
	v, err := NewVenue(vc, master(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatalf("Close before Start: %v", err)
	}
	got := make(chan struct{}, 1)
	if _, err := v.Subscribe("BTC-USDT", func(ev MarketEvent) {
		if ev.Kind == MarketTrade {
			select {
			case got <- struct{}{}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := v.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := v.Start(context.Background()); err == nil {
		t.Fatal("second Start succeeded")
	}
	select {
	case <-got:
	case <-time.After(20 * time.Second):
		t.Fatal("no trade within 20 s")
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	// Restart, and stop through the context.
	ctx, cancel := context.WithCancel(context.Background())
	if err := v.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentUse runs the stepping loop while other goroutines trade, subscribe, ask for
// faults and rate limits, as protocol servers do (meant for -race).
func TestConcurrentUse(t *testing.T) {
	cfg := DefaultConfig()
	vc := cfg.Venues[2]
	vc.StepInterval = time.Millisecond
	vc.Faults = []Fault{{Kind: FaultGap, Prob: 10}}
	v, err := NewVenue(vc, master(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var fills atomic.Int64
	go func() {
		defer close(done)
		unsub := v.OrderEvents(1, func(ev OrderEvent) {
			if ev.HasFill {
				fills.Add(1)
			}
		})
		defer unsub()
		for i := range 200 {
			un, err := v.Subscribe("ETH-USDT", func(MarketEvent) {})
			if err != nil {
				t.Error(err)
				return
			}
			v.Do(func(s *State) {
				mk := s.Markets()[i%2]
				e := s.Engine(mk)
				ask, _, _ := e.Best(event.SideSell)
				e.Submit(match.Request{Account: 1, Side: event.SideBuy, TIF: event.TIFIOC, Price: ask,
					Qty: mk.Listing.MinQty * 10}, s.Now())
			})
			v.Fault(FaultGap, "BTCUSDT")
			v.Allow("k", 1, v.Now())
			un()
		}
	}()
	<-done
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if fills.Load() == 0 {
		t.Fatal("no fills")
	}
}
