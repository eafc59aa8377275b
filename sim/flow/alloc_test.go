//go:build !race

package flow

import (
	"testing"

	"ems/sim/match"
)

// TestStepAllocs checks that a warmed-up Step allocates nothing: the ladders, the PRNG and the
// walk reuse their memory, and the Engine's pools are at their working size.
func TestStepAllocs(t *testing.T) {
	c := &counter{}
	e, err := match.New("BTCUSDT", btcRules, c)
	if err != nil {
		t.Fatal(err)
	}
	f, err := New(testConfig(2), e)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Seed(t0); err != nil {
		t.Fatal(err)
	}
	now := t0
	step := func() {
		now += 100_000_000
		if err := f.Step(now); err != nil {
			t.Fatal(err)
		}
	}
	for range 3000 {
		step()
	}
	if n := testing.AllocsPerRun(200, step); n != 0 {
		t.Fatalf("Step allocates %.2f times", n)
	}
	if c.levels == 0 {
		t.Fatal("no book updates")
	}
}
