package feed

import (
	"errors"
	"fmt"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
)

// Stats are a replica's counters; their meaning is the contract of `ems feed replay` (venue specs
// section 9).
type Stats struct {
	Messages          int64 // messages seen for the book's symbol (book messages and others)
	Applied           int64 // book messages applied, snapshots included
	Dropped           int64 // book messages skipped by the venue's sync rule
	Gaps              int64 // sequence breaks detected
	Resyncs           int64 // times the book was rebuilt after a gap or a checksum failure
	ChecksumsVerified int64 // checksums computed that matched
	ChecksumFailures  int64 // checksums computed that did not match
}

// ReplicaConfig describes one book. With Scales.Known false the price and quantity scales are
// inferred from the decimal text seen (the most decimal places so far, widening as needed): that
// is for replaying recordings of instruments missing from the instrument master, never for
// trading.
type ReplicaConfig struct {
	Venue      event.VenueID
	Instrument event.InstrumentID
	Symbol     string // the venue's own symbol
	Channel    string // the depth channel, where a venue streams several depths of one symbol
	Depth      int    // > 0: keep only the best Depth levels per side after each message
	Scales     Scales
	Capacity   int // levels per side to preallocate (0: book.DefaultCapacity)
}

// Scales are an instrument's fixed-point scales and tick (in price units).
type Scales struct {
	Price, Qty uint8
	Tick       int64
	Known      bool
}

// Replica is a feed's copy of one venue book together with its sync state (syncing, live,
// invalid) and counters. A decoder drives it message by message:
//
//	r.Begin(out, seq, exchTS, recvTS)   // a book message starts
//	r.Snapshot()                        // only for a snapshot: the book is cleared first
//	r.SetText(side, px, qty) ...        // every level of the message
//	r.Commit()                          // the message is complete and consistent
//
// or Drop (the sync rule skips the message), Gap, Checksum(false) or Invalidate when the stream
// is broken. Every level set and every state change becomes an event in the Batch given to Begin.
// Owned by the feed thread.
type Replica struct {
	cfg     ReplicaConfig
	Stats   Stats
	book    *book.Book
	state   event.BookState
	price   uint8 // current price scale
	qty     uint8 // current quantity scale
	out     *Batch
	first   int // index in out of this message's first event
	seq     uint64
	exchTS  int64
	recvTS  int64
	snap    bool
	open    bool
	scratch []book.Level
}

// ErrNoMessage is returned by SetText, SetLevel and Commit outside Begin ... Commit.
var ErrNoMessage = errors.New("feed: level outside a book message (Begin not called)")

// NewReplica returns an empty replica in the syncing state.
func NewReplica(cfg ReplicaConfig) (*Replica, error) {
	tick := cfg.Scales.Tick
	if !cfg.Scales.Known || tick <= 0 {
		tick = 1
	}
	capacity := cfg.Capacity
	if capacity <= 0 {
		capacity = book.DefaultCapacity
	}
	b, err := book.New(tick, capacity)
	if err != nil {
		return nil, fmt.Errorf("feed: book for %s: %w", cfg.Symbol, err)
	}
	return &Replica{
		cfg: cfg, book: b, state: event.BookSyncing,
		price: cfg.Scales.Price, qty: cfg.Scales.Qty,
		scratch: make([]book.Level, 0, 2*capacity),
	}, nil
}

// Config returns the replica's configuration.
func (r *Replica) Config() *ReplicaConfig { return &r.cfg }

// Book returns the replica's book, for reading only; it stays owned by the feed thread.
func (r *Replica) Book() *book.Book { return r.book }

// State returns the sync state.
func (r *Replica) State() event.BookState { return r.state }

// PriceScale and QtyScale return the scales in use (they grow while being inferred).
func (r *Replica) PriceScale() uint8 { return r.price }
func (r *Replica) QtyScale() uint8   { return r.qty }

// Begin starts a book message whose events go to out, stamped with seq and the timestamps.
func (r *Replica) Begin(out *Batch, seq uint64, exchTS, recvTS int64) {
	r.out, r.first, r.seq, r.exchTS, r.recvTS = out, out.Len(), seq, exchTS, recvTS
	r.snap, r.open = false, true
}

// Snapshot clears the book for a snapshot that follows; a snapshot is never merged into what was
// there. A snapshot after a gap or checksum failure counts as a resync.
func (r *Replica) Snapshot() {
	if r.state == event.BookInvalid {
		r.Stats.Resyncs++
	}
	r.book.BeginSnapshot()
	r.snap = true
}

// SetText parses a level from the venue's decimal text and sets it (qty 0 deletes).
func (r *Replica) SetText(side book.Side, px, qty []byte) error {
	if !r.cfg.Scales.Known {
		if err := r.widen(px, qty); err != nil {
			return err
		}
	}
	p, err := fixed.Parse(px, r.price)
	if err != nil {
		return fmt.Errorf("feed: %s price: %w", r.cfg.Symbol, err)
	}
	q, err := fixed.Parse(qty, r.qty)
	if err != nil {
		return fmt.Errorf("feed: %s quantity: %w", r.cfg.Symbol, err)
	}
	return r.SetLevel(side, p, q)
}

// SetLevel sets a level already in the replica's units (qty 0 deletes).
func (r *Replica) SetLevel(side book.Side, px, qty int64) error {
	if !r.open {
		return ErrNoMessage
	}
	if qty < 0 {
		return fmt.Errorf("feed: %s: negative quantity %d", r.cfg.Symbol, qty)
	}
	if _, err := r.book.Set(side, px, qty); err != nil {
		return fmt.Errorf("feed: %s: %w", r.cfg.Symbol, err)
	}
	r.level(side, px, qty)
	return nil
}

func (r *Replica) level(side book.Side, px, qty int64) {
	e := r.header(event.KindBookLevel)
	l := e.BookLevel()
	l.Side, l.Price, l.Qty = event.Side(side), px, qty
}

func (r *Replica) header(k event.Kind) *event.Event {
	e := r.out.Add()
	e.Kind, e.Venue, e.Instrument = k, r.cfg.Venue, r.cfg.Instrument
	e.Seq, e.ExchTS, e.RecvTS = r.seq, r.exchTS, r.recvTS
	return e
}

// Commit ends a book message: truncates to the subscribed depth, flags the message's events
// (snapshot begin and end, last in batch) and counts it applied. The first complete message after
// a snapshot makes the book live.
func (r *Replica) Commit() error {
	if !r.open {
		return ErrNoMessage
	}
	if r.cfg.Depth > 0 {
		r.truncate(book.Bid)
		r.truncate(book.Ask)
	}
	r.Stats.Applied++
	r.commit()
	return nil
}

// CommitOutside ends a message that came from outside the stream (a REST snapshot): like Commit,
// but not counted as applied.
func (r *Replica) CommitOutside() error {
	if !r.open {
		return ErrNoMessage
	}
	if r.cfg.Depth > 0 {
		r.truncate(book.Bid)
		r.truncate(book.Ask)
	}
	r.commit()
	return nil
}

func (r *Replica) commit() {
	if r.snap && r.state != event.BookLive {
		r.state = event.BookLive
		s := r.header(event.KindBookStatus).BookStatus()
		s.State, s.Reason = event.BookLive, event.BookReasonSnapshot
	}
	evs := r.out.Events()[r.first:]
	if len(evs) > 0 {
		if r.snap {
			evs[0].Flags |= event.FlagSnapshotBegin
			evs[len(evs)-1].Flags |= event.FlagSnapshotEnd
		}
		evs[len(evs)-1].Flags |= event.FlagLastInBatch
	}
	r.open = false
}

// truncate drops the levels beyond the subscribed depth, emitting a delete for each.
func (r *Replica) truncate(side book.Side) {
	if r.book.Len(side) <= r.cfg.Depth {
		return
	}
	r.scratch = r.book.Levels(side, -1, r.scratch[:0])
	for _, l := range r.scratch[r.cfg.Depth:] {
		r.level(side, l.Price, 0)
	}
	r.book.Truncate(side, r.cfg.Depth)
}

// Drop counts a book message the sync rule skipped.
func (r *Replica) Drop() { r.Stats.Dropped++; r.open = false }

// Gap records a sequence break and invalidates the book.
func (r *Replica) Gap() {
	r.Stats.Gaps++
	r.Invalidate(event.BookReasonGap)
}

// Checksum records a computed checksum's verdict; a mismatch invalidates the book.
func (r *Replica) Checksum(ok bool) {
	if ok {
		r.Stats.ChecksumsVerified++
		return
	}
	r.Stats.ChecksumFailures++
	r.Invalidate(event.BookReasonChecksum)
}

// Invalidate marks the book invalid for reason, clears it (an invalid book shows nothing rather
// than wrong levels) and emits the status event. Until the next snapshot the decoder drops the
// book's messages. On a book already invalid it emits nothing and only clears the book again
// (a snapshot that failed its checksum leaves no levels behind).
// REQUIRES: Begin was called for the message being handled (the status event goes to its Batch).
func (r *Replica) Invalidate(reason event.BookReason) {
	r.open = false
	r.book.Clear()
	if r.state == event.BookInvalid {
		return
	}
	r.state = event.BookInvalid
	if r.out != nil {
		s := r.header(event.KindBookStatus).BookStatus()
		s.State, s.Reason = event.BookInvalid, reason
	}
}

// widen grows the inferred scales to hold px and qty, rescaling the book and this message's
// events already in the batch.
func (r *Replica) widen(px, qty []byte) error {
	if p := fixed.Places(px); p > int(r.price) {
		if p > 18 {
			return fmt.Errorf("feed: %s price %q: more than 18 decimal places", r.cfg.Symbol, px)
		}
		if err := r.rescale(uint8(p)-r.price, 0); err != nil {
			return err
		}
		r.price = uint8(p)
	}
	if q := fixed.Places(qty); q > int(r.qty) {
		if q > 18 {
			return fmt.Errorf("feed: %s quantity %q: more than 18 decimal places", r.cfg.Symbol, qty)
		}
		if err := r.rescale(0, uint8(q)-r.qty); err != nil {
			return err
		}
		r.qty = uint8(q)
	}
	return nil
}

func (r *Replica) rescale(dp, dq uint8) error {
	mp, mq := fixed.Pow10(dp), fixed.Pow10(dq)
	r.scratch = r.book.Levels(book.Bid, -1, r.scratch[:0])
	bids := len(r.scratch)
	r.scratch = r.book.Levels(book.Ask, -1, r.scratch)
	r.book.Clear()
	for i, l := range r.scratch {
		side := book.Bid
		if i >= bids {
			side = book.Ask
		}
		p, q, err := mul(l.Price, mp, l.Qty, mq)
		if err != nil {
			return fmt.Errorf("feed: %s: widening the inferred scale: %w", r.cfg.Symbol, err)
		}
		if _, err := r.book.Set(side, p, q); err != nil {
			return fmt.Errorf("feed: %s: widening the inferred scale: %w", r.cfg.Symbol, err)
		}
	}
	if r.out == nil {
		return nil
	}
	evs := r.out.Events()[r.first:]
	for i := range evs {
		if evs[i].Kind == event.KindBookLevel && evs[i].Instrument == r.cfg.Instrument {
			l := evs[i].BookLevel()
			p, q, err := mul(l.Price, mp, l.Qty, mq)
			if err != nil {
				return fmt.Errorf("feed: %s: widening the inferred scale: %w", r.cfg.Symbol, err)
			}
			l.Price, l.Qty = p, q
		}
	}
	return nil
}

func mul(p, mp, q, mq int64) (int64, int64, error) {
	pp, err := fixed.MulDiv(p, mp, 1)
	if err != nil {
		return 0, 0, err
	}
	qq, err := fixed.MulDiv(q, mq, 1)
	return pp, qq, err
}

// Fit grows the inferred scales so that px and qty, the decimal text of a message that carries
// prices but no levels (a trade, a venue's top of book), can be parsed at PriceScale and QtyScale;
// the book is rescaled as needed. It does nothing when the scales are known. Between book
// messages it touches no event already in a Batch; inside one (after Begin) it rescales that
// message's events as SetText does.
func (r *Replica) Fit(px, qty []byte) error {
	if r.cfg.Scales.Known {
		return nil
	}
	if r.open {
		return r.widen(px, qty)
	}
	out := r.out
	r.out = nil
	err := r.widen(px, qty)
	r.out = out
	return err
}
