package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Configuration file format (JSON, UTF-8). Unknown fields are errors; durations are Go duration
// strings ("100ms", "1m30s"); prices and sizes are decimal strings.
//
//	{
//	  "seed": 1,                                  optional, 0..2^64-1 (default 0)
//	  "markets": [                                reference markets shared by all venues
//	    {
//	      "instrument": "BTC-USDT",               canonical name (core/instrument)
//	      "mid": "68000", "level_qty": "0.25",    quote-asset price, base-asset quantity
//	      "spread_ticks": 2, "gap_ticks": 4,      optional (2, 1)
//	      "takers_per_second": 8, "requotes_per_second": 100,
//	      "volatility_bps": 10,                   hundredths of a bp per √s
//	      "profile": [24 hourly weights]          optional (a U shape)
//	    }
//	  ],
//	  "venues": [                                 required, non-empty, one entry per venue name
//	    {
//	      "name": "binance",                      binance | binance-usdm | okx | bybit | coinbase | kraken
//	      "instruments": ["BTC-USDT", "ETH-USDT"],
//	      "price_offset_bps": 0,                  whole bps, ±1000
//	      "depth_levels": 400,                    optional (200)
//	      "latency": "2ms",                       optional (0)
//	      "step_interval": "100ms",               optional (100ms)
//	      "rate_limit": {"weight": 6000, "window": "1m", "orders": 100, "order_window": "10s"},
//	      "faults": [{"kind": "gap", "symbol": "BTCUSDT", "at": "30s", "duration": "5s",
//	                  "every_n": 0, "prob": 100, "delay": "0s", "fill_per_mille": 0}],
//	      "keys": [{"key": "k", "secret": "s", "passphrase": "", "public_key_pem": "", "account": 1}],
//	      "markets": [...]                        optional: per-venue replacements of markets
//	    }
//	  ]
//	}

type fileConfig struct {
	Seed    uint64       `json:"seed"`
	Markets []fileMarket `json:"markets"`
	Venues  []fileVenue  `json:"venues"`
}

type fileMarket struct {
	Instrument        string `json:"instrument"`
	Mid               string `json:"mid"`
	LevelQty          string `json:"level_qty"`
	SpreadTicks       int    `json:"spread_ticks"`
	GapTicks          int    `json:"gap_ticks"`
	TakersPerSecond   int    `json:"takers_per_second"`
	RequotesPerSecond int    `json:"requotes_per_second"`
	VolatilityBps     int    `json:"volatility_bps"`
	Profile           []int  `json:"profile"`
}

type fileVenue struct {
	Name           string        `json:"name"`
	Instruments    []string      `json:"instruments"`
	PriceOffsetBps int           `json:"price_offset_bps"`
	DepthLevels    int           `json:"depth_levels"`
	Latency        string        `json:"latency"`
	StepInterval   string        `json:"step_interval"`
	RateLimit      fileRateLimit `json:"rate_limit"`
	Faults         []fileFault   `json:"faults"`
	Keys           []fileKey     `json:"keys"`
	Markets        []fileMarket  `json:"markets"`
}

type fileRateLimit struct {
	Weight      int    `json:"weight"`
	Window      string `json:"window"`
	Orders      int    `json:"orders"`
	OrderWindow string `json:"order_window"`
}

type fileFault struct {
	Kind         string `json:"kind"`
	Symbol       string `json:"symbol"`
	At           string `json:"at"`
	Duration     string `json:"duration"`
	EveryN       int    `json:"every_n"`
	Prob         int    `json:"prob"`
	Delay        string `json:"delay"`
	FillPerMille int    `json:"fill_per_mille"`
}

type fileKey struct {
	Key          string `json:"key"`
	Secret       string `json:"secret"`
	Passphrase   string `json:"passphrase"`
	PublicKeyPEM string `json:"public_key_pem"`
	Account      uint32 `json:"account"`
}

// LoadConfig reads and parses the configuration file at path (see ParseConfig).
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("sim: config: %w", err)
	}
	return ParseConfig(data)
}

// ParseConfig parses a configuration file (format above) and validates it (Config.Validate).
// Every error is a *ConfigError naming the field, for example
// `sim: config: venues[0].latency: "5x" is not a duration (time: invalid duration "5x")`.
func ParseConfig(data []byte) (Config, error) {
	var fc fileConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return Config{}, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, configErr("", nil, "data after the top-level object")
	}
	cfg := Config{Seed: fc.Seed, Markets: convertMarkets(fc.Markets)}
	for i, fv := range fc.Venues {
		v, err := fv.convert(fmt.Sprintf("venues[%d]", i))
		if err != nil {
			return Config{}, err
		}
		cfg.Venues = append(cfg.Venues, v)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// jsonError turns a decoding error into a ConfigError naming what it can.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return configErr(te.Field, err, "a JSON %s where %s was expected", te.Value, te.Type)
	case errors.As(err, &se):
		return configErr("", err, "malformed JSON at byte %d", se.Offset)
	}
	return configErr("", err, "cannot decode")
}

func (fv *fileVenue) convert(path string) (VenueConfig, error) {
	v := VenueConfig{
		Name: fv.Name, Instruments: fv.Instruments, PriceOffsetBps: fv.PriceOffsetBps,
		DepthLevels: fv.DepthLevels, Markets: convertMarkets(fv.Markets),
		RateLimit: RateLimit{Weight: fv.RateLimit.Weight, Orders: fv.RateLimit.Orders},
	}
	durs := []struct {
		field string
		text  string
		dst   *time.Duration
	}{
		{".latency", fv.Latency, &v.Latency},
		{".step_interval", fv.StepInterval, &v.StepInterval},
		{".rate_limit.window", fv.RateLimit.Window, &v.RateLimit.Window},
		{".rate_limit.order_window", fv.RateLimit.OrderWindow, &v.RateLimit.OrderWindow},
	}
	for _, d := range durs {
		if err := parseDuration(path+d.field, d.text, d.dst); err != nil {
			return v, err
		}
	}
	for i, ff := range fv.Faults {
		f := fmt.Sprintf("%s.faults[%d]", path, i)
		kind, ok := ParseFaultKind(ff.Kind)
		if !ok {
			return v, configErr(f+".kind", nil, "unknown fault kind %q (want %s)", ff.Kind, faultKindList())
		}
		flt := Fault{Kind: kind, Symbol: ff.Symbol, EveryN: ff.EveryN, Prob: ff.Prob, FillPerMille: ff.FillPerMille}
		for _, d := range []struct {
			field, text string
			dst         *time.Duration
		}{{".at", ff.At, &flt.At}, {".duration", ff.Duration, &flt.Duration}, {".delay", ff.Delay, &flt.Delay}} {
			if err := parseDuration(f+d.field, d.text, d.dst); err != nil {
				return v, err
			}
		}
		v.Faults = append(v.Faults, flt)
	}
	for _, k := range fv.Keys {
		v.Keys = append(v.Keys, APIKey(k))
	}
	return v, nil
}

// parseDuration parses text ("" is 0) into dst.
func parseDuration(field, text string, dst *time.Duration) error {
	if text == "" {
		return nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return configErr(field, err, "%q is not a duration", text)
	}
	*dst = d
	return nil
}

func convertMarkets(fms []fileMarket) []MarketConfig {
	var ms []MarketConfig
	for _, fm := range fms {
		ms = append(ms, MarketConfig(fm))
	}
	return ms
}
