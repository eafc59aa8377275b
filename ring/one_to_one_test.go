package ring

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

func TestNewCapacity(t *testing.T) {
	tests := []struct {
		capacity int
		wantErr  string
	}{
		{capacity: -8, wantErr: "ring: capacity -8 is not a power of two"},
		{capacity: -1, wantErr: "ring: capacity -1 is not a power of two"},
		{capacity: 0, wantErr: "ring: capacity 0 is not a power of two"},
		{capacity: 3, wantErr: "ring: capacity 3 is not a power of two"},
		{capacity: 6, wantErr: "ring: capacity 6 is not a power of two"},
		{capacity: 1000, wantErr: "ring: capacity 1000 is not a power of two"},
		{capacity: 1<<20 + 1, wantErr: "ring: capacity 1048577 is not a power of two"},
		{capacity: 1},
		{capacity: 2},
		{capacity: 4},
		{capacity: 1024},
		{capacity: 1 << 16},
	}
	if tooBig := MaxCapacity; tooBig<<1 > 0 { // int is wider than 32 bits
		tests = append(tests, struct {
			capacity int
			wantErr  string
		}{capacity: tooBig << 1, wantErr: "ring: capacity 2147483648 exceeds the maximum 1073741824"})
	}
	for _, tt := range tests {
		r, err := New[event64](tt.capacity)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("New(%d) error %v, want %q", tt.capacity, err, tt.wantErr)
			}
			if r != nil {
				t.Errorf("New(%d) returned a ring with an error", tt.capacity)
			}
			continue
		}
		if err != nil {
			t.Errorf("New(%d): %v", tt.capacity, err)
			continue
		}
		if r.Cap() != tt.capacity || r.Len() != 0 {
			t.Errorf("New(%d): Cap %d Len %d", tt.capacity, r.Cap(), r.Len())
		}
	}
}

func TestNewBufferTooLarge(t *testing.T) {
	// 2^30 slots of 2 KiB would be 2 TiB.
	_, err := New[[256]uint64](MaxCapacity)
	want := fmt.Sprintf("ring: capacity 1073741824 of 2048-byte slots exceeds %d bytes", maxBufferBytes)
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}

func TestNewElementType(t *testing.T) {
	type plain struct {
		ID    uint32
		Price int64
		Qty   [2]int64
		Ok    bool
	}
	type nested struct {
		Hdr plain
		Tag [4]struct{ A, B uint16 }
	}
	type withString struct {
		ID   uint32
		Name string
	}
	type deep struct {
		Hdr  plain
		Refs [2]struct{ P *int }
	}
	tests := []struct {
		name    string
		newRing func() error
		wantErr string // substring; empty for success
	}{
		{"int64", func() error { _, err := New[int64](8); return err }, ""},
		{"plain", func() error { _, err := New[plain](8); return err }, ""},
		{"nested", func() error { _, err := New[nested](8); return err }, ""},
		{"array", func() error { _, err := New[[16]byte](8); return err }, ""},
		{"empty struct", func() error { _, err := New[struct{}](8); return err }, ""},
		{"pointer", func() error { _, err := New[*int](8); return err }, "ring: element type *int is not pointer-free: *int is a *int"},
		{"string", func() error { _, err := New[string](8); return err }, "is not pointer-free"},
		{"slice", func() error { _, err := New[[]byte](8); return err }, "is not pointer-free"},
		{"map", func() error { _, err := New[map[int]int](8); return err }, "is not pointer-free"},
		{"chan", func() error { _, err := New[chan int](8); return err }, "is not pointer-free"},
		{"func", func() error { _, err := New[func()](8); return err }, "is not pointer-free"},
		{"interface", func() error { _, err := New[any](8); return err }, "is not pointer-free"},
		{"unsafe.Pointer", func() error { _, err := New[unsafe.Pointer](8); return err }, "is not pointer-free"},
		{"string field", func() error { _, err := New[withString](8); return err }, "ring.withString.Name is a string"},
		{"deep pointer", func() error { _, err := New[deep](8); return err }, "ring.deep.Refs[].P is a *int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.newRing()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestLen(t *testing.T) {
	r := mustNew[uint64](t, 4)
	for i := range uint64(4) {
		if got := r.Len(); got != int(i) {
			t.Fatalf("Len %d after %d pushes", got, i)
		}
		r.TryPush(&i)
	}
	if got := r.Len(); got != 4 {
		t.Fatalf("Len %d when full, want 4", got)
	}
	var v uint64
	r.TryPop(&v)
	if got := r.Len(); got != 3 {
		t.Fatalf("Len %d after one pop, want 3", got)
	}
}
