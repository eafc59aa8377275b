package bybit

import (
	"fmt"

	"ems/core/event"
	"ems/feed"
)

// symbol is what the decoder knows of one venue symbol: its instrument, its scales and its books.
type symbol struct {
	name     string
	resolved bool  // Resolve has been asked (instrument and scales are set, or err)
	err      error // non-nil: the symbol is refused (unknown to Resolve and InferUnknown unset)
	id       event.InstrumentID
	scales   feed.Scales
	// lines counts the non-book lines of the symbol, so that a book first seen later starts its
	// Messages with them.
	lines int64
	books []*bookState
	// tradePx and tradeQty are the trade scales inferred from the text when scales are unknown.
	tradePx, tradeQty uint8
}

// bookState is one (symbol, depth channel) book and its sequencing state.
type bookState struct {
	topic string // "orderbook.50.BTCUSDT"
	depth int    // the channel's depth (0: not a number)
	sym   *symbol
	r     *feed.Replica
	lastU uint64 // u of the last applied message; meaningful while the book is live
}

// lookupSymbol returns the entry of name, creating an unresolved one on first sight.
func (d *Decoder) lookupSymbol(name []byte) *symbol {
	if s := d.symbols[string(name)]; s != nil { // no allocation: map index by string(bytes)
		return s
	}
	s := &symbol{name: string(name)}
	d.symbols[s.name] = s
	return s
}

// resolve asks Resolve for the symbol's instrument once, or assigns an inferred one.
func (d *Decoder) resolve(s *symbol) error {
	if s.resolved {
		return s.err
	}
	s.resolved = true
	if d.cfg.Resolve != nil {
		if id, sc, ok := d.cfg.Resolve([]byte(s.name)); ok {
			s.id, s.scales = event.InstrumentID(id), sc
			return nil
		}
	}
	if !d.cfg.InferUnknown {
		s.err = fmt.Errorf("bybit: unknown symbol %q (not in the instrument master)", s.name)
		return s.err
	}
	d.nextID++
	s.id, s.scales = event.InstrumentID(d.nextID), feed.Scales{}
	return nil
}

// countLine counts one non-book line of the symbol in each of its books.
func (s *symbol) countLine() {
	s.lines++
	for _, b := range s.books {
		b.r.Stats.Messages++
	}
}

// newBook creates the book of topic ("orderbook.{depth}.{symbol}"), whose channel is
// topic[:dot] and symbol topic[dot+1:].
func (d *Decoder) newBook(topic []byte, dot int) (*bookState, error) {
	s := d.lookupSymbol(topic[dot+1:])
	if err := d.resolve(s); err != nil {
		return nil, err
	}
	channel := string(topic[:dot])
	depth := 0
	for _, c := range topic[len("orderbook."):dot] {
		if c < '0' || c > '9' || depth > 1<<20 {
			depth = 0
			break
		}
		depth = depth*10 + int(c-'0')
	}
	r, err := feed.NewReplica(feed.ReplicaConfig{
		Venue:      event.VenueID(d.cfg.Venue),
		Instrument: s.id,
		Symbol:     s.name,
		Channel:    channel,
		Scales:     s.scales,
	})
	if err != nil {
		return nil, fmt.Errorf("bybit: %w", err)
	}
	r.Stats.Messages = s.lines
	b := &bookState{topic: string(topic), depth: depth, sym: s, r: r}
	s.books = append(s.books, b)
	d.books[b.topic] = b
	d.replicas = append(d.replicas, r)
	return b, nil
}
