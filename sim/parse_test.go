package sim

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ems/core/event"
)

func TestLoadConfig(t *testing.T) {
	cfg, err := LoadConfig("testdata/sim.json")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Seed != 42 || len(cfg.Venues) != 2 || len(cfg.Markets) != 3 {
		t.Fatalf("config %+v", cfg)
	}
	b, o := cfg.Venues[0], cfg.Venues[1]
	if b.Latency != 2*time.Millisecond || b.StepInterval != 100*time.Millisecond || b.DepthLevels != 400 {
		t.Fatalf("binance %+v", b)
	}
	if b.RateLimit != (RateLimit{Weight: 6000, Window: time.Minute, Orders: 100, OrderWindow: 10 * time.Second}) {
		t.Fatalf("binance rate limit %+v", b.RateLimit)
	}
	wantFaults := []Fault{
		{Kind: FaultGap, Symbol: "BTCUSDT", At: 30 * time.Second, Duration: 5 * time.Second, Prob: 100},
		{Kind: FaultDisconnect, At: 2 * time.Minute},
		{Kind: FaultDelayAck, EveryN: 10, Delay: 250 * time.Millisecond},
	}
	if len(b.Faults) != len(wantFaults) {
		t.Fatalf("faults %+v", b.Faults)
	}
	for i := range wantFaults {
		if b.Faults[i] != wantFaults[i] {
			t.Fatalf("fault %d: %+v, want %+v", i, b.Faults[i], wantFaults[i])
		}
	}
	if b.Keys[0].Account != 1 || o.Keys[0].Account != 1 || o.Keys[1].Account != 7 {
		t.Fatalf("key accounts %+v %+v", b.Keys, o.Keys)
	}
	// Defaults.
	if o.DepthLevels != DefaultDepthLevels || o.StepInterval != DefaultStepInterval ||
		o.RateLimit.Window != DefaultWindow || o.RateLimit.OrderWindow != DefaultOrderWindow || o.RateLimit.Weight != 0 {
		t.Fatalf("okx defaults %+v", o)
	}
	if o.Faults[0].FillPerMille != 500 {
		t.Fatalf("partial-fill default %+v", o.Faults[0])
	}
	// okx keeps its own BTC-USDT market and takes the shared ones for the rest.
	if len(o.Markets) != 3 || o.Markets[0].Mid != "68020.5" || o.Markets[1].Instrument != "ETH-USDT" {
		t.Fatalf("okx markets %+v", o.Markets)
	}
	vs, err := NewVenues(cfg, master(t))
	if err != nil {
		t.Fatal(err)
	}
	okx := vs[1]
	if err := okx.Step(t0); err != nil {
		t.Fatal(err)
	}
	perp, ok := okx.Market("BTC-USDT-SWAP")
	if !ok || perp.Name != "BTC-USDT-PERP" {
		t.Fatalf("perp market %+v", perp)
	}
	okx.Do(func(s *State) {
		// 0.5 BTC a level is 50 contracts of 0.01 BTC (qty scale 2): 5000 units, 0.25..3.5 × that.
		bid, qty, _ := s.Engine(perp).Best(event.SideBuy)
		if qty < 1250 || qty > 17500 || bid < 680_000 || bid > 680_200 {
			t.Fatalf("perp best bid %d x %d", bid, qty)
		}
		spot, _ := okx.Market("BTC-USDT")
		// 68020.5 + 1 bp = 68027.30 at okx's scale 1 (tick 0.1), 2 ticks of spread.
		if b, _, _ := s.Engine(spot).Best(event.SideBuy); b != 680272 {
			t.Fatalf("okx spot best bid %d", b)
		}
	})
	if _, err := LoadConfig("testdata/missing.json"); err == nil {
		t.Fatal("missing file loaded")
	}
}

func TestParseConfigErrors(t *testing.T) {
	const venue = `"name": "binance", "instruments": ["BTC-USDT"]`
	const market = `"markets": [{"instrument": "BTC-USDT", "mid": "68000", "level_qty": "1"}]`
	wrap := func(v string) string { return `{` + market + `, "venues": [{` + venue + v + `}]}` }
	tests := []struct {
		name, json, field string
	}{
		{"malformed", `{"venues": [`, ""},
		{"trailing", `{"venues": []} {}`, ""},
		{"unknown top field", `{"sed": 1}`, `unknown field "sed"`},
		{"unknown venue field", wrap(`, "latencyy": "1ms"`), `unknown field "latencyy"`},
		{"type", `{"seed": "one"}`, "seed"},
		{"no venues", `{"venues": []}`, "venues: no venues"},
		{"venue name", `{` + market + `, "venues": [{"name": "nyse", "instruments": ["BTC-USDT"]}]}`, "venues[0].name"},
		{"duplicate venue", `{` + market + `, "venues": [{` + venue + `}, {` + venue + `}]}`, "venues[1].name"},
		{"no instruments", `{` + market + `, "venues": [{"name": "okx"}]}`, "venues[0].instruments"},
		{"duplicate instrument", `{` + market + `, "venues": [{"name": "okx", "instruments": ["BTC-USDT", "BTC-USDT"]}]}`, "venues[0].instruments[1]"},
		{"no market", `{"venues": [{` + venue + `}]}`, "venues[0].instruments[0]: no market"},
		{"latency", wrap(`, "latency": "5x"`), "venues[0].latency"},
		{"negative latency", wrap(`, "latency": "-1ms"`), "venues[0].latency"},
		{"step interval", wrap(`, "step_interval": "1us"`), "venues[0].step_interval"},
		{"offset", wrap(`, "price_offset_bps": 5000`), "venues[0].price_offset_bps"},
		{"depth", wrap(`, "depth_levels": -3`), "venues[0].depth_levels"},
		{"rate weight", wrap(`, "rate_limit": {"weight": -1}`), "venues[0].rate_limit.weight"},
		{"rate window", wrap(`, "rate_limit": {"window": "x"}`), "venues[0].rate_limit.window"},
		{"fault kind", wrap(`, "faults": [{"kind": "meteor", "prob": 1}]`), "venues[0].faults[0].kind"},
		{"fault trigger", wrap(`, "faults": [{"kind": "gap"}]`), "venues[0].faults[0]: gap fault has no trigger"},
		{"fault prob", wrap(`, "faults": [{"kind": "gap", "prob": 1001}]`), "venues[0].faults[0].prob"},
		{"fault at", wrap(`, "faults": [{"kind": "gap", "at": "soon"}]`), "venues[0].faults[0].at"},
		{"fault delay", wrap(`, "faults": [{"kind": "delay-ack", "prob": 5}]`), "venues[0].faults[0].delay"},
		{"fault every_n", wrap(`, "faults": [{"kind": "reject", "every_n": -2}]`), "venues[0].faults[0].every_n"},
		{"key empty", wrap(`, "keys": [{"secret": "s"}]`), "venues[0].keys[0].key"},
		{"key duplicate", wrap(`, "keys": [{"key": "a"}, {"key": "a"}]`), "venues[0].keys[1].key"},
		{"market mid", `{"markets": [{"instrument": "BTC-USDT", "level_qty": "1"}], "venues": [{` + venue + `}]}`, "markets[0].mid"},
		{"market qty", `{"markets": [{"instrument": "BTC-USDT", "mid": "1"}], "venues": [{` + venue + `}]}`, "markets[0].level_qty"},
		{"market duplicate", `{"markets": [{"instrument": "X", "mid": "1", "level_qty": "1"}, {"instrument": "X", "mid": "1", "level_qty": "1"}], "venues": [{` + venue + `}]}`, "markets[1].instrument"},
		{"market volatility", `{"markets": [{"instrument": "BTC-USDT", "mid": "1", "level_qty": "1", "volatility_bps": -1}], "venues": [{` + venue + `}]}`, "markets[0].volatility_bps"},
		{"market profile", `{"markets": [{"instrument": "BTC-USDT", "mid": "1", "level_qty": "1", "profile": [1, 2]}], "venues": [{` + venue + `}]}`, "markets[0].profile"},
		{"venue market", wrap(`, "markets": [{"instrument": "BTC-USDT", "mid": "1", "level_qty": "1", "gap_ticks": -1}]`), "venues[0].markets[0].gap_ticks"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.json))
			var ce *ConfigError
			if !errors.Is(err, ErrConfig) || !errors.As(err, &ce) {
				t.Fatalf("ParseConfig: %v, want a ConfigError", err)
			}
			if !strings.HasPrefix(err.Error(), "sim: config: ") || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("ParseConfig: %q, want it to name %q", err, tc.field)
			}
		})
	}
}

func TestDefaultConfigValid(t *testing.T) {
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, v := range cfg.Venues {
		names = append(names, v.Name)
		if strings.Join(v.Instruments, ",") != "BTC-USDT,ETH-USDT" || len(v.Keys) != 1 {
			t.Fatalf("%s: %+v", v.Name, v)
		}
	}
	if strings.Join(names, ",") != "binance,okx,bybit,coinbase" {
		t.Fatalf("venues %v", names)
	}
}
