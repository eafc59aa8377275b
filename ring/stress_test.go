package ring

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// The stress tests run a producer goroutine against a consumer goroutine and
// check that every event arrives once, in order, and whole (all 64 bytes).
// Both sides wait with SpinThenYield, which is safe on two shared cores.

const stressSpins = 64

type (
	producerFunc func(r *OneToOne[event64], n uint64, stop *atomic.Bool)
	consumerFunc func(r *OneToOne[event64], n uint64, stop *atomic.Bool) error
)

func TestStress(t *testing.T) {
	events := uint64(stressEvents)
	if testing.Short() {
		events /= 10
	}
	tests := []struct {
		name     string
		capacity int
		events   uint64
		produce  producerFunc
		consume  consumerFunc
	}{
		{"op=push-pop/cap=1024", 1024, events, producePush, consumePop},
		{"op=claim-peek/cap=1024", 1024, events, produceClaim, consumePeek},
		{"op=claim-poll/cap=256", 256, events / 2, produceClaim, consumePoll},
		{"op=mixed/cap=64", 64, events / 2, produceMixed, consumeMixed},
		{"op=push-pop/cap=1", 1, events / 10, producePush, consumePop},
		{"op=claim-peek/cap=2", 2, events / 10, produceClaim, consumePeek},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runStress(t, tt.capacity, tt.events, tt.produce, tt.consume)
		})
	}
}

func runStress(t *testing.T, capacity int, n uint64, produce producerFunc, consume consumerFunc) {
	r := mustNew[event64](t, capacity)
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		produce(r, n, &stop)
	}()
	err := consume(r, n, &stop)
	if err != nil {
		stop.Store(true)
		t.Error(err)
	}
	<-done
	if err != nil {
		return
	}
	var e event64
	if r.Len() != 0 || r.TryPop(&e) {
		t.Errorf("events left after %d consumed (Len %d)", n, r.Len())
	}
}

func producePush(r *OneToOne[event64], n uint64, stop *atomic.Bool) {
	idle := NewSpinThenYield(stressSpins)
	var e event64
	for seq := uint64(0); seq < n; seq++ {
		fillEvent(&e, seq)
		for !r.TryPush(&e) {
			if stop.Load() {
				return
			}
			idle.Idle(0)
		}
		idle.Idle(1)
	}
}

// produceClaim claims batches of 1 to 64 slots and now and then publishes
// fewer than it claimed.
func produceClaim(r *OneToOne[event64], n uint64, stop *atomic.Bool) {
	idle := NewSpinThenYield(stressSpins)
	rng := xorshift(0x9e3779b97f4a7c15)
	for seq := uint64(0); seq < n; {
		want := min(1+rng.intn(64), int(n-seq))
		s := r.Claim(want)
		if len(s) == 0 {
			r.Publish(0)
			if stop.Load() {
				return
			}
			idle.Idle(0)
			continue
		}
		for i := range s {
			fillEvent(&s[i], seq+uint64(i))
		}
		p := len(s)
		if rng.intn(8) == 0 {
			p = rng.intn(len(s) + 1)
		}
		r.Publish(p)
		seq += uint64(p)
		idle.Idle(p)
	}
}

// produceMixed switches between TryPush and Claim at random.
func produceMixed(r *OneToOne[event64], n uint64, stop *atomic.Bool) {
	idle := NewSpinThenYield(stressSpins)
	rng := xorshift(0x853c49e6748fea9b)
	var e event64
	for seq := uint64(0); seq < n; {
		done := 0
		if rng.intn(2) == 0 {
			fillEvent(&e, seq)
			if r.TryPush(&e) {
				done = 1
			}
		} else {
			s := r.Claim(min(1+rng.intn(16), int(n-seq)))
			for i := range s {
				fillEvent(&s[i], seq+uint64(i))
			}
			done = len(s)
			r.Publish(done)
		}
		seq += uint64(done)
		if done == 0 && stop.Load() {
			return
		}
		idle.Idle(done)
	}
}

func consumePop(r *OneToOne[event64], n uint64, stop *atomic.Bool) error {
	idle := NewSpinThenYield(stressSpins)
	var e event64
	for seq := uint64(0); seq < n; seq++ {
		for !r.TryPop(&e) {
			idle.Idle(0)
		}
		idle.Idle(1)
		if err := checkEvent(&e, seq); err != nil {
			return err
		}
	}
	return nil
}

// consumePeek peeks and now and then releases fewer slots than it saw.
func consumePeek(r *OneToOne[event64], n uint64, stop *atomic.Bool) error {
	idle := NewSpinThenYield(stressSpins)
	rng := xorshift(0xda942042e4dd58b5)
	for seq := uint64(0); seq < n; {
		s := r.Peek()
		if len(s) == 0 {
			r.Release(0)
			idle.Idle(0)
			continue
		}
		m := len(s)
		if rng.intn(8) == 0 {
			m = rng.intn(len(s) + 1)
		}
		for i := range s[:m] {
			if err := checkEvent(&s[i], seq+uint64(i)); err != nil {
				return err
			}
		}
		r.Release(m)
		seq += uint64(m)
		idle.Idle(m)
	}
	return nil
}

// consumePoll polls with limits of 1 to 64 and a handler that now and then
// refuses an event, which must come back on the next poll.
func consumePoll(r *OneToOne[event64], n uint64, stop *atomic.Bool) error {
	idle := NewSpinThenYield(stressSpins)
	rng := xorshift(0xbf58476d1ce4e5b9)
	var seq uint64
	var err error
	handler := func(e *event64) bool {
		if rng.intn(32) == 0 {
			return false
		}
		if err == nil {
			err = checkEvent(e, seq)
		}
		seq++
		return true
	}
	for seq < n && err == nil {
		idle.Idle(r.Poll(handler, 1+rng.intn(64)))
	}
	if err == nil && seq != n {
		err = fmt.Errorf("consumed %d events, want %d", seq, n)
	}
	return err
}

// consumeMixed switches between TryPop, Peek and Poll at random.
func consumeMixed(r *OneToOne[event64], n uint64, stop *atomic.Bool) error {
	idle := NewSpinThenYield(stressSpins)
	rng := xorshift(0x94d049bb133111eb)
	var seq uint64
	var err error
	handler := func(e *event64) bool {
		if err == nil {
			err = checkEvent(e, seq)
		}
		seq++
		return true
	}
	var e event64
	for seq < n && err == nil {
		done := 0
		switch rng.intn(3) {
		case 0:
			if r.TryPop(&e) {
				err = checkEvent(&e, seq)
				seq++
				done = 1
			}
		case 1:
			s := r.Peek()
			for i := range s {
				if err == nil {
					err = checkEvent(&s[i], seq+uint64(i))
				}
			}
			r.Release(len(s))
			seq += uint64(len(s))
			done = len(s)
		case 2:
			done = r.Poll(handler, 1+rng.intn(16))
		}
		idle.Idle(done)
	}
	return err
}
