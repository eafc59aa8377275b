package okx

import (
	"errors"
	"fmt"

	"ems/core/event"
	"ems/core/instrument"
	"ems/core/intern"
)

// market is what the gateway needs of one OKX listing: its instId, scales and assets.
type market struct {
	inst       event.InstrumentID
	symbol     string // OKX instId ("BTC-USDT", "BTC-USDT-SWAP")
	priceScale uint8
	qtyScale   uint8
	spot       bool
	base       string // base asset ("BTC")
	quote      string // quote asset ("USDT")
	baseID     uint32 // interned base asset
	quoteID    uint32 // interned quote asset
	index      int    // position in markets.list: the rate limiter's bucket
}

// markets is the read-only table of OKX listings, by instrument id and by instId. Built once;
// safe for concurrent reads.
type markets struct {
	list   []market
	byInst map[event.InstrumentID]int
	bySym  map[string]int
}

// errNoListings is returned when the master lists nothing on OKX.
var errNoListings = errors.New("okx: the instrument master has no OKX listing")

// newMarkets builds the table of master's OKX listings, interning their assets in assets.
func newMarkets(m *instrument.Master, assets *intern.Table) (*markets, error) {
	t := &markets{byInst: map[event.InstrumentID]int{}, bySym: map[string]int{}}
	ins := m.Instruments()
	for i := range ins {
		in := &ins[i]
		l, ok := in.Listing(instrument.VenueOKX)
		if !ok {
			continue
		}
		b, err := assets.Intern([]byte(in.Base))
		if err != nil {
			return nil, fmt.Errorf("okx: asset %s: %w", in.Base, err)
		}
		q, err := assets.Intern([]byte(in.Quote))
		if err != nil {
			return nil, fmt.Errorf("okx: asset %s: %w", in.Quote, err)
		}
		mk := market{inst: in.ID, symbol: l.Symbol, priceScale: l.PriceScale, qtyScale: l.QtyScale,
			spot: l.Segment == instrument.SegmentSpot, base: in.Base, quote: in.Quote,
			baseID: b, quoteID: q, index: len(t.list)}
		t.byInst[in.ID] = len(t.list)
		t.bySym[l.Symbol] = len(t.list)
		t.list = append(t.list, mk)
	}
	if len(t.list) == 0 {
		return nil, errNoListings
	}
	return t, nil
}

// byID returns the market of instrument id. It never allocates.
func (t *markets) byID(id event.InstrumentID) (*market, bool) {
	i, ok := t.byInst[id]
	if !ok {
		return nil, false
	}
	return &t.list[i], true
}

// bySymbol returns the market OKX calls instID. It never allocates (the map lookup of a
// converted []byte key does not copy it).
func (t *markets) bySymbol(instID []byte) (*market, bool) {
	i, ok := t.bySym[string(instID)]
	if !ok {
		return nil, false
	}
	return &t.list[i], true
}
