package okx

import (
	"ems/core/jsontext"
	"math/big"
	"strconv"

	"ems/core/fixed"
)

// Append-style JSON writing. OKX writes every number of its v5 API as a JSON string ("px",
// "sz", "ts", "code", ids) except a few integers (books "checksum", "seqId", "prevSeqId",
// instruments "instIdCode"); prices and sizes are decimal text with no trailing fractional zero
// ("30244", "0.08"), which fixed.AppendTrim writes exactly.

const hexDigits = "0123456789abcdef"

// appendField appends `"name":"value"` (value escaped).
func appendField(dst []byte, name, value string) []byte {
	dst = append(dst, '"')
	dst = append(dst, name...)
	dst = append(dst, `":`...)
	return jsontext.AppendString(dst, value)
}

// appendDec appends v at scale as a quoted canonical decimal ("30244.5").
func appendDec(dst []byte, v int64, scale uint8) []byte {
	dst = append(dst, '"')
	dst = fixed.AppendTrim(dst, v, scale)
	return append(dst, '"')
}

// appendIntQ appends v as a quoted decimal integer.
func appendIntQ(dst []byte, v int64) []byte {
	dst = append(dst, '"')
	dst = strconv.AppendInt(dst, v, 10)
	return append(dst, '"')
}

// appendUintQ appends v as a quoted decimal integer.
func appendUintQ(dst []byte, v uint64) []byte {
	dst = append(dst, '"')
	dst = strconv.AppendUint(dst, v, 10)
	return append(dst, '"')
}

// appendMillisQ appends a nanosecond time as quoted Unix milliseconds.
func appendMillisQ(dst []byte, ns int64) []byte { return appendIntQ(dst, ns/1e6) }

// appendMicrosQ appends a nanosecond time as quoted Unix microseconds (inTime, outTime).
func appendMicrosQ(dst []byte, ns int64) []byte { return appendIntQ(dst, ns/1e3) }

// appendBigDec appends v × 10^-scale as a canonical decimal (no trailing fractional zero, "0"
// for zero), unquoted. For values beyond int64 (products of price, size and fee rate).
func appendBigDec(dst []byte, v *big.Int, scale int) []byte {
	if v.Sign() == 0 {
		return append(dst, '0')
	}
	if v.Sign() < 0 {
		dst = append(dst, '-')
	}
	start := len(dst)
	dst = new(big.Int).Abs(v).Append(dst, 10)
	digits := dst[start:]
	n := len(digits)
	// Trim trailing zeros of the fraction.
	frac := scale
	for frac > 0 && digits[n-1] == '0' {
		n--
		frac--
	}
	digits = digits[:n]
	dst = dst[:start+n]
	if frac == 0 {
		return dst
	}
	if n > frac {
		// Insert the point frac digits from the end.
		dst = append(dst, 0)
		copy(dst[start+n-frac+1:], dst[start+n-frac:start+n])
		dst[start+n-frac] = '.'
		return dst
	}
	// 0.000ddd
	pad := frac - n
	tmp := append([]byte(nil), digits...)
	dst = dst[:start]
	dst = append(dst, '0', '.')
	for i := 0; i < pad; i++ {
		dst = append(dst, '0')
	}
	return append(dst, tmp...)
}

// appendBigDecQ is appendBigDec quoted.
func appendBigDecQ(dst []byte, v *big.Int, scale int) []byte {
	dst = append(dst, '"')
	dst = appendBigDec(dst, v, scale)
	return append(dst, '"')
}
