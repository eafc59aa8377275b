package fixed

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by this package is an *Error whose
// Unwrap gives one of these, so callers classify with errors.Is.
var (
	// ErrEmpty: the text is empty.
	ErrEmpty = errors.New("fixed: empty decimal")
	// ErrSyntax: the text is not [-]digits[.digits] (bad byte, leading '+',
	// second '.', missing digits around the '.').
	ErrSyntax = errors.New("fixed: invalid decimal syntax")
	// ErrExponent: the text uses exponent notation ("1e-5").
	ErrExponent = errors.New("fixed: exponents are not accepted")
	// ErrPrecision: a non-zero digit lies beyond the scale, or a rescale would
	// drop one.
	ErrPrecision = errors.New("fixed: more decimal places than the scale")
	// ErrRange: the value does not fit an int64 at the scale.
	ErrRange = errors.New("fixed: value out of int64 range")
	// ErrScale: a scale is above MaxScale.
	ErrScale = errors.New("fixed: scale above 18")
	// ErrZeroDivisor: MulDiv was asked to divide by zero.
	ErrZeroDivisor = errors.New("fixed: division by zero")
)

// Error is the error type of this package: a message naming what failed, and
// the sentinel it wraps.
type Error struct {
	Err error  // one of the Err* sentinels
	msg string // full message, "fixed: " prefixed
}

// Error returns the message, for example `fixed: "0.123" has more than 2
// decimal places`.
func (e *Error) Error() string { return e.msg }

// Unwrap returns the sentinel, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

// maxQuoted bounds how much of a bad input is copied into an error message.
const maxQuoted = 64

// quoteInput returns b quoted for an error message, cut at maxQuoted bytes.
func quoteInput(b []byte) string {
	if len(b) > maxQuoted {
		return strconv.Quote(string(b[:maxQuoted])) + "..."
	}
	return strconv.Quote(string(b))
}

// parseError builds the error for text b. detail follows the quoted text.
func parseError(sentinel error, b []byte, detail string) error {
	return &Error{Err: sentinel, msg: "fixed: " + quoteInput(b) + " " + detail}
}

// precisionError reports a non-zero digit beyond scale.
func precisionError(b []byte, scale uint8) error {
	return parseError(ErrPrecision, b, "has more than "+places(int(scale)))
}

// rangeError reports text that overflows int64 at scale.
func rangeError(b []byte, scale uint8) error {
	return parseError(ErrRange, b, "overflows int64 at scale "+strconv.Itoa(int(scale)))
}

// badByteError reports byte c at offset off of b.
func badByteError(b []byte, off int) error {
	c := b[off]
	var what string
	if c >= 0x20 && c < 0x7f {
		what = strconv.QuoteRune(rune(c))
	} else {
		what = "byte 0x" + strconv.FormatUint(uint64(c)|0x100, 16)[1:]
	}
	return parseError(ErrSyntax, b, "has invalid character "+what+" at offset "+strconv.Itoa(off))
}

// scaleError reports a scale above MaxScale.
func scaleError(scale uint8) error {
	return &Error{Err: ErrScale, msg: "fixed: scale " + strconv.Itoa(int(scale)) +
		" is above the maximum " + strconv.Itoa(MaxScale)}
}

// places spells "n decimal place(s)".
func places(n int) string {
	if n == 1 {
		return "1 decimal place"
	}
	return strconv.Itoa(n) + " decimal places"
}
