// Package sim is the venue simulator's core: simulated exchanges (Venue) that the protocol
// servers in sim/binance, sim/okx, sim/bybit and sim/coinbase expose on loopback, each speaking
// the real wire protocol of the venue it stands for, so the project's feed decoders and order
// gateways talk to it unchanged.
//
// # What a Venue serves
//
// A Venue holds, per instrument, a price-time priority matching Engine (sim/match) built from the
// instrument master's listing (symbol, scales, tick, lot, minimums, default-tier fees) and a
// background Flow (sim/flow) that keeps a realistic book moving and trading: hundreds of levels a
// side, a spread of a few ticks, a mid that follows a random walk, takers on an intraday volume
// curve. Clients trade against the same books under the accounts their API keys map to. The
// Venue fans out public market data (level changes and trades, numbered by a per-market book
// sequence the servers turn into their update ids) and each account's order events, and holds
// what the servers enforce: credentials (Key), request and order rate limits (Allow, AllowOrder,
// token buckets) and injected faults (Fault).
//
// # Configuration
//
// A simulator is a Config: a seed, reference markets (mid, level size, activity per instrument)
// and venues (instruments, price offset, depth, latency, step interval, rate limits, faults,
// keys). LoadConfig reads it from JSON (format in parse.go; unknown fields are errors, and every
// error names its field); DefaultConfig is binance, okx, bybit and coinbase quoting BTC-USDT and
// ETH-USDT at slightly different prices, depths and latencies.
//
// # Determinism
//
// Every random choice is seeded: each Flow from the simulator seed, the venue and the instrument;
// each instrument's mid walk from the seed and the instrument alone (so venues move together,
// each around its own offset); each fault from the seed, the venue and its position. Nothing reads
// a map's iteration order into output. Driven by Step with explicit times (and a VenueConfig.Clock
// for Do), two venues with the same configuration and seed produce the same events bit for bit.
// Under Start the times come from the wall clock, so runs differ only by when steps happen.
//
// # Faults
//
// Faults are scripted per venue: disconnect, stale (stop pushing market data), gap (skip a
// sequence number), bad-checksum, reject (refuse an order), delay-ack, partial-fill and
// lose-cancel-ack. Each fires in a time window after the venue's start, one-shot at a time, on
// every Nth evaluation, and/or with a per-mille probability from its own seeded PRNG. The Venue
// decides when a fault fires; the protocol server asks at the point where it would act and
// carries it out in its venue's terms.
//
// # Concurrency
//
// A Venue serialises access to its Engines and Flows with one mutex (Do, Step, and the event
// callbacks, which run under it at the end of each batch and must not block). The simulator is
// a stand-in for remote exchanges, not the EMS's hot path, so a lock is the simple and sufficient
// choice; Start runs the stepping loop on its own goroutine.
//
// # Network
//
// The simulator binds loopback (127.0.0.1) only: it has no authentication worth the name (its
// test keys are in this package) and must never be reachable from another host.
//
// # When not to use it
//
// The books and trades are plausible, not calibrated; latencies are added delays, not a network
// model. Use recorded data (feed/replay) to study real market behaviour.
package sim
