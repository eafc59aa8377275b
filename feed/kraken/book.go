package kraken

import (
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// inferDepth returns the smallest book depth Kraken offers (10, 25, 100, 500, 1000) that holds n
// levels per side, or n itself beyond the largest: the subscribed depth a snapshot of n levels
// implies.
func inferDepth(n int) int {
	switch {
	case n <= 10:
		return 10
	case n <= 25:
		return 25
	case n <= 100:
		return 100
	case n <= 500:
		return 500
	case n <= 1000:
		return 1000
	}
	return n
}

// bookMessage handles {"channel":"book","type":"snapshot"|"update","data":[{"symbol",...}]}.
// Each data entry is one book message of its symbol.
func (d *Decoder) bookMessage(v *fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	var snap bool
	switch string(v.GetStringBytes("type")) {
	case "snapshot":
		snap = true
	case "update":
	default:
		d.an.Note(kindBadBook, msg, errBookType)
		return errBookType
	}
	data := v.GetArray("data")
	if data == nil {
		d.an.Note(kindBadBook, msg, errNoData)
		return errNoData
	}
	var first error
	for _, e := range data {
		if err := d.bookEntry(e, snap, msg, recvTS, out); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// bookEntry applies one data entry:
//
//	{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.10000000},...],"asks":[...],
//	 "checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}
//
// A snapshot replaces the book; an update is applied only to a live book (otherwise dropped until
// the next snapshot). The checksum is verified before the message is committed, over the best 10
// levels, which truncation to a depth of at least 10 does not change.
func (d *Decoder) bookEntry(e *fastjson.Value, snap bool, msg []byte, recvTS int64, out *feed.Batch) error {
	sym := e.GetStringBytes("symbol")
	if len(sym) == 0 {
		d.an.Note(kindBadBook, msg, errNoSymbol)
		return errNoSymbol
	}
	bids, asks := e.GetArray("bids"), e.GetArray("asks")
	depth, from := d.depth, depthConfig
	if depth == 0 {
		depth, from = 0, depthNone
		if snap {
			depth, from = inferDepth(max(len(bids), len(asks))), depthInferred
		}
	}
	b, ok, err := d.tab.book(sym, nil, depth, from)
	if err != nil {
		d.an.Note(kindBook, msg, err)
		return err
	}
	if !ok {
		d.an.Note(kindUnknownSymbol, msg, errUnknown)
		return errUnknown
	}
	d.tab.touch(b)
	r := b.r
	if from == depthInferred && b.depthFrom <= depthInferred && depth > r.Config().Depth {
		r.Config().Depth, b.depthFrom = depth, depthInferred
	}
	if !snap && r.State() != event.BookLive {
		r.Drop()
		return nil
	}
	b.seq++
	var ts int64
	if t := e.GetStringBytes("timestamp"); t != nil {
		ts, _ = parseRFC3339(t)
	}
	r.Begin(out, b.seq, ts, recvTS)
	if snap {
		r.Snapshot()
	}
	if err := d.levels(b, book.Bid, bids); err != nil {
		return d.broken(b, msg, err)
	}
	if err := d.levels(b, book.Ask, asks); err != nil {
		return d.broken(b, msg, err)
	}
	cv := e.Get("checksum")
	if cv == nil {
		return r.Commit()
	}
	want, err := cv.Uint64()
	if err != nil || want > 0xFFFFFFFF {
		return d.badChecksum(b, msg)
	}
	return d.finish(b, uint32(want))
}

// levels applies one side's level objects in order (a repeated price ends with its last qty).
func (d *base) levels(b *bookState, side book.Side, levels []*fastjson.Value) error {
	for _, lv := range levels {
		px, err := text(lv.Get("price"), d.px)
		if err != nil {
			return err
		}
		qty, err := text(lv.Get("qty"), d.qty)
		if err != nil {
			return err
		}
		if err := b.set(side, px, qty); err != nil {
			return err
		}
	}
	return nil
}

// broken handles a book message that could only be half applied (a level that does not parse):
// the book no longer matches the venue's, so it is invalidated (reason gap: updates were lost) and
// resubscribed.
func (d *base) broken(b *bookState, msg []byte, err error) error {
	d.an.Note(kindBadLevel, msg, err)
	b.r.Invalidate(event.BookReasonGap)
	d.request(b)
	return fmt.Errorf("kraken: %s: %w", b.r.Config().Symbol, err)
}

// finish verifies a message's checksum against the book as applied and commits the message; on a
// mismatch the book is invalidated instead (Checksum(false)) and a resubscription queued. A
// mismatch is the book's state, not a decoding error: it returns nil.
func (d *base) finish(b *bookState, want uint32) error {
	got, ok := d.sum.sum(b)
	if !ok || got != want {
		b.r.Checksum(false)
		d.request(b)
		return nil
	}
	b.r.Checksum(true)
	return b.r.Commit()
}

// badChecksum handles a checksum field that is not a uint32: the message cannot be verified, so
// the book is treated as broken.
func (d *base) badChecksum(b *bookState, msg []byte) error {
	d.an.Note(kindBadChecksum, msg, errChecksum)
	b.r.Invalidate(event.BookReasonGap)
	d.request(b)
	return errChecksum
}
