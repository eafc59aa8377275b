package instrument

// Kind is what an instrument is. Values are stable (they may be journaled): append, never
// renumber.
type Kind uint8

const (
	KindSpot      Kind = 1 // spot pair: quantity in base asset, price in quote asset
	KindPerpetual Kind = 2 // linear perpetual swap: quantity in contracts, price in quote asset
	KindFuture    Kind = 3 // linear dated future: as perpetual, with an expiry in its name
)

// String returns the name the kind has in instrument files: "spot", "perpetual", "future".
func (k Kind) String() string {
	switch k {
	case KindSpot:
		return "spot"
	case KindPerpetual:
		return "perpetual"
	case KindFuture:
		return "future"
	}
	return "unknown"
}

// parseKind is the inverse of String.
func parseKind(s string) (Kind, bool) {
	for k := KindSpot; k <= KindFuture; k++ {
		if k.String() == s {
			return k, true
		}
	}
	return 0, false
}

// Segment is a venue's symbol space. A venue may use one symbol for two instruments of different
// segments: Bybit calls both its spot pair and its linear perpetual "BTCUSDT" and tells them apart
// by endpoint (category=spot vs category=linear). Within one segment of one venue a symbol names
// exactly one listing.
type Segment uint8

const (
	SegmentSpot        Segment = 0 // spot pairs
	SegmentDerivatives Segment = 1 // perpetuals and futures

	numSegments = 2
)

// Segment returns the venue segment instruments of kind k trade in.
func (k Kind) Segment() Segment {
	if k == KindSpot {
		return SegmentSpot
	}
	return SegmentDerivatives
}

// String returns "spot" or "derivatives".
func (s Segment) String() string {
	if s == SegmentSpot {
		return "spot"
	}
	return "derivatives"
}
