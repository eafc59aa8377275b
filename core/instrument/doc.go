// Package instrument is the instrument master: the canonical instruments the EMS trades
// ("BTC-USDT", "BTC-USDT-PERP"), each venue's name for them, and the reference data that turns
// venue decimals into the project's fixed-point integers — price and quantity scales, tick, lot,
// minimums, contract value — plus default-tier fees.
//
// # Source of truth
//
// A master is loaded from a versioned JSON file (format at the top of load.go). The file in this
// folder, instruments.json, is built into the binary and is what Default returns; Load and Parse
// take any other. The master keeps the file's "version" and the xxhash64 of its bytes (Hash), so
// a journal can record exactly which reference data a session ran with. Every decimal in the file
// is a JSON string parsed with ems/core/fixed: no float is involved anywhere. Every listing says
// in "source" and "fee_source" where its numbers come from and which of them are assumed.
//
// # Ids
//
// Instruments get event.InstrumentID 1..N in file order: reordering the file renumbers them, so
// append new instruments at the end. Venues have fixed event.VenueID values 1..NumVenues
// (venue.go): binance, binance-usdm, okx, bybit, coinbase, kraken; VenueHas says which of them
// trade spot and which derivatives, and a listing on a venue that does not trade its kind is an
// error.
//
// # Lookups
//
// Lookup(venue, symbol) is the hot-path lookup of feeds and gateways: one xxhash64 of the symbol,
// one probe of a per-venue intern table, zero allocations. Kraken's v1 names ("XBT/USD") are
// aliases of the v2 symbols ("BTC/USD") and resolve to the same listing. A venue's spot and
// derivatives markets are separate symbol spaces (Segment): Bybit calls both its spot pair and
// its linear perpetual "BTCUSDT", so on Bybit that symbol is found with LookupIn(venue, segment,
// symbol), and Lookup without a segment reports it as not found rather than guess. Resolver and
// ResolverIn wrap the lookups in the shape a feed decoder needs.
//
// # Concurrency
//
// A Master is immutable after Parse: all methods are safe for concurrent use without locks, and
// the *Instrument and *Listing values it returns stay valid for its life. They must not be
// modified.
//
// # When not to use it
//
//   - Live exchange filters. Venues change ticks, lots and minimums (Bybit moves its spot minimum
//     quantities with the price); this package holds what the file says. Check the file against
//     the venues' instrument endpoints before trading, and edit the file, not the code.
//   - Account fees. The fees are each venue's default (lowest) tier; a real account's rates come
//     from its venue's fee endpoint.
//   - Inverse contracts and options. Contract values are base asset per contract, which models
//     linear perpetuals and futures only.
//   - A consolidated cross-venue grid. Scales are per listing; a common finer scale for the
//     consolidated book is the router's choice.
package instrument
