package fixed

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestAppend(t *testing.T) {
	tests := []struct {
		v     int64
		scale uint8
		want  string
		trim  string
	}{
		{0, 0, "0", "0"},
		{0, 8, "0.00000000", "0"},
		{6712345000000, 8, "67123.45000000", "67123.45"},
		{637, 8, "0.00000637", "0.00000637"},
		{35270000, 8, "0.35270000", "0.3527"},
		{960200000000, 8, "9602.00000000", "9602"},
		{900, 2, "9.00", "9"},
		{7, 0, "7", "7"},
		{-7, 0, "-7", "-7"},
		{-2522168, 8, "-0.02522168", "-0.02522168"},
		{-1, 18, "-0.000000000000000001", "-0.000000000000000001"},
		{1, 1, "0.1", "0.1"},
		{10, 1, "1.0", "1"},
		{100, 2, "1.00", "1"},
		{101, 2, "1.01", "1.01"},
		{math.MaxInt64, 0, "9223372036854775807", "9223372036854775807"},
		{math.MinInt64, 0, "-9223372036854775808", "-9223372036854775808"},
		{math.MaxInt64, 8, "92233720368.54775807", "92233720368.54775807"},
		{math.MinInt64, 8, "-92233720368.54775808", "-92233720368.54775808"},
		{math.MaxInt64, 18, "9.223372036854775807", "9.223372036854775807"},
		{math.MinInt64, 18, "-9.223372036854775808", "-9.223372036854775808"},
		{1000000000000000000, 18, "1.000000000000000000", "1"},
		{5, 30, "0.000000000000000000000000000005", "0.000000000000000000000000000005"},
	}
	for _, tt := range tests {
		if got := string(Append(nil, tt.v, tt.scale)); got != tt.want {
			t.Errorf("Append(%d, %d) = %q, want %q", tt.v, tt.scale, got, tt.want)
		}
		if got := string(AppendTrim(nil, tt.v, tt.scale)); got != tt.trim {
			t.Errorf("AppendTrim(%d, %d) = %q, want %q", tt.v, tt.scale, got, tt.trim)
		}
		if got := string(Append([]byte("px="), tt.v, tt.scale)); got != "px="+tt.want {
			t.Errorf("Append(%q, %d, %d) = %q", "px=", tt.v, tt.scale, got)
		}
	}
}

// refFormat places the dot in strconv's digits, for comparison.
func refFormat(v int64, scale uint8) string {
	neg := v < 0
	d := strconv.FormatUint(uint64(v), 10)
	if neg {
		d = strconv.FormatUint(-uint64(v), 10)
	}
	if len(d) <= int(scale) {
		d = strings.Repeat("0", int(scale)-len(d)+1) + d
	}
	if scale > 0 {
		d = d[:len(d)-int(scale)] + "." + d[len(d)-int(scale):]
	}
	if neg {
		d = "-" + d
	}
	return d
}

// TestAppendRoundTrip formats random values at every scale, compares with
// the reference text, and parses both forms back.
func TestAppendRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range randomCount(200000) {
		v := int64(r.Uint64() >> r.IntN(64))
		if r.IntN(2) == 0 {
			v = -v
		}
		if r.IntN(50) == 0 {
			v = []int64{math.MinInt64, math.MaxInt64, 0, -1, 1}[r.IntN(5)]
		}
		scale := uint8(r.IntN(MaxScale + 1))
		s := Append(nil, v, scale)
		if string(s) != refFormat(v, scale) {
			t.Fatalf("Append(%d, %d) = %q, want %q", v, scale, s, refFormat(v, scale))
		}
		if got, err := Parse(s, scale); err != nil || got != v {
			t.Fatalf("Parse(Append(%d, %d)) = %d, %v", v, scale, got, err)
		}
		tr := AppendTrim(nil, v, scale)
		if got, err := Parse(tr, scale); err != nil || got != v {
			t.Fatalf("Parse(AppendTrim(%d, %d) = %q) = %d, %v", v, scale, tr, got, err)
		}
		if want := strings.TrimRight(string(s), "0"); scale > 0 && string(tr) != strings.TrimSuffix(want, ".") && v != 0 {
			t.Fatalf("AppendTrim(%d, %d) = %q, Append %q", v, scale, tr, s)
		}
	}
}

// TestAppendWideScale formats at scales above MaxScale, which only pad.
func TestAppendWideScale(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 5, 50, 1000, 123456789, -1200000000000000000, math.MaxInt64, math.MinInt64} {
		for scale := uint8(MaxScale + 1); scale <= 40; scale++ {
			if got, want := string(Append(nil, v, scale)), refFormat(v, scale); got != want {
				t.Errorf("Append(%d, %d) = %q, want %q", v, scale, got, want)
			}
			want := refFormat(v, scale)
			want = strings.TrimSuffix(strings.TrimRight(want, "0"), ".")
			if want == "" || want == "-" {
				want = "0"
			}
			if got := string(AppendTrim(nil, v, scale)); got != want {
				t.Errorf("AppendTrim(%d, %d) = %q, want %q", v, scale, got, want)
			}
		}
	}
}
