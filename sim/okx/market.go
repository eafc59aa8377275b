package okx

import (
	"strings"

	"ems/core/instrument"
	"ems/sim"
)

// market is one instrument of the venue as OKX names and describes it. Immutable once New
// returns; read from any goroutine.
type market struct {
	sm       *sim.Market
	index    int
	instID   string // OKX instId ("BTC-USDT", "BTC-USDT-SWAP")
	instType string // SPOT, SWAP or FUTURES
	base     string // base currency ("BTC")
	quote    string // quote (and settlement) currency ("USDT")
	l        *instrument.Listing
	pub      *publisher
}

// Instrument types.
const (
	instSpot    = "SPOT"
	instSwap    = "SWAP"
	instFutures = "FUTURES"
)

// newMarket describes sm.
func newMarket(sm *sim.Market) *market {
	m := &market{sm: sm, index: sm.Index, instID: sm.Symbol, l: sm.Listing}
	switch {
	case sm.Listing.Segment == instrument.SegmentSpot:
		m.instType = instSpot
	case strings.HasSuffix(sm.Symbol, "-SWAP"):
		m.instType = instSwap
	default:
		m.instType = instFutures
	}
	// Canonical names are BASE-QUOTE[-suffix].
	parts := strings.SplitN(sm.Name, "-", 3)
	m.base = parts[0]
	if len(parts) > 1 {
		m.quote = parts[1]
	}
	return m
}

// spot reports whether the market is a spot pair (quantity in base currency).
func (m *market) spot() bool { return m.instType == instSpot }

// family is the instrument family of a derivative ("BTC-USDT"), "" for spot.
func (m *market) family() string {
	if m.spot() {
		return ""
	}
	return m.base + "-" + m.quote
}

// matchesType reports whether an instType filter ("" or ANY for all) selects the market.
func (m *market) matchesType(instType string) bool {
	return instType == "" || instType == "ANY" || instType == m.instType
}
