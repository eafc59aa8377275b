package sim

import (
	"math"
	"time"
)

// Config is a whole simulator: the seed every venue derives its randomness from, the reference
// markets, and the venues. LoadConfig and ParseConfig read it from JSON (format in parse.go);
// DefaultConfig builds the standard four-venue setup.
type Config struct {
	Seed uint64
	// Markets are the reference markets shared by every venue: the mid, size and activity of an
	// instrument. A venue's own Markets entry for an instrument replaces the shared one.
	Markets []MarketConfig
	Venues  []VenueConfig
}

// VenueConfig is one simulated venue.
type VenueConfig struct {
	// Name is the venue's name in the instrument master: binance, binance-usdm, okx, bybit,
	// coinbase or kraken (a protocol server for it must exist to serve it).
	Name string
	// Instruments are canonical instrument names ("BTC-USDT"); the master's listing of each on
	// this venue gives the symbol, scales, tick, lot, minimums and fees.
	Instruments []string
	// PriceOffsetBps shifts this venue's mids, in whole basis points, so venues quote slightly
	// different prices.
	PriceOffsetBps int
	// DepthLevels is the number of price levels the background flow keeps per side (0: 200).
	DepthLevels int
	// Latency is added by protocol servers before each response and push.
	Latency time.Duration
	// StepInterval is how often Start steps the background flow (0: 100 ms).
	StepInterval time.Duration
	// RateLimit is what protocol servers enforce, answering with the venue's throttle error.
	RateLimit RateLimit
	// Faults are scripted, seeded fault injections (see Fault).
	Faults []Fault
	// Keys are the credentials the venue accepts.
	Keys []APIKey
	// Markets are the flow parameters of this venue's instruments. ParseConfig and DefaultConfig
	// fill in Config.Markets for instruments without an entry; NewVenue needs one for each.
	Markets []MarketConfig
	// Clock returns the venue's time in nanoseconds since the Unix epoch (nil: the wall clock).
	// Tests and replays set it; it is not part of the configuration file.
	Clock func() int64
}

// MarketConfig is the background market of one instrument: where its price starts, how big its levels
// are and how busy it is. Prices and sizes are decimal strings, parsed at each listing's scales
// (never through a float).
type MarketConfig struct {
	Instrument string // canonical name
	// Mid is the reference mid price in the quote asset ("68000"); each venue applies its
	// PriceOffsetBps and rounds down to its tick. It must be exact at each listing's price scale.
	Mid string
	// LevelQty is the typical quantity of a book level in the base asset ("0.25"); converted to
	// contracts for listings that trade contracts, rounded down to the lot (at least one lot).
	LevelQty string
	// SpreadTicks is the quoted spread in ticks of each listing (0: 2).
	SpreadTicks int
	// GapTicks is the largest gap between adjacent levels in ticks (0: 1, every tick quoted).
	GapTicks int
	// TakersPerSecond is the mean taker arrival rate over a day.
	TakersPerSecond int
	// RequotesPerSecond is the rate of random maker requotes.
	RequotesPerSecond int
	// VolatilityBps is the mid's volatility in hundredths of a basis point per √s (100 = 1 bp/√s).
	VolatilityBps int
	// Profile is the intraday volume profile, 24 hourly weights (nil: flow.DefaultProfile).
	Profile []int
}

// RateLimit is a venue's request limits, enforced per key (API key, or client address for
// public endpoints) with token buckets (see Limiter). A zero Weight or Orders is no limit.
type RateLimit struct {
	Weight      int           // request weight allowed per Window
	Window      time.Duration // 0: 1 minute
	Orders      int           // orders allowed per OrderWindow
	OrderWindow time.Duration // 0: 10 seconds
}

// APIKey is a credential a venue accepts.
type APIKey struct {
	Key        string // the API key as sent on the wire
	Secret     string // HMAC secret (Binance, OKX, Bybit), or the EC private key PEM (Coinbase)
	Passphrase string // OKX passphrase
	// PublicKeyPEM is the public key a Coinbase ES256 JWT is verified with; empty: derived from
	// Secret.
	PublicKeyPEM string
	// Account is the engine account the key trades as (0: the key's position in Keys, from 1).
	// Keys may share an account.
	Account uint32
}

// FlowAccount is the engine account of the background flow. Keys may not use it.
const FlowAccount = uint32(math.MaxUint32)

// Defaults applied by Validate.
const (
	DefaultDepthLevels  = 200
	DefaultStepInterval = 100 * time.Millisecond
	DefaultWindow       = time.Minute
	DefaultOrderWindow  = 10 * time.Second
	DefaultSpreadTicks  = 2
)

// Coinbase test key of the default configuration: a P-256 key pair made for the simulator and
// published here, worthless anywhere else.
const (
	coinbaseTestKey     = "organizations/sim/apiKeys/sim-coinbase-key"
	coinbaseTestPrivate = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIGbHOX4ZzqRGPItBNVUnpXuubgiYuf9MnbBwH62igZx9oAoGCCqGSM49
AwEHoUQDQgAEAhIaOd1tZY95IBbQaH6asWq44K8qdkRHlOXXqvPRn+7tf0Yp/CUs
5cJ62QxXFLn3A3VzPAOOwR4oIttQkvXypg==
-----END EC PRIVATE KEY-----
`
	coinbaseTestPublic = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAhIaOd1tZY95IBbQaH6asWq44K8q
dkRHlOXXqvPRn+7tf0Yp/CUs5cJ62QxXFLn3A3VzPAOOwR4oIttQkvXypg==
-----END PUBLIC KEY-----
`
)

// DefaultMarkets returns the reference markets of the default configuration: BTC and ETH against
// USDT and USD, around 68,000 and 3,500.
func DefaultMarkets() []MarketConfig {
	btc := MarketConfig{Mid: "68000", LevelQty: "0.25", SpreadTicks: 2, GapTicks: 8,
		TakersPerSecond: 8, RequotesPerSecond: 100, VolatilityBps: 10}
	eth := MarketConfig{Mid: "3500", LevelQty: "4", SpreadTicks: 2, GapTicks: 2,
		TakersPerSecond: 6, RequotesPerSecond: 120, VolatilityBps: 20}
	var ms []MarketConfig
	for _, q := range []string{"USDT", "USD"} {
		b, e := btc, eth
		b.Instrument, e.Instrument = "BTC-"+q, "ETH-"+q
		ms = append(ms, b, e)
	}
	return ms
}

// DefaultConfig returns the standard simulator: binance, okx, bybit and coinbase quoting BTC-USDT
// and ETH-USDT (Coinbase's USDT listings) with slightly different prices, depths and latencies,
// the master's fees, the venues' usual rate limits, no faults, and one test key each (account 1).
func DefaultConfig() Config {
	cfg := Config{
		Seed:    1,
		Markets: DefaultMarkets(),
		Venues: []VenueConfig{
			{
				Name: "binance", PriceOffsetBps: 0, DepthLevels: 400, Latency: 2 * time.Millisecond,
				RateLimit: RateLimit{Weight: 6000, Window: time.Minute, Orders: 100, OrderWindow: 10 * time.Second},
				Keys:      []APIKey{{Key: "sim-binance-key", Secret: "sim-binance-secret", Account: 1}},
			},
			{
				Name: "okx", PriceOffsetBps: 1, DepthLevels: 300, Latency: 4 * time.Millisecond,
				RateLimit: RateLimit{Weight: 20, Window: 2 * time.Second, Orders: 60, OrderWindow: 2 * time.Second},
				Keys: []APIKey{{Key: "sim-okx-key", Secret: "sim-okx-secret",
					Passphrase: "sim-okx-passphrase", Account: 1}},
			},
			{
				Name: "bybit", PriceOffsetBps: -1, DepthLevels: 250, Latency: 3 * time.Millisecond,
				RateLimit: RateLimit{Weight: 600, Window: 5 * time.Second, Orders: 10, OrderWindow: time.Second},
				Keys:      []APIKey{{Key: "sim-bybit-key", Secret: "sim-bybit-secret", Account: 1}},
			},
			{
				Name: "coinbase", PriceOffsetBps: 2, DepthLevels: 200, Latency: 8 * time.Millisecond,
				RateLimit: RateLimit{Weight: 30, Window: time.Second, Orders: 30, OrderWindow: time.Second},
				Keys: []APIKey{{Key: coinbaseTestKey, Secret: coinbaseTestPrivate,
					PublicKeyPEM: coinbaseTestPublic, Account: 1}},
			},
		},
	}
	for i := range cfg.Venues {
		cfg.Venues[i].Instruments = []string{"BTC-USDT", "ETH-USDT"}
		cfg.Venues[i].StepInterval = DefaultStepInterval
	}
	if err := cfg.Validate(); err != nil {
		panic(err) // the default configuration is valid; a test proves it
	}
	return cfg
}
