package fixed

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestNonDigitsEveryByte puts every byte value at every position of a word
// whose other bytes are random, and checks that position's flag.
func TestNonDigitsEveryByte(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for c := range 256 {
		isDigit := c >= '0' && c <= '9'
		for pos := range 8 {
			for range 16 {
				var w [8]byte
				for i := range w {
					w[i] = byte(r.Uint32())
				}
				w[pos] = byte(c)
				m := nonDigits(binary.LittleEndian.Uint64(w[:]))
				if got := m>>(8*pos)&0x80 != 0; got == isDigit {
					t.Fatalf("nonDigits(% x) flags byte %d (%#x) = %v", w, pos, c, got)
				}
			}
		}
	}
}

func TestDigits8(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	check := func(v uint64) {
		s := []byte(strconv.FormatUint(v+100000000, 10)[1:]) // eight digits, zero padded
		if got := digits8(load8(s, 0) - zeros8); got != v {
			t.Fatalf("digits8(%q) = %d", s, got)
		}
	}
	for _, v := range []uint64{0, 1, 9, 10, 99, 12345678, 87654321, 99999999, 10000000, 90909090} {
		check(v)
	}
	for range randomCount(100000) {
		check(r.Uint64N(100000000))
	}
}

// TestWordAt compares wordAt with the bytes it stands for, zero padded.
func TestWordAt(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range randomCount(100000) {
		n := 8 + r.IntN(18)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		j := r.IntN(n + 1)
		var want [8]byte
		copy(want[:], b[j:])
		if got := wordAt(b, j); got != binary.LittleEndian.Uint64(want[:]) {
			t.Fatalf("wordAt(% x, %d) = %#x, want % x", b, j, got, want)
		}
	}
}
