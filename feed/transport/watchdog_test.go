package transport

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestWatchdogPeriod(t *testing.T) {
	tests := []struct {
		name string
		w    watchdog
		want time.Duration
	}{
		{"nothing to watch", watchdog{}, 0},
		{"stale", watchdog{staleAfter: 4 * time.Second}, time.Second},
		{"shortest limit wins", watchdog{staleAfter: 4 * time.Second, deadAfter: 10 * time.Second, ka: KeepAlive{Interval: 2 * time.Second, Message: []byte("ping")}}, 500 * time.Millisecond},
		{"keep-alive without a message is off", watchdog{staleAfter: 4 * time.Second, ka: KeepAlive{Interval: time.Second}}, time.Second},
		{"floor", watchdog{staleAfter: time.Microsecond}, minTick},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.period(); got != tt.want {
				t.Fatalf("period = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestWatchdogScript drives the watchdog with synthetic ticks: at ms, the Conn's frame count is
// frames; want is the verdict.
func TestWatchdogScript(t *testing.T) {
	type tick struct {
		ms     int
		frames uint64
		want   verdict
	}
	ka := []byte("ping")
	tests := []struct {
		name string
		w    watchdog
		tick []tick
	}{
		{
			name: "stale, recovery, stale again, dead",
			w:    watchdog{staleAfter: 100 * time.Millisecond, deadAfter: 300 * time.Millisecond},
			tick: []tick{
				{25, 1, verdict{}},
				{50, 1, verdict{}},
				{100, 1, verdict{}},
				{125, 1, verdict{stale: true}}, // 100 ms since the tick that saw frame 1
				{150, 1, verdict{}},            // announced once
				{175, 2, verdict{recovered: true}},
				{275, 2, verdict{stale: true}},
				{474, 2, verdict{}},
				{475, 2, verdict{dead: true}},
			},
		},
		{
			name: "keep-alive on silence",
			w:    watchdog{ka: KeepAlive{Interval: 100 * time.Millisecond, Message: ka}},
			tick: []tick{
				{50, 1, verdict{}},
				{99, 1, verdict{}},
				{150, 1, verdict{keepAlive: true}}, // 100 ms after frame 1 was seen
				{200, 1, verdict{}},
				{250, 1, verdict{keepAlive: true}}, // 100 ms after the last keep-alive
				{300, 2, verdict{}},                // traffic postpones it
				{350, 3, verdict{}},
				{449, 3, verdict{}},
				{450, 3, verdict{keepAlive: true}},
			},
		},
		{
			name: "periodic keep-alive whatever the traffic",
			w:    watchdog{ka: KeepAlive{Interval: 100 * time.Millisecond, Message: ka, Periodic: true}},
			tick: []tick{
				{50, 1, verdict{}},
				{100, 2, verdict{keepAlive: true}},
				{150, 3, verdict{}},
				{200, 4, verdict{keepAlive: true}},
				{300, 5, verdict{keepAlive: true}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0 := time.Unix(1000, 0)
			w := tt.w
			w.reset(t0, 0)
			for _, k := range tt.tick {
				got := w.check(t0.Add(time.Duration(k.ms)*time.Millisecond), k.frames)
				if got != k.want {
					t.Fatalf("at %d ms with %d frames: %+v, want %+v", k.ms, k.frames, got, k.want)
				}
			}
		})
	}
}

func TestWatchdogSeen(t *testing.T) {
	w := watchdog{staleAfter: time.Second}
	t0 := time.Unix(0, 0)
	w.reset(t0, 0)
	if w.seen() {
		t.Fatal("recovery reported while not stale")
	}
	if v := w.check(t0.Add(time.Second), 0); !v.stale {
		t.Fatal("not stale after the limit")
	}
	if !w.seen() || w.seen() {
		t.Fatal("seen must report the recovery exactly once")
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Initial: 100 * time.Millisecond, Max: 2 * time.Second}
	rng := rand.New(rand.NewPCG(1, 2))
	var first []time.Duration
	for attempt := range 12 {
		d := min(b.Max, b.Initial<<attempt)
		got := b.Delay(attempt, rng)
		if got < d/2 || got > d {
			t.Errorf("attempt %d: delay %v outside [%v, %v]", attempt, got, d/2, d)
		}
		first = append(first, got)
	}
	// The same seed gives the same sequence.
	rng = rand.New(rand.NewPCG(1, 2))
	for attempt := range 12 {
		if got := b.Delay(attempt, rng); got != first[attempt] {
			t.Fatalf("attempt %d: %v, then %v with the same seed", attempt, first[attempt], got)
		}
	}
	// Huge attempt numbers stay capped (no shift overflow).
	for _, attempt := range []int{61, 62, 63, 64, 1000} {
		if got := b.Delay(attempt, rng); got < b.Max/2 || got > b.Max {
			t.Errorf("attempt %d: %v, want within [%v, %v]", attempt, got, b.Max/2, b.Max)
		}
	}
	// Zero fields take the defaults.
	if got := (Backoff{}).Delay(0, rng); got < DefaultBackoffInitial/2 || got > DefaultBackoffInitial {
		t.Errorf("default first delay %v", got)
	}
}
