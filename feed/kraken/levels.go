package kraken

import (
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/core/fixed"
)

var (
	errPlaces   = errors.New("kraken: more than 18 decimal places")
	errNotText  = errors.New("kraken: price or quantity is neither a number nor a string")
	errBadLevel = errors.New("kraken: malformed book level")
)

// set applies one level given as the venue's decimal text (qty 0 deletes) and widens the book's
// wire precision to the text's decimal places.
func (b *bookState) set(side book.Side, px, qty []byte) error {
	if p := fixed.Places(px); p > int(b.pxWire) {
		if p > fixed.MaxScale {
			return errPlaces
		}
		b.pxWire = uint8(p)
	}
	if q := fixed.Places(qty); q > int(b.qtyWire) {
		if q > fixed.MaxScale {
			return errPlaces
		}
		b.qtyWire = uint8(q)
	}
	return b.r.SetText(side, px, qty)
}

// text returns the exact text of a JSON number (v2 prices and quantities) or the contents of a
// JSON string (v1). A number's text is copied into buf (reused; the result aliases it), never
// converted through float64, so "0.10000000" stays "0.10000000". A string's bytes alias the
// parser's memory. Both are valid until the next parse or the next use of buf.
func text(v *fastjson.Value, buf []byte) ([]byte, error) {
	if v == nil {
		return nil, errBadLevel
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		return v.MarshalTo(buf[:0]), nil
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return b, nil
	}
	return nil, errNotText
}
