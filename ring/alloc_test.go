//go:build !race

package ring

import (
	"testing"
	"time"
)

// TestAllocs fails on the first allocation by a ring or wait-strategy method
// in steady state.
func TestAllocs(t *testing.T) {
	r := mustNew[event64](t, 64)
	full := mustNew[event64](t, 4)
	var e, d event64
	fillEvent(&e, 7)
	for range full.Cap() {
		full.TryPush(&e)
	}
	handler := func(p *event64) bool {
		d = *p
		return true
	}
	spin := NewSpinThenYield(2)
	park, err := NewBackoffPark(1, 1, time.Microsecond, 2*time.Microsecond)
	if err != nil {
		t.Fatal(err)
	}
	idlers := []Idler{BusySpin{}, spin, park}

	tests := []struct {
		name string
		run  func()
	}{
		{"TryPush+TryPop", func() {
			if !r.TryPush(&e) || !r.TryPop(&d) {
				t.Fatal("push or pop failed")
			}
		}},
		{"TryPush full+TryPop empty", func() {
			if full.TryPush(&e) || r.TryPop(&d) {
				t.Fatal("push on full or pop on empty succeeded")
			}
		}},
		{"Claim+Publish+Peek+Release", func() {
			s := r.Claim(16)
			for i := range s {
				s[i] = e
			}
			r.Publish(len(s))
			p := r.Peek()
			if len(p) == 0 {
				t.Fatal("nothing to peek")
			}
			r.Release(len(p))
		}},
		{"TryPush+Poll", func() {
			r.TryPush(&e)
			if r.Poll(handler, 8) != 1 {
				t.Fatal("poll got nothing")
			}
		}},
		{"Len+Cap", func() { _ = r.Len() + r.Cap() }},
		{"Idler.Idle", func() {
			for _, idle := range idlers {
				for range 4 {
					idle.Idle(0)
				}
				idle.Idle(1)
				idle.Reset()
			}
		}},
	}
	for _, tt := range tests {
		if allocs := testing.AllocsPerRun(200, tt.run); allocs != 0 {
			t.Errorf("%s: %v allocations per run, want 0", tt.name, allocs)
		}
	}
}
