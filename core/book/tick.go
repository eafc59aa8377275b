package book

import "math/bits"

// divider divides prices by a fixed tick without a hardware division and tells whether the price
// is on the tick. For d = o·2^s with o odd, n is a multiple of d iff
// q = rotr(n·o⁻¹ mod 2^64, s) <= (2^64-1)/d, and then q = n/d (Granlund-Montgomery exact division,
// the test compilers emit for n%d == 0).
type divider struct {
	inv   uint64 // multiplicative inverse of o modulo 2^64
	shift int    // s, the trailing zeros of d
	limit uint64 // (2^64-1)/d
}

// newDivider returns the divider for d.
// REQUIRES: d > 0.
func newDivider(d uint64) divider {
	s := bits.TrailingZeros64(d)
	o := d >> s
	x := o // correct to 3 bits: o·o ≡ 1 (mod 8) for odd o
	for i := 0; i < 5; i++ {
		x *= 2 - o*x // Newton step doubles the correct bits: 6, 12, 24, 48, 96
	}
	return divider{inv: x, shift: s, limit: ^uint64(0) / d}
}

// exact returns n/d and true when d divides n, and false otherwise.
func (v *divider) exact(n uint64) (uint64, bool) {
	q := bits.RotateLeft64(n*v.inv, -v.shift)
	return q, q <= v.limit
}
