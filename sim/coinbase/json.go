package coinbase

import (
	"ems/core/jsontext"
	"strconv"
	"time"

	"ems/core/fixed"
)

// JSON text helpers. Every encoder in this package appends to a caller's buffer; numbers the
// venue writes as strings (prices, sizes, fees) are fixed-point decimals quoted, trailing zeros
// trimmed ("21921.3", "0.02", "0"), as the venue's own messages spell them.

// appendField appends `,"key":"value"` with value escaped.
func appendField(dst []byte, key, value string) []byte {
	return jsontext.AppendString(jsontext.AppendKey(dst, key), value)
}

// appendDec appends `,"key":"<v at scale, trimmed>"`.
func appendDec(dst []byte, key string, v int64, scale uint8) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(fixed.AppendTrim(dst, v, scale), '"')
}

// appendBool appends `,"key":true|false`.
func appendBool(dst []byte, key string, b bool) []byte {
	return strconv.AppendBool(jsontext.AppendKey(dst, key), b)
}

// appendInt appends `,"key":n` (a JSON number).
func appendInt(dst []byte, key string, n int64) []byte {
	return strconv.AppendInt(jsontext.AppendKey(dst, key), n, 10)
}

// appendIntString appends `,"key":"n"` (a number the venue writes as a string).
func appendIntString(dst []byte, key string, n int64) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(strconv.AppendInt(dst, n, 10), '"')
}

// appendTime appends ns (Unix ns) as RFC 3339 in UTC with the fraction's trailing zeros trimmed,
// as the venue writes envelope timestamps ("2023-02-09T20:19:35.39625135Z").
func appendTime(dst []byte, ns int64) []byte {
	return time.Unix(0, ns).UTC().AppendFormat(dst, time.RFC3339Nano)
}

// appendTimeField appends `,"key":"<RFC 3339>"`.
func appendTimeField(dst []byte, key string, ns int64) []byte {
	dst = append(jsontext.AppendKey(dst, key), '"')
	return append(appendTime(dst, ns), '"')
}

// epochTime is the event_time of snapshot levels, as in the venue's documented example.
const epochTime = "1970-01-01T00:00:00Z"
