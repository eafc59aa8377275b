package binance

import "testing"

func TestTradeSet(t *testing.T) {
	s := NewTradeSet(16)
	for i := uint64(1); i <= 16; i++ {
		if !s.Add(1, i) {
			t.Fatalf("%d not new", i)
		}
	}
	if s.Add(1, 5) || !s.Has(1, 5) || s.Has(2, 5) || s.Len() != 16 {
		t.Fatal("duplicate or instrument separation")
	}
	if !s.Add(2, 5) { // same id, other instrument
		t.Fatal("other instrument's trade refused")
	}
	if s.Has(1, 1) { // the oldest was forgotten
		t.Fatal("oldest kept beyond capacity")
	}
	for i := uint64(100); i < 10000; i++ { // churn: forgetting keeps every remembered key findable
		s.Add(3, i)
		if !s.Has(3, i) || (i >= 115 && !s.Has(3, i-15)) || s.Has(3, i-16) {
			t.Fatalf("at %d", i)
		}
	}
}
