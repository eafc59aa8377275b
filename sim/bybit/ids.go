package bybit

import (
	"strconv"

	"ems/sim/match"
)

// Identifiers on the wire. Bybit's spot order, execution and trade ids are 19-digit decimals;
// its derivatives use UUIDs. The simulator derives both from the market's index and the
// Engine's numbers, so they are deterministic and a cancel finds the order from its id alone:
//
//	spot     base + index×10^15 + n                   "1800000000000000007"
//	linear   "%08x-0000-4000-8000-%012x" of tag<<16|index and n
//	                                                  "5e1d0001-0000-4000-8000-000000000007"
//
// with base and tag per kind: orders (1.8e18, 0x5e1d), executions (2.1e18, 0x5e1e; n = 2 ×
// trade id + 1 for the taker's side), public trades (2.29e18, 0x5e1f).
type idKind uint8

const (
	idOrder idKind = iota
	idExec
	idTrade
)

var (
	idBase = [...]uint64{1_800_000_000_000_000_000, 2_100_000_000_000_000_000, 2_290_000_000_000_000_000}
	idTag  = [...]uint64{0x5e1d, 0x5e1e, 0x5e1f}
)

// idSpan is the room each market has in a spot id.
const idSpan = 1_000_000_000_000_000

// appendID appends the id of kind for number n of market k.
func appendID(dst []byte, k *mkt, kind idKind, n uint64) []byte {
	if k.cat == catSpot {
		return strconv.AppendUint(dst, idBase[kind]+uint64(k.m.Index)*idSpan+n%idSpan, 10)
	}
	dst = appendHex(dst, idTag[kind]<<16|uint64(k.m.Index), 8)
	dst = append(dst, "-0000-4000-8000-"...)
	return appendHex(dst, n, 12)
}

// appendHex appends the low digits hex digits of v, zero padded.
func appendHex(dst []byte, v uint64, digits int) []byte {
	const hex = "0123456789abcdef"
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hex[(v>>(4*uint(i)))&15])
	}
	return dst
}

// parseID returns the number of an id of kind of market k; ok is false for an id of another
// market or kind, or malformed.
func parseID(k *mkt, kind idKind, s string) (uint64, bool) {
	if k.cat == catSpot {
		v, err := strconv.ParseUint(s, 10, 64)
		lo := idBase[kind] + uint64(k.m.Index)*idSpan
		if err != nil || v < lo || v >= lo+idSpan {
			return 0, false
		}
		return v - lo, true
	}
	const mid = "-0000-4000-8000-"
	if len(s) != 36 || s[8:24] != mid {
		return 0, false
	}
	hi, err1 := strconv.ParseUint(s[:8], 16, 64)
	n, err2 := strconv.ParseUint(s[24:], 16, 64)
	if err1 != nil || err2 != nil || hi != idTag[kind]<<16|uint64(k.m.Index) {
		return 0, false
	}
	return n, true
}

// appendOrderID appends the wire id of Engine order id of market k.
func appendOrderID(dst []byte, k *mkt, id match.OrderID) []byte {
	return appendID(dst, k, idOrder, uint64(id))
}

// appendExecID appends the execution id of one side of trade id.
func appendExecID(dst []byte, k *mkt, trade uint64, maker bool) []byte {
	n := 2 * trade
	if !maker {
		n++
	}
	return appendID(dst, k, idExec, n)
}

// appendTradeID appends the public trade id of Engine trade id.
func appendTradeID(dst []byte, k *mkt, trade uint64) []byte {
	return appendID(dst, k, idTrade, trade)
}

// orderID returns the wire id of an order.
func orderID(k *mkt, id match.OrderID) string { return string(appendOrderID(nil, k, id)) }
