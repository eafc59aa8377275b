package okx

import (
	"hash/crc32"

	"ems/core/book"
	"ems/feed"
)

// ChecksumDepth is the number of levels per side the OKX checksum covers.
const ChecksumDepth = 25

// The checksum text (venue specs section 3) interleaves the best ChecksumDepth bids and asks of the
// merged book, price then size, joined by ':':
//
//	bid1px:bid1sz:ask1px:ask1sz:bid2px:bid2sz:ask2px:ask2sz: ... (one side alone once the other runs out)
//
// with every number written exactly as received. The checksum is its CRC-32/IEEE read as a signed
// int32; 0 in a message means "no checksum" (OKX stopped computing it in 2026).

// Checksum returns the OKX checksum of a checksum text: CRC-32/IEEE as a signed int32.
func Checksum(text []byte) int32 { return int32(crc32.ChecksumIEEE(text)) }

// checksummer builds checksum texts into buffers it keeps. Owned by the feed thread.
type checksummer struct {
	bids, asks []book.Level
	text       []byte
}

func newChecksummer() checksummer {
	// A level is at most two 20-digit numbers with a '.' each and three separators.
	return checksummer{
		bids: make([]book.Level, 0, ChecksumDepth),
		asks: make([]book.Level, 0, ChecksumDepth),
		text: make([]byte, 0, 2*ChecksumDepth*48),
	}
}

// compute returns the checksum of r's book, whose non-canonical texts are in texts. The text it
// hashed stays in c.text until the next call.
func (c *checksummer) compute(r *feed.Replica, texts *textTable) int32 {
	b := r.Book()
	c.bids = b.Levels(book.Bid, ChecksumDepth, c.bids[:0])
	c.asks = b.Levels(book.Ask, ChecksumDepth, c.asks[:0])
	ps, qs := r.PriceScale(), r.QtyScale()
	t := c.text[:0]
	for i := 0; i < ChecksumDepth; i++ {
		if i < len(c.bids) {
			t = appendLevel(t, c.bids[i], book.Bid, ps, qs, texts)
		}
		if i < len(c.asks) {
			t = appendLevel(t, c.asks[i], book.Ask, ps, qs, texts)
		}
	}
	if len(t) > 0 {
		t = t[:len(t)-1] // the last ':'
	}
	c.text = t
	return Checksum(t)
}

// appendLevel appends "px:sz:".
func appendLevel(dst []byte, l book.Level, side book.Side, ps, qs uint8, texts *textTable) []byte {
	p := textPlaces{-1, -1}
	if !texts.empty() {
		p = texts.lookup(side, l.Price, ps)
	}
	dst = appendText(dst, l.Price, ps, p.price)
	dst = append(dst, ':')
	dst = appendText(dst, l.Qty, qs, p.qty)
	return append(dst, ':')
}
