package bybit

import (
	"ems/core/jsontext"
	"strconv"
)

// Append-style JSON writing. Every message the server sends is built with these into a fresh
// or reused byte slice, in the field order Bybit uses; nothing goes through encoding/json.

// appendStrField appends "k":"v".
func appendStrField(dst []byte, k, v string) []byte {
	return jsontext.AppendString(jsontext.AppendKey(dst, k), v)
}

// appendIntField appends "k":n.
func appendIntField(dst []byte, k string, n int64) []byte {
	return strconv.AppendInt(jsontext.AppendKey(dst, k), n, 10)
}

// appendBoolField appends "k":true|false.
func appendBoolField(dst []byte, k string, b bool) []byte {
	return strconv.AppendBool(jsontext.AppendKey(dst, k), b)
}

// appendMsText appends "k":"ms" for a time in ns (Bybit writes order times as strings).
func appendMsText(dst []byte, k string, ns int64) []byte {
	dst = append(jsontext.AppendKey(dst, k), '"')
	dst = strconv.AppendInt(dst, ns/1e6, 10)
	return append(dst, '"')
}

// appendRaw appends "k": followed by the already encoded value v.
func appendRaw(dst []byte, k string, v []byte) []byte {
	return append(jsontext.AppendKey(dst, k), v...)
}
