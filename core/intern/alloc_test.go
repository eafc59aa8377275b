//go:build !race

package intern

import "testing"

func TestLookupAndReinternAllocateNothing(t *testing.T) {
	tab := New(16, 256, 0)
	key := []byte("BTC-USDT-SWAP")
	if _, err := tab.Intern(key); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(1000, func() {
		if _, ok := tab.Lookup(key); !ok {
			t.Fatal("missing")
		}
		if _, err := tab.Intern(key); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("Lookup+Intern of a known key: %v allocs, want 0", n)
	}
}
