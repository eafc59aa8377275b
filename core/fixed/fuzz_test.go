package fixed

import "testing"

// FuzzParse checks, for any text and scale: Parse never panics; it agrees
// with the math/big reference on value and error class (so it rejects exactly
// what the reference rejects, overflow included); both of its paths give the
// same answer; a parsed value formats back to the canonical text; and
// ParseString agrees with Parse.
func FuzzParse(f *testing.F) {
	for _, d := range readVenueDecimals(f) {
		f.Add(d.text, uint8(Places([]byte(d.text))))
		f.Add(d.text, uint8(2))
	}
	for _, s := range []string{
		"", "-", ".", "-0", "0.00000000", "1e-5", "+1", "1.2.3", ".5", "5.",
		"9223372036854775807", "-9223372036854775808", "9223372036854775808",
		"92233720368.54775807", "-92233720368.54775808", "18446744073709551616",
		"12345678.1234567x", "0.000000000000000001", "\xff",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(8))
		f.Add(s, uint8(18))
	}
	f.Fuzz(func(t *testing.T, s string, scale uint8) {
		scale %= MaxScale + 2 // 0 … 19: every scale and one bad one
		b := []byte(s)
		got, err := Parse(b, scale)
		want, wantClass := refParse(s, scale)
		if got != want || classOf(err) != wantClass {
			t.Fatalf("Parse(%q, %d) = %d, %v; reference %d, %v", s, scale, got, err, want, wantClass)
		}
		if slow, slowErr := parseSlow(b, scale); slow != got || (slowErr == nil) != (err == nil) ||
			(err != nil && slowErr.Error() != err.Error()) {
			t.Fatalf("parseSlow(%q, %d) = %d, %v; Parse %d, %v", s, scale, slow, slowErr, got, err)
		}
		if v, e := ParseString(s, scale); v != got || (e == nil) != (err == nil) {
			t.Fatalf("ParseString(%q, %d) = %d, %v; Parse %d, %v", s, scale, v, e, got, err)
		}
		if string(b) != s {
			t.Fatalf("Parse modified its input: %q became %q", s, b)
		}
		if err != nil {
			return
		}
		if out := string(Append(nil, got, scale)); out != canonical(s, scale) {
			t.Fatalf("Append(Parse(%q, %d)) = %q, want %q", s, scale, out, canonical(s, scale))
		}
		if v, e := Parse(AppendTrim(nil, got, scale), scale); e != nil || v != got {
			t.Fatalf("Parse(AppendTrim(Parse(%q, %d))) = %d, %v", s, scale, v, e)
		}
	})
}
