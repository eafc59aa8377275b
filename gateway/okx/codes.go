package okx

import "ems/core/event"

// OKX answer codes and what they mean to the core (docs-v5 "Error Code"; the simulator's
// sim/okx/codes.go serves the same codes and texts). The raw code travels in Reject.VenueCode;
// RejectReason is the common meaning. Codes not listed map to RejectUnknown.
//
//	sCode / code  OKX text (abridged)                                 RejectReason
//	50011         Rate limit reached / Too Many Requests              RejectRateLimit (and back-off)
//	50026         System error. Try again later                       RejectVenueUnavailable
//	50000-50014   body empty, JSON syntax, parameter empty            RejectInvalidRequest
//	50102-50113   timestamp expired, bad key, passphrase, Invalid Sign RejectAuth
//	51000         Parameter {px|sz|...} error (a price off the tick)  RejectPriceFilter
//	51001         Instrument ID ... doesn't exist                     RejectUnknownSymbol
//	51003         Either client order ID or order ID is required      RejectInvalidRequest
//	51006         Order price is not within the price limit           RejectPriceFilter
//	51008         Insufficient balance                                RejectInsufficientFund
//	51016         Client order ID already exists                      RejectDuplicate
//	51020         Your order should meet or exceed the minimum amount RejectMinNotional
//	51109         No available offers                                 RejectInvalidRequest
//	51111         Maximum 20 orders can be placed in bulk             RejectInvalidRequest
//	51121         Order quantity must be a multiple of the lot size   RejectQtyFilter
//	51204         The price for the limit order cannot be empty       RejectInvalidRequest
//	51400, 51401  Cancellation failed: filled, canceled or unknown    RejectUnknownOrder
//	51503         Amend failed: the order does not exist              RejectUnknownOrder
//	51509, 51510  Amend failed: the order is canceled / completed     RejectUnknownOrder
//	51603         Order does not exist                                RejectUnknownOrder
//	60004-60024   WebSocket login: timestamp, apiKey, sign, passphrase RejectAuth
//	60011         Please log in                                       RejectAuth
//	60014         Requests too frequent                               RejectRateLimit
//
// 51020 is OKX's "minimum order amount": on spot, where OKX has no minimum notional, it is the
// minimum size (minSz); it is mapped to RejectMinNotional, the reason the core gives a too-small
// order. An order price outside the venue's limit (51006) is a price filter.
//
// Post-only and fill-or-kill are not refused by OKX: the order is accepted and then canceled
// with cancelSource 31 (a post-only order that would take liquidity) or 13 (a fill-or-kill order
// that could not fill). The parser reports such an order, when it was never acknowledged, as a
// Reject with RejectPostOnly or RejectFOK and VenueCode 31 or 13 (the cancelSource, not an sCode),
// instead of an OrderAck and a CancelAck; see parse.go.

// Codes the gateway acts on.
const (
	CodeRateLimit      = 50011 // per-order sCode and whole-request code of a throttled request
	CodeTooFrequent    = 60014 // WebSocket request rate
	CancelPostOnly     = 31    // cancelSource: a post-only order would have taken liquidity
	CancelFOK          = 13    // cancelSource: a fill-or-kill order could not fill
	CancelSourceByUser = 1     // cancelSource: canceled by the user
)

// RejectReasonOf maps an OKX sCode (or whole-request code) to a RejectReason.
func RejectReasonOf(code int64) event.RejectReason {
	switch {
	case code == CodeRateLimit, code == CodeTooFrequent:
		return event.RejectRateLimit
	case code == 50026, code == 50001, code == 50004:
		return event.RejectVenueUnavailable
	case code >= 50000 && code <= 50014:
		return event.RejectInvalidRequest
	case code >= 50100 && code <= 50115:
		return event.RejectAuth
	case code >= 60004 && code <= 60011, code == 60024:
		return event.RejectAuth
	}
	switch code {
	case 51000, 51006:
		return event.RejectPriceFilter
	case 51001:
		return event.RejectUnknownSymbol
	case 51008:
		return event.RejectInsufficientFund
	case 51016:
		return event.RejectDuplicate
	case 51020:
		return event.RejectMinNotional
	case 51121:
		return event.RejectQtyFilter
	case 51400, 51401, 51503, 51509, 51510, 51603:
		return event.RejectUnknownOrder
	case 51003, 51109, 51111, 51204, 60012, 60013, 60018, 60019:
		return event.RejectInvalidRequest
	}
	return event.RejectUnknown
}
