package fixed

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// The reference below is deliberately simple and independent of the package
// code: a byte-class check, then math/big arithmetic. Parse must agree with it
// on value and error class for every input.

// errClass is the coarse outcome the reference can predict.
type errClass int

const (
	classOK errClass = iota
	classSyntax
	classScale
	classPrecision
	classRange
)

func (c errClass) String() string {
	return [...]string{"ok", "syntax", "scale", "precision", "range"}[c]
}

// classOf maps a package error to its class.
func classOf(err error) errClass {
	switch {
	case err == nil:
		return classOK
	case errors.Is(err, ErrEmpty), errors.Is(err, ErrSyntax), errors.Is(err, ErrExponent):
		return classSyntax
	case errors.Is(err, ErrScale):
		return classScale
	case errors.Is(err, ErrPrecision):
		return classPrecision
	case errors.Is(err, ErrRange):
		return classRange
	}
	return -1
}

// refSplit checks s against [-]digits[.digits] and returns its parts.
func refSplit(s string) (neg bool, intPart, frac string, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	intPart, frac, dot := strings.Cut(s, ".")
	allDigits := func(t string) bool {
		for _, c := range []byte(t) {
			if c < '0' || c > '9' {
				return false
			}
		}
		return t != ""
	}
	if !allDigits(intPart) || (dot && !allDigits(frac)) {
		return false, "", "", false
	}
	return neg, intPart, frac, true
}

// refParse is the reference Parse.
func refParse(s string, scale uint8) (int64, errClass) {
	neg, intPart, frac, ok := refSplit(s)
	if !ok {
		return 0, classSyntax
	}
	if scale > MaxScale {
		return 0, classScale
	}
	if len(frac) > int(scale) {
		if strings.Trim(frac[scale:], "0") != "" {
			return 0, classPrecision
		}
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", int(scale)-len(frac))
	v, _ := new(big.Int).SetString(intPart+frac, 10)
	if neg {
		v.Neg(v)
	}
	if !v.IsInt64() {
		return 0, classRange
	}
	return v.Int64(), classOK
}

// canonical returns the text Append gives for s at scale, assuming s parses:
// no leading zeros, exactly scale decimals, no "-" on zero.
func canonical(s string, scale uint8) string {
	neg, intPart, frac, _ := refSplit(s)
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if len(frac) > int(scale) {
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", int(scale)-len(frac))
	if neg && strings.Trim(intPart+frac, "0") == "" {
		neg = false
	}
	out := intPart
	if scale > 0 {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// randomDecimal returns text that is usually a decimal and sometimes damaged,
// with digit counts around every boundary the implementation has (8-byte
// words, 18 and 19 significant digits, int64 limits).
func randomDecimal(r *rand.Rand) string {
	var sb strings.Builder
	if r.IntN(4) == 0 {
		sb.WriteByte('-')
	}
	if r.IntN(5) == 0 {
		sb.WriteString(strings.Repeat("0", r.IntN(4)))
	}
	if r.IntN(6) == 0 {
		// Near the int64 limits at some scale.
		lim := "9223372036854775807"
		if r.IntN(2) == 0 {
			lim = "9223372036854775808"
		}
		cut := 1 + r.IntN(len(lim))
		sb.WriteString(lim[:cut])
		if cut < len(lim) {
			sb.WriteByte('.')
			sb.WriteString(lim[cut:])
		}
	} else {
		for range r.IntN(22) {
			sb.WriteByte(byte('0' + r.IntN(10)))
		}
		if r.IntN(5) != 0 {
			sb.WriteByte('.')
			for range r.IntN(22) {
				sb.WriteByte(byte('0' + r.IntN(10)))
			}
		}
	}
	if r.IntN(3) == 0 {
		sb.WriteString(strings.Repeat("0", r.IntN(12)))
	}
	s := []byte(sb.String())
	if len(s) > 0 && r.IntN(8) == 0 {
		bad := []byte("eE+-. x/:\x00\x80\xff9")
		s[r.IntN(len(s))] = bad[r.IntN(len(bad))]
	}
	return string(s)
}

func randomCount(n int) int {
	if raceEnabled {
		return n / 10
	}
	return n
}

// TestParseMatchesReference compares Parse (both paths) with the reference
// on seeded random input at every scale.
func TestParseMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[errClass]int{}
	for range randomCount(300000) {
		s := randomDecimal(r)
		scale := uint8(r.IntN(MaxScale + 2))
		want, wantClass := refParse(s, scale)
		got, err := Parse([]byte(s), scale)
		seen[wantClass]++
		if classOf(err) != wantClass || got != want {
			t.Fatalf("Parse(%q, %d) = %d, %v (%v); reference %d, %v", s, scale, got, err, classOf(err), want, wantClass)
		}
		slow, slowErr := parseSlow([]byte(s), scale)
		if slow != got || (slowErr == nil) != (err == nil) || (err != nil && err.Error() != slowErr.Error()) {
			t.Fatalf("parseSlow(%q, %d) = %d, %v; Parse %d, %v", s, scale, slow, slowErr, got, err)
		}
		if err == nil {
			if out := string(Append(nil, got, scale)); out != canonical(s, scale) {
				t.Fatalf("Append(Parse(%q, %d)) = %q, want %q", s, scale, out, canonical(s, scale))
			}
		}
	}
	for c := classOK; c <= classRange; c++ {
		if seen[c] < 100/(1+9*btoi(raceEnabled)) {
			t.Errorf("random input hit class %v only %d times", c, seen[c])
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
