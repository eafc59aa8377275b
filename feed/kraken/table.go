package kraken

import (
	"github.com/cespare/xxhash/v2"

	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// instrument is one venue symbol the decoder has met, with the instrument it maps to.
type instrument struct {
	symbol string
	id     event.InstrumentID
	scales feed.Scales // Known false: scales are inferred from the text seen
	books  []int32     // indexes into table.books of this symbol's books (one per depth channel)
}

// bookState is one book: its Replica plus what the Kraken rules need beside it.
type bookState struct {
	r    *feed.Replica
	inst int32
	// pxWire and qtyWire are the most decimal places seen in the venue's price and quantity text
	// for this book: the precision Kraken prints (it always prints full precision, "0.10000000"),
	// at which the checksum text is formatted back from the book's integers.
	pxWire, qtyWire uint8
	depthFrom       depthSource
	seq             uint64 // book messages received; stamped as the events' Seq
	line            uint64 // the Decode call that last counted a message for this book
}

// depthSource says where a book's truncation depth came from; a stronger source wins.
type depthSource uint8

const (
	depthNone     depthSource = iota
	depthInferred             // rounded up from a snapshot's size (replay without an ack)
	depthConfig               // feed.Config.Depth
	depthVenue                // the subscribe ack (v2) or the channel name (v1)
)

// table maps venue symbols to instruments and (symbol, channel) pairs to books. Lookups hash the
// symbol bytes with xxhash and allocate nothing; adding a symbol or a book allocates.
// Owned by the decoder's (feed) thread.
type table struct {
	venue    event.VenueID
	resolve  feed.Resolver
	infer    bool
	nextID   event.InstrumentID
	insts    []instrument
	instIdx  map[uint64]int32
	books    []*bookState
	bookIdx  map[uint64]int32
	replicas []*feed.Replica
	line     uint64 // Decode calls so far: one line of a recording, one WebSocket frame
	// acked holds depths announced by subscribe acks for symbols whose book does not exist yet.
	acked []ackedDepth
}

type ackedDepth struct {
	symbol string
	depth  int
}

func newTable(cfg *feed.Config) table {
	return table{
		venue: event.VenueID(cfg.Venue), resolve: cfg.Resolve, infer: cfg.InferUnknown,
		instIdx: make(map[uint64]int32), bookIdx: make(map[uint64]int32),
	}
}

// instrument returns the index of sym's instrument, resolving or inventing it on first sight.
// ok is false for a symbol the resolver does not know when scales may not be inferred.
func (t *table) instrument(sym []byte) (int32, bool) {
	h := xxhash.Sum64(sym)
	if i, ok := t.instIdx[h]; ok && t.insts[i].symbol == string(sym) {
		return i, true
	}
	for i := range t.insts { // hash collision, or a symbol not seen yet
		if t.insts[i].symbol == string(sym) {
			return int32(i), true
		}
	}
	in := instrument{symbol: string(sym)}
	var known bool
	if t.resolve != nil {
		var id uint32
		id, in.scales, known = t.resolve(sym)
		in.id, in.scales.Known = event.InstrumentID(id), known
	}
	if !known {
		if !t.infer {
			return 0, false
		}
		t.nextID++
		in.id, in.scales = t.nextID, feed.Scales{}
	}
	t.insts = append(t.insts, in)
	i := int32(len(t.insts) - 1)
	if _, taken := t.instIdx[h]; !taken {
		t.instIdx[h] = i
	}
	return i, true
}

// bookKey hashes a (symbol, channel) pair.
func bookKey(sym, channel []byte) uint64 {
	return xxhash.Sum64(sym)*0x9E3779B97F4A7C15 ^ xxhash.Sum64(channel)
}

// find returns the book of (sym, channel), or -1.
func (t *table) find(sym, channel []byte) int32 {
	if i, ok := t.bookIdx[bookKey(sym, channel)]; ok && t.matches(i, sym, channel) {
		return i
	}
	for i := range t.books { // hash collision
		if t.matches(int32(i), sym, channel) {
			return int32(i)
		}
	}
	return -1
}

func (t *table) matches(i int32, sym, channel []byte) bool {
	c := t.books[i].r.Config()
	return c.Symbol == string(sym) && c.Channel == string(channel)
}

// book returns the book of (sym, channel), creating it with depth (0: none yet) when it does not
// exist. ok is false for an unknown symbol that may not be inferred.
func (t *table) book(sym, channel []byte, depth int, from depthSource) (*bookState, bool, error) {
	if i := t.find(sym, channel); i >= 0 {
		return t.books[i], true, nil
	}
	ii, ok := t.instrument(sym)
	if !ok {
		return nil, false, nil
	}
	for _, a := range t.acked {
		if a.symbol == string(sym) && from < depthVenue {
			depth, from = a.depth, depthVenue
		}
	}
	in := &t.insts[ii]
	capacity := 0
	if depth > 0 {
		capacity = 2*depth + 64
	}
	r, err := feed.NewReplica(feed.ReplicaConfig{
		Venue: t.venue, Instrument: in.id, Symbol: in.symbol, Channel: string(channel),
		Depth: depth, Scales: in.scales, Capacity: capacity,
	})
	if err != nil {
		return nil, true, err
	}
	b := &bookState{r: r, inst: ii, depthFrom: from}
	t.books = append(t.books, b)
	t.replicas = append(t.replicas, r)
	i := int32(len(t.books) - 1)
	in.books = append(in.books, i)
	k := bookKey(sym, channel)
	if _, taken := t.bookIdx[k]; !taken {
		t.bookIdx[k] = i
	}
	return b, true, nil
}

// touch counts the current line once for b.
func (t *table) touch(b *bookState) {
	if b.line != t.line {
		b.line = t.line
		b.r.Stats.Messages++
	}
}

// touchSymbol counts the current line once for every book of instrument ii.
func (t *table) touchSymbol(ii int32) {
	for _, bi := range t.insts[ii].books {
		t.touch(t.books[bi])
	}
}

// touchName counts the current line for every book of sym, if it has any; it creates nothing.
func (t *table) touchName(sym []byte) {
	h := xxhash.Sum64(sym)
	if i, ok := t.instIdx[h]; ok && t.insts[i].symbol == string(sym) {
		t.touchSymbol(i)
	}
}

// setDepth applies a depth from source from to sym's books with the given channel, or keeps it
// for the book when it is created.
func (t *table) setDepth(sym, channel []byte, depth int, from depthSource) {
	if i := t.find(sym, channel); i >= 0 {
		b := t.books[i]
		if from >= b.depthFrom {
			b.r.Config().Depth, b.depthFrom = depth, from
		}
		t.touch(b)
		return
	}
	for i := range t.acked {
		if t.acked[i].symbol == string(sym) {
			t.acked[i].depth = depth
			return
		}
	}
	t.acked = append(t.acked, ackedDepth{symbol: string(sym), depth: depth})
}

// scales returns the scales to parse a trade or ticker of instrument ii written as px and qty:
// the instrument's own when known. Otherwise (replay of an unknown symbol) they are inferred and
// only widen: the widest of those used before for the symbol, its books' inferred scales and the
// text's own places — so events of one symbol may change units as wider text appears.
func (t *table) scales(ii int32, px, qty []byte) (uint8, uint8) {
	in := &t.insts[ii]
	if in.scales.Known {
		return in.scales.Price, in.scales.Qty
	}
	p, q := in.scales.Price, in.scales.Qty
	for _, bi := range in.books {
		p = max(p, t.books[bi].r.PriceScale())
		q = max(q, t.books[bi].r.QtyScale())
	}
	p = max(p, uint8(min(fixed.Places(px), fixed.MaxScale)))
	q = max(q, uint8(min(fixed.Places(qty), fixed.MaxScale)))
	in.scales.Price, in.scales.Qty = p, q
	return p, q
}
