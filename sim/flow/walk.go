package flow

import (
	"math/bits"

	"ems/core/fixed"
)

// walkScale is the fixed-point scale of the walk's relative displacement: r = 10^12 is +100 %.
const walkScale = int64(1_000_000_000_000)

// Bounds of the walk's displacement: the mid stays within 0.5 × and 2 × the starting mid (the
// walk reflects at the bounds).
const (
	walkLow  = -walkScale / 2
	walkHigh = walkScale
)

// walk is the random walk of the mid. It is counter-based: the increment of quantum q is a pure
// function of (seed, q), so the mid at a given time depends on the seed and on the time the walk
// started, never on how Steps were spaced, and flows sharing a MidSeed move together.
//
// Each increment is the sum of three independent uniforms on [-a, a], whose standard deviation
// is exactly a (variance 3 × a²/3); a is VolatilityBps × 10^-7 of the mid per 10 ms quantum,
// which makes VolatilityBps × 10^-6 per √s.
type walk struct {
	seed uint64
	a    int64 // half-width of each uniform, at walkScale
	r    int64 // displacement relative to the starting mid, at walkScale
	q    int64 // quantum of the latest increment
}

func newWalk(seed uint64, volBps int) walk {
	// σ per quantum = volBps × 10^-6 / √100 = volBps × 10^-7 of the mid = volBps × 10^5 at walkScale.
	return walk{seed: seed, a: int64(volBps) * 100_000}
}

// start anchors the walk at quantum q with no displacement.
func (w *walk) start(q int64) { w.q, w.r = q, 0 }

// advance applies the increments of quanta w.q+1 .. q (at most maxCatchUpQuanta of them; older
// ones are skipped).
func (w *walk) advance(q int64) {
	if q-w.q > maxCatchUpQuanta {
		w.q = q - maxCatchUpQuanta
	}
	for w.q < q {
		w.q++
		if w.a == 0 {
			continue
		}
		w.r += w.increment(w.q)
		switch {
		case w.r < walkLow:
			w.r = 2*walkLow - w.r
		case w.r > walkHigh:
			w.r = 2*walkHigh - w.r
		}
	}
}

// increment returns the displacement of quantum q.
func (w *walk) increment(q int64) int64 {
	span := uint64(2*w.a + 1)
	base := uint64(q) * 3
	var sum int64
	for i := uint64(0); i < 3; i++ {
		hi, _ := bits.Mul64(mix(w.seed^mix(base+i)), span)
		sum += int64(hi) - w.a
	}
	return sum
}

// mid returns the mid for a starting mid m: m × (1 + r / walkScale), in price units.
func (w *walk) mid(m int64) int64 {
	d, err := fixed.MulDiv(m, w.r, walkScale)
	if err != nil { // |r| <= walkScale: cannot overflow
		panic("flow: walk overflow")
	}
	return m + d
}

// mix is a 64-bit finalizer (splitmix64's): a bijection whose output bits each depend on every
// input bit, used to turn a counter into a uniform random word.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
