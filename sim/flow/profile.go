package flow

import "ems/core/fixed"

// Time grid of the flow. A Step walks simulated time in slots of SlotNanos; taker arrivals and
// random requotes are decided per slot, the mid moves and the ladders follow it once per quantum
// of QuantumSlots slots.
const (
	SlotNanos    = int64(1_000_000) // 1 ms
	QuantumSlots = 10               // 10 ms
	QuantumNanos = SlotNanos * QuantumSlots
	hourNanos    = int64(3_600_000_000_000)

	// maxCatchUpSlots bounds the simulated time one Step covers: a Step more than 10 s after
	// the previous one simulates only the last 10 s (the mid still covers the whole gap, by at
	// most maxCatchUpQuanta walk increments).
	maxCatchUpSlots  = 10_000
	maxCatchUpQuanta = 100_000
)

// arrivals holds, per UTC hour, the mean number of taker arrivals in one slot in 32.32 fixed
// point: the integer part arrives for sure, the fraction is the probability of one more.
type arrivals [ProfileHours]uint64

// newArrivals spreads perSecond takers per second over the day by profile.
// REQUIRES: profile is valid (24 weights in 0..MaxProfileWeight with a positive sum) and
// perSecond in 0..MaxTakers, so nothing overflows.
func newArrivals(perSecond int, profile []int) arrivals {
	var a arrivals
	sum := int64(0)
	for _, w := range profile {
		sum += int64(w)
	}
	for h, w := range profile {
		// perSecond × 24 × w / sum per second, / 1000 per slot, × 2^32.
		v, err := fixed.MulDiv(int64(perSecond)*ProfileHours*int64(w), 1<<32, sum*1000)
		if err != nil {
			panic("flow: arrival rate overflow") // excluded by the REQUIRES
		}
		a[h] = uint64(v)
	}
	return a
}

// count returns the number of takers arriving in the slot at time t, given a uniform random r.
func (a *arrivals) count(t int64, r uint64) int {
	p := a[hourOf(t)]
	n := int(p >> 32)
	if uint32(r) < uint32(p) {
		n++
	}
	return n
}

// perHour returns the expected number of takers in hour h, in thousandths (for tests and tools).
func (a *arrivals) perHour(h int) int64 {
	// per slot (32.32) × 3.6e6 slots an hour × 1000.
	v, _ := fixed.MulDiv(int64(a[h]), 3_600_000_000, 1<<32)
	return v
}

// hourOf returns the UTC hour 0..23 of t, nanoseconds since the Unix epoch.
func hourOf(t int64) int {
	d := t / hourNanos
	if t < 0 && d*hourNanos != t {
		d-- // floor
	}
	h := d % ProfileHours
	if h < 0 {
		h += ProfileHours
	}
	return int(h)
}
