package binance

import (
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// ErrUpdateID reports a depthUpdate whose U, u (or pu) are missing, not numbers, or out of
// order (u < U).
var ErrUpdateID = errors.New("binance: bad update ids")

// msToNs converts Binance's millisecond timestamps.
const msToNs = 1_000_000

// header reads a depthUpdate's ids and timestamps.
func header(data *fastjson.Value, recvTS int64) (Header, error) {
	h := Header{RecvTS: recvTS}
	var ok bool
	if h.First, ok = getUint(data, "U"); !ok || h.First == 0 {
		return h, ErrUpdateID
	}
	if h.Last, ok = getUint(data, "u"); !ok || h.Last < h.First {
		return h, ErrUpdateID
	}
	if data.Get("pu") != nil {
		if h.Prev, ok = getUint(data, "pu"); !ok {
			return h, ErrUpdateID
		}
		h.HasPrev = true
	}
	h.ExchTS = exchTS(data)
	return h, nil
}

// getUint returns the unsigned integer field key of v.
func getUint(v *fastjson.Value, key string) (uint64, bool) {
	f := v.Get(key)
	if f == nil || f.Type() != fastjson.TypeNumber {
		return 0, false
	}
	n, err := f.Uint64()
	return n, err == nil
}

// exchTS returns the message's exchange time in ns: the transaction time T where the message has
// one (futures), else the event time E, else 0.
func exchTS(v *fastjson.Value) int64 {
	for _, key := range [2]string{"T", "E"} {
		if f := v.Get(key); f != nil && f.Type() == fastjson.TypeNumber {
			if ms, err := f.Int64(); err == nil && ms > 0 && ms < 1<<62/msToNs {
				return ms * msToNs
			}
		}
	}
	return 0
}

// diff handles a depthUpdate.
func (d *Decoder) diff(msg []byte, data *fastjson.Value, recvTS int64, out *feed.Batch) error {
	h, err := header(data, recvTS)
	if err != nil {
		d.anomalies.Note("bad update ids", msg, err)
		return fmt.Errorf("%s: %w", d.venue, err)
	}
	if h.HasPrev != d.rule.Chained() {
		return d.foreign(msg)
	}
	in, err := d.symbolOf(msg, data)
	if err != nil {
		return err
	}
	r := in.r
	r.Stats.Messages++
	d.list(in)
	if d.hasPending {
		if err := d.takePending(in, out); err != nil {
			return err
		}
	}
	bids, asks := data.Get("b"), data.Get("a")
	if in.state != synced {
		return d.hold(msg, in, h, bids, asks)
	}
	switch d.rule.Check(in.pos, h) {
	case Drop:
		r.Drop()
		return nil
	case Gap:
		d.gap(in, h, out)
		if in.buf != nil {
			in.buf.Reset()
		}
		return d.hold(msg, in, h, bids, asks)
	}
	r.Begin(out, h.Last, h.ExchTS, h.RecvTS)
	if err := ApplyLevels(r, book.Bid, bids); err != nil {
		return d.broken(msg, in, err)
	}
	if err := ApplyLevels(r, book.Ask, asks); err != nil {
		return d.broken(msg, in, err)
	}
	if err := r.Commit(); err != nil {
		return d.broken(msg, in, err)
	}
	in.pos.Last, in.pos.Fresh = h.Last, false
	return nil
}

// hold buffers a diff of a book waiting for a snapshot and makes sure one is requested. A held
// diff counts as dropped until a snapshot lets it be applied.
func (d *Decoder) hold(msg []byte, in *instrument, h Header, bids, asks *fastjson.Value) error {
	in.r.Stats.Dropped++
	d.request(in)
	if in.buf == nil {
		in.buf = NewBuffer(BufferDiffs, BufferLevels, BufferText)
	}
	if _, err := in.buf.Add(h, bids, asks); err != nil {
		// The stream now has a hole the buffer cannot bridge: the next snapshot must be newer.
		in.buf.Reset()
		d.anomalies.Note("bad levels", msg, err)
		return fmt.Errorf("%s: %s: %w", d.venue, in.r.Config().Symbol, err)
	}
	return nil
}

// gap marks in's book broken by a sequence gap at diff h and asks for a snapshot. The caller
// decides what happens to the buffer.
func (d *Decoder) gap(in *instrument, h Header, out *feed.Batch) {
	in.r.Begin(out, h.Last, h.ExchTS, h.RecvTS)
	in.r.Gap()
	in.state = waiting
	d.request(in)
}

// broken invalidates a book whose message could not be applied in full (a bad level: the book
// now differs from the venue's by an unknown amount) and asks for a snapshot.
// REQUIRES: Begin was called for the message.
func (d *Decoder) broken(msg []byte, in *instrument, err error) error {
	in.r.Invalidate(event.BookReasonGap)
	in.state = waiting
	if in.buf != nil {
		in.buf.Reset()
	}
	d.request(in)
	d.anomalies.Note("bad levels", msg, err)
	return fmt.Errorf("%s: %s: %w", d.venue, in.r.Config().Symbol, err)
}
