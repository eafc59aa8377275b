package flow

import "testing"

func TestWalkIncrementSpread(t *testing.T) {
	w := newWalk(77, 100) // 1 bp/√s: a = 10^7
	const n = 200_000
	var sum, sq float64
	for q := int64(1); q <= n; q++ {
		d := float64(w.increment(q))
		sum += d
		sq += d * d
	}
	mean := sum / n
	sd2 := sq/n - mean*mean
	a := float64(w.a)
	if r := sd2 / (a * a); r < 0.97 || r > 1.03 {
		t.Fatalf("variance %.3g, want a² = %.3g (ratio %.3f)", sd2, a*a, r)
	}
	if mean > a/100 || mean < -a/100 {
		t.Fatalf("mean %.3g", mean)
	}
}

func TestWalkIndependentOfCadence(t *testing.T) {
	a, b := newWalk(5, 300), newWalk(5, 300)
	a.start(1000)
	b.start(1000)
	for q := int64(1001); q <= 5000; q++ {
		a.advance(q)
	}
	b.advance(2000)
	b.advance(2000)
	b.advance(5000)
	if a.r != b.r {
		t.Fatalf("r %d vs %d", a.r, b.r)
	}
	if a.r == 0 {
		t.Fatal("walk did not move")
	}
	c := newWalk(6, 300)
	c.start(1000)
	c.advance(5000)
	if c.r == a.r {
		t.Fatal("seeds 5 and 6 walked alike")
	}
}

func TestWalkBounds(t *testing.T) {
	w := newWalk(1, MaxVolatilityBps)
	w.start(0)
	for q := int64(1); q <= 200_000; q += 1000 {
		w.advance(q)
		if w.r < walkLow || w.r > walkHigh {
			t.Fatalf("r %d outside [%d, %d]", w.r, walkLow, walkHigh)
		}
		if m := w.mid(6_800_000); m < 3_400_000 || m > 13_600_000 {
			t.Fatalf("mid %d", m)
		}
	}
}

func TestArrivalsFollowProfile(t *testing.T) {
	p := DefaultProfile()
	a := newArrivals(20, p)
	var day int64
	for h := range ProfileHours {
		day += a.perHour(h)
	}
	want := int64(20 * 86400 * 1000)
	if diff := day - want; diff > want/10000 || diff < -want/10000 {
		t.Fatalf("takers a day %d/1000, want %d/1000", day, want)
	}
	if !(a[0] > a[6] && a[6] > a[11] && a[23] > a[17] && a[17] > a[12]) {
		t.Fatalf("profile not U-shaped: %v", a)
	}
	// Above 1000 takers/s a slot has certain arrivals.
	b := newArrivals(MaxTakers, p)
	if n := b.count(0, ^uint64(0)); n < 100 {
		t.Fatalf("%d arrivals in a slot at %d/s", n, MaxTakers)
	}
}

func TestHourOf(t *testing.T) {
	tests := []struct {
		t    int64
		want int
	}{
		{0, 0}, {hourNanos - 1, 0}, {hourNanos, 1}, {23 * hourNanos, 23}, {24 * hourNanos, 0},
		{t0 + 13*hourNanos + 5, 13}, {-1, 23},
	}
	for _, tc := range tests {
		if got := hourOf(tc.t); got != tc.want {
			t.Errorf("hourOf(%d) = %d, want %d", tc.t, got, tc.want)
		}
	}
}
