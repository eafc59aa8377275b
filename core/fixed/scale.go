package fixed

import (
	"math/bits"
	"strconv"
)

// MaxScale is the largest scale: 10^18 is the largest power of ten below
// MaxInt64 (about 9.22 × 10^18).
const MaxScale = 18

// pow10 holds 10^0 … 10^MaxScale. It is a read-only table.
var pow10 = [MaxScale + 1]uint64{
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000,
	100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
	1000000000000000000,
}

// Pow10 returns 10^n as an int64, the number of units in 1 at scale n.
// REQUIRES: n <= MaxScale (a larger n returns 0).
func Pow10(n uint8) int64 {
	if n > MaxScale {
		return 0
	}
	return int64(pow10[n])
}

// Rescale converts v from scale from to scale to, exactly or with an error:
// growing the scale multiplies by a power of ten (ErrRange on overflow);
// shrinking it divides and fails with ErrPrecision when a non-zero digit would
// be dropped. It never rounds. Both scales must be at most MaxScale (ErrScale).
func Rescale(v int64, from, to uint8) (int64, error) {
	if from > MaxScale {
		return 0, scaleError(from)
	}
	if to > MaxScale {
		return 0, scaleError(to)
	}
	switch {
	case to > from:
		u, neg := abs(v)
		hi, lo := bits.Mul64(u, pow10[to-from])
		if hi != 0 || lo > limit(neg) {
			return 0, rescaleError(ErrRange, v, from, to, "overflows int64")
		}
		return signed(lo, neg), nil
	case to < from:
		p := int64(pow10[from-to])
		q := v / p
		if q*p != v {
			return 0, rescaleError(ErrPrecision, v, from, to, "drops non-zero digits")
		}
		return q, nil
	}
	return v, nil
}

// rescaleError reports a Rescale of v that fails with sentinel.
func rescaleError(sentinel error, v int64, from, to uint8, what string) error {
	return &Error{Err: sentinel, msg: "fixed: rescaling " + strconv.FormatInt(v, 10) +
		" from scale " + strconv.Itoa(int(from)) + " to scale " + strconv.Itoa(int(to)) + " " + what}
}

// abs returns |v| as a uint64 (exact for MinInt64) and whether v < 0.
func abs(v int64) (uint64, bool) {
	if v < 0 {
		return -uint64(v), true
	}
	return uint64(v), false
}

// limit is the largest magnitude an int64 of the given sign holds.
func limit(neg bool) uint64 {
	if neg {
		return 1 << 63
	}
	return 1<<63 - 1
}

// signed returns u with the sign applied.
// REQUIRES: u <= limit(neg).
func signed(u uint64, neg bool) int64 {
	if neg {
		return int64(-u)
	}
	return int64(u)
}
