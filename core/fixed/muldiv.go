package fixed

import (
	"math/bits"
	"strconv"
)

// MulDiv returns a × b / div with a 128-bit intermediate product, truncated
// toward zero like Go's integer division (7 × 1 / 2 = 3, -7 × 1 / 2 = -3). It
// fails with ErrZeroDivisor when div is 0 and with ErrRange when the quotient
// does not fit an int64; it never wraps.
func MulDiv(a, b, div int64) (int64, error) {
	if div == 0 {
		return 0, &Error{Err: ErrZeroDivisor, msg: "fixed: " + strconv.FormatInt(a, 10) +
			" * " + strconv.FormatInt(b, 10) + " / 0: division by zero"}
	}
	ua, na := abs(a)
	ub, nb := abs(b)
	ud, nd := abs(div)
	neg := na != nb != nd
	hi, lo := bits.Mul64(ua, ub)
	hi, lo = div128(hi, lo, ud)
	if hi != 0 || lo > limit(neg) {
		return 0, &Error{Err: ErrRange, msg: "fixed: " + strconv.FormatInt(a, 10) + " * " +
			strconv.FormatInt(b, 10) + " / " + strconv.FormatInt(div, 10) + " overflows int64"}
	}
	return signed(lo, neg), nil
}

// Notional returns price × qty at outScale, where price is at priceScale and
// qty at qtyScale: the exact product is at scale priceScale+qtyScale, and it is
// brought to outScale by multiplying by a power of ten (exact) or dividing by
// one (truncated toward zero, like MulDiv). 6712345 (67123.45 at scale 2) ×
// 150000 (1.5 at scale 5) at scale 2 is 10068517 (100685.175 truncated). It
// fails with ErrScale for a scale above MaxScale and ErrRange when the result
// does not fit an int64.
func Notional(price, qty int64, priceScale, qtyScale, outScale uint8) (int64, error) {
	for _, s := range [...]uint8{priceScale, qtyScale, outScale} {
		if s > MaxScale {
			return 0, scaleError(s)
		}
	}
	up, np := abs(price)
	uq, nq := abs(qty)
	neg := np != nq
	hi, lo := bits.Mul64(up, uq)
	exact, out := int(priceScale)+int(qtyScale), int(outScale)
	if out >= exact {
		var hi2 uint64
		hi2, lo = bits.Mul64(lo, pow10[out-exact])
		hi |= hi2
	} else {
		k := exact - out // 1 … 36
		if k > MaxScale {
			hi, lo = div128(hi, lo, pow10[MaxScale])
			k -= MaxScale
		}
		hi, lo = div128(hi, lo, pow10[k])
	}
	if hi != 0 || lo > limit(neg) {
		return 0, &Error{Err: ErrRange, msg: "fixed: notional " + strconv.FormatInt(price, 10) +
			" (scale " + strconv.Itoa(int(priceScale)) + ") * " + strconv.FormatInt(qty, 10) +
			" (scale " + strconv.Itoa(int(qtyScale)) + ") at scale " + strconv.Itoa(out) +
			" overflows int64"}
	}
	return signed(lo, neg), nil
}

// div128 returns the 128-bit quotient (hi:lo) / d, truncated.
// REQUIRES: d != 0.
func div128(hi, lo, d uint64) (qhi, qlo uint64) {
	if hi == 0 {
		return 0, lo / d
	}
	qhi = hi / d
	qlo, _ = bits.Div64(hi%d, lo, d)
	return qhi, qlo
}
