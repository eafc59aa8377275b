package binance

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/feed"
)

var (
	// ErrSnapshot reports a REST depth body without a numeric lastUpdateId or level arrays.
	ErrSnapshot = errors.New("binance: not a depth snapshot ({\"lastUpdateId\",\"bids\",\"asks\"})")
	// ErrStaleSnapshot reports a snapshot older than the diffs buffered since the book started
	// waiting: it cannot be joined to them, and another is requested (venue specs 1.2, step 2).
	ErrStaleSnapshot = errors.New("binance: snapshot older than the buffered diffs; another is requested")
	// ErrAmbiguousSnapshot reports a snapshot given without a symbol while several books exist.
	ErrAmbiguousSnapshot = errors.New("binance: snapshot without a symbol, but several books exist")
)

// LoadSnapshot applies a REST depth snapshot body ({"lastUpdateId":L,"bids":[...],"asks":[...]},
// as GET /api/v3/depth or /fapi/v1/depth return it) received at recvTS to symbol's book, then the
// diffs buffered while the book waited, by the market's Rule. Its events go to out. The snapshot
// is not counted as applied (venue specs section 9).
//
// Symbol "" means "the one book the stream is about", for a replay given one snapshot file: with
// exactly one book it is that book; with none yet the body is copied and held, and applied to the
// book of the first diff that arrives; with several it is ErrAmbiguousSnapshot.
//
// A snapshot older than the buffered diffs (its lastUpdateId+1 is below the U of the first diff
// it does not make obsolete) is not applied: it returns ErrStaleSnapshot and queues another
// request. body is only read during the call (except when held, as above: then it is copied).
func (d *Decoder) LoadSnapshot(symbol string, body []byte, recvTS int64, out *feed.Batch) error {
	if symbol == "" {
		switch len(d.listed) {
		case 0:
			if _, err := d.parseSnapshot(body); err != nil {
				return err
			}
			d.pending = append(d.pending[:0], body...)
			d.pendingRecv, d.hasPending = recvTS, true
			return nil
		case 1:
			return d.snapshot(d.listed[0], body, recvTS, out)
		}
		return ErrAmbiguousSnapshot
	}
	in, err := d.lookup(bytes.ToUpper([]byte(symbol)))
	if err != nil {
		return fmt.Errorf("%s: snapshot for %q: %w", d.venue, symbol, err)
	}
	d.list(in)
	return d.snapshot(in, body, recvTS, out)
}

// takePending applies the held symbol-less snapshot to in, the book of the first diff.
func (d *Decoder) takePending(in *instrument, out *feed.Batch) error {
	d.hasPending = false
	if err := d.snapshot(in, d.pending, d.pendingRecv, out); err != nil {
		d.anomalies.Note("bad snapshot", d.pending, err)
		return err
	}
	return nil
}

// snapshotBody is a parsed REST depth body; its values alias the spare parser's.
type snapshotBody struct {
	last       uint64 // lastUpdateId
	exchTS     int64  // T or E where sent (futures), else 0
	bids, asks *fastjson.Value
}

// parseSnapshot parses and checks body with the spare parser; the result is valid until its
// next use.
func (d *Decoder) parseSnapshot(body []byte) (snapshotBody, error) {
	v, err := d.spare.ParseBytes(body)
	if err != nil {
		return snapshotBody{}, fmt.Errorf("%s: snapshot: %w", d.venue, err)
	}
	var s snapshotBody
	var ok bool
	s.last, ok = getUint(v, "lastUpdateId")
	s.bids, s.asks = v.Get("bids"), v.Get("asks")
	if !ok || s.bids == nil || s.asks == nil {
		return snapshotBody{}, ErrSnapshot
	}
	if _, _, err := measure(s.bids); err != nil {
		return snapshotBody{}, fmt.Errorf("%s: snapshot bids: %w", d.venue, err)
	}
	if _, _, err := measure(s.asks); err != nil {
		return snapshotBody{}, fmt.Errorf("%s: snapshot asks: %w", d.venue, err)
	}
	s.exchTS = exchTS(v)
	return s, nil
}

// snapshot applies body to in's book and replays the buffered diffs.
func (d *Decoder) snapshot(in *instrument, body []byte, recvTS int64, out *feed.Batch) error {
	s, err := d.parseSnapshot(body)
	if err != nil {
		return err
	}
	in.requested = false
	pos := Position{Snapshot: s.last, Last: s.last, Fresh: true}
	if in.buf != nil && d.stale(in.buf, pos) {
		d.request(in)
		return fmt.Errorf("%s: %s: lastUpdateId %d, first buffered U %d: %w",
			d.venue, in.r.Config().Symbol, s.last, in.buf.Header(0).First, ErrStaleSnapshot)
	}
	r := in.r
	r.Begin(out, s.last, s.exchTS, recvTS)
	r.Snapshot()
	if err := ApplyLevels(r, book.Bid, s.bids); err != nil {
		return d.broken(body, in, err)
	}
	if err := ApplyLevels(r, book.Ask, s.asks); err != nil {
		return d.broken(body, in, err)
	}
	if err := r.CommitOutside(); err != nil {
		return d.broken(body, in, err)
	}
	in.state, in.pos = synced, pos
	if in.buf != nil {
		return d.drain(in, out)
	}
	return nil
}

// stale reports whether the snapshot at pos cannot be joined to the buffered diffs: the first one
// it does not make obsolete is a gap.
func (d *Decoder) stale(buf *Buffer, pos Position) bool {
	for i := 0; i < buf.Len(); i++ {
		switch d.rule.Check(pos, buf.Header(i)) {
		case Drop:
			continue
		case Gap:
			return true
		}
		return false
	}
	return false
}

// drain applies the buffered diffs of a book just built from a snapshot, by the Rule. A gap inside
// the buffer breaks the book again; the diffs from the gap on stay buffered for the next snapshot.
func (d *Decoder) drain(in *instrument, out *feed.Batch) error {
	r, buf := in.r, in.buf
	for i := 0; i < buf.Len(); i++ {
		h := buf.Header(i)
		switch d.rule.Check(in.pos, h) {
		case Drop:
			continue // counted as dropped when buffered
		case Gap:
			d.gap(in, h, out)
			buf.Discard(i)
			return nil
		}
		r.Begin(out, h.Last, h.ExchTS, h.RecvTS)
		if err := buf.Apply(i, r); err != nil {
			return d.broken(nil, in, err)
		}
		if err := r.Commit(); err != nil {
			return d.broken(nil, in, err)
		}
		r.Stats.Dropped-- // it was counted as dropped while it waited
		in.pos.Last, in.pos.Fresh = h.Last, false
	}
	buf.Reset()
	return nil
}
