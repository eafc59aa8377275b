package binanceusdm

import (
	"ems/feed"
	"ems/feed/binance"
)

// Decoder is the Binance decoder run with the futures Rule: everything but the sync rule (the
// envelopes, buffering while waiting for a snapshot, gap handling, trades and tickers) is Binance
// spot's, see feed/binance.
type Decoder = binance.Decoder

// New returns a Binance USD-M futures decoder.
func New(cfg feed.Config) *Decoder { return binance.NewMarket(cfg, Rule{}) }
