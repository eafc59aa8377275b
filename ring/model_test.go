package ring

import "testing"

// xorshift is a tiny deterministic generator for test schedules.
type xorshift uint64

func (x *xorshift) next() uint64 {
	v := uint64(*x)
	v ^= v << 13
	v ^= v >> 7
	v ^= v << 17
	*x = xorshift(v)
	return v
}

// intn returns a value in [0, n).
func (x *xorshift) intn(n int) int { return int(x.next() % uint64(n)) }

// TestAgainstModel drives every operation on one goroutine in a random order
// over many laps and compares the ring with a plain FIFO.
func TestAgainstModel(t *testing.T) {
	for _, capacity := range []int{1, 2, 8, 32} {
		r := mustNew[uint64](t, capacity)
		rng := xorshift(0x2545f4914f6cdd1d + uint64(capacity))
		var model []uint64 // published and not consumed, oldest first
		pushed := uint64(0)
		pop := func(step int, v uint64) {
			if len(model) == 0 || model[0] != v {
				t.Fatalf("cap %d step %d: consumed %d, model %v", capacity, step, v, model)
			}
			model = model[1:]
		}
		for step := range 100_000 {
			switch rng.intn(6) {
			case 0: // TryPush
				v := pushed
				ok := r.TryPush(&v)
				if ok != (len(model) < capacity) {
					t.Fatalf("cap %d step %d: TryPush %v with %d queued", capacity, step, ok, len(model))
				}
				if ok {
					model = append(model, v)
					pushed++
				}
			case 1: // Claim and Publish part or all of it
				k := rng.intn(capacity+2) - 1
				s := r.Claim(k)
				want := min(max(k, 0), capacity-len(model), capacity-int(pushed%uint64(capacity)))
				if len(s) != want {
					t.Fatalf("cap %d step %d: Claim(%d) gave %d, want %d", capacity, step, k, len(s), want)
				}
				for i := range s {
					s[i] = pushed + uint64(i)
				}
				p := rng.intn(len(s) + 1)
				r.Publish(p)
				for i := range p {
					model = append(model, pushed+uint64(i))
				}
				pushed += uint64(p)
			case 2: // TryPop
				var v uint64
				ok := r.TryPop(&v)
				if ok != (len(model) > 0) {
					t.Fatalf("cap %d step %d: TryPop %v with %d queued", capacity, step, ok, len(model))
				}
				if ok {
					pop(step, v)
				}
			case 3: // Peek and Release part or all of it
				s := r.Peek()
				// The cached tail may lag, so Peek may show less than is there,
				// but never nothing when something is.
				if len(s) > len(model) || (len(s) == 0) != (len(model) == 0) {
					t.Fatalf("cap %d step %d: Peek gave %d with %d queued", capacity, step, len(s), len(model))
				}
				for i, v := range s {
					if v != model[i] {
						t.Fatalf("cap %d step %d: Peek[%d] = %d, want %d", capacity, step, i, v, model[i])
					}
				}
				p := rng.intn(len(s) + 1)
				r.Release(p)
				model = model[p:]
			case 4: // Poll with a limit and a handler that may refuse
				limit := rng.intn(capacity + 1)
				accept := rng.intn(capacity + 1)
				n := r.Poll(func(v *uint64) bool {
					if accept == 0 {
						return false
					}
					accept--
					pop(step, *v)
					return true
				}, limit)
				if n > limit {
					t.Fatalf("cap %d step %d: Poll returned %d over limit %d", capacity, step, n, limit)
				}
			case 5:
				if r.Len() != len(model) {
					t.Fatalf("cap %d step %d: Len %d, model %d", capacity, step, r.Len(), len(model))
				}
			}
		}
		if pushed < 10*uint64(capacity) {
			t.Fatalf("cap %d: only %d pushed, too few laps", capacity, pushed)
		}
	}
}
