package fixed

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"testing"
	"unsafe"
)

// errNaive is the single error of the naive baseline.
var errNaive = errors.New("naive: bad decimal")

// naiveParse is the baseline a first implementation would write: one loop,
// one digit at a time, an overflow check per digit. Same grammar and results
// as Parse on valid input (it is less careful about error kinds).
func naiveParse(b []byte, scale uint8) (int64, error) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		i, neg = 1, true
	}
	var v uint64
	digits, frac, dot := 0, 0, false
	lim := limit(neg)
	for ; i < len(b); i++ {
		c := b[i]
		if c == '.' {
			if dot || digits == 0 {
				return 0, errNaive
			}
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return 0, errNaive
		}
		digits++
		d := uint64(c - '0')
		if dot {
			if frac == int(scale) {
				if d != 0 {
					return 0, errNaive
				}
				continue
			}
			frac++
		}
		if v > (lim-d)/10 {
			return 0, errNaive
		}
		v = v*10 + d
	}
	if digits == 0 || b[len(b)-1] == '.' {
		return 0, errNaive
	}
	for ; frac < int(scale); frac++ {
		if v > lim/10 {
			return 0, errNaive
		}
		v *= 10
	}
	return signed(v, neg), nil
}

// strconvParse is a reference point only, not a correct implementation: it
// goes through float64, so it rounds (and cannot hold 17+ significant digits).
func strconvParse(b []byte, scale uint8) (int64, error) {
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil {
		return 0, err
	}
	return int64(math.Round(f * float64(pow10[scale]))), nil
}

type benchInput struct {
	name  string
	text  []byte
	scale uint8
}

// parseImpls names the implementations BenchmarkParse compares.
var parseImpls = []string{"fixed", "naive", "strconv"}

// parseWith calls implementation impl, for the checks outside the timed loop.
func parseWith(impl int, b []byte, scale uint8) (int64, error) {
	switch impl {
	case 0:
		return Parse(b, scale)
	case 1:
		return naiveParse(b, scale)
	}
	return strconvParse(b, scale)
}

func parseInputs(tb testing.TB) [][]benchInput {
	one := func(name, text string, scale uint8) []benchInput {
		return []benchInput{{name, []byte(text), scale}}
	}
	var venue []benchInput
	for _, d := range readVenueDecimals(tb) {
		venue = append(venue, benchInput{"venue", []byte(d.text), uint8(Places([]byte(d.text)))})
	}
	return [][]benchInput{
		one("price", "67123.45000000", 8),     // Binance BTC price
		one("qty", "0.00000637", 8),           // Binance small quantity
		one("short", "7.6110", 4),             // USD-M price, under 8 bytes
		one("excess", "0.35270000", 4),        // zeros beyond the scale
		one("long", "1234567890.12345678", 8), // 18 digits, still the fast path
		one("max", "92233720368.54775807", 8), // MaxInt64: the exact path
		one("neg", "-0.010000249968", 12),     // OKX fee
		venue,                                 // every recorded value, in turn
	}
}

// BenchmarkParse runs every implementation over the same inputs. Each result
// is compared with Parse's, computed before the timer starts.
func BenchmarkParse(b *testing.B) {
	inputs := parseInputs(b)
	for impl, name := range parseImpls {
		for _, in := range inputs {
			want := make([]int64, len(in))
			bytes := 0
			exact := true
			for k, x := range in {
				v, err := Parse(x.text, x.scale)
				if err != nil {
					b.Fatal(err)
				}
				want[k] = v
				bytes += len(x.text)
				got, err := parseWith(impl, x.text, x.scale)
				exact = exact && err == nil && got == v
			}
			b.Run("impl="+name+"/input="+in[0].name, func(b *testing.B) {
				if !exact {
					b.Skipf("%s gives a wrong value on this input", name)
				}
				b.ReportAllocs()
				b.SetBytes(int64(bytes / len(in)))
				k := 0
				for b.Loop() {
					// The switch (not a func value or a helper) keeps each
					// call direct; every implementation pays the same branch.
					var v int64
					var err error
					switch impl {
					case 0:
						v, err = Parse(in[k].text, in[k].scale)
					case 1:
						v, err = naiveParse(in[k].text, in[k].scale)
					default:
						v, err = strconvParse(in[k].text, in[k].scale)
					}
					if err != nil || v != want[k] {
						b.Fatalf("%s(%q) = %d, %v", name, in[k].text, v, err)
					}
					if k++; k == len(in) {
						k = 0
					}
				}
			})
		}
	}
}

var appendImpls = []struct {
	name string
	fn   func(dst []byte, v int64, scale uint8) []byte
}{
	{"fixed", Append},
	// Lower bound: the raw units without a '.', as strconv writes them.
	{"appendint", func(dst []byte, v int64, _ uint8) []byte { return strconv.AppendInt(dst, v, 10) }},
	// Reference only: through float64 ('f' with scale digits).
	{"appendfloat", func(dst []byte, v int64, scale uint8) []byte {
		return strconv.AppendFloat(dst, float64(v)/float64(pow10[scale]), 'f', int(scale), 64)
	}},
}

func BenchmarkAppend(b *testing.B) {
	for _, impl := range appendImpls {
		for _, in := range parseInputs(b)[:7] {
			x := in[0]
			v, _ := Parse(x.text, x.scale)
			want := impl.fn(nil, v, x.scale)
			b.Run("impl="+impl.name+"/input="+x.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(want)))
				dst := make([]byte, 0, 64)
				for b.Loop() {
					dst = impl.fn(dst[:0], v, x.scale)
					if len(dst) != len(want) || dst[len(dst)-1] != want[len(want)-1] {
						b.Fatalf("%s = %q, want %q", impl.name, dst, want)
					}
				}
			})
		}
	}
}

func BenchmarkAppendTrim(b *testing.B) {
	impls := []struct {
		name string
		fn   func(dst []byte, v int64, scale uint8) []byte
	}{
		{"fixed", AppendTrim},
		// Reference only: shortest float64 text.
		{"appendfloat", func(dst []byte, v int64, scale uint8) []byte {
			return strconv.AppendFloat(dst, float64(v)/float64(pow10[scale]), 'f', -1, 64)
		}},
	}
	for _, impl := range impls {
		for _, in := range parseInputs(b)[:7] {
			x := in[0]
			v, _ := Parse(x.text, x.scale)
			want := impl.fn(nil, v, x.scale)
			b.Run("impl="+impl.name+"/input="+x.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(want)))
				dst := make([]byte, 0, 64)
				for b.Loop() {
					dst = impl.fn(dst[:0], v, x.scale)
					if len(dst) != len(want) {
						b.Fatalf("%s = %q, want %q", impl.name, dst, want)
					}
				}
			})
		}
	}
}

func BenchmarkRescale(b *testing.B) {
	cases := []struct {
		name     string
		v        int64
		from, to uint8
	}{
		{"up", 6712345, 2, 8},
		{"down", 6712345000000, 8, 2},
	}
	for _, c := range cases {
		want, err := Rescale(c.v, c.from, c.to)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("impl=fixed/dir="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got, err := Rescale(c.v, c.from, c.to); got != want || err != nil {
					b.Fatal(got, err)
				}
			}
		})
	}
}

func BenchmarkNotional(b *testing.B) {
	// 67123.45 at scale 8 × 1.5 at scale 8, to scale 8: a 128-bit product and
	// a division by 10^8.
	const px, qty, want = 6712345000000, 150000000, 10068517500000
	b.Run("impl=fixed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if got, err := Notional(px, qty, 8, 8, 8); got != want || err != nil {
				b.Fatal(got, err)
			}
		}
	})
	b.Run("impl=muldiv", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if got, err := MulDiv(px, qty, 100000000); got != want || err != nil {
				b.Fatal(got, err)
			}
		}
	})
	b.Run("impl=bigint", func(b *testing.B) {
		b.ReportAllocs()
		x, y, d := big.NewInt(px), big.NewInt(qty), big.NewInt(100000000)
		z := new(big.Int)
		for b.Loop() {
			z.Mul(x, y)
			z.Quo(z, d)
			if !z.IsInt64() || z.Int64() != want {
				b.Fatal(z)
			}
		}
	})
}
