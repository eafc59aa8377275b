package bybit

import (
	"bytes"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// book handles one orderbook.{depth}.{symbol} message.
func (d *Decoder) book(v *fastjson.Value, topic, msg []byte, recvTS int64, out *feed.Batch) error {
	b := d.books[string(topic)]
	if b == nil {
		dot := bytes.LastIndexByte(topic, '.')
		if dot < len(topicBook) || dot+1 == len(topic) {
			d.anomalies.Note(AnomalyBadTopic, msg, errBookTopic)
			return errBookTopic
		}
		var err error
		if b, err = d.newBook(topic, dot); err != nil {
			d.anomalies.Note(AnomalyUnknownSym, msg, err)
			return err
		}
	}
	r := b.r
	r.Stats.Messages++

	data := v.Get("data")
	if data == nil || data.Type() != fastjson.TypeObject {
		d.anomalies.Note(AnomalyBadBook, msg, errBookData)
		return errBookData
	}
	u, ok := uint64Of(data.Get("u"))
	if !ok {
		d.anomalies.Note(AnomalyBadBook, msg, errBookU)
		return errBookU
	}
	var snapshot bool
	switch string(v.GetStringBytes("type")) {
	case "snapshot":
		snapshot = true
	case "delta":
		snapshot = u == 1 // a service restart: the delta overwrites the book
	default:
		d.anomalies.Note(AnomalyBadBook, msg, errBookType)
		return errBookType
	}
	exch := v.GetInt64("cts")
	if exch == 0 {
		exch = v.GetInt64("ts")
	}
	exch *= 1e6

	if !snapshot {
		if r.State() != event.BookLive {
			r.Drop() // before the first snapshot, or after a gap until the next one
			return nil
		}
		if u != b.lastU+1 {
			r.Begin(out, u, exch, recvTS)
			r.Gap()
			r.Drop()
			d.requests = append(d.requests, feed.Request{Kind: feed.RequestResubscribe, Replica: r})
			return nil
		}
	}
	r.Begin(out, u, exch, recvTS)
	if snapshot {
		r.Snapshot()
	}
	if err := setSide(r, book.Bid, data.Get("b")); err != nil {
		return d.broken(b, msg, err)
	}
	if err := setSide(r, book.Ask, data.Get("a")); err != nil {
		return d.broken(b, msg, err)
	}
	if err := r.Commit(); err != nil {
		return d.broken(b, msg, err)
	}
	b.lastU = u
	if b.depth > 0 && (r.Book().Len(book.Bid) > b.depth || r.Book().Len(book.Ask) > b.depth) {
		d.anomalies.Note(AnomalyDeepBook, msg, nil)
	}
	return nil
}

// setSide sets every [price, size] level of levels (nil: the side is absent) on side.
func setSide(r *feed.Replica, side book.Side, levels *fastjson.Value) error {
	if levels == nil {
		return nil
	}
	if levels.Type() != fastjson.TypeArray {
		return errSide
	}
	for _, l := range levels.GetArray() {
		if l.Type() != fastjson.TypeArray {
			return errLevel
		}
		pair := l.GetArray()
		if len(pair) < 2 {
			return errLevel
		}
		px, ok := feed.StringBytes(pair[0])
		if !ok {
			return errLevel
		}
		qty, ok := feed.StringBytes(pair[1])
		if !ok {
			return errLevel
		}
		if err := r.SetText(side, px, qty); err != nil {
			return err
		}
	}
	return nil
}

// broken handles a book message that failed half way: the book no longer matches the venue's, so
// it is invalidated and resubscribed.
func (d *Decoder) broken(b *bookState, msg []byte, err error) error {
	err = fmt.Errorf("bybit: %s: %w", b.topic, err)
	d.anomalies.Note(AnomalyBadLevel, msg, err)
	// An invalid book whose resyncing snapshot is broken stays invalid (and keeps what the
	// snapshot set until the next one clears it); it needs another resubscription all the same.
	b.r.Invalidate(event.BookReasonGap)
	d.requests = append(d.requests, feed.Request{Kind: feed.RequestResubscribe, Replica: b.r})
	return err
}

// uint64Of returns the value of a JSON unsigned integer; ok is false for a missing value, another
// type, a fraction or an overflow.
func uint64Of(v *fastjson.Value) (n uint64, ok bool) {
	if v == nil || v.Type() != fastjson.TypeNumber {
		return 0, false
	}
	n, err := v.Uint64()
	return n, err == nil
}
