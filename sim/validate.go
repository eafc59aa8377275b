package sim

import (
	"errors"
	"fmt"
	"time"

	"ems/core/instrument"
	"ems/sim/flow"
)

// ErrConfig is wrapped by every configuration error (ConfigError) and by NewVenue's errors about
// its configuration.
var ErrConfig = errors.New("sim: invalid config")

// ConfigError is a configuration error: which field, and what is wrong with it.
type ConfigError struct {
	// Field is the field's path with the file's JSON names: "venues[1].faults[0].kind", or ""
	// for an error in the file as a whole (malformed JSON).
	Field string
	Err   error // the cause (a json, time or fixed error), or nil
	msg   string
}

// Error returns "sim: config: <field>: <what>".
func (e *ConfigError) Error() string { return e.msg }

// Unwrap returns ErrConfig and the cause.
func (e *ConfigError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrConfig}
	}
	return []error{ErrConfig, e.Err}
}

// configErr builds a ConfigError for field; format and args describe the problem.
func configErr(field string, cause error, format string, args ...any) *ConfigError {
	msg := "sim: config: "
	if field != "" {
		msg += field + ": "
	}
	msg += fmt.Sprintf(format, args...)
	if cause != nil {
		msg += " (" + cause.Error() + ")"
	}
	return &ConfigError{Field: field, Err: cause, msg: msg}
}

// Limits of a configuration.
const (
	MaxPriceOffsetBps = 1000
	MaxLatency        = 10 * time.Second
	MinStepInterval   = time.Millisecond
	MaxStepInterval   = time.Minute
)

// Validate checks c and fills in what it leaves out: each venue's defaults (see VenueConfig and
// RateLimit), key accounts, and the venue Markets entries taken from c.Markets for instruments
// the venue does not configure itself. It checks what it can without the instrument master (the
// master is NewVenue's business) and returns a *ConfigError naming the first bad field.
func (c *Config) Validate() error {
	if len(c.Venues) == 0 {
		return configErr("venues", nil, "no venues")
	}
	if err := validateMarkets("markets", c.Markets); err != nil {
		return err
	}
	seen := map[string]int{}
	for i := range c.Venues {
		v := &c.Venues[i]
		path := fmt.Sprintf("venues[%d]", i)
		if j, dup := seen[v.Name]; dup {
			return configErr(path+".name", nil, "venue %q already configured at venues[%d]", v.Name, j)
		}
		seen[v.Name] = i
		for _, m := range c.Markets {
			if !hasMarket(v.Markets, m.Instrument) {
				v.Markets = append(v.Markets[:len(v.Markets):len(v.Markets)], m)
			}
		}
		if err := v.validate(path); err != nil {
			return err
		}
	}
	return nil
}

// validate checks v and applies its defaults; path names it in errors ("venues[2]").
func (v *VenueConfig) validate(path string) error {
	if _, ok := instrument.VenueByName(v.Name); !ok {
		return configErr(path+".name", nil, "unknown venue %q (want binance, binance-usdm, okx, bybit, coinbase or kraken)", v.Name)
	}
	if len(v.Instruments) == 0 {
		return configErr(path+".instruments", nil, "no instruments")
	}
	for i, name := range v.Instruments {
		f := fmt.Sprintf("%s.instruments[%d]", path, i)
		if name == "" {
			return configErr(f, nil, "empty instrument name")
		}
		for _, prev := range v.Instruments[:i] {
			if prev == name {
				return configErr(f, nil, "instrument %q listed twice", name)
			}
		}
		if !hasMarket(v.Markets, name) {
			return configErr(f, nil, "no market for %q (add it to markets)", name)
		}
	}
	if v.PriceOffsetBps < -MaxPriceOffsetBps || v.PriceOffsetBps > MaxPriceOffsetBps {
		return configErr(path+".price_offset_bps", nil, "%d outside ±%d", v.PriceOffsetBps, MaxPriceOffsetBps)
	}
	if v.DepthLevels == 0 {
		v.DepthLevels = DefaultDepthLevels
	}
	if v.DepthLevels < 1 || v.DepthLevels > flow.MaxLevels {
		return configErr(path+".depth_levels", nil, "%d outside 1..%d", v.DepthLevels, flow.MaxLevels)
	}
	if v.Latency < 0 || v.Latency > MaxLatency {
		return configErr(path+".latency", nil, "%v outside 0..%v", v.Latency, MaxLatency)
	}
	if v.StepInterval == 0 {
		v.StepInterval = DefaultStepInterval
	}
	if v.StepInterval < MinStepInterval || v.StepInterval > MaxStepInterval {
		return configErr(path+".step_interval", nil, "%v outside %v..%v", v.StepInterval, MinStepInterval, MaxStepInterval)
	}
	if err := v.RateLimit.validate(path + ".rate_limit"); err != nil {
		return err
	}
	for i := range v.Faults {
		if err := v.Faults[i].validate(fmt.Sprintf("%s.faults[%d]", path, i)); err != nil {
			return err
		}
	}
	keys := map[string]int{}
	for i := range v.Keys {
		k := &v.Keys[i]
		f := fmt.Sprintf("%s.keys[%d]", path, i)
		if k.Key == "" {
			return configErr(f+".key", nil, "empty key")
		}
		if j, dup := keys[k.Key]; dup {
			return configErr(f+".key", nil, "key %q already configured at keys[%d]", k.Key, j)
		}
		keys[k.Key] = i
		if k.Account == 0 {
			k.Account = uint32(i + 1)
		}
		if k.Account == FlowAccount {
			return configErr(f+".account", nil, "account %d is the background flow's", k.Account)
		}
	}
	return validateMarkets(path+".markets", v.Markets)
}

func (r *RateLimit) validate(path string) error {
	if r.Weight < 0 {
		return configErr(path+".weight", nil, "%d is negative", r.Weight)
	}
	if r.Orders < 0 {
		return configErr(path+".orders", nil, "%d is negative", r.Orders)
	}
	if r.Window == 0 {
		r.Window = DefaultWindow
	}
	if r.Window < 0 {
		return configErr(path+".window", nil, "%v is negative", r.Window)
	}
	if r.OrderWindow == 0 {
		r.OrderWindow = DefaultOrderWindow
	}
	if r.OrderWindow < 0 {
		return configErr(path+".order_window", nil, "%v is negative", r.OrderWindow)
	}
	return nil
}

func (f *Fault) validate(path string) error {
	if f.Kind < 1 || f.Kind > numFaultKinds {
		return configErr(path+".kind", nil, "unknown fault kind %v (want %s)", f.Kind, faultKindList())
	}
	switch {
	case f.At < 0:
		return configErr(path+".at", nil, "%v is negative", f.At)
	case f.Duration < 0:
		return configErr(path+".duration", nil, "%v is negative", f.Duration)
	case f.EveryN < 0:
		return configErr(path+".every_n", nil, "%d is negative", f.EveryN)
	case f.Prob < 0 || f.Prob > 1000:
		return configErr(path+".prob", nil, "%d outside 0..1000 (per mille)", f.Prob)
	case f.Delay < 0 || f.Delay > MaxLatency:
		return configErr(path+".delay", nil, "%v outside 0..%v", f.Delay, MaxLatency)
	case f.FillPerMille < 0 || f.FillPerMille > 1000:
		return configErr(path+".fill_per_mille", nil, "%d outside 0..1000", f.FillPerMille)
	case f.At == 0 && f.Duration == 0 && f.EveryN == 0 && f.Prob == 0:
		return configErr(path, nil, "%s fault has no trigger (set at, duration, every_n or prob)", f.Kind)
	}
	if f.Kind == FaultDelayAck && f.Delay == 0 {
		return configErr(path+".delay", nil, "delay-ack fault needs a delay")
	}
	if f.Kind == FaultPartialFill && f.FillPerMille == 0 {
		f.FillPerMille = 500
	}
	return nil
}

// validateMarkets checks a markets list (path "markets" or "venues[i].markets").
func validateMarkets(path string, ms []MarketConfig) error {
	for i := range ms {
		m := &ms[i]
		f := fmt.Sprintf("%s[%d]", path, i)
		if m.Instrument == "" {
			return configErr(f+".instrument", nil, "empty instrument name")
		}
		for _, prev := range ms[:i] {
			if prev.Instrument == m.Instrument {
				return configErr(f+".instrument", nil, "market %q configured twice", m.Instrument)
			}
		}
		if m.Mid == "" {
			return configErr(f+".mid", nil, "missing mid price")
		}
		if m.LevelQty == "" {
			return configErr(f+".level_qty", nil, "missing level quantity")
		}
		checks := []struct {
			name   string
			v, max int
		}{
			{"spread_ticks", m.SpreadTicks, flow.MaxSpreadTicks},
			{"gap_ticks", m.GapTicks, flow.MaxGapTicks},
			{"takers_per_second", m.TakersPerSecond, flow.MaxTakers},
			{"requotes_per_second", m.RequotesPerSecond, flow.MaxRequotes},
			{"volatility_bps", m.VolatilityBps, flow.MaxVolatilityBps},
		}
		for _, c := range checks {
			if c.v < 0 || c.v > c.max {
				return configErr(f+"."+c.name, nil, "%d outside 0..%d", c.v, c.max)
			}
		}
		if m.Profile != nil {
			if len(m.Profile) != flow.ProfileHours {
				return configErr(f+".profile", nil, "%d weights, want %d", len(m.Profile), flow.ProfileHours)
			}
			sum := 0
			for h, w := range m.Profile {
				if w < 0 || w > flow.MaxProfileWeight {
					return configErr(fmt.Sprintf("%s.profile[%d]", f, h), nil, "%d outside 0..%d", w, flow.MaxProfileWeight)
				}
				sum += w
			}
			if sum == 0 {
				return configErr(f+".profile", nil, "all weights are zero")
			}
		}
	}
	return nil
}

func hasMarket(ms []MarketConfig, name string) bool {
	for i := range ms {
		if ms[i].Instrument == name {
			return true
		}
	}
	return false
}
