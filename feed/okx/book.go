package okx

import (
	"errors"
	"fmt"
	"math"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/core/fixed"
	"ems/feed"
)

// bookHeader is what one book push says besides its levels.
type bookHeader struct {
	exchTS     int64 // ns
	seq, prev  int64
	hasSeq     bool
	hasPrev    bool
	checksum   int32 // 0: none
	bids, asks []*fastjson.Value
}

// errBookData is returned for a book push whose fields cannot be read.
var errBookData = errors.New("okx: malformed book data")

// bookMessage applies one element of a book push's "data" to b, following the venue specs
// section 3 (see the package documentation).
func (d *Decoder) bookMessage(b *bookState, action []byte, item *fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	r := b.r
	snapshot := true
	if b.ch.incremental() {
		switch string(action) {
		case "snapshot":
		case "update":
			snapshot = false
		default:
			return d.broken(b, out, 0, recvTS, true, "bad action", msg,
				fmt.Errorf("%w: action %q is neither snapshot nor update", errBookData, action))
		}
	}
	var h bookHeader
	if err := readHeader(&h, item); err != nil {
		return d.broken(b, out, 0, recvTS, snapshot, "bad book data", msg, err)
	}
	var seq uint64
	if h.hasSeq && h.seq >= 0 {
		seq = uint64(h.seq)
	}
	r.Begin(out, seq, h.exchTS, recvTS)
	if snapshot {
		r.Snapshot()
		b.texts.reset()
	} else {
		if r.State() != event.BookLive {
			r.Drop() // no snapshot yet, or waiting for the one a resubscription brings
			return nil
		}
		// prevSeqId must be the last seqId. A heartbeat (prevSeqId == seqId, no levels) and a
		// maintenance reset (seqId < prevSeqId) pass the same test.
		if h.hasPrev && b.hasSeq && h.prev != b.lastSeq {
			r.Gap()
			b.texts.reset()
			d.request(b)
			r.Drop()
			return nil
		}
	}
	if err := d.levels(b, book.Bid, h.bids, msg); err != nil {
		return d.broken(b, out, seq, recvTS, snapshot, "bad level", msg, err)
	}
	if err := d.levels(b, book.Ask, h.asks, msg); err != nil {
		return d.broken(b, out, seq, recvTS, snapshot, "bad level", msg, err)
	}
	if h.checksum != 0 {
		ok := d.sum.compute(r, &b.texts) == h.checksum
		r.Checksum(ok)
		if !ok {
			b.texts.reset()
			b.hasSeq = false
			d.request(b)
			return nil
		}
	}
	if err := r.Commit(); err != nil {
		return fmt.Errorf("okx: %w", err)
	}
	b.lastSeq, b.hasSeq = h.seq, h.hasSeq
	if !b.ch.incremental() {
		d.topOfBook(r, out, seq, h.exchTS, recvTS)
	}
	return nil
}

// broken notes a malformed book message. A snapshot, or an update to a live book, cannot be
// skipped without leaving the book wrong: the book is invalidated and resubscribed.
func (d *Decoder) broken(b *bookState, out *feed.Batch, seq uint64, recvTS int64, snapshot bool,
	kind string, msg []byte, err error) error {
	d.anomalies.Note(kind, msg, err)
	r := b.r
	if !snapshot && r.State() != event.BookLive {
		return err // an update the sync rule would have dropped anyway
	}
	d.request(b)
	r.Begin(out, seq, 0, recvTS)
	r.Invalidate(event.BookReasonGap)
	b.texts.reset()
	b.hasSeq = false
	return err
}

// readHeader reads the fields of one book push other than the levels. Absent seqId, prevSeqId and
// checksum (recordings from before 2023 have no seqIds) leave their flags false or 0.
func readHeader(h *bookHeader, item *fastjson.Value) error {
	if item.Type() != fastjson.TypeObject {
		return fmt.Errorf("%w: data element is %s, not an object", errBookData, item.Type())
	}
	var err error
	if h.exchTS, err = msTime(item.Get("ts")); err != nil {
		return err
	}
	if v := item.Get("seqId"); v != nil {
		if h.seq, err = v.Int64(); err != nil {
			return fmt.Errorf("%w: seqId: %v", errBookData, err)
		}
		h.hasSeq = true
	}
	if v := item.Get("prevSeqId"); v != nil {
		if h.prev, err = v.Int64(); err != nil {
			return fmt.Errorf("%w: prevSeqId: %v", errBookData, err)
		}
		h.hasPrev = true
	}
	if v := item.Get("checksum"); v != nil {
		c, err := v.Int64()
		if err != nil || c < math.MinInt32 || c > math.MaxInt32 {
			return fmt.Errorf("%w: checksum %s is not an int32", errBookData, v)
		}
		h.checksum = int32(c)
	}
	if h.bids, err = levelArray(item, "bids"); err != nil {
		return err
	}
	h.asks, err = levelArray(item, "asks")
	return err
}

// levelArray returns the level list under key; absent is empty.
func levelArray(item *fastjson.Value, key string) ([]*fastjson.Value, error) {
	v := item.Get(key)
	if v == nil {
		return nil, nil
	}
	a, err := v.Array()
	if err != nil {
		return nil, fmt.Errorf("%w: %s is %s, not an array", errBookData, key, v.Type())
	}
	return a, nil
}

// msTime reads a millisecond timestamp (a string, or a number) as ns; absent is 0.
func msTime(v *fastjson.Value) (int64, error) {
	if v == nil {
		return 0, nil
	}
	var ms int64
	var err error
	switch v.Type() {
	case fastjson.TypeString:
		s, _ := v.StringBytes()
		ms, err = fixed.Parse(s, 0)
	case fastjson.TypeNumber:
		ms, err = v.Int64()
	default:
		err = fmt.Errorf("a %s", v.Type())
	}
	if err != nil || ms < 0 || ms > math.MaxInt64/1_000_000 {
		return 0, fmt.Errorf("%w: ts %s is not a millisecond time", errBookData, v)
	}
	return ms * 1_000_000, nil
}

// levels sets each level of list on side of b's book: [price, size, "0", orders], size 0 deletes.
func (d *Decoder) levels(b *bookState, side book.Side, list []*fastjson.Value, msg []byte) error {
	for _, lv := range list {
		a, err := lv.Array()
		if err != nil || len(a) < 2 {
			return fmt.Errorf("%w: level %s is not [price, size, ...]", errBookData, lv)
		}
		px, err1 := a[0].StringBytes()
		sz, err2 := a[1].StringBytes()
		if err1 != nil || err2 != nil {
			return fmt.Errorf("%w: level %s: price and size must be strings", errBookData, lv)
		}
		if err := b.r.SetText(side, px, sz); err != nil {
			return err
		}
		if !b.texts.empty() || !canonical(px) || !canonical(sz) {
			d.keepText(b, side, px, sz, msg)
		}
	}
	return nil
}

// keepText records the decimal places of a level written in non-canonical form, or forgets them
// when the level is deleted or rewritten canonically.
// REQUIRES: b.r.SetText(side, px, sz) succeeded.
func (d *Decoder) keepText(b *bookState, side book.Side, px, sz []byte, msg []byte) {
	r := b.r
	price, err := fixed.Parse(px, r.PriceScale())
	if err != nil {
		return // not reached: SetText parsed it at this scale
	}
	qty, err := fixed.Parse(sz, r.QtyScale())
	if err != nil {
		return
	}
	p := textPlaces{-1, -1}
	if qty != 0 {
		ps, pp := shapeOf(px)
		qs, qp := shapeOf(sz)
		if ps == shapeLost || qs == shapeLost {
			d.anomalies.Note("unreproducible decimal text", msg, nil)
		}
		if ps == shapePlaces {
			p.price = pp
		}
		if qs == shapePlaces {
			p.qty = qp
		}
	}
	b.texts.set(side, price, r.PriceScale(), p)
}

// topOfBook emits the best bid and ask of a complete push (books5, bbo-tbt).
func (d *Decoder) topOfBook(r *feed.Replica, out *feed.Batch, seq uint64, exchTS, recvTS int64) {
	e := out.Add()
	e.Kind, e.Venue, e.Instrument = event.KindTopOfBook, r.Config().Venue, r.Config().Instrument
	e.Seq, e.ExchTS, e.RecvTS = seq, exchTS, recvTS
	t := e.TopOfBook()
	t.BidPrice, t.BidQty, _ = r.Book().BestBid()
	t.AskPrice, t.AskQty, _ = r.Book().BestAsk()
}
