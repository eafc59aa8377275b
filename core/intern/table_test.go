package intern

import (
	"errors"
	"strconv"
	"testing"
)

func TestInternAndLookup(t *testing.T) {
	tab := New(4, 64, 0)
	keys := []string{"binance", "okx", "BTCUSDT", "BTC-USDT-SWAP", "XBT/USD"}
	for i, k := range keys {
		id, err := tab.Intern([]byte(k))
		if err != nil || id != uint32(i+1) {
			t.Fatalf("Intern(%q) = %d, %v; want %d", k, id, err, i+1)
		}
	}
	for i, k := range keys {
		if id, err := tab.Intern([]byte(k)); err != nil || id != uint32(i+1) {
			t.Fatalf("re-Intern(%q) = %d, %v", k, id, err)
		}
		if id, ok := tab.Lookup([]byte(k)); !ok || id != uint32(i+1) {
			t.Fatalf("Lookup(%q) = %d, %v", k, id, ok)
		}
		if got := string(tab.Name(uint32(i + 1))); got != k {
			t.Fatalf("Name(%d) = %q, want %q", i+1, got, k)
		}
	}
	if _, ok := tab.Lookup([]byte("kraken")); ok {
		t.Fatal("Lookup found a key never interned")
	}
	if tab.Name(0) != nil || tab.Name(99) != nil {
		t.Fatal("Name of a missing id must be nil")
	}
	if _, err := tab.Intern(nil); err == nil {
		t.Fatal("empty key accepted")
	}
}

func TestGrowKeepsEveryKey(t *testing.T) {
	tab := New(1, 0, 0)
	old := map[uint32][]byte{}
	for i := 0; i < 100000; i++ {
		k := []byte("order-" + strconv.Itoa(i))
		id, err := tab.Intern(k)
		if err != nil || id != uint32(i+1) {
			t.Fatalf("Intern #%d = %d, %v", i, id, err)
		}
		if i%997 == 0 {
			old[id] = tab.Name(id)
		}
	}
	for i := 0; i < 100000; i++ {
		k := "order-" + strconv.Itoa(i)
		if id, ok := tab.Lookup([]byte(k)); !ok || id != uint32(i+1) {
			t.Fatalf("Lookup(%q) after growth = %d, %v", k, id, ok)
		}
	}
	for id, name := range old {
		if string(name) != "order-"+strconv.Itoa(int(id)-1) {
			t.Fatalf("a Name slice taken before growth changed: %q", name)
		}
	}
}

func TestFull(t *testing.T) {
	tab := New(2, 8, 2)
	tab.Intern([]byte("a"))
	tab.Intern([]byte("b"))
	if _, err := tab.Intern([]byte("c")); !errors.Is(err, ErrFull) {
		t.Fatalf("third id in a 2-id table: %v", err)
	}
	if id, err := tab.Intern([]byte("a")); err != nil || id != 1 {
		t.Fatalf("existing key in a full table: %d, %v", id, err)
	}
}

func BenchmarkLookup(b *testing.B) {
	tab := New(10000, 200000, 0)
	keys := make([][]byte, 10000)
	for i := range keys {
		keys[i] = []byte("1234567890" + strconv.Itoa(i))
		tab.Intern(keys[i])
	}
	m := make(map[string]uint32, len(keys))
	for i, k := range keys {
		m[string(k)] = uint32(i + 1)
	}
	b.Run("impl=intern", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			k := keys[i%len(keys)]
			if id, ok := tab.Lookup(k); !ok || id != uint32(i%len(keys)+1) {
				b.Fatal("wrong id")
			}
		}
	})
	b.Run("impl=map", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			k := keys[i%len(keys)]
			if id, ok := m[string(k)]; !ok || id != uint32(i%len(keys)+1) {
				b.Fatal("wrong id")
			}
		}
	})
}
