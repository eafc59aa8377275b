package ring

import (
	"testing"
)

// fill publishes the values from..from+n-1 through TryPush.
func fill(tb testing.TB, r *OneToOne[uint64], from uint64, n int) {
	tb.Helper()
	for i := range uint64(n) {
		v := from + i
		if !r.TryPush(&v) {
			tb.Fatalf("fill: push %d failed", v)
		}
	}
}

func TestEmpty(t *testing.T) {
	r := mustNew[uint64](t, 8)
	if s := r.Peek(); len(s) != 0 {
		t.Fatalf("Peek on an empty ring gave %d slots", len(s))
	}
	r.Release(0)
	if n := r.Poll(func(*uint64) bool { t.Fatal("handler called on an empty ring"); return true }, 8); n != 0 {
		t.Fatalf("Poll on an empty ring returned %d", n)
	}
	advance(t, r, 13) // empty again, positions past a wrap
	if s := r.Peek(); len(s) != 0 {
		t.Fatalf("Peek on an emptied ring gave %d slots", len(s))
	}
	r.Release(0)
}

func TestPeek(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		advance  int
		pending  int
		wantLen  int
		wantSlot uint64
	}{
		{name: "empty", capacity: 8, wantLen: 0},
		{name: "one", capacity: 8, pending: 1, wantLen: 1, wantSlot: 0},
		{name: "full", capacity: 8, pending: 8, wantLen: 8, wantSlot: 0},
		{name: "stops at wrap", capacity: 8, advance: 5, pending: 6, wantLen: 3, wantSlot: 5},
		{name: "before wrap", capacity: 8, advance: 2, pending: 6, wantLen: 6, wantSlot: 2},
		{name: "full across wrap", capacity: 8, advance: 7, pending: 8, wantLen: 1, wantSlot: 7},
		{name: "capacity one", capacity: 1, advance: 3, pending: 1, wantLen: 1, wantSlot: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew[uint64](t, tt.capacity)
			advance(t, r, tt.advance)
			fill(t, r, 100, tt.pending)
			s := r.Peek()
			if len(s) != tt.wantLen || cap(s) != tt.wantLen {
				t.Fatalf("Peek len %d cap %d, want %d", len(s), cap(s), tt.wantLen)
			}
			if tt.wantLen == 0 {
				return
			}
			if &s[0] != &r.slots[tt.wantSlot] {
				t.Fatalf("Peek starts at the wrong slot, want %d", tt.wantSlot)
			}
			for i, v := range s {
				if v != 100+uint64(i) {
					t.Fatalf("Peek[%d] = %d, want %d", i, v, 100+i)
				}
			}
			r.Release(len(s))
			// The rest, if the run wrapped, comes from slot 0.
			rest := r.Peek()
			if len(rest) != tt.pending-tt.wantLen {
				t.Fatalf("second Peek len %d, want %d", len(rest), tt.pending-tt.wantLen)
			}
			for i, v := range rest {
				if want := 100 + uint64(tt.wantLen+i); v != want {
					t.Fatalf("second Peek[%d] = %d, want %d", i, v, want)
				}
			}
			r.Release(len(rest))
			if r.Len() != 0 {
				t.Fatalf("Len %d after releasing everything", r.Len())
			}
		})
	}
}

func TestReleasePartial(t *testing.T) {
	r := mustNew[uint64](t, 8)
	fill(t, r, 0, 5)
	s := r.Peek()
	r.Release(2)
	if r.Len() != 3 {
		t.Fatalf("Len %d after Release(2), want 3", r.Len())
	}
	s2 := r.Peek()
	if len(s2) != 3 || &s2[0] != &s[2] || s2[0] != 2 {
		t.Fatalf("the next Peek does not start at the first unreleased slot")
	}
	r.Release(0)
	var v uint64
	if !r.TryPop(&v) || v != 2 {
		t.Fatalf("pop after Release(0) got %d, want 2", v)
	}
}

func TestPeekSeesLaterPublish(t *testing.T) {
	r := mustNew[uint64](t, 8)
	fill(t, r, 0, 2)
	if s := r.Peek(); len(s) != 2 {
		t.Fatalf("Peek len %d, want 2", len(s))
	}
	r.Release(2)
	fill(t, r, 2, 3)
	s := r.Peek()
	if len(s) != 3 || s[0] != 2 || s[2] != 4 {
		t.Fatalf("Peek after a later publish: %v", s)
	}
	r.Release(3)
}

func TestPoll(t *testing.T) {
	tests := []struct {
		name      string
		advance   int
		pending   int
		limit     int
		acceptMax int // the handler refuses the slot after this many
		want      int
	}{
		{name: "all", pending: 5, limit: 8, acceptMax: 8, want: 5},
		{name: "limit", pending: 5, limit: 3, acceptMax: 8, want: 3},
		{name: "limit zero", pending: 5, limit: 0, acceptMax: 8, want: 0},
		{name: "limit negative", pending: 5, limit: -1, acceptMax: 8, want: 0},
		{name: "back-pressure", pending: 5, limit: 8, acceptMax: 2, want: 2},
		{name: "refuse first", pending: 5, limit: 8, acceptMax: 0, want: 0},
		{name: "across wrap", advance: 6, pending: 8, limit: 8, acceptMax: 8, want: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew[uint64](t, 8)
			advance(t, r, tt.advance)
			fill(t, r, 0, tt.pending)
			next := uint64(0)
			accepted := 0
			n := r.Poll(func(v *uint64) bool {
				if accepted == tt.acceptMax {
					return false
				}
				if *v != next {
					t.Errorf("handler got %d, want %d", *v, next)
				}
				next++
				accepted++
				return true
			}, tt.limit)
			if n != tt.want || accepted != tt.want {
				t.Fatalf("Poll returned %d after %d accepted, want %d", n, accepted, tt.want)
			}
			if r.Len() != tt.pending-tt.want {
				t.Fatalf("Len %d, want %d", r.Len(), tt.pending-tt.want)
			}
			// What was left is delivered next, in order.
			for r.TryPop(new(uint64)) {
				next++
			}
			if next != uint64(tt.pending) {
				t.Fatalf("consumed %d in total, want %d", next, tt.pending)
			}
		})
	}
}

func TestConsumerPanics(t *testing.T) {
	tests := []struct {
		name string
		run  func(r *OneToOne[uint64])
	}{
		{"release more than peeked", func(r *OneToOne[uint64]) { r.Peek(); r.Release(4) }},
		{"release negative", func(r *OneToOne[uint64]) { r.Peek(); r.Release(-1) }},
		{"release without peek", func(r *OneToOne[uint64]) { r.Release(1) }},
		{"release twice", func(r *OneToOne[uint64]) { r.Peek(); r.Release(3); r.Release(3) }},
		{"pop during peek", func(r *OneToOne[uint64]) { r.Peek(); r.TryPop(new(uint64)) }},
		{"poll during peek", func(r *OneToOne[uint64]) { r.Peek(); r.Poll(func(*uint64) bool { return true }, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew[uint64](t, 8)
			fill(t, r, 0, 3)
			mustPanic(t, tt.name, func() { tt.run(r) })
		})
	}
}
