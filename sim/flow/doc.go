// Package flow is the background market of the venue simulator: a seeded, deterministic stream
// of maker quotes, requotes, cancels and takers that drives one matching engine (ems/sim/match)
// so the simulated venue has a book that moves, trades that print and an intraday volume curve,
// whether or not anyone else trades on it.
//
// # Model
//
// Time is simulated: the caller gives every timestamp (Seed(ts), then Step(now), nanoseconds since
// the Unix epoch), and the flow reads no clock. A Step walks the 1 ms slots since the previous one.
//
//   - Mid. A random walk, counter-based: the increment of each 10 ms quantum is the sum of three
//     uniforms drawn from a hash of (MidSeed, quantum), with standard deviation VolatilityBps ×
//     10^-7 of the starting mid (so VolatilityBps hundredths of a bp per √s). It reflects at half
//     and twice the starting mid. Flows of one instrument on several venues share MidSeed and so
//     move together, each around its own MidPrice.
//   - Makers. Levels quotes per side, one order per price, at gaps of 1..GapTicks ticks; the best
//     bid sits at the mid minus half the spread (rounded down to the tick) and the best ask
//     SpreadTicks above it. At every quantum the ladders follow the mid: quotes the move made
//     stale are canceled, levels takers consumed are refilled at the touch, and the far end is
//     brought back to Levels when the side drifts more than Levels/16 away from it. Quantities vary around LevelQty (0.25..1.75 ×, growing with depth) on the lot
//     grid and above the engine's minimum quantity and notional.
//   - Requotes. RequotesPerSecond times a second a level chosen with a bias to the touch changes
//     quantity: in place (Replace) or by a cancel and a new order at the back of the queue.
//   - Takers. In each slot a taker arrives with probability TakersPerSecond × 24 × Profile[hour] /
//     sum(Profile) / 1000 (a Bernoulli process per millisecond: Poisson-like), so the day's volume
//     follows the hourly Profile (a U shape by default). Sizes are heavy-tailed; each taker is an
//     IOC limit a few levels through the opposite touch.
//
// The book stays realistic with a few hundred Levels: hundreds of levels per side, a spread of a
// few ticks, never crossed (the engine matches any order that would cross), and with the
// defaults the venue uses several hundred book updates per second per instrument.
//
// # Determinism
//
// Every random choice comes from a PCG (math/rand/v2) seeded with Seed, or from the mid's hash
// of MidSeed; no float, no map iteration and no clock is involved. The same Config, Engine state
// and sequence of Seed and Step times give the same Engine calls and so the same Engine output,
// bit for bit. Other accounts' orders in the Engine change what the flow sees, as on a real
// venue, and therefore what follows.
//
// # Ownership
//
// A Flow belongs to the goroutine that owns its Engine (the venue's); it is not safe for
// concurrent use. It places its orders under Config.Account and tracks them itself.
//
// # When not to use it
//
// It is a plausible market, not a calibrated one: there is no order-flow imbalance, no
// information in trades, no queue dynamics beyond price-time priority, and the mid moves without
// regard to the flow's own trades. Do not fit strategies to it.
package flow
