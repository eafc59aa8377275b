package instrument

import "errors"

// Sentinel errors. Every error Parse, Load and Default return is an *Error whose Unwrap gives one
// of these (and, for a decimal that failed to parse, the ems/core/fixed error beneath it), so
// callers and tests classify with errors.Is.
var (
	// ErrSyntax: the file is not JSON of this schema (malformed JSON, a value of the wrong JSON
	// type, an unknown field, data after the top-level object).
	ErrSyntax = errors.New("instrument: invalid instrument file")
	// ErrMissing: a required field is absent or empty.
	ErrMissing = errors.New("instrument: missing field")
	// ErrUnknownVenue: a listing names a venue that is not in the venue table (venue.go).
	ErrUnknownVenue = errors.New("instrument: unknown venue")
	// ErrUnknownKind: an instrument's kind is not spot, perpetual or future.
	ErrUnknownKind = errors.New("instrument: unknown kind")
	// ErrName: a canonical name does not follow BASE-QUOTE (spot), BASE-QUOTE-PERP (perpetual)
	// or BASE-QUOTE-<expiry> (future), or a symbol or asset holds bytes outside printable ASCII.
	ErrName = errors.New("instrument: malformed name")
	// ErrSegment: a listing's kind is not traded on its venue (a perpetual listed on "binance",
	// whose perpetuals are on "binance-usdm").
	ErrSegment = errors.New("instrument: venue does not trade this kind")
	// ErrDuplicate: a canonical name, a venue symbol within one venue segment, or a venue within
	// one instrument appears twice.
	ErrDuplicate = errors.New("instrument: duplicate")
	// ErrScale: a price or quantity scale is outside 0..18.
	ErrScale = errors.New("instrument: scale out of range")
	// ErrDecimal: a decimal string is malformed or not representable at its scale (a tick of
	// "0.001" at price scale 2).
	ErrDecimal = errors.New("instrument: decimal not representable")
	// ErrNonPositive: a tick, lot, minimum quantity or contract value is zero or negative, or a
	// minimum notional is negative.
	ErrNonPositive = errors.New("instrument: value must be positive")
	// ErrMinQty: a minimum quantity is not a whole number of lots.
	ErrMinQty = errors.New("instrument: minimum quantity is not a multiple of the lot")
	// ErrContract: a perpetual or future lacks a contract value, or a spot listing has one.
	ErrContract = errors.New("instrument: contract value")
	// ErrFee: a fee is outside ±10000 basis points.
	ErrFee = errors.New("instrument: fee out of range")
	// ErrTooMany: more instruments or venue symbols than the ids can number.
	ErrTooMany = errors.New("instrument: too many entries")
)

// Error is the error type of the loader: what failed, and where. Instrument, Venue and Field are
// empty when they do not apply (a JSON syntax error names none of them).
type Error struct {
	Instrument string // canonical name, or "#3" (1-based position) when the name itself is missing
	Venue      string // venue name as written in the file
	Field      string // JSON field name, "price_scale", "tick", ...
	Err        error  // one of the Err* sentinels
	Cause      error  // the underlying error (a fixed.Error, a json error), or nil
	msg        string
}

// Error returns the message, for example
// `instrument: BTC-USDT on okx: tick "0.001": not representable at price_scale 2 (...)`.
func (e *Error) Error() string { return e.msg }

// Unwrap returns the sentinel and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// fail builds an *Error. detail follows the location; cause (may be nil) is appended in
// parentheses.
func fail(sentinel error, inst, venue, field, detail string, cause error) *Error {
	msg := "instrument: "
	if inst != "" {
		msg += inst
		if venue != "" {
			msg += " on " + venue
		}
		msg += ": "
	}
	if field != "" {
		msg += field + " "
	}
	msg += detail
	if cause != nil {
		msg += " (" + cause.Error() + ")"
	}
	return &Error{Instrument: inst, Venue: venue, Field: field, Err: sentinel, Cause: cause, msg: msg}
}
