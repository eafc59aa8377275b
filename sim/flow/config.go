package flow

import (
	"errors"
	"fmt"
)

// Config is the background market of one instrument on one venue. Every field is an integer: the
// flow uses no floating point anywhere.
type Config struct {
	// Seed seeds every random choice of the flow (levels, quantities, takers, requotes).
	Seed uint64
	// MidSeed seeds the random walk of the mid price alone; 0 means Seed. Flows of one instrument
	// on several venues share a MidSeed so that their prices move together, each around its own
	// MidPrice.
	MidSeed uint64
	// MidPrice is the starting mid, in price units (rounded down to the tick).
	MidPrice int64
	// SpreadTicks is the quoted spread in ticks: the flow's best ask is SpreadTicks ticks above
	// its best bid whenever both touch levels stand. Takers widen it until the next requote.
	SpreadTicks int
	// Levels is the number of price levels the flow keeps on each side (hundreds, e.g. 200).
	Levels int
	// GapTicks is the largest distance between two adjacent quoted levels, in ticks: each gap is
	// uniform in 1..GapTicks. 0 or 1 quotes every tick.
	GapTicks int
	// LevelQty is the typical resting quantity of a level, in quantity units: each level's
	// quantity is uniform in 0.25..1.75 × LevelQty, growing up to twice that with depth, on the
	// lot grid and never below the engine's minimums.
	LevelQty int64
	// TakersPerSecond is the mean number of taker orders per second over a day. The arrival rate
	// in each hour is TakersPerSecond × 24 × Profile[hour] / sum(Profile).
	TakersPerSecond int
	// RequotesPerSecond is the number of random maker requotes per second (a quantity change in
	// place, or a cancel and a new order at the same price), on top of the requotes that follow
	// the mid and refill levels takers consumed.
	RequotesPerSecond int
	// VolatilityBps is the volatility of the mid in hundredths of a basis point per square root
	// of a second, at the fee scale (100 = 1 bp/√s, about 56 % a year): the standard deviation
	// of the relative move over t seconds is VolatilityBps × 10^-6 × √t. 0 keeps the mid fixed.
	VolatilityBps int
	// Profile is the intraday volume profile: 24 non-negative hourly weights (UTC hours 0..23)
	// that scale the taker rate by the hour of the simulated time. nil means DefaultProfile.
	Profile []int
	// Account is the engine account the flow's orders (maker and taker) belong to.
	Account uint32
}

// Limits of a Config.
const (
	MaxLevels        = 10_000
	MaxLevelQty      = int64(1) << 50
	MaxSpreadTicks   = 1_000_000
	MaxGapTicks      = 1_000
	MaxTakers        = 100_000 // per second
	MaxRequotes      = 100_000 // per second
	MaxVolatilityBps = 100_000 // 1000 bp/√s
	MaxProfileWeight = 1_000_000
	ProfileHours     = 24
)

// ErrConfig is wrapped by every error New returns for an unusable Config.
var ErrConfig = errors.New("flow: invalid config")

// DefaultProfile returns the default intraday volume profile: a U shape over the UTC day, with
// the most trading around the day's open and close and the least in its middle hours (about a
// third of the peak). The slice is new on each call.
func DefaultProfile() []int {
	p := [ProfileHours]int{
		170, 150, 130, 115, 100, 90, 80, 72, 66, 62, 58, 56,
		56, 58, 62, 68, 76, 86, 98, 112, 126, 140, 155, 170,
	}
	return p[:]
}

// validate checks c and returns it with defaults applied (a copy of the profile).
func (c Config) validate() (Config, error) {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("%w: %s = %v, want %s", ErrConfig, field, v, want)
	}
	switch {
	case c.MidPrice <= 0:
		return c, bad("MidPrice", c.MidPrice, "> 0")
	case c.SpreadTicks < 1 || c.SpreadTicks > MaxSpreadTicks:
		return c, bad("SpreadTicks", c.SpreadTicks, fmt.Sprintf("1..%d", MaxSpreadTicks))
	case c.Levels < 1 || c.Levels > MaxLevels:
		return c, bad("Levels", c.Levels, fmt.Sprintf("1..%d", MaxLevels))
	case c.GapTicks < 0 || c.GapTicks > MaxGapTicks:
		return c, bad("GapTicks", c.GapTicks, fmt.Sprintf("0..%d", MaxGapTicks))
	case c.LevelQty <= 0 || c.LevelQty > MaxLevelQty:
		return c, bad("LevelQty", c.LevelQty, fmt.Sprintf("1..%d", MaxLevelQty))
	case c.TakersPerSecond < 0 || c.TakersPerSecond > MaxTakers:
		return c, bad("TakersPerSecond", c.TakersPerSecond, fmt.Sprintf("0..%d", MaxTakers))
	case c.RequotesPerSecond < 0 || c.RequotesPerSecond > MaxRequotes:
		return c, bad("RequotesPerSecond", c.RequotesPerSecond, fmt.Sprintf("0..%d", MaxRequotes))
	case c.VolatilityBps < 0 || c.VolatilityBps > MaxVolatilityBps:
		return c, bad("VolatilityBps", c.VolatilityBps, fmt.Sprintf("0..%d", MaxVolatilityBps))
	}
	if c.GapTicks == 0 {
		c.GapTicks = 1
	}
	if c.MidSeed == 0 {
		c.MidSeed = c.Seed
	}
	if c.Profile == nil {
		c.Profile = DefaultProfile()
	} else {
		if len(c.Profile) != ProfileHours {
			return c, bad("len(Profile)", len(c.Profile), "24")
		}
		sum := 0
		for h, w := range c.Profile {
			if w < 0 || w > MaxProfileWeight {
				return c, bad(fmt.Sprintf("Profile[%d]", h), w, fmt.Sprintf("0..%d", MaxProfileWeight))
			}
			sum += w
		}
		if sum == 0 {
			return c, bad("sum(Profile)", 0, "> 0")
		}
		c.Profile = append([]int(nil), c.Profile...)
	}
	return c, nil
}
