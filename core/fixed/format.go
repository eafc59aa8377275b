package fixed

// digitPairs holds "00", "01", … "99" back to back.
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// zeroRun is a run of '0' bytes for padding.
const zeroRun = "000000000000000000000000"

// Append appends v at scale as decimal text with exactly scale decimals and
// returns the extended slice: 6712345000000 at scale 8 is "67123.45000000",
// 5 at scale 3 is "0.005", 7 at scale 0 is "7", negatives get a leading '-'
// (MinInt64 included). Parse(Append(nil, v, s), s) == v for every v and every
// s <= MaxScale. It writes only dst[len(dst):] and allocates only when dst
// lacks capacity (at most 21 bytes are added for scale <= MaxScale); a scale
// above MaxScale formats too, padding with more zeros.
func Append(dst []byte, v int64, scale uint8) []byte {
	u, neg := abs(v)
	if neg {
		dst = append(dst, '-')
	}
	var buf [20]byte
	d := formatUint(&buf, u)
	return appendPoint(dst, buf[d:], int(scale))
}

// AppendTrim is Append without trailing fractional zeros, and without the '.'
// when none remain: 352700000 at scale 9 is "0.3527", 900 at scale 2 is "9",
// zero is "0". The result is the shortest text Parse reads back to v at scale.
func AppendTrim(dst []byte, v int64, scale uint8) []byte {
	u, neg := abs(v)
	if u == 0 {
		return append(dst, '0')
	}
	if neg {
		dst = append(dst, '-')
	}
	var buf [20]byte
	d := formatUint(&buf, u)
	e, s := len(buf), int(scale)
	// u != 0, so its leading digit is not '0' and trimming stops there.
	for s > 0 && buf[e-1] == '0' {
		e--
		s--
	}
	return appendPoint(dst, buf[d:e], s)
}

// formatUint writes the decimal digits of u at the end of buf, two at a time,
// and returns the index of the first one.
func formatUint(buf *[20]byte, u uint64) int {
	i := len(buf)
	for u >= 100 {
		q := u / 100
		r := (u - q*100) * 2
		i -= 2
		buf[i], buf[i+1] = digitPairs[r], digitPairs[r+1]
		u = q
	}
	if u >= 10 {
		i -= 2
		buf[i], buf[i+1] = digitPairs[u*2], digitPairs[u*2+1]
		return i
	}
	i--
	buf[i] = byte('0' + u)
	return i
}

// appendPoint appends digits (no leading zeros, at least one digit) with a
// '.' placed scale digits from the right, and "0." plus zeros in front when
// there are no more digits than the scale.
func appendPoint(dst, digits []byte, scale int) []byte {
	n := len(digits)
	if n > scale {
		k := n - scale
		dst = append(dst, digits[:k]...)
		if scale == 0 {
			return dst
		}
		dst = append(dst, '.')
		return append(dst, digits[k:]...)
	}
	dst = append(dst, '0', '.')
	for pad := scale - n; pad > 0; {
		k := min(pad, len(zeroRun))
		dst = append(dst, zeroRun[:k]...)
		pad -= k
	}
	return append(dst, digits...)
}
