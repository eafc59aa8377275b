package fixed

import (
	"bytes"
	"math/bits"
	"unsafe"
)

// Parse returns the decimal text b as a count of units at scale: "67123.45"
// at scale 8 is 6712345000000. The grammar and every rejected form are in the
// package documentation. Digits beyond the scale must be '0'; otherwise Parse
// fails with ErrPrecision and never rounds. Overflow of int64 at the scale is
// ErrRange, checked exactly.
//
// Parse does not retain or modify b and allocates nothing unless it fails.
//
// Parse has four tiers: one 8-byte word holding the integer digits and the
// '.' plus one word holding the fraction (most venue text, in this function);
// a byte loop for text under eight bytes (parseShort); words in turn for
// longer text (parseRuns); and the per-byte path for 20+ significant digits
// and every error (parseSlow). A tier answers only for text parseSlow would
// accept with the same value, and hands everything else on.
func Parse(b []byte, scale uint8) (int64, error) {
	n := len(b)
	i := 0
	if n != 0 && b[0] == '-' {
		i = 1
	}
	if n-i < 8 {
		return parseShort(b, i, scale)
	}
	// Word path: [-]III.FFFF with 1 … 7 integer digits in the word at i and
	// 1 … 8 fraction digits, which all lie in the last word of b.
	w := load8(b, i)
	p := bits.TrailingZeros64(nonDigits(w)) >> 3 // integer digits; 8 if none stop in w
	k := n - (i + p + 1)                         // fraction digits, if b[i+p] is '.'
	if uint(p-1) >= 7 || byte(w>>(uint(p)*8&63)) != '.' || uint(k-1) >= 8 ||
		scale > MaxScale || p+int(scale) > 18 {
		return parseRuns(b, i, scale)
	}
	// INVARIANT: 1 <= p <= 7, 1 <= k <= 8, the value is below 10^(p+scale) <= 10^18.
	t := load8(b, n-8) // the fraction is its top k bytes
	if nonDigits(t)>>(uint(8-k)*8&63) != 0 {
		return parseSlow(b, scale) // a bad byte after the '.'
	}
	u := min(k, int(scale)) // fraction digits that count
	if k > u {
		// The k-u digits past the scale, at the top of t, must be '0'.
		z := uint(8-(k-u)) * 8 & 63
		if t>>z != zeros8>>z {
			return parseSlow(b, scale) // ErrPrecision
		}
	}
	v := digits8((w-zeros8)<<(uint(8-p)*8&63)) * pow10[scale]
	if u > 0 {
		// Drop the excess digits above the counted ones, then the bytes
		// before the fraction below them; subtract '0' only where digits are.
		keep := uint(8-u) * 8 & 63
		f := t << (uint(k-u) * 8 & 63) >> keep << keep
		v += digits8(f-zeros8>>keep<<keep) * pow10[int(scale)-u]
	}
	if i != 0 {
		return -int64(v), nil
	}
	return int64(v), nil
}

// parseShort parses text with 1 … 7 bytes after the sign, one byte at a
// time: at most 7 digits, so nothing overflows while scale <= 11.
// REQUIRES: len(b)-i < 8, i is 1 when b starts with '-' and 0 otherwise.
func parseShort(b []byte, i int, scale uint8) (int64, error) {
	var v uint64
	dot := -1
	for j := i; j < len(b); j++ {
		if c := b[j] - '0'; c < 10 {
			v = v*10 + uint64(c)
			continue
		}
		if b[j] != '.' || dot >= 0 {
			return parseSlow(b, scale)
		}
		dot = j
	}
	k := 0 // fraction digits
	if dot >= 0 {
		k = len(b) - dot - 1
		if dot == i || k == 0 {
			return parseSlow(b, scale)
		}
	}
	if len(b) == i || scale > 11 {
		// No digits, or a scale large enough to overflow.
		return parseSlow(b, scale)
	}
	if k > int(scale) {
		// The digits past the scale must be '0'; then drop them.
		for _, c := range b[len(b)-(k-int(scale)):] {
			if c != '0' {
				return parseSlow(b, scale) // ErrPrecision
			}
		}
		v /= pow10[k-int(scale)]
	} else {
		v *= pow10[int(scale)-k]
	}
	if i != 0 {
		return -int64(v), nil
	}
	return int64(v), nil
}

// parseRuns parses text of eight or more bytes after the sign with at most 19
// significant digits at the scale, eight bytes at a time. Below 10^19 every
// step fits a uint64, so one comparison at the end checks int64 overflow.
// REQUIRES: len(b)-i >= 8, i is 1 when b starts with '-' and 0 otherwise.
func parseRuns(b []byte, i int, scale uint8) (int64, error) {
	n := len(b)
	if scale > MaxScale {
		return parseSlow(b, scale)
	}
	// Integer digits.
	j := i
	var v uint64
	for {
		x := wordAt(b, j)
		p := bits.TrailingZeros64(nonDigits(x)) >> 3 // digits at the start of x
		if j-i+p > 19 {
			return parseSlow(b, scale) // 20+ integer digits
		}
		v = v*pow10[p] + digits8((x-zeros8)<<(uint(8-p)*8)) // a shift by 64 gives 0
		j += p
		if p < 8 {
			break
		}
	}
	sig := j - i // integer digits that count toward overflow
	if sig == 1 && b[i] == '0' {
		sig = 0
	}
	if j == i || sig+int(scale) > 19 {
		return parseSlow(b, scale)
	}
	// INVARIANT: the value is below 10^(sig+scale) <= 10^19 < 2^64.
	v *= pow10[scale]
	if j < n {
		if b[j] != '.' {
			return parseSlow(b, scale)
		}
		j++
		at := j
		var f uint64
		used := 0 // fraction digits taken, at most scale
		for {
			x := wordAt(b, j)
			p := bits.TrailingZeros64(nonDigits(x)) >> 3
			take := min(p, int(scale)-used)
			if take > 0 {
				f = f*pow10[take] + digits8((x-zeros8)<<(uint(8-take)*8&63))
			}
			if p > take {
				// Bytes take … p-1 of x lie past the scale: they must be '0'.
				z := (x ^ zeros8) >> (uint(take) * 8 & 63) << (uint(8-p+take) * 8 & 63)
				if z != 0 {
					return parseSlow(b, scale) // ErrPrecision
				}
			}
			used += take
			j += p
			if p < 8 {
				break
			}
		}
		if j == at || j != n {
			return parseSlow(b, scale)
		}
		if used > 0 {
			v += f * pow10[int(scale)-used]
		}
	}
	neg := i != 0
	if v > limit(neg) {
		return parseSlow(b, scale) // ErrRange
	}
	return signed(v, neg), nil
}

// ParseString is Parse for a string, with no copy and no allocation.
func ParseString(s string, scale uint8) (int64, error) {
	// Parse only reads its argument and does not retain it, so viewing the
	// string's bytes without copying them is safe.
	return Parse(unsafe.Slice(unsafe.StringData(s), len(s)), scale)
}

// Places returns the number of bytes after the first '.' of b, or 0 when b has
// none: the number of decimal places the text is written with, trailing zeros
// included ("0.35270000" has 8). It does not validate b; use it to infer the
// scale of an instrument from the text a venue sends, then Parse at that scale.
func Places(b []byte) int {
	if i := bytes.IndexByte(b, '.'); i >= 0 {
		return len(b) - i - 1
	}
	return 0
}
