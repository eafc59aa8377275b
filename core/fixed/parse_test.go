package fixed

import (
	"bufio"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in    string
		scale uint8
		want  int64
		err   error // sentinel, nil for success
	}{
		// Zero in every spelling.
		{"0", 0, 0, nil},
		{"0", 8, 0, nil},
		{"-0", 8, 0, nil},
		{"0.00000000", 8, 0, nil},
		{"0.00000000", 0, 0, nil},
		{"-0.00000000", 2, 0, nil},
		{"000", 3, 0, nil},
		// Ordinary prices and sizes (fast path).
		{"67123.45", 8, 6712345000000, nil},
		{"67123.45000000", 8, 6712345000000, nil},
		{"67123.45000000", 2, 6712345, nil}, // zeros beyond the scale are fine
		{"0.00000637", 8, 637, nil},
		{"1", 0, 1, nil},
		{"7.6110", 4, 76110, nil},
		{"7.6110", 3, 7611, nil},
		{"-0.02522168", 8, -2522168, nil},
		{"007.50", 2, 750, nil},
		{"12345678", 0, 12345678, nil},
		{"123456789", 0, 123456789, nil},
		{"12345678.12345678", 8, 1234567812345678, nil},
		{"1234567890.12345678", 8, 123456789012345678, nil},
		{"999999999999999999", 0, 999999999999999999, nil}, // 18 digits: largest without the exact check
		{"0.999999999999999999", 18, 999999999999999999, nil},
		{"0.000000000000000001", 18, 1, nil},
		{"1.000000000000000000000000000", 0, 1, nil},
		// int64 limits, exactly.
		{"9223372036854775807", 0, math.MaxInt64, nil},
		{"-9223372036854775808", 0, math.MinInt64, nil},
		{"9223372036854775808", 0, 0, ErrRange},
		{"-9223372036854775809", 0, 0, ErrRange},
		{"92233720368.54775807", 8, math.MaxInt64, nil},
		{"-92233720368.54775808", 8, math.MinInt64, nil},
		{"92233720368.54775808", 8, 0, ErrRange},
		{"-92233720368.54775809", 8, 0, ErrRange},
		{"92233720368.547758070000", 8, math.MaxInt64, nil},
		{"9.223372036854775807", 18, math.MaxInt64, nil},
		{"-9.223372036854775808", 18, math.MinInt64, nil},
		{"9.223372036854775808", 18, 0, ErrRange},
		{"10", 18, 0, ErrRange},
		{"00000000000009223372036854775807", 0, math.MaxInt64, nil},
		// 19 and 20 digits.
		{"1000000000000000000", 0, 1000000000000000000, nil},
		{"9999999999999999999", 0, 0, ErrRange},
		{"10000000000000000000", 0, 0, ErrRange},
		{"18446744073709551616", 0, 0, ErrRange}, // 2^64
		{"99999999999999999999999", 0, 0, ErrRange},
		{"1000000000000", 8, 0, ErrRange},
		// Precision: never rounds.
		{"0.123", 2, 0, ErrPrecision},
		{"0.1200000001", 2, 0, ErrPrecision},
		{"1.5", 0, 0, ErrPrecision},
		{"67123.45000001", 2, 0, ErrPrecision},
		// Syntax.
		{"", 8, 0, ErrEmpty},
		{"-", 8, 0, ErrSyntax},
		{".", 8, 0, ErrSyntax},
		{"-.", 8, 0, ErrSyntax},
		{".5", 8, 0, ErrSyntax},
		{"-.5", 8, 0, ErrSyntax},
		{"5.", 8, 0, ErrSyntax},
		{"+1", 8, 0, ErrSyntax},
		{"--1", 8, 0, ErrSyntax},
		{"1-", 8, 0, ErrSyntax},
		{"1.2.3", 8, 0, ErrSyntax},
		{"1..2", 8, 0, ErrSyntax},
		{" 1", 8, 0, ErrSyntax},
		{"1 ", 8, 0, ErrSyntax},
		{"1,5", 8, 0, ErrSyntax},
		{"0x10", 8, 0, ErrSyntax},
		{"1_000", 8, 0, ErrSyntax},
		{"NaN", 8, 0, ErrSyntax},
		{"Inf", 8, 0, ErrSyntax},
		{"e5", 8, 0, ErrSyntax},
		{"\"1\"", 8, 0, ErrSyntax},
		{"1/2", 8, 0, ErrSyntax}, // '/' is just below '0'
		{"1:2", 8, 0, ErrSyntax}, // ':' is just above '9'
		{"1\x00", 8, 0, ErrSyntax},
		{"1\xb1", 8, 0, ErrSyntax},             // '1' with the high bit set
		{"\xef\xbc\x91", 8, 0, ErrSyntax},      // fullwidth digit one
		{"12345678.1234567x", 8, 0, ErrSyntax}, // damage in the last word
		{"123456789012345x", 8, 0, ErrSyntax},
		// Exponents.
		{"1e-5", 8, 0, ErrExponent},
		{"1E5", 8, 0, ErrExponent},
		{"1.5e+3", 8, 0, ErrExponent},
		{".5e3", 8, 0, ErrExponent},
		{"12345678.123e1", 8, 0, ErrExponent},
		// Scale.
		{"1", 19, 0, ErrScale},
		{"1", 255, 0, ErrScale},
		{"1.5", 19, 0, ErrScale},
		{"x", 19, 0, ErrSyntax}, // syntax is reported before scale
	}
	for _, tt := range tests {
		for name, parse := range map[string]func([]byte, uint8) (int64, error){
			"Parse": Parse, "parseSlow": parseSlow,
			"ParseString": func(b []byte, s uint8) (int64, error) { return ParseString(string(b), s) },
		} {
			got, err := parse([]byte(tt.in), tt.scale)
			if tt.err == nil && (err != nil || got != tt.want) {
				t.Errorf("%s(%q, %d) = %d, %v; want %d", name, tt.in, tt.scale, got, err, tt.want)
			}
			if tt.err != nil && (!errors.Is(err, tt.err) || got != 0) {
				t.Errorf("%s(%q, %d) = %d, %v; want error %v", name, tt.in, tt.scale, got, err, tt.err)
			}
			var e *Error
			if err != nil && (!errors.As(err, &e) || !strings.HasPrefix(err.Error(), "fixed: ")) {
				t.Errorf("%s(%q, %d): error %q is not a prefixed *Error", name, tt.in, tt.scale, err)
			}
		}
	}
}

func TestParseErrorMessages(t *testing.T) {
	tests := []struct {
		in    string
		scale uint8
		msg   string
	}{
		{"", 8, `fixed: empty decimal`},
		{"0.123", 2, `fixed: "0.123" has more than 2 decimal places`},
		{"0.12", 1, `fixed: "0.12" has more than 1 decimal place`},
		{"1e-5", 8, `fixed: "1e-5" has an exponent; exponents are not accepted`},
		{"+1", 8, `fixed: "+1" has a leading '+'; only '-' is accepted`},
		{"1.2.3", 8, `fixed: "1.2.3" has more than one '.'`},
		{".", 8, `fixed: "." has no digits`},
		{".5", 8, `fixed: ".5" has no digit before '.'`},
		{"5.", 8, `fixed: "5." has no digit after '.'`},
		{"12x.3", 8, `fixed: "12x.3" has invalid character 'x' at offset 2`},
		{"1\xff", 8, `fixed: "1\xff" has invalid character byte 0xff at offset 1`},
		{"1\n", 8, `fixed: "1\n" has invalid character byte 0x0a at offset 1`},
		{"9223372036854775808", 0, `fixed: "9223372036854775808" overflows int64 at scale 0`},
		{"1", 19, `fixed: scale 19 is above the maximum 18`},
		{strings.Repeat("1", 70) + "x", 0, `fixed: "` + strings.Repeat("1", 64) + `"... has invalid character 'x' at offset 70`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in), tt.scale)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("Parse(%q, %d) error = %v, want %s", tt.in, tt.scale, err, tt.msg)
		}
	}
}

// venueDecimal is one value from testdata/venue_decimals.txt.
type venueDecimal struct {
	text   string
	source string // the recording it was copied from
}

// readVenueDecimals loads testdata/venue_decimals.txt.
func readVenueDecimals(tb testing.TB) []venueDecimal {
	tb.Helper()
	f, err := os.Open("testdata/venue_decimals.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []venueDecimal
	source := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if s, ok := strings.CutPrefix(line, "# source: "); ok {
			source = strings.Fields(s)[0]
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, venueDecimal{line, source})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) < 50 {
		tb.Fatalf("only %d venue decimals", len(out))
	}
	return out
}

// TestParseVenueDecimals parses every recorded value at its own places and at
// larger and smaller scales, and formats it back byte for byte.
func TestParseVenueDecimals(t *testing.T) {
	for _, d := range readVenueDecimals(t) {
		b := []byte(d.text)
		p := uint8(Places(b))
		v, err := Parse(b, p)
		if err != nil {
			t.Errorf("%s: Parse(%q, %d): %v", d.source, d.text, p, err)
			continue
		}
		if got := string(Append(nil, v, p)); got != d.text {
			t.Errorf("%s: Append(Parse(%q)) = %q", d.source, d.text, got)
		}
		trimmed := d.text
		if p > 0 {
			trimmed = strings.TrimSuffix(strings.TrimRight(d.text, "0"), ".")
		}
		if got := string(AppendTrim(nil, v, p)); got != trimmed {
			t.Errorf("%s: AppendTrim(Parse(%q)) = %q, want %q", d.source, d.text, got, trimmed)
		}
		for _, s := range []uint8{p + 1, p + 2, MaxScale, p - 1, 0} {
			if s > MaxScale {
				continue
			}
			want, wantClass := refParse(d.text, s)
			got, err := Parse(b, s)
			if got != want || classOf(err) != wantClass {
				t.Errorf("%s: Parse(%q, %d) = %d, %v; reference %d, %v", d.source, d.text, s, got, err, want, wantClass)
			}
		}
	}
}

func TestPlaces(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0}, {"0", 0}, {"30236", 0}, {"0.35270000", 8}, {"75845.4", 1},
		{"-0.010000249968", 12}, {"5.", 0}, {".5", 1}, {"1.2.3", 3},
	}
	for _, tt := range tests {
		if got := Places([]byte(tt.in)); got != tt.want {
			t.Errorf("Places(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestTiersAgree calls each tier of Parse directly on random text and checks
// it against parseSlow, which every tier hands its doubts to.
func TestTiersAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for range randomCount(200000) {
		s := randomDecimal(r)
		b := []byte(s)
		scale := uint8(r.IntN(MaxScale + 2))
		i := 0
		if strings.HasPrefix(s, "-") {
			i = 1
		}
		tier, name := parseShort, "parseShort"
		if len(b)-i >= 8 {
			tier, name = parseRuns, "parseRuns"
		}
		got, err := tier(b, i, scale)
		want, wantErr := parseSlow(b, scale)
		if got != want || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("%s(%q, %d) = %d, %v; parseSlow %d, %v", name, s, scale, got, err, want, wantErr)
		}
	}
}
