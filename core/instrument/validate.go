package instrument

import (
	"strconv"
	"strings"

	"ems/core/event"
	"ems/core/fixed"
)

// builder validates a decoded file and fills a Master, one instrument at a time.
type builder struct {
	m *Master
}

func newBuilder(version string, hash uint64, ins []instrumentJSON) *builder {
	n := 0
	for i := range ins {
		n += len(ins[i].Listings)
	}
	m := &Master{
		version:     version,
		hash:        hash,
		instruments: make([]Instrument, 0, len(ins)),
		// Capacity is fixed up front so &listings[i] stays valid while the slice fills.
		listings: make([]Listing, 0, n),
		byName:   make(map[string]*Instrument, len(ins)),
	}
	for v := 1; v < len(m.venues); v++ { // venue 0 is "no venue": never indexed
		for s := range m.venues[v].seg {
			m.venues[v].seg[s] = newSymbolIndex()
		}
		m.venues[v].all = newSymbolIndex()
	}
	return &builder{m: m}
}

// addInstrument validates instrument i (0-based position in the file) and adds it with id i+1.
func (b *builder) addInstrument(i int, in *instrumentJSON) error {
	name := in.Name
	if name == "" {
		return fail(ErrMissing, "#"+strconv.Itoa(i+1), "", "name", "is missing", nil)
	}
	if _, dup := b.m.byName[name]; dup {
		return fail(ErrDuplicate, name, "", "name", "is used by an earlier instrument", nil)
	}
	if in.Kind == "" {
		return fail(ErrMissing, name, "", "kind", "is missing", nil)
	}
	kind, ok := parseKind(in.Kind)
	if !ok {
		return fail(ErrUnknownKind, name, "", "kind", strconv.Quote(in.Kind)+" is not spot, perpetual or future", nil)
	}
	for _, a := range [...]struct{ field, v string }{{"base", in.Base}, {"quote", in.Quote}} {
		if a.v == "" {
			return fail(ErrMissing, name, "", a.field, "is missing", nil)
		}
		if !isAsset(a.v) {
			return fail(ErrName, name, "", a.field, strconv.Quote(a.v)+" is not 1.."+
				strconv.Itoa(MaxAssetLen)+" of A-Z 0-9", nil)
		}
	}
	if want, ok := canonicalName(kind, in.Base, in.Quote, name); !ok {
		return fail(ErrName, name, "", "name", "does not match kind "+kind.String()+" of "+
			in.Base+"/"+in.Quote+" (want "+want+")", nil)
	}
	if len(in.Listings) == 0 {
		return fail(ErrMissing, name, "", "listings", "is missing or empty", nil)
	}

	m := b.m
	m.instruments = append(m.instruments, Instrument{
		ID:       event.InstrumentID(i + 1),
		Name:     name,
		Kind:     kind,
		Base:     in.Base,
		Quote:    in.Quote,
		Listings: make([]*Listing, 0, len(in.Listings)),
	})
	inst := &m.instruments[len(m.instruments)-1]
	m.byName[name] = inst
	for j := range in.Listings {
		l, err := b.listing(inst, &in.Listings[j])
		if err != nil {
			return err
		}
		inst.Listings = append(inst.Listings, l)
	}
	return nil
}

// listing validates one listing of inst, adds it to the master and indexes its symbols.
func (b *builder) listing(inst *Instrument, lj *listingJSON) (*Listing, error) {
	name := inst.Name
	if lj.Venue == "" {
		return nil, fail(ErrMissing, name, "", "venue", "is missing", nil)
	}
	venue, ok := VenueByName(lj.Venue)
	if !ok {
		return nil, fail(ErrUnknownVenue, name, lj.Venue, "venue", strconv.Quote(lj.Venue)+
			" is not one of binance, binance-usdm, okx, bybit, coinbase, kraken", nil)
	}
	vn := lj.Venue
	if seg := inst.Kind.Segment(); !VenueHas(venue, seg) {
		return nil, fail(ErrSegment, name, vn, "venue", vn+" has no "+seg.String()+" market for a "+
			inst.Kind.String()+" instrument", nil)
	}
	if _, dup := inst.Listing(venue); dup {
		return nil, fail(ErrDuplicate, name, vn, "venue", "is listed twice for this instrument", nil)
	}
	l := Listing{
		Instrument: inst.ID,
		Venue:      venue,
		Segment:    inst.Kind.Segment(),
		Symbol:     lj.Symbol,
		Source:     lj.Source,
		FeeSource:  lj.FeeSource,
	}
	if lj.Symbol == "" {
		return nil, fail(ErrMissing, name, vn, "symbol", "is missing", nil)
	}
	for _, s := range append([]string{lj.Symbol}, lj.Aliases...) {
		if !isSymbol(s) {
			return nil, fail(ErrName, name, vn, "symbol", strconv.Quote(s)+" is not 1.."+
				strconv.Itoa(MaxSymbolLen)+" bytes of printable ASCII", nil)
		}
	}
	if len(lj.Aliases) > 0 {
		l.Aliases = append([]string(nil), lj.Aliases...)
	}

	var err error
	if l.PriceScale, err = scale(name, vn, "price_scale", lj.PriceScale); err != nil {
		return nil, err
	}
	if l.QtyScale, err = scale(name, vn, "qty_scale", lj.QtyScale); err != nil {
		return nil, err
	}
	if l.Tick, err = positive(name, vn, "tick", "price_scale", lj.Tick, l.PriceScale); err != nil {
		return nil, err
	}
	if l.Lot, err = positive(name, vn, "lot", "qty_scale", lj.Lot, l.QtyScale); err != nil {
		return nil, err
	}
	if l.MinQty, err = positive(name, vn, "min_qty", "qty_scale", lj.MinQty, l.QtyScale); err != nil {
		return nil, err
	}
	if l.MinQty%l.Lot != 0 {
		return nil, fail(ErrMinQty, name, vn, "min_qty", strconv.Quote(lj.MinQty)+
			" is not a multiple of lot "+strconv.Quote(lj.Lot), nil)
	}
	if l.MinNotional, err = decimal(name, vn, "min_notional", "price_scale", lj.MinNotional, l.PriceScale); err != nil {
		return nil, err
	}
	if l.MinNotional < 0 {
		return nil, fail(ErrNonPositive, name, vn, "min_notional", strconv.Quote(lj.MinNotional)+" is negative", nil)
	}
	if err := contract(&l, inst.Kind, name, vn, lj.ContractValue); err != nil {
		return nil, err
	}
	if l.MakerFee, err = fee(name, vn, "maker_fee_bps", lj.MakerFeeBps); err != nil {
		return nil, err
	}
	if l.TakerFee, err = fee(name, vn, "taker_fee_bps", lj.TakerFeeBps); err != nil {
		return nil, err
	}
	if lj.Source == "" {
		return nil, fail(ErrMissing, name, vn, "source", "is missing: say where the numbers come from", nil)
	}
	if lj.FeeSource == "" {
		return nil, fail(ErrMissing, name, vn, "fee_source", "is missing: say where the fees come from", nil)
	}

	m := b.m
	idx := int32(len(m.listings))
	m.listings = append(m.listings, l)
	vi := &m.venues[venue]
	for _, s := range append([]string{lj.Symbol}, lj.Aliases...) {
		if prev, dup := vi.seg[l.Segment].add(s, idx); dup {
			return nil, fail(ErrDuplicate, name, vn, "symbol", strconv.Quote(s)+" is already used by "+
				b.owner(prev)+" in the "+l.Segment.String()+" segment of "+vn, nil)
		}
		vi.all.addShared(s, idx)
	}
	return &m.listings[idx], nil
}

// owner names the instrument of listing idx, for duplicate messages.
func (b *builder) owner(idx int32) string {
	return b.m.instruments[b.m.listings[idx].Instrument-1].Name
}

// scale checks a scale field: present and within 0..fixed.MaxScale.
func scale(name, venue, field string, v *int) (uint8, error) {
	if v == nil {
		return 0, fail(ErrMissing, name, venue, field, "is missing", nil)
	}
	if *v < 0 || *v > fixed.MaxScale {
		return 0, fail(ErrScale, name, venue, field, strconv.Itoa(*v)+" is outside 0.."+
			strconv.Itoa(fixed.MaxScale), nil)
	}
	return uint8(*v), nil
}

// decimal parses a required decimal field at scale s; scaleField names s in messages.
func decimal(name, venue, field, scaleField, text string, s uint8) (int64, error) {
	if text == "" {
		return 0, fail(ErrMissing, name, venue, field, "is missing", nil)
	}
	v, err := fixed.ParseString(text, s)
	if err != nil {
		return 0, fail(ErrDecimal, name, venue, field, strconv.Quote(text)+" is not representable at "+
			scaleField+" "+strconv.Itoa(int(s)), err)
	}
	return v, nil
}

// positive is decimal for a value that must be > 0.
func positive(name, venue, field, scaleField, text string, s uint8) (int64, error) {
	v, err := decimal(name, venue, field, scaleField, text, s)
	if err != nil {
		return 0, err
	}
	if v <= 0 {
		return 0, fail(ErrNonPositive, name, venue, field, strconv.Quote(text)+" is not positive", nil)
	}
	return v, nil
}

// contract sets l's contract value: required and positive for derivatives (kept at the scale it
// is written with), absent for spot (1 at scale 0).
func contract(l *Listing, k Kind, name, venue, text string) error {
	if k == KindSpot {
		if text != "" {
			return fail(ErrContract, name, venue, "contract_value", "is set on a spot listing", nil)
		}
		l.ContractValue, l.ContractScale = 1, 0
		return nil
	}
	if text == "" {
		return fail(ErrContract, name, venue, "contract_value", "is missing on a "+k.String()+" listing", nil)
	}
	p := fixed.Places([]byte(text))
	if p > fixed.MaxScale {
		return fail(ErrDecimal, name, venue, "contract_value", strconv.Quote(text)+" has more than "+
			strconv.Itoa(fixed.MaxScale)+" decimal places", nil)
	}
	v, err := fixed.ParseString(text, uint8(p))
	if err != nil {
		return fail(ErrDecimal, name, venue, "contract_value", strconv.Quote(text)+" is not a decimal", err)
	}
	if v <= 0 {
		return fail(ErrNonPositive, name, venue, "contract_value", strconv.Quote(text)+" is not positive", nil)
	}
	l.ContractValue, l.ContractScale = v, uint8(p)
	return nil
}

// fee parses a fee in basis points at FeeScale and checks its range.
func fee(name, venue, field, text string) (int64, error) {
	v, err := decimal(name, venue, field, "fee scale", text, FeeScale)
	if err != nil {
		return 0, err
	}
	if v > maxFeeBps*100 || v < -maxFeeBps*100 {
		return 0, fail(ErrFee, name, venue, field, strconv.Quote(text)+" bps is outside ±"+
			strconv.Itoa(maxFeeBps), nil)
	}
	return v, nil
}

// canonicalName reports whether name is the canonical name of a kind instrument of base/quote,
// and returns the expected form for the message.
func canonicalName(k Kind, base, quote, name string) (string, bool) {
	pair := base + "-" + quote
	switch k {
	case KindSpot:
		return pair, name == pair
	case KindPerpetual:
		return pair + "-PERP", name == pair+"-PERP"
	}
	want := pair + "-<expiry>"
	exp, ok := strings.CutPrefix(name, pair+"-")
	return want, ok && exp != "PERP" && isAsset(exp)
}

// isAsset reports whether s is 1..MaxAssetLen bytes of A-Z and 0-9.
func isAsset(s string) bool {
	if len(s) == 0 || len(s) > MaxAssetLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isSymbol reports whether s is 1..MaxSymbolLen bytes of printable ASCII other than space.
func isSymbol(s string) bool {
	if len(s) == 0 || len(s) > MaxSymbolLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
