// Package jsontext writes JSON text append-style, for the messages ems builds by hand (venue
// subscriptions and orders, simulated venue messages, tokens) without encoding/json and without
// allocating: every function appends to the caller's buffer and returns it.
package jsontext

// AppendString appends s as a JSON string: quotes, backslashes and control bytes are escaped,
// every other byte (UTF-8 included) is copied.
func AppendString(dst []byte, s string) []byte {
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

// AppendKey appends `"key":`, preceded by a comma unless dst is empty or ends with '{' or '['.
// key is written as is: it must need no escaping (field names are constants).
func AppendKey(dst []byte, key string) []byte {
	if n := len(dst); n > 0 && dst[n-1] != '{' && dst[n-1] != '[' {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, key...)
	return append(dst, '"', ':')
}
