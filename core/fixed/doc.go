// Package fixed parses and formats exact fixed-point decimals: venue prices,
// quantities and fees held as int64 counts of units at a per-instrument scale.
//
// # Scale
//
// A value v at scale s stands for v × 10^-s. The text "67123.45" is 6712345 at
// scale 2 and 6712345000000 at scale 8. Every instrument carries its own price
// scale and its own quantity scale; this package keeps no global scale and no
// state at all. Scales run from 0 to MaxScale (18), the largest power of ten an
// int64 holds; a larger scale is an error (ErrScale), never a panic.
//
// # Accepted text
//
//	decimal = [ "-" ] digits [ "." digits ]
//	digits  = "0" … "9" { "0" … "9" }
//
// The sign '-' is for signed values (fees, PnL, positions); venues never send it
// for prices or sizes, and a parser that must reject it checks v < 0 itself.
// Leading zeros are accepted ("007.50" is 7.5) and "-0" is zero. Digits after the
// scale are accepted when they are all '0' ("67123.45000000" at scale 2), and any
// other digit there is an error (ErrPrecision): values are never rounded.
//
// Rejected, each with its own message: the empty text, a leading '+', exponents
// ("1e-5", ErrExponent), a second '.', a '.' without a digit on both sides ("."
// ".5" "5." — no venue sends these, so they are treated as damage), spaces and
// every other byte (ErrSyntax), and a value outside int64 at the scale (ErrRange,
// checked exactly, so "9223372036854775807" and "-9223372036854775808" parse at
// scale 0 and one more does not).
//
// # Cost
//
// Parse, ParseString, Append, AppendTrim, Rescale, Places, MulDiv and Notional
// allocate nothing when they succeed; the error path allocates its message. All
// functions are pure: safe for concurrent use, nothing retained. Text of
// eight bytes or more with at most 19 significant digits at the scale is
// converted eight bytes at a time (swar.go); shorter text goes byte by byte;
// anything else takes a careful per-byte path (parse_slow.go) that also
// decides every error and its message. Parse never reads outside len(b).
//
// # When not to use it
//
//   - Values beyond int64 at the scale (more than about 9.22 × 10^18 units):
//     use math/big.
//   - Text with exponents, thousands separators, locale commas or spaces:
//     normalize it first, off the hot path.
//   - Arithmetic that needs a rounding mode other than truncation toward zero
//     (MulDiv, Notional) or exactness (Rescale): write it against these
//     primitives explicitly.
//   - Float input: there is deliberately no FromFloat.
package fixed
