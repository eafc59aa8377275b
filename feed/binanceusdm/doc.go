// Package binanceusdm decodes Binance USD-M futures market data (venue specs section 2). It is
// the feed/binance decoder run with this package's Rule: envelopes, message kinds, buffering
// while waiting for a REST snapshot (/fapi/v1/depth), replaying the buffer, gap handling, trades
// and tickers are Binance's, described in feed/binance; only the diff-depth sync rule differs.
//
// # Sync rule
//
// Futures diffs carry pu, the u of the previous diff; U is not previous u + 1. With L the
// snapshot's lastUpdateId:
//
//	diffs with u < L are dropped (strictly: a diff with u == L is the first applied — seen in
//	real data);
//	the first diff applied satisfies U <= L <= u (U > L: the snapshot is older than the stream,
//	a gap);
//	each later diff must have pu == the previous applied diff's u, else a gap: the book turns
//	invalid, a snapshot is requested and diffs are held until it arrives.
//
// The recordings (testdata) replay to the acceptance facts: SUSHIUSDT drops 3, applies 252, ends
// at bid 7.6120 x 303 / ask 7.6160 x 267, and the 12 bookTickers sharing a u with an applied diff
// equal the rebuilt top of book.
//
// # Trades
//
// A futures trade with "X" other than MARKET (INSURANCE_FUND, ADL, NA) is not a normal trade: it
// is counted for its symbol and produces no event. A trade without "X" (older recordings) is a
// trade. ExchTS is the transaction time T on diffs, trades and tickers.
//
// # Not implemented
//
// Mark price, funding, liquidation (forceOrder) and kline streams are skipped; coin-margined
// (COIN-M) futures are not covered (same rule, other hosts — untested).
package binanceusdm
