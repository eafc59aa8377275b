package fixed

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestRescale(t *testing.T) {
	tests := []struct {
		v        int64
		from, to uint8
		want     int64
		err      error
	}{
		{6712345, 2, 8, 6712345000000, nil},
		{6712345000000, 8, 2, 6712345, nil},
		{6712345000001, 8, 2, 0, ErrPrecision},
		{-6712345000000, 8, 2, -6712345, nil},
		{-6712345000001, 8, 2, 0, ErrPrecision},
		{5, 3, 3, 5, nil},
		{0, 0, 18, 0, nil},
		{9, 0, 18, 9000000000000000000, nil},
		{10, 0, 18, 0, ErrRange},
		{-9, 0, 18, -9000000000000000000, nil},
		{math.MaxInt64, 0, 1, 0, ErrRange},
		{math.MinInt64, 0, 1, 0, ErrRange},
		{math.MinInt64, 18, 0, 0, ErrPrecision},
		{-9223372036854775000, 3, 0, -9223372036854775, nil},
		{922337203685477580, 0, 1, 9223372036854775800, nil},
		{-922337203685477580, 0, 1, -9223372036854775800, nil},
		{1, 19, 0, 0, ErrScale},
		{1, 0, 19, 0, ErrScale},
	}
	for _, tt := range tests {
		got, err := Rescale(tt.v, tt.from, tt.to)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("Rescale(%d, %d, %d) = %d, %v; want %d, %v", tt.v, tt.from, tt.to, got, err, tt.want, tt.err)
		}
	}
}

func TestRescaleMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ten := big.NewInt(10)
	for range randomCount(100000) {
		v := int64(r.Uint64() >> r.IntN(64))
		if r.IntN(2) == 0 {
			v = -v
		}
		from, to := uint8(r.IntN(MaxScale+1)), uint8(r.IntN(MaxScale+1))
		got, err := Rescale(v, from, to)
		x := big.NewInt(v)
		want, wantErr := int64(0), error(nil)
		if to >= from {
			x.Mul(x, new(big.Int).Exp(ten, big.NewInt(int64(to-from)), nil))
			if x.IsInt64() {
				want = x.Int64()
			} else {
				wantErr = ErrRange
			}
		} else {
			q, m := new(big.Int).QuoRem(x, new(big.Int).Exp(ten, big.NewInt(int64(from-to)), nil), new(big.Int))
			if m.Sign() == 0 {
				want = q.Int64()
			} else {
				wantErr = ErrPrecision
			}
		}
		if got != want || !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
			t.Fatalf("Rescale(%d, %d, %d) = %d, %v; want %d, %v", v, from, to, got, err, want, wantErr)
		}
	}
}

func TestPow10(t *testing.T) {
	want := int64(1)
	for n := range uint8(MaxScale + 1) {
		if got := Pow10(n); got != want {
			t.Errorf("Pow10(%d) = %d, want %d", n, got, want)
		}
		want *= 10
	}
	if got := Pow10(MaxScale + 1); got != 0 {
		t.Errorf("Pow10(19) = %d, want 0", got)
	}
}
