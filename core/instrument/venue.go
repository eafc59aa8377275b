package instrument

import "ems/core/event"

// The venue table. Ids are dense, start at 1 (0 is "no venue" in events) and are part of the
// journal format: append a new venue at the end, never renumber. This is the one registry line a
// new venue adds here.
const (
	VenueBinance     event.VenueID = 1 // Binance spot
	VenueBinanceUSDM event.VenueID = 2 // Binance USD-M futures (fapi): a separate host and symbol space
	VenueOKX         event.VenueID = 3 // OKX, spot and derivatives
	VenueBybit       event.VenueID = 4 // Bybit v5, spot and linear derivatives
	VenueCoinbase    event.VenueID = 5 // Coinbase Advanced Trade
	VenueKraken      event.VenueID = 6 // Kraken spot (WebSocket v2 symbols, v1 names as aliases)

	// NumVenues is the number of venues; ids run 1..NumVenues.
	NumVenues = 6
)

// VenueName returns the name a venue has in instrument files and logs ("binance-usdm"), or ""
// for an id outside the table.
func VenueName(v event.VenueID) string {
	switch v {
	case VenueBinance:
		return "binance"
	case VenueBinanceUSDM:
		return "binance-usdm"
	case VenueOKX:
		return "okx"
	case VenueBybit:
		return "bybit"
	case VenueCoinbase:
		return "coinbase"
	case VenueKraken:
		return "kraken"
	}
	return ""
}

// VenueHas reports whether venue v trades segment s in this project: Binance spot and Kraken
// (its spot API) have no derivatives, Binance USD-M has no spot; OKX, Bybit and Coinbase have
// both.
func VenueHas(v event.VenueID, s Segment) bool {
	switch v {
	case VenueBinance, VenueKraken:
		return s == SegmentSpot
	case VenueBinanceUSDM:
		return s == SegmentDerivatives
	case VenueOKX, VenueBybit, VenueCoinbase:
		return s == SegmentSpot || s == SegmentDerivatives
	}
	return false
}

// VenueByName returns the id of the venue called name (exact, lower case), or 0 and false.
func VenueByName(name string) (event.VenueID, bool) {
	for v := event.VenueID(1); v <= NumVenues; v++ {
		if VenueName(v) == name {
			return v, true
		}
	}
	return 0, false
}
