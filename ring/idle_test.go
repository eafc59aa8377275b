package ring

import (
	"testing"
	"time"
)

func TestBusySpin(t *testing.T) {
	var idle Idler = BusySpin{}
	for range 1000 {
		idle.Idle(0)
	}
	idle.Idle(1)
	idle.Reset()
}

func TestSpinThenYield(t *testing.T) {
	tests := []struct {
		spins     int
		wantSpins int
	}{
		{spins: -3, wantSpins: 0},
		{spins: 0, wantSpins: 0},
		{spins: 1, wantSpins: 1},
		{spins: 50, wantSpins: 50},
	}
	for _, tt := range tests {
		s := NewSpinThenYield(tt.spins)
		for range tt.wantSpins + 5 {
			s.Idle(0)
		}
		if s.count != tt.wantSpins {
			t.Errorf("spins %d: %d spin steps taken, want %d", tt.spins, s.count, tt.wantSpins)
		}
		s.Idle(3)
		if s.count != 0 {
			t.Errorf("spins %d: work did not reset (count %d)", tt.spins, s.count)
		}
		s.Idle(0)
		s.Reset()
		if s.count != 0 {
			t.Errorf("spins %d: Reset left count %d", tt.spins, s.count)
		}
	}
	var zero SpinThenYield
	zero.Idle(0) // yields at once
	if zero.count != 0 {
		t.Errorf("zero value spun")
	}
}

func TestNewBackoffPark(t *testing.T) {
	tests := []struct {
		name             string
		spins, yields    int
		minPark, maxPark time.Duration
		wantErr          string
	}{
		{"ok", 10, 5, time.Microsecond, time.Millisecond, ""},
		{"min equals max", 0, 0, time.Microsecond, time.Microsecond, ""},
		{"negative spins", -1, 0, time.Microsecond, time.Millisecond, "ring: back-off counts -1 spins, 0 yields must not be negative"},
		{"negative yields", 0, -2, time.Microsecond, time.Millisecond, "ring: back-off counts 0 spins, -2 yields must not be negative"},
		{"zero park", 0, 0, 0, time.Millisecond, "ring: back-off minimum park 0s must be positive"},
		{"max below min", 0, 0, time.Millisecond, time.Microsecond, "ring: back-off maximum park 1µs is below the minimum 1ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewBackoffPark(tt.spins, tt.yields, tt.minPark, tt.maxPark)
			if tt.wantErr == "" {
				if err != nil || p == nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestBackoffParkSteps(t *testing.T) {
	const us = time.Microsecond
	p, err := NewBackoffPark(3, 2, 1*us, 8*us)
	if err != nil {
		t.Fatal(err)
	}
	type state struct {
		spins, yields int
		park          time.Duration
	}
	// The state after each idle step with no work.
	want := []state{
		{1, 0, 1 * us}, {2, 0, 1 * us}, {3, 0, 1 * us}, // spin
		{3, 1, 1 * us}, {3, 2, 1 * us}, // yield
		{3, 2, 2 * us}, {3, 2, 4 * us}, {3, 2, 8 * us}, {3, 2, 8 * us}, // park, doubling to the cap
	}
	check := func(round string) {
		for i, w := range want {
			p.Idle(0)
			if got := (state{p.spins, p.yields, p.park}); got != w {
				t.Fatalf("%s step %d: %+v, want %+v", round, i, got, w)
			}
		}
	}
	check("first")
	p.Idle(1) // work resets
	if p.spins != 0 || p.yields != 0 || p.park != 1*us {
		t.Fatalf("work did not reset: %+v", *p)
	}
	check("after work")
	p.Reset()
	check("after Reset")
}

func TestBackoffParkGrowOverflow(t *testing.T) {
	huge := time.Duration(1<<62 + 1)
	p, err := NewBackoffPark(0, 0, 1, huge)
	if err != nil {
		t.Fatal(err)
	}
	p.park = huge - 1 // as if it had doubled for a long time; twice this overflows
	p.grow()
	if p.park != huge {
		t.Fatalf("park %v after an overflowing doubling, want the maximum %v", p.park, huge)
	}
}
