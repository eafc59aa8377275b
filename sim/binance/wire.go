package binance

import (
	"errors"
	"strconv"

	"ems/core/fixed"
)

// wireScale is the number of decimals Binance spot writes every price, quantity and amount with
// ("68000.01000000", "0.00120000"), whatever the instrument's tick.
const wireScale = 8

// appendDec appends v, in units at scale, as a JSON string with wireScale decimals.
//
// REQUIRES: scale <= wireScale.
func appendDec(dst []byte, v int64, scale uint8) []byte {
	dst = append(dst, '"')
	dst = appendDecRaw(dst, v, scale)
	return append(dst, '"')
}

// appendDecRaw is appendDec without the quotes.
func appendDecRaw(dst []byte, v int64, scale uint8) []byte {
	dst = fixed.Append(dst, v, scale)
	if scale == 0 {
		dst = append(dst, '.')
	}
	for i := scale; i < wireScale; i++ {
		dst = append(dst, '0')
	}
	return dst
}


// appendInt appends v in decimal.
func appendInt(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) }

// appendBool appends true or false.
func appendBool(dst []byte, b bool) []byte { return strconv.AppendBool(dst, b) }

// decimal parse failures, in the venue's terms.
var (
	errDecSyntax    = errors.New("not a decimal")   // -1100 illegal characters
	errDecPrecision = errors.New("too many places") // -1111 too much precision (beyond 8 places)
	errDecGrid      = errors.New("off the grid")    // finer than the instrument's scale: a filter failure
	errDecRange     = errors.New("out of range")    // -1108 overflow
)

// parseDec parses a request parameter's decimal text at scale. Binance accepts
// ^([0-9]{1,20})(\.[0-9]{1,20})?$ with at most 8 significant decimal places.
func parseDec(s string, scale uint8) (int64, error) {
	if s == "" || len(s) > 41 {
		return 0, errDecSyntax
	}
	dot := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && dot < 0 && i > 0 && i < len(s)-1:
			dot = i
		default:
			return 0, errDecSyntax
		}
	}
	if dot > 20 || (dot < 0 && len(s) > 20) {
		return 0, errDecSyntax
	}
	if _, err := fixed.ParseString(s, wireScale); err != nil {
		if errors.Is(err, fixed.ErrPrecision) {
			return 0, errDecPrecision
		}
		return 0, errDecRange
	}
	v, err := fixed.ParseString(s, scale)
	if err != nil {
		if errors.Is(err, fixed.ErrPrecision) {
			return 0, errDecGrid
		}
		return 0, errDecRange
	}
	return v, nil
}

// decimalRange is the legal range Binance names for a malformed decimal parameter.
const decimalRange = `^([0-9]{1,20})(\.[0-9]{1,20})?$`
