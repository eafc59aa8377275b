package fixed

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestMulDiv(t *testing.T) {
	tests := []struct {
		a, b, div int64
		want      int64
		err       error
	}{
		{7, 1, 2, 3, nil},
		{-7, 1, 2, -3, nil}, // truncation toward zero
		{7, -1, 2, -3, nil},
		{7, 1, -2, -3, nil},
		{-7, -1, -2, -3, nil},
		{-7, -1, 2, 3, nil},
		{math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64, nil},
		{math.MinInt64, math.MinInt64, math.MinInt64, math.MinInt64, nil},
		{math.MinInt64, 1, 1, math.MinInt64, nil},
		{math.MinInt64, -1, 1, 0, ErrRange},
		{math.MinInt64, 1, -1, 0, ErrRange},
		{math.MaxInt64, 2, 1, 0, ErrRange},
		{math.MaxInt64, 2, 2, math.MaxInt64, nil},
		{1 << 62, 4, 2, 0, ErrRange},
		{1 << 62, 4, 4, 1 << 62, nil},
		{math.MaxInt64, math.MaxInt64, 1, 0, ErrRange}, // product far beyond 2^64
		{3, 4, 0, 0, ErrZeroDivisor},
		{0, math.MaxInt64, 7, 0, nil},
	}
	for _, tt := range tests {
		got, err := MulDiv(tt.a, tt.b, tt.div)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("MulDiv(%d, %d, %d) = %d, %v; want %d, %v", tt.a, tt.b, tt.div, got, err, tt.want, tt.err)
		}
	}
}

func TestNotional(t *testing.T) {
	tests := []struct {
		price, qty  int64
		ps, qs, out uint8
		want        int64
		err         error
	}{
		{6712345, 150000, 2, 5, 2, 10068517, nil},            // 67123.45 × 1.5 = 100685.175, truncated
		{6712345, 150000, 2, 5, 3, 100685175, nil},           // exact
		{6712345, 150000, 2, 5, 8, 10068517500000, nil},      // scaled up
		{-6712345, 150000, 2, 5, 2, -10068517, nil},          // toward zero
		{35270000, 960200000000, 8, 8, 8, 338662540000, nil}, // 0.3527 × 9602 = 3386.6254
		{math.MaxInt64, math.MaxInt64, 18, 18, 0, 85, nil},   // 9.22…² = 85.07…
		{math.MaxInt64, math.MaxInt64, 18, 18, 17, 8507059173023461584, nil},
		{math.MaxInt64, math.MaxInt64, 18, 18, 18, 0, ErrRange},
		{math.MinInt64, 1, 0, 0, 0, math.MinInt64, nil},
		{math.MinInt64, -1, 0, 0, 0, 0, ErrRange},
		{1 << 40, 1 << 30, 0, 0, 0, 0, ErrRange},
		{1, 1, 19, 0, 0, 0, ErrScale},
		{1, 1, 0, 0, 19, 0, ErrScale},
	}
	for _, tt := range tests {
		got, err := Notional(tt.price, tt.qty, tt.ps, tt.qs, tt.out)
		want := tt.want
		if tt.err != nil {
			want = 0
		}
		if got != want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("Notional(%d, %d, %d, %d, %d) = %d, %v; want %d, %v", tt.price, tt.qty, tt.ps, tt.qs, tt.out, got, err, want, tt.err)
		}
	}
}

// randomInt64 returns values of every magnitude, both signs, and the limits.
func randomInt64(r *rand.Rand) int64 {
	if r.IntN(30) == 0 {
		return []int64{math.MinInt64, math.MaxInt64, 0, -1, 1}[r.IntN(5)]
	}
	v := int64(r.Uint64() >> r.IntN(64))
	if r.IntN(2) == 0 {
		v = -v
	}
	return v
}

// bigResult converts a big quotient to the expected (value, error).
func bigResult(x *big.Int) (int64, error) {
	if !x.IsInt64() {
		return 0, ErrRange
	}
	return x.Int64(), nil
}

func TestMulDivNotionalMatchBig(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	ten := big.NewInt(10)
	for range randomCount(100000) {
		a, b, d := randomInt64(r), randomInt64(r), randomInt64(r)
		if d == 0 {
			d = 1
		}
		x := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		want, wantErr := bigResult(new(big.Int).Quo(x, big.NewInt(d))) // Quo truncates toward zero
		got, err := MulDiv(a, b, d)
		if got != want || !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
			t.Fatalf("MulDiv(%d, %d, %d) = %d, %v; want %d, %v", a, b, d, got, err, want, wantErr)
		}

		ps, qs, out := uint8(r.IntN(MaxScale+1)), uint8(r.IntN(MaxScale+1)), uint8(r.IntN(MaxScale+1))
		exact := int64(ps) + int64(qs)
		if int64(out) >= exact {
			x.Mul(x, new(big.Int).Exp(ten, big.NewInt(int64(out)-exact), nil))
		} else {
			x.Quo(x, new(big.Int).Exp(ten, big.NewInt(exact-int64(out)), nil))
		}
		want, wantErr = bigResult(x)
		got, err = Notional(a, b, ps, qs, out)
		if got != want || !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
			t.Fatalf("Notional(%d, %d, %d, %d, %d) = %d, %v; want %d, %v", a, b, ps, qs, out, got, err, want, wantErr)
		}
	}
}
