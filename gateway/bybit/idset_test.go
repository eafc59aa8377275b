package bybit

import "testing"

// TestIDSet: the set keeps the last capacity ids.
func TestIDSet(t *testing.T) {
	s := newIDSet(100)
	for i := uint64(0); i < 1000; i++ {
		if !s.add(i * 31) {
			t.Fatalf("add(%d) not new", i*31)
		}
		if s.add(i * 31) {
			t.Fatalf("add(%d) twice", i*31)
		}
	}
	for i := uint64(0); i < 1000; i++ {
		if s.has(i*31) != (i >= 900) {
			t.Fatalf("has(%d) = %v", i*31, s.has(i*31))
		}
	}
}
