package binance

import (
	"ems/core/event"
	"ems/core/instrument"
)

// Market is one Binance spot listing as the gateway uses it: the listing (scales, grid), its
// symbol, and its instrument's assets, which say the scale of a commission.
//
// Markets are built once from the instrument master and only read afterwards: safe to share
// between goroutines.
type Market struct {
	Listing *instrument.Listing
	Symbol  string
	Base    string
	Quote   string
}

// Markets finds Binance spot listings by instrument id (for orders) and by symbol (for
// execution reports). Immutable after NewMarkets.
type Markets struct {
	byID  []*Market // index: InstrumentID
	bySym map[string]*Market
}

// NewMarkets collects the master's Binance spot listings.
func NewMarkets(m *instrument.Master) *Markets {
	ms := &Markets{byID: make([]*Market, m.Len()+1), bySym: make(map[string]*Market)}
	for i := range m.Instruments() {
		in := &m.Instruments()[i]
		l, ok := in.Listing(instrument.VenueBinance)
		if !ok {
			continue
		}
		mk := &Market{Listing: l, Symbol: l.Symbol, Base: in.Base, Quote: in.Quote}
		ms.byID[in.ID] = mk
		ms.bySym[l.Symbol] = mk
	}
	return ms
}

// ByInstrument returns the market of instrument id. It never allocates.
func (ms *Markets) ByInstrument(id event.InstrumentID) (*Market, bool) {
	if uint64(id) >= uint64(len(ms.byID)) || ms.byID[id] == nil {
		return nil, false
	}
	return ms.byID[id], true
}

// BySymbol returns the market whose symbol is sym. It never allocates.
func (ms *Markets) BySymbol(sym []byte) (*Market, bool) {
	mk, ok := ms.bySym[string(sym)]
	return mk, ok
}
