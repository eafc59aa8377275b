package binance

import (
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/feed"
)

// Default capacity of a book's Buffer: enough for several seconds of a busy symbol's 100 ms diffs,
// longer than a REST snapshot takes to arrive. About 450 KB per book, allocated the first time the
// book waits for a snapshot.
const (
	BufferDiffs  = 256
	BufferLevels = 8192
	BufferText   = 256 << 10
)

// ErrBufferTooSmall reports a diff larger than a Buffer's whole capacity.
var ErrBufferTooSmall = errors.New("binance: diff larger than the snapshot wait buffer")

// Buffer holds the diffs of one book received while it waits for a REST snapshot (venue specs
// section 1.2, step 1): each diff's Header and the text of its levels, copied into arrays sized
// once by NewBuffer. It never grows. When full it evicts its oldest diffs: the snapshot that ends
// the wait is newer than the diff that started it, so the oldest diffs are the ones the snapshot
// makes useless. A diff's text is kept, not its values, because the book's scales may still be
// inferred when the diff is applied. Owned by the feed thread.
type Buffer struct {
	diffs  []bufferedDiff
	levels []bufferedLevel
	text   []byte
}

type bufferedDiff struct {
	h    Header
	lo   int // first level in levels
	bids int // levels[lo:lo+bids] are bids
	hi   int // levels[lo+bids:hi] are asks
}

type bufferedLevel struct {
	off     int32 // price text at text[off:off+px], quantity text right after it
	px, qty uint16
}

// maxText is the longest price or quantity text a Buffer keeps (no decimal a venue sends is near).
const maxText = 1<<16 - 1

// NewBuffer returns an empty Buffer for at most diffs diffs, levels levels and text bytes of
// level text in all.
func NewBuffer(diffs, levels, text int) *Buffer {
	return &Buffer{
		diffs:  make([]bufferedDiff, 0, max(diffs, 1)),
		levels: make([]bufferedLevel, 0, max(levels, 0)),
		text:   make([]byte, 0, min(max(text, 0), 1<<31-1)),
	}
}

// Len returns the number of diffs held.
func (b *Buffer) Len() int { return len(b.diffs) }

// Header returns the header of the i-th diff held, oldest first.
// REQUIRES: 0 <= i < Len().
func (b *Buffer) Header(i int) Header { return b.diffs[i].h }

// Reset forgets every diff, keeping the memory.
func (b *Buffer) Reset() {
	b.diffs, b.levels, b.text = b.diffs[:0], b.levels[:0], b.text[:0]
}

// Add copies a diff with header h and level arrays bids and asks (see ApplyLevels; nil for an
// absent side) into the buffer, evicting the oldest diffs as needed, and returns how many it
// evicted. A malformed level or a diff larger than the whole buffer leaves the buffer unchanged
// and returns an error. Nothing is retained from bids and asks.
func (b *Buffer) Add(h Header, bids, asks *fastjson.Value) (evicted int, err error) {
	nb, tb, err := measure(bids)
	if err != nil {
		return 0, err
	}
	na, ta, err := measure(asks)
	if err != nil {
		return 0, err
	}
	n, t := nb+na, tb+ta
	if n > cap(b.levels) || t > cap(b.text) {
		return 0, ErrBufferTooSmall
	}
	for len(b.diffs) == cap(b.diffs) || len(b.levels)+n > cap(b.levels) || len(b.text)+t > cap(b.text) {
		b.Discard(1)
		evicted++
	}
	d := bufferedDiff{h: h, lo: len(b.levels), bids: nb}
	b.copyLevels(bids)
	b.copyLevels(asks)
	d.hi = len(b.levels)
	b.diffs = append(b.diffs, d)
	return evicted, nil
}

// measure counts the levels of arr and their text bytes, checking each is a pair of strings.
func measure(arr *fastjson.Value) (n, text int, err error) {
	if arr == nil {
		return 0, 0, nil
	}
	ls, err := arr.Array()
	if err != nil {
		return 0, 0, ErrLevel
	}
	for _, l := range ls {
		px, qty, err := Level(l)
		if err != nil {
			return 0, 0, err
		}
		if len(px) > maxText || len(qty) > maxText {
			return 0, 0, ErrLevel
		}
		text += len(px) + len(qty)
	}
	return len(ls), text, nil
}

// copyLevels appends the levels of arr, which measure accepted.
func (b *Buffer) copyLevels(arr *fastjson.Value) {
	if arr == nil {
		return
	}
	ls, _ := arr.Array()
	for _, l := range ls {
		px, qty, _ := Level(l)
		off := len(b.text)
		b.text = append(b.text, px...)
		b.text = append(b.text, qty...)
		b.levels = append(b.levels, bufferedLevel{off: int32(off), px: uint16(len(px)), qty: uint16(len(qty))})
	}
}

// Discard forgets the k oldest diffs (all of them when k >= Len()).
func (b *Buffer) Discard(k int) {
	if k <= 0 {
		return
	}
	if k >= len(b.diffs) {
		b.Reset()
		return
	}
	lv := b.diffs[k].lo
	tx := int32(len(b.text))
	if lv < len(b.levels) {
		tx = b.levels[lv].off
	}
	n := copy(b.diffs, b.diffs[k:])
	b.diffs = b.diffs[:n]
	for i := range b.diffs {
		b.diffs[i].lo -= lv
		b.diffs[i].hi -= lv
	}
	n = copy(b.levels, b.levels[lv:])
	b.levels = b.levels[:n]
	for i := range b.levels {
		b.levels[i].off -= tx
	}
	n = copy(b.text, b.text[tx:])
	b.text = b.text[:n]
}

// Apply sets the levels of the i-th diff on r, bids first, as ApplyLevels would have.
// REQUIRES: 0 <= i < Len(); r.Begin was called.
func (b *Buffer) Apply(i int, r *feed.Replica) error {
	d := &b.diffs[i]
	for j := d.lo; j < d.hi; j++ {
		side := book.Ask
		if j < d.lo+d.bids {
			side = book.Bid
		}
		l := &b.levels[j]
		p := int(l.off) + int(l.px)
		px := b.text[l.off:p]
		qty := b.text[p : p+int(l.qty)]
		if err := r.SetText(side, px, qty); err != nil {
			return err
		}
	}
	return nil
}
