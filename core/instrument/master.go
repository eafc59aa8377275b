package instrument

import (
	"ems/core/event"
	"ems/core/intern"
)

// Master is a loaded instrument file: the instruments with their dense ids, and the indexes that
// map venue symbols to listings.
//
// A Master is immutable once Parse returns it, so every method is safe for concurrent use by any
// number of goroutines (feed threads, the core, tools) without locks. The pointers it returns
// point into it and stay valid for its life; callers must not modify what they point to.
type Master struct {
	version     string
	hash        uint64
	instruments []Instrument           // instruments[id-1]
	listings    []Listing              // every listing, in file order
	byName      map[string]*Instrument // canonical name -> instrument
	venues      [NumVenues + 1]venueIndex
}

// venueIndex holds one venue's symbol indexes: one per segment, and one over the whole venue.
type venueIndex struct {
	seg [numSegments]symbolIndex
	all symbolIndex
}

// symbolIndex maps a symbol to a listing: intern id n of the symbol -> to[n-1], an index into
// Master.listings, or ambiguous.
//
// An intern.Table is single-owner; here Parse is the owner and the only writer. Once Parse
// returns, the only call on the table is Lookup, which reads and never writes, so any number of
// goroutines may look up at once.
type symbolIndex struct {
	tab *intern.Table
	to  []int32
}

// ambiguous marks a venue-wide symbol that names listings in two segments.
const ambiguous = -1

func newSymbolIndex() symbolIndex {
	return symbolIndex{tab: intern.New(8, 128, 0)}
}

// add maps sym to listing idx. When sym is already mapped it changes nothing and returns the
// listing it maps to and true.
func (x *symbolIndex) add(sym string, idx int32) (int32, bool) {
	id, _ := x.tab.Intern([]byte(sym)) // cannot fail: sym is non-empty and the table unbounded
	if int(id) <= len(x.to) {
		return x.to[id-1], true
	}
	x.to = append(x.to, idx)
	return idx, false
}

// addShared maps sym to listing idx, or marks it ambiguous when it already maps to another.
func (x *symbolIndex) addShared(sym string, idx int32) {
	if prev, dup := x.add(sym, idx); dup && prev != idx {
		id, _ := x.tab.Lookup([]byte(sym))
		x.to[id-1] = ambiguous
	}
}

// find returns the listing sym maps to. It never allocates.
func (x *symbolIndex) find(ls []Listing, sym []byte) (*Listing, bool) {
	id, ok := x.tab.Lookup(sym)
	if !ok {
		return nil, false
	}
	i := x.to[id-1]
	if i < 0 {
		return nil, false
	}
	return &ls[i], true
}

// Version returns the file's "version" field.
func (m *Master) Version() string { return m.version }

// Hash returns xxhash64 of the file's bytes, so a journal can record exactly which master was in
// use (two files with the same version but different content have different hashes).
func (m *Master) Hash() uint64 { return m.hash }

// Len returns the number of instruments; their ids are 1..Len().
func (m *Master) Len() int { return len(m.instruments) }

// Instruments returns every instrument in id order. The slice belongs to the master: read only.
func (m *Master) Instruments() []Instrument { return m.instruments }

// ByID returns the instrument with id, or nil and false. It never allocates.
func (m *Master) ByID(id event.InstrumentID) (*Instrument, bool) {
	if id == 0 || uint64(id) > uint64(len(m.instruments)) {
		return nil, false
	}
	return &m.instruments[id-1], true
}

// ByName returns the instrument with the canonical name, or nil and false. It never allocates.
func (m *Master) ByName(name string) (*Instrument, bool) {
	in, ok := m.byName[name]
	return in, ok
}

// Lookup returns the listing that venue calls symbol (its symbol or one of its aliases). It
// hashes symbol once with xxhash64, never allocates and only reads symbol during the call: it is
// the hot-path lookup of feeds and gateways.
//
// A symbol a venue uses in two segments (Bybit "BTCUSDT", spot and linear) is ambiguous here and
// reported as not found: a connection knows its segment and must use LookupIn.
func (m *Master) Lookup(venue event.VenueID, symbol []byte) (*Listing, bool) {
	if venue == 0 || venue > NumVenues {
		return nil, false
	}
	return m.venues[venue].all.find(m.listings, symbol)
}

// LookupIn is Lookup within one segment of the venue; it never allocates.
func (m *Master) LookupIn(venue event.VenueID, seg Segment, symbol []byte) (*Listing, bool) {
	if venue == 0 || venue > NumVenues || seg >= numSegments {
		return nil, false
	}
	return m.venues[venue].seg[seg].find(m.listings, symbol)
}

// Resolver returns the symbol resolver a venue's feed decoder uses: for a symbol it gives the
// instrument id, the price and quantity scales and the tick (in price units), with ok false for a
// symbol Lookup does not find. Calls never allocate; the function is safe for concurrent use and
// keeps m alive.
func (m *Master) Resolver(venue event.VenueID) func(symbol []byte) (id uint32, price, qty uint8, tick int64, ok bool) {
	return func(symbol []byte) (uint32, uint8, uint8, int64, bool) {
		l, ok := m.Lookup(venue, symbol)
		if !ok {
			return 0, 0, 0, 0, false
		}
		return uint32(l.Instrument), l.PriceScale, l.QtyScale, l.Tick, true
	}
}

// ResolverIn is Resolver within one segment of the venue (a Bybit linear connection resolves in
// SegmentDerivatives).
func (m *Master) ResolverIn(venue event.VenueID, seg Segment) func(symbol []byte) (id uint32, price, qty uint8, tick int64, ok bool) {
	return func(symbol []byte) (uint32, uint8, uint8, int64, bool) {
		l, ok := m.LookupIn(venue, seg, symbol)
		if !ok {
			return 0, 0, 0, 0, false
		}
		return uint32(l.Instrument), l.PriceScale, l.QtyScale, l.Tick, true
	}
}
