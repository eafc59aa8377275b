package okx

import (
	"ems/core/book"
	"ems/core/fixed"
)

// The checksum covers the price and size text exactly as OKX wrote it, while the book keeps
// int64s. For text in canonical form — no sign, no leading zero other than the one before a '.',
// no trailing fractional zero — fixed.AppendTrim of the stored value gives the text back byte for
// byte. Every one of the 10,088 price and size texts in the OKX recordings is canonical, so that is
// the fast path and costs nothing. A text with trailing fractional zeros ("8477.0", "0.10") keeps
// its decimal places in a textTable entry for its level; any other non-canonical form cannot be
// rebuilt and is noted as an anomaly (its checksum then fails and the book resyncs).

// textShape classifies a decimal text for rebuilding.
type textShape uint8

const (
	shapeCanonical textShape = iota // fixed.AppendTrim rebuilds it
	shapePlaces                     // fixed.Append at its own decimal places rebuilds it
	shapeLost                       // nothing rebuilds it (sign, leading zeros)
)

// shapeOf returns how t can be rebuilt from its value, and its decimal places.
func shapeOf(t []byte) (textShape, int8) {
	n := len(t)
	if n == 0 || t[0] == '-' || (t[0] == '0' && n > 1 && t[1] != '.') {
		return shapeLost, 0
	}
	dot := -1
	for i := 1; i < n; i++ { // t[0] is a digit when the text parsed
		if t[i] == '.' {
			dot = i
			break
		}
	}
	if dot < 0 || t[n-1] != '0' {
		return shapeCanonical, 0
	}
	places := n - dot - 1
	if places > fixed.MaxScale {
		return shapeLost, 0
	}
	return shapePlaces, int8(places)
}

// canonical reports quickly whether t is in canonical form (the common case).
func canonical(t []byte) bool {
	n := len(t)
	if n == 0 || t[0] == '-' || (t[0] == '0' && n > 1 && t[1] != '.') {
		return false
	}
	if t[n-1] != '0' || n == 1 {
		return true
	}
	for i := 1; i < n; i++ {
		if t[i] == '.' {
			return false // a trailing fractional zero
		}
	}
	return true // an integer ending in 0 ("30250")
}

// textKey names one level of a book.
type textKey struct {
	side  book.Side
	price int64
}

// textPlaces holds the decimal places a level's price and size were written with; -1 means
// canonical.
type textPlaces struct {
	price, qty int8
}

// textTable remembers the levels of one book whose text is not canonical. It is empty for every
// book in the recordings; an empty table is one length check per lookup. Keys are prices at
// scale, rescaled when the book's inferred price scale widens. Owned by the feed thread.
type textTable struct {
	m     map[textKey]textPlaces
	scale uint8
}

// reset forgets every entry (the book was cleared).
func (t *textTable) reset() {
	clear(t.m)
}

// empty reports whether no level has non-canonical text.
func (t *textTable) empty() bool { return len(t.m) == 0 }

// rekey moves the keys to price scale s (the inferred scale widened).
func (t *textTable) rekey(s uint8) {
	if t.scale == s {
		return
	}
	if s > t.scale && len(t.m) > 0 {
		m := make(map[textKey]textPlaces, len(t.m))
		mul := fixed.Pow10(s - t.scale)
		for k, v := range t.m {
			k.price *= mul // the book holds the same price at the new scale, so it fits
			m[k] = v
		}
		t.m = m
	}
	t.scale = s
}

// set records the places of the level at price (price scale s); both -1 removes the entry.
func (t *textTable) set(side book.Side, price int64, s uint8, p textPlaces) {
	t.rekey(s)
	k := textKey{side, price}
	if p.price < 0 && p.qty < 0 {
		delete(t.m, k)
		return
	}
	if t.m == nil {
		t.m = make(map[textKey]textPlaces)
	}
	t.m[k] = p
}

// lookup returns the places of the level at price (price scale s): -1 for canonical text.
func (t *textTable) lookup(side book.Side, price int64, s uint8) textPlaces {
	if len(t.m) == 0 {
		return textPlaces{-1, -1}
	}
	t.rekey(s)
	if p, ok := t.m[textKey{side, price}]; ok {
		return p
	}
	return textPlaces{-1, -1}
}

// appendText appends v (at scale) as the venue wrote it: canonical when places < 0, else with
// exactly places decimals.
func appendText(dst []byte, v int64, scale uint8, places int8) []byte {
	if places < 0 {
		return fixed.AppendTrim(dst, v, scale)
	}
	w, err := fixed.Rescale(v, scale, uint8(places))
	if err != nil {
		return fixed.AppendTrim(dst, v, scale)
	}
	return fixed.Append(dst, w, uint8(places))
}
