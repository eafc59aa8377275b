package ring

import (
	"testing"
)

// advance moves both positions of r forward by n through push and pop, so
// that the next slot is n&mask.
func advance(tb testing.TB, r *OneToOne[uint64], n int) {
	tb.Helper()
	var v uint64
	for i := range n {
		v = uint64(i)
		if !r.TryPush(&v) || !r.TryPop(&v) {
			tb.Fatalf("advance: step %d failed", i)
		}
	}
}

func TestTryPushFullAndEmpty(t *testing.T) {
	for _, capacity := range []int{1, 2, 8, 64} {
		r := mustNew[uint64](t, capacity)
		var v uint64
		if r.TryPop(&v) {
			t.Fatalf("cap %d: TryPop on an empty ring succeeded", capacity)
		}
		for i := range uint64(capacity) {
			if !r.TryPush(&i) {
				t.Fatalf("cap %d: push %d failed before full", capacity, i)
			}
		}
		extra := uint64(999)
		if r.TryPush(&extra) {
			t.Fatalf("cap %d: push on a full ring succeeded", capacity)
		}
		if !r.TryPop(&v) || v != 0 {
			t.Fatalf("cap %d: pop got %d, want 0", capacity, v)
		}
		if !r.TryPush(&extra) {
			t.Fatalf("cap %d: push after one pop failed", capacity)
		}
		if r.TryPush(&extra) {
			t.Fatalf("cap %d: push on a full ring succeeded", capacity)
		}
		for want := uint64(1); want < uint64(capacity); want++ {
			if !r.TryPop(&v) || v != want {
				t.Fatalf("cap %d: pop got %d, want %d", capacity, v, want)
			}
		}
		if !r.TryPop(&v) || v != extra {
			t.Fatalf("cap %d: pop got %d, want %d", capacity, v, extra)
		}
		v = 12345
		if r.TryPop(&v) || v != 12345 {
			t.Fatalf("cap %d: pop on an empty ring succeeded or wrote dst (%d)", capacity, v)
		}
	}
}

func TestClaim(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		advance  int // pushed and popped before
		pending  int // published and not consumed before
		n        int
		wantLen  int
		wantSlot uint64 // index of the first slot, when wantLen > 0
	}{
		{name: "empty", capacity: 8, n: 4, wantLen: 4, wantSlot: 0},
		{name: "zero", capacity: 8, n: 0, wantLen: 0},
		{name: "negative", capacity: 8, n: -1, wantLen: 0},
		{name: "more than capacity", capacity: 8, n: 100, wantLen: 8, wantSlot: 0},
		{name: "full", capacity: 8, pending: 8, n: 1, wantLen: 0},
		{name: "partly full", capacity: 8, pending: 6, n: 4, wantLen: 2, wantSlot: 6},
		{name: "stops at wrap", capacity: 8, advance: 6, n: 4, wantLen: 2, wantSlot: 6},
		{name: "last slot", capacity: 8, advance: 6, pending: 1, n: 8, wantLen: 1, wantSlot: 7},
		{name: "after wrap", capacity: 8, advance: 6, pending: 2, n: 8, wantLen: 6, wantSlot: 0},
		{name: "after wrap limited by head", capacity: 8, advance: 6, pending: 5, n: 8, wantLen: 3, wantSlot: 3},
		{name: "capacity one", capacity: 1, n: 5, wantLen: 1, wantSlot: 0},
		{name: "capacity one full", capacity: 1, pending: 1, n: 5, wantLen: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew[uint64](t, tt.capacity)
			advance(t, r, tt.advance)
			for i := range uint64(tt.pending) {
				if !r.TryPush(&i) {
					t.Fatalf("prefill %d failed", i)
				}
			}
			s := r.Claim(tt.n)
			if len(s) != tt.wantLen || cap(s) != tt.wantLen {
				t.Fatalf("Claim(%d) len %d cap %d, want %d", tt.n, len(s), cap(s), tt.wantLen)
			}
			if tt.wantLen > 0 && &s[0] != &r.slots[tt.wantSlot] {
				t.Fatalf("Claim(%d) starts at the wrong slot, want %d", tt.n, tt.wantSlot)
			}
			if r.Len() != tt.pending {
				t.Fatalf("claimed slots visible: Len %d, want %d", r.Len(), tt.pending)
			}
			r.Publish(len(s))
			if r.Len() != tt.pending+tt.wantLen {
				t.Fatalf("after Publish Len %d, want %d", r.Len(), tt.pending+tt.wantLen)
			}
		})
	}
}

func TestClaimPublishWrap(t *testing.T) {
	r := mustNew[uint64](t, 8)
	advance(t, r, 5)
	seq := uint64(0)
	for _, want := range []int{3, 5} { // slots 5..7, then 0..4
		s := r.Claim(8)
		if len(s) != want {
			t.Fatalf("Claim(8) gave %d slots, want %d", len(s), want)
		}
		for i := range s {
			s[i] = seq
			seq++
		}
		r.Publish(len(s))
	}
	if s := r.Claim(1); len(s) != 0 {
		t.Fatalf("Claim on a full ring gave %d slots", len(s))
	}
	r.Publish(0)
	for want := range uint64(8) {
		var v uint64
		if !r.TryPop(&v) || v != want {
			t.Fatalf("pop got %d, want %d", v, want)
		}
	}
}

func TestPublishPartial(t *testing.T) {
	r := mustNew[uint64](t, 8)
	s := r.Claim(4)
	for i := range s {
		s[i] = uint64(i)
	}
	r.Publish(2)
	if r.Len() != 2 {
		t.Fatalf("Len %d after Publish(2), want 2", r.Len())
	}
	s2 := r.Claim(4)
	if len(s2) != 4 || &s2[0] != &s[2] {
		t.Fatalf("the next Claim does not start at the first unpublished slot")
	}
	s2[0], s2[1], s2[2], s2[3] = 2, 3, 4, 5
	r.Publish(4)
	for want := range uint64(6) {
		var v uint64
		if !r.TryPop(&v) || v != want {
			t.Fatalf("pop got %d, want %d", v, want)
		}
	}
}

func TestClaimReplacesClaim(t *testing.T) {
	r := mustNew[uint64](t, 8)
	r.Claim(3)
	s := r.Claim(2)
	if len(s) != 2 || &s[0] != &r.slots[0] {
		t.Fatalf("second Claim does not restart at the first free slot")
	}
	mustPanic(t, "Publish(3) after Claim(2)", func() { r.Publish(3) })
}

func TestProducerPanics(t *testing.T) {
	tests := []struct {
		name string
		run  func(r *OneToOne[uint64])
	}{
		{"publish more than claimed", func(r *OneToOne[uint64]) { r.Claim(2); r.Publish(3) }},
		{"publish negative", func(r *OneToOne[uint64]) { r.Claim(2); r.Publish(-1) }},
		{"publish without claim", func(r *OneToOne[uint64]) { r.Publish(1) }},
		{"publish twice", func(r *OneToOne[uint64]) { r.Claim(2); r.Publish(2); r.Publish(2) }},
		{"push during claim", func(r *OneToOne[uint64]) { v := uint64(1); r.Claim(1); r.TryPush(&v) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew[uint64](t, 8)
			mustPanic(t, tt.name, func() { tt.run(r) })
		})
	}
	t.Run("publish zero without claim", func(t *testing.T) {
		r := mustNew[uint64](t, 8)
		r.Publish(0)
		if r.Len() != 0 {
			t.Fatalf("Len %d", r.Len())
		}
	})
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}
