package bybit

import "strconv"

// Append-style JSON writing. Every message the server sends is built with these into a fresh
// or reused byte slice, in the field order Bybit uses; nothing goes through encoding/json.

// appendStr appends s as a JSON string: quotes, backslashes and control bytes escaped,
// everything else (UTF-8 included) copied.
func appendStr(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// appendKey appends `"k":` preceded by a comma unless dst ends an opening brace or bracket.
func appendKey(dst []byte, k string) []byte {
	if n := len(dst); n > 0 && dst[n-1] != '{' && dst[n-1] != '[' {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, k...)
	return append(dst, '"', ':')
}

// appendStrField appends "k":"v".
func appendStrField(dst []byte, k, v string) []byte {
	return appendStr(appendKey(dst, k), v)
}

// appendIntField appends "k":n.
func appendIntField(dst []byte, k string, n int64) []byte {
	return strconv.AppendInt(appendKey(dst, k), n, 10)
}

// appendBoolField appends "k":true|false.
func appendBoolField(dst []byte, k string, b bool) []byte {
	return strconv.AppendBool(appendKey(dst, k), b)
}

// appendMsText appends "k":"ms" for a time in ns (Bybit writes order times as strings).
func appendMsText(dst []byte, k string, ns int64) []byte {
	dst = append(appendKey(dst, k), '"')
	dst = strconv.AppendInt(dst, ns/1e6, 10)
	return append(dst, '"')
}

// appendRaw appends "k": followed by the already encoded value v.
func appendRaw(dst []byte, k string, v []byte) []byte {
	return append(appendKey(dst, k), v...)
}
