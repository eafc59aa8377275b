package fixed

import "math/bits"

// parseSlow is the per-byte path of Parse: it takes text with more than 19
// significant digits at the scale, checks overflow exactly, and decides every
// error and its message. The faster tiers send it anything they do not
// accept, so they agree by construction: they answer only for text parseSlow
// accepts with the same value (tests check this on random input and fuzzing).
//
// Errors are reported in this order: empty, syntax (leading '+', exponent,
// invalid byte, second '.', missing digits), scale, precision, range.
func parseSlow(b []byte, scale uint8) (int64, error) {
	n := len(b)
	if n == 0 {
		return 0, &Error{Err: ErrEmpty, msg: "fixed: empty decimal"}
	}
	i := 0
	switch b[0] {
	case '+':
		return 0, parseError(ErrSyntax, b, "has a leading '+'; only '-' is accepted")
	case '-':
		i = 1
	}
	intAt := i
	for i < n && b[i]-'0' < 10 {
		i++
	}
	intEnd := i
	dot := i < n && b[i] == '.'
	fracAt, fracEnd := i, i
	if dot {
		i++
		fracAt = i
		for i < n && b[i]-'0' < 10 {
			i++
		}
		fracEnd = i
	}
	hasInt, hasFrac := intEnd > intAt, fracEnd > fracAt
	if i < n {
		switch c := b[i]; {
		case (c == 'e' || c == 'E') && (hasInt || hasFrac):
			return 0, parseError(ErrExponent, b, "has an exponent; exponents are not accepted")
		case c == '.':
			return 0, parseError(ErrSyntax, b, "has more than one '.'")
		default:
			return 0, badByteError(b, i)
		}
	}
	switch {
	case !hasInt && !hasFrac:
		return 0, parseError(ErrSyntax, b, "has no digits")
	case !hasInt:
		return 0, parseError(ErrSyntax, b, "has no digit before '.'")
	case dot && !hasFrac:
		return 0, parseError(ErrSyntax, b, "has no digit after '.'")
	}
	if scale > MaxScale {
		return 0, scaleError(scale)
	}
	used := fracEnd - fracAt
	if used > int(scale) {
		used = int(scale)
		for _, c := range b[fracAt+used : fracEnd] {
			if c != '0' {
				return 0, precisionError(b, scale)
			}
		}
	}
	// Accumulate integer digits, the used fraction digits, then zeros up to
	// the scale, each step checked against uint64 overflow.
	var acc uint64
	ok := true
	for _, c := range b[intAt:intEnd] {
		acc, ok = mulAdd10(acc, c-'0', ok)
	}
	for _, c := range b[fracAt : fracAt+used] {
		acc, ok = mulAdd10(acc, c-'0', ok)
	}
	for k := used; k < int(scale); k++ {
		acc, ok = mulAdd10(acc, 0, ok)
	}
	neg := intAt == 1
	if !ok || acc > limit(neg) {
		return 0, rangeError(b, scale)
	}
	return signed(acc, neg), nil
}

// mulAdd10 returns acc*10 + d and ok, with ok false from the first uint64
// overflow on (acc is then meaningless).
func mulAdd10(acc uint64, d byte, ok bool) (uint64, bool) {
	hi, lo := bits.Mul64(acc, 10)
	sum, carry := bits.Add64(lo, uint64(d), 0)
	return sum, ok && hi == 0 && carry == 0
}
