package binance

import (
	"errors"
	"fmt"

	"ems/core/event"
	"ems/feed"
)

// BookCapacity is the number of levels per side a book holds outside its price window without
// allocating (see core/book.New): a 1000-level snapshot (SnapshotLimit) even when every level lies
// outside the window, as with inferred scales. A larger snapshot grows the book once.
const BookCapacity = 1024

// MaxSymbol is the longest symbol accepted.
const MaxSymbol = 32

var (
	// ErrUnknownSymbol reports a symbol the instrument master does not know while scales may not
	// be inferred (feed.Config.InferUnknown unset).
	ErrUnknownSymbol = errors.New("binance: unknown symbol")
	// ErrBadSymbol reports a symbol that is empty, too long or not made of A-Z, 0-9 and '_'.
	ErrBadSymbol = errors.New("binance: bad symbol")
)

// syncState is where a book is in the venue's local book procedure.
type syncState uint8

const (
	// waiting: no usable snapshot (none yet, or the book broke); diffs are buffered.
	waiting syncState = iota
	// synced: built from a snapshot; each diff goes through the Rule.
	synced
)

// instrument is one symbol seen by a decoder, with its book's sync state. Every symbol gets one
// (trades need its instrument id and scales); it is listed among the decoder's Books once a book
// message (a diff or a snapshot) arrives for it.
type instrument struct {
	r         *feed.Replica
	listed    bool
	state     syncState
	pos       Position
	requested bool    // a snapshot request is queued or outstanding
	buf       *Buffer // diffs waiting for a snapshot; allocated when first needed
}

// lookup returns the instrument of symbol, creating it on first sight (instrument id and scales
// from cfg.Resolve, else inferred and numbered 1, 2, 3... when cfg.InferUnknown is set).
func (d *Decoder) lookup(symbol []byte) (*instrument, error) {
	if in, ok := d.bySymbol[string(symbol)]; ok {
		return in, nil
	}
	if !validSymbol(symbol) {
		return nil, ErrBadSymbol
	}
	var (
		id     uint32
		scales feed.Scales
		ok     bool
	)
	if d.cfg.Resolve != nil {
		id, scales, ok = d.cfg.Resolve(symbol)
	}
	if !ok {
		if !d.cfg.InferUnknown {
			return nil, ErrUnknownSymbol
		}
		d.inferred++
		id, scales = d.inferred, feed.Scales{}
	}
	r, err := feed.NewReplica(feed.ReplicaConfig{
		Venue:      event.VenueID(d.cfg.Venue),
		Instrument: event.InstrumentID(id),
		Symbol:     string(symbol),
		Scales:     scales,
		Capacity:   BookCapacity,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.venue, err)
	}
	in := &instrument{r: r}
	d.bySymbol[r.Config().Symbol] = in
	return in, nil
}

// list makes in one of the decoder's Books.
func (d *Decoder) list(in *instrument) {
	if !in.listed {
		in.listed = true
		d.books = append(d.books, in.r)
		d.listed = append(d.listed, in)
	}
}

func validSymbol(s []byte) bool {
	if len(s) == 0 || len(s) > MaxSymbol {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// request queues a snapshot request for in, once until the next snapshot is loaded.
func (d *Decoder) request(in *instrument) {
	if in.requested {
		return
	}
	in.requested = true
	d.requests = append(d.requests, feed.Request{Kind: feed.RequestSnapshot, Replica: in.r})
}
