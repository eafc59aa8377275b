package kraken

import (
	"hash/crc32"
	"strconv"

	"ems/core/book"
	"ems/core/fixed"
)

// ChecksumLevels is the number of levels per side a Kraken book checksum covers (v1 and v2).
const ChecksumLevels = 10

// checksummer computes Kraken's book checksum from a book's integers, with no float and no
// allocation once its buffers have grown. Owned by the decoder (feed thread).
//
// The venue's rule is over text: for the 10 best asks (price ascending) then the 10 best bids
// (price descending), each level contributes fmt(price) then fmt(qty), where fmt removes the '.'
// and strips leading zeros; the CRC-32 (IEEE) of the concatenation, as an unsigned 32-bit
// integer. Kraken prints every price and quantity of a pair with the same number of decimals
// ("0.10000000", never "0.1"), so fmt(text) is the decimal integer of the value counted at that
// precision: 0.00100000 at 8 places is 100000, 45285.2 at 1 place is 452852. sum formats the book's
// values that way at the precision seen on the wire (bookState.pxWire, qtyWire), whatever scale
// the book keeps them at.
type checksummer struct {
	levels []book.Level
	text   []byte
}

func newChecksummer() checksummer {
	return checksummer{
		levels: make([]book.Level, 0, ChecksumLevels),
		text:   make([]byte, 0, 2*ChecksumLevels*2*20),
	}
}

// sum returns the checksum of b's book as it stands; ok is false when a value cannot be brought
// to the wire precision (a scale the values do not fit, which no consistent stream produces).
// REQUIRES: the book's depth is at least ChecksumLevels, or no deeper than the venue's (so the
// best 10 levels are the venue's best 10 whether or not the book is truncated yet).
func (c *checksummer) sum(b *bookState) (crc uint32, ok bool) {
	r := b.r
	ps, qs := r.PriceScale(), r.QtyScale()
	c.text = c.text[:0]
	for _, side := range [2]book.Side{book.Ask, book.Bid} {
		c.levels = r.Book().Levels(side, ChecksumLevels, c.levels[:0])
		for _, l := range c.levels {
			p, okp := atPlaces(l.Price, ps, b.pxWire)
			q, okq := atPlaces(l.Qty, qs, b.qtyWire)
			if !okp || !okq {
				return 0, false
			}
			c.text = strconv.AppendUint(c.text, p, 10)
			c.text = strconv.AppendUint(c.text, q, 10)
		}
	}
	return crc32.ChecksumIEEE(c.text), true
}

// atPlaces returns v (a positive count of units at scale) counted at places decimals.
func atPlaces(v int64, scale, places uint8) (uint64, bool) {
	if scale == places {
		return uint64(v), v >= 0
	}
	w, err := fixed.Rescale(v, scale, places)
	return uint64(w), err == nil && w >= 0
}

// parseChecksum reads a v1 checksum string (decimal digits of a uint32).
func parseChecksum(b []byte) (uint32, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return uint32(n), n <= 0xFFFFFFFF
}
