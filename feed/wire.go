package feed

import (
	"github.com/cespare/xxhash/v2"
	"github.com/valyala/fastjson"
)

// Small pieces of wire handling that every venue decoder shares.

// TradeID returns a venue trade id as a number: its decimal value when the id is all digits and
// fits (up to 19 digits always do), and its xxhash64 otherwise (UUIDs and other text ids).
func TradeID(id []byte) uint64 {
	if len(id) == 0 || len(id) > 19 {
		return xxhash.Sum64(id)
	}
	var n uint64
	for _, c := range id {
		if c < '0' || c > '9' {
			return xxhash.Sum64(id)
		}
		n = n*10 + uint64(c-'0')
	}
	return n
}

// StringBytes returns the bytes of a JSON string value, valid as long as the fastjson parser's
// current result; ok is false for a missing value or another type. Unlike fastjson's StringBytes
// it allocates no error.
func StringBytes(v *fastjson.Value) (b []byte, ok bool) {
	if v == nil || v.Type() != fastjson.TypeString {
		return nil, false
	}
	return v.GetStringBytes(), true
}
