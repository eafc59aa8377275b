package flow

import (
	"errors"
	"strings"
	"testing"

	"ems/core/event"
	"ems/sim/match"
)

func TestConfigErrors(t *testing.T) {
	e, err := match.New("BTCUSDT", btcRules, nil)
	if err != nil {
		t.Fatal(err)
	}
	badProfile := DefaultProfile()
	badProfile[5] = -1
	tests := []struct {
		name  string
		edit  func(c *Config)
		field string
	}{
		{"mid", func(c *Config) { c.MidPrice = 0 }, "MidPrice"},
		{"mid below spread", func(c *Config) { c.MidPrice = 2 }, "MidPrice"},
		{"spread", func(c *Config) { c.SpreadTicks = 0 }, "SpreadTicks"},
		{"levels", func(c *Config) { c.Levels = 0 }, "Levels"},
		{"levels max", func(c *Config) { c.Levels = MaxLevels + 1 }, "Levels"},
		{"gap", func(c *Config) { c.GapTicks = -1 }, "GapTicks"},
		{"qty", func(c *Config) { c.LevelQty = 0 }, "LevelQty"},
		{"takers", func(c *Config) { c.TakersPerSecond = -1 }, "TakersPerSecond"},
		{"requotes", func(c *Config) { c.RequotesPerSecond = MaxRequotes + 1 }, "RequotesPerSecond"},
		{"volatility", func(c *Config) { c.VolatilityBps = -5 }, "VolatilityBps"},
		{"profile length", func(c *Config) { c.Profile = []int{1, 2, 3} }, "len(Profile)"},
		{"profile weight", func(c *Config) { c.Profile = badProfile }, "Profile[5]"},
		{"profile zero", func(c *Config) { c.Profile = make([]int, 24) }, "sum(Profile)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig(1)
			tc.edit(&c)
			_, err := New(c, e)
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("New: %v, want ErrConfig naming %s", err, tc.field)
			}
		})
	}
	if _, err := New(testConfig(1), nil); !errors.Is(err, ErrConfig) {
		t.Fatalf("nil engine: %v", err)
	}
}

func TestSeedAndStepOrder(t *testing.T) {
	e, _ := match.New("BTCUSDT", btcRules, nil)
	f, err := New(testConfig(1), e)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Step(t0); err == nil {
		t.Fatal("Step before Seed succeeded")
	}
	if err := f.Seed(t0); err != nil {
		t.Fatal(err)
	}
	if err := f.Seed(t0); err == nil {
		t.Fatal("second Seed succeeded")
	}
}

func TestSeedBuildsBook(t *testing.T) {
	cfg := testConfig(3)
	_, e, tp := newTestFlow(t, cfg)
	bids := e.Depth(event.SideBuy, -1, nil)
	asks := e.Depth(event.SideSell, -1, nil)
	if len(bids) != cfg.Levels || len(asks) != cfg.Levels {
		t.Fatalf("levels %d/%d, want %d", len(bids), len(asks), cfg.Levels)
	}
	if spread := asks[0].Price - bids[0].Price; spread != int64(cfg.SpreadTicks)*btcRules.Tick {
		t.Fatalf("spread %d", spread)
	}
	if bids[0].Price > cfg.MidPrice || asks[0].Price < cfg.MidPrice {
		t.Fatalf("touch %d/%d around mid %d", bids[0].Price, asks[0].Price, cfg.MidPrice)
	}
	if tp.trades != 0 {
		t.Fatalf("%d trades while seeding", tp.trades)
	}
	for _, lv := range append(bids, asks...) {
		if lv.Qty < btcRules.MinQty || lv.Qty%btcRules.Lot != 0 {
			t.Fatalf("level %+v off the lot grid", lv)
		}
	}
}

// TestBookStaysRealistic steps a flow for a simulated minute (20 s under -race) and checks the
// book after every Step: never crossed, hundreds of levels per side, a spread of a few ticks;
// and that the level events describe the engine's book exactly.
func TestBookStaysRealistic(t *testing.T) {
	cfg := testConfig(11)
	f, e, tp := newTestFlow(t, cfg)
	steps := 600
	if raceEnabled {
		steps = 200
	}
	seedUpdates := tp.levels
	var spreadSum int64
	for i := 1; i <= steps; i++ {
		now := t0 + int64(i)*100_000_000
		if err := f.Step(now); err != nil {
			t.Fatal(err)
		}
		bid, _, okb := e.Best(event.SideBuy)
		ask, _, oka := e.Best(event.SideSell)
		if !okb || !oka || bid >= ask {
			t.Fatalf("step %d: book bid %d ask %d (%v %v)", i, bid, ask, okb, oka)
		}
		spreadSum += ask - bid
		nb, na := len(e.Depth(event.SideBuy, -1, nil)), len(e.Depth(event.SideSell, -1, nil))
		if nb < cfg.Levels*3/4 || na < cfg.Levels*3/4 {
			t.Fatalf("step %d: %d bid and %d ask levels", i, nb, na)
		}
	}
	seconds := int64(steps) / 10
	avgSpread := spreadSum / int64(steps)
	updatesPerSec := int64(tp.levels-seedUpdates) / seconds
	st := f.Stats()
	t.Logf("%d s: %d updates/s, %d trades, average spread %d ticks, mid %d -> %d, stats %+v",
		seconds, updatesPerSec, tp.trades, avgSpread, cfg.MidPrice, f.Mid(), st)
	if avgSpread > 10*btcRules.Tick {
		t.Errorf("average spread %d ticks", avgSpread)
	}
	if updatesPerSec < 200 {
		t.Errorf("%d book updates/s, want several hundred", updatesPerSec)
	}
	if tp.trades == 0 || st.Takers == 0 || st.Replaces == 0 || st.Cancels == 0 {
		t.Errorf("no activity: %d trades, stats %+v", tp.trades, st)
	}
	// The level events rebuild the engine's book exactly.
	for _, side := range []event.Side{event.SideBuy, event.SideSell} {
		depth := e.Depth(side, -1, nil)
		if len(depth) != len(tp.book[side]) {
			t.Fatalf("side %d: %d levels from events, engine has %d", side, len(tp.book[side]), len(depth))
		}
		for _, lv := range depth {
			if tp.book[side][lv.Price] != lv.Qty {
				t.Fatalf("side %d price %d: events say %d, engine %d", side, lv.Price, tp.book[side][lv.Price], lv.Qty)
			}
		}
	}
}

// run steps a fresh flow for n steps of 100 ms and returns the hash of everything the engine
// reported.
func run(t *testing.T, cfg Config, n int) (uint64, *tape) {
	t.Helper()
	f, _, tp := newTestFlow(t, cfg)
	for i := 1; i <= n; i++ {
		if err := f.Step(t0 + int64(i)*100_000_000); err != nil {
			t.Fatal(err)
		}
	}
	return tp.h.Sum64(), tp
}

func TestDeterminism(t *testing.T) {
	n := 200
	if raceEnabled {
		n = 50
	}
	a, ta := run(t, testConfig(42), n)
	b, tb := run(t, testConfig(42), n)
	if a != b || ta.levels != tb.levels || ta.trades != tb.trades || ta.order != tb.order {
		t.Fatalf("same seed: hash %x vs %x, %d/%d levels, %d/%d trades", a, b, ta.levels, tb.levels,
			ta.trades, tb.trades)
	}
	if ta.trades == 0 {
		t.Fatal("no trades")
	}
	c, _ := run(t, testConfig(43), n)
	if c == a {
		t.Fatal("different seeds gave the same output")
	}
}

// TestVolumeProfile compares taker counts over two simulated minutes: one at 00:00 UTC (profile
// weight 170) and one at 11:00 UTC (weight 56), against the expected 34.6 and 11.4 takers/s.
func TestVolumeProfile(t *testing.T) {
	seconds := int64(60)
	if raceEnabled {
		seconds = 20
	}
	takers := func(start int64) (uint64, int64) {
		cfg := testConfig(5)
		cfg.RequotesPerSecond = 0
		tp := newTape()
		e, _ := match.New("BTCUSDT", btcRules, tp)
		f, err := New(cfg, e)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Seed(start); err != nil {
			t.Fatal(err)
		}
		for i := int64(1); i <= seconds*10; i++ {
			if err := f.Step(start + i*100_000_000); err != nil {
				t.Fatal(err)
			}
		}
		return f.Stats().Takers, tp.volume
	}
	busy, busyVol := takers(t0)
	quiet, quietVol := takers(t0 + 11*hourNanos)
	wantBusy, wantQuiet := 34.635*float64(seconds), 11.409*float64(seconds)
	within := func(got uint64, want float64) bool {
		return float64(got) > want*0.8 && float64(got) < want*1.2
	}
	if !within(busy, wantBusy) || !within(quiet, wantQuiet) {
		t.Fatalf("takers %d at 00h (want ~%.0f), %d at 11h (want ~%.0f)", busy, wantBusy, quiet, wantQuiet)
	}
	if busyVol <= 2*quietVol {
		t.Fatalf("volume %d at 00h vs %d at 11h: want about three times", busyVol, quietVol)
	}
}

// TestOtherAccountsTrade sweeps the flow's asks with another account's order and checks that the
// flow refills its ladder at the next quantum.
func TestOtherAccountsTrade(t *testing.T) {
	cfg := testConfig(9)
	cfg.VolatilityBps = 0
	f, e, tp := newTestFlow(t, cfg)
	ask, _, _ := e.Best(event.SideSell)
	o, err := e.Submit(match.Request{Account: 1, Side: event.SideBuy, Type: event.OrderLimit,
		TIF: event.TIFIOC, Price: ask + 20, Qty: 1_000_000}, t0+1)
	if err != nil || o.Filled == 0 {
		t.Fatalf("sweep: %+v %v", o, err)
	}
	swept := tp.trades
	if nb, _, _ := e.Best(event.SideSell); nb <= ask {
		t.Fatalf("best ask %d after sweeping %d", nb, ask)
	}
	if err := f.Step(t0 + QuantumNanos); err != nil {
		t.Fatal(err)
	}
	if nb, _, _ := e.Best(event.SideSell); nb != ask {
		t.Fatalf("best ask %d after refill, want %d", nb, ask)
	}
	if n := len(e.Depth(event.SideSell, -1, nil)); n < cfg.Levels-cfg.Levels/16 || n > cfg.Levels+cfg.Levels/16 {
		t.Fatalf("%d ask levels after refill", n)
	}
	if swept == 0 {
		t.Fatal("no trades")
	}
}
