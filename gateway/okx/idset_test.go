package okx

import "testing"

func TestIDSet(t *testing.T) {
	s := newIDSet(3)
	for _, k := range []uint64{1, 2, 3} {
		if !s.Add(idKey{k, 9}) {
			t.Fatalf("Add(%d) not new", k)
		}
	}
	if s.Add(idKey{2, 9}) || !s.Has(idKey{1, 9}) || s.Has(idKey{1, 8}) || s.Len() != 3 {
		t.Fatal("duplicate or membership wrong")
	}
	if !s.Add(idKey{4, 9}) || s.Has(idKey{1, 9}) || !s.Has(idKey{2, 9}) || s.Len() != 3 {
		t.Fatal("the oldest key is not the one evicted")
	}
}

// TestIDSetModel checks the set against a map and a FIFO list over many keys that collide in
// the table (few distinct values), so evictions shift probe chains.
func TestIDSetModel(t *testing.T) {
	for _, capacity := range []int{1, 2, 7, 64} {
		s := newIDSet(capacity)
		var fifo []idKey
		in := map[idKey]bool{}
		x := uint64(12345)
		for i := 0; i < 20000; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			k := idKey{x % 97, x % 3}
			if s.Has(k) != in[k] {
				t.Fatalf("cap %d step %d: Has(%v) = %v, model %v", capacity, i, k, !in[k], in[k])
			}
			added := s.Add(k)
			if added == in[k] {
				t.Fatalf("cap %d step %d: Add(%v) = %v, model had it: %v", capacity, i, k, added, in[k])
			}
			if added {
				if len(fifo) == capacity {
					delete(in, fifo[0])
					fifo = fifo[1:]
				}
				fifo = append(fifo, k)
				in[k] = true
			}
			if s.Len() != len(fifo) {
				t.Fatalf("Len %d, model %d", s.Len(), len(fifo))
			}
		}
	}
}
