package bybit

import (
	"bytes"

	"ems/core/event"
)

// Bybit's retCodes the gateway maps (the v5 error table; the simulator serves the same codes).
const (
	CodeOK            = 0
	CodeParams        = 10001 // request parameter error (linear: also symbol, tick, lot)
	CodeTimestamp     = 10002 // request time outside the receive window
	CodeAPIKey        = 10003 // API key is invalid
	CodeSign          = 10004 // error sign
	CodePermission    = 10005 // permission denied
	CodeTooManyVisits = 10006 // too many visits: the per-UID rate limit
	CodeAuthFailed    = 10007 // user authentication failed
	CodeServer        = 10016 // server error
	CodeIPLimit       = 10018 // exceeded the IP rate limit
	CodeOpNotFound    = 10404 // trade WebSocket: op not found
	CodeReqIDRepeat   = 20006 // trade WebSocket: reqId repeated
	CodeOrderNotExist = 110001
	CodeBalance       = 110007 // available balance not enough
	CodeLinkIDDup     = 110072
	CodeMinValue      = 110094 // order below the minimum order value
	CodeSpotTIF       = 170115
	CodeSpotOrderType = 170116
	CodeSpotSide      = 170117
	CodeSpotSymbol    = 170121
	CodeSpotParam     = 170130
	CodeSpotBalance   = 170131
	CodeSpotPriceDec  = 170134
	CodeSpotQtyMin    = 170136
	CodeSpotQtyDec    = 170137
	CodeSpotAmountMin = 170140
	CodeSpotLinkIDDup = 170141
	CodeSpotAmountDec = 170148
	CodeSpotRejected  = 170210
	CodeSpotNotExist  = 170213
	CodeSpotPostOnly  = 170218 // the LIMIT-MAKER order is rejected due to invalid price
)

// Order-stream refusals carry a text rejectReason, not a number: their Reject events carry these
// negative VenueCodes, one per text.
const (
	CodeECPostOnly  = -1 // EC_PostOnlyWillTakeLiquidity
	CodeECNoFullFil = -2 // EC_CancelForNoFullFill (fill-or-kill)
	CodeECOthers    = -3 // EC_Others and any other rejectReason of a Rejected order
)

// RejectReason maps a retCode to the common reason; msg is the retMsg, which refines 10001
// (Bybit's linear category answers symbol, tick and lot errors with 10001 and a message).
func RejectReason(code int64, msg []byte) event.RejectReason {
	switch code {
	case CodeParams:
		switch {
		case bytes.Contains(msg, []byte("symbol")):
			return event.RejectUnknownSymbol
		case bytes.Contains(msg, []byte("price")):
			return event.RejectPriceFilter
		case bytes.Contains(msg, []byte("Qty")), bytes.Contains(msg, []byte("qty")),
			bytes.Contains(msg, []byte("contracts")):
			return event.RejectQtyFilter
		}
		return event.RejectInvalidRequest
	case CodeTimestamp, CodeAPIKey, CodeSign, CodePermission, CodeAuthFailed:
		return event.RejectAuth
	case CodeTooManyVisits, CodeIPLimit:
		return event.RejectRateLimit
	case CodeServer:
		return event.RejectVenueUnavailable
	case CodeOrderNotExist, CodeSpotNotExist:
		return event.RejectUnknownOrder
	case CodeBalance, CodeSpotBalance:
		return event.RejectInsufficientFund
	case CodeLinkIDDup, CodeSpotLinkIDDup:
		return event.RejectDuplicate
	case CodeMinValue, CodeSpotAmountMin:
		return event.RejectMinNotional
	case CodeSpotSymbol:
		return event.RejectUnknownSymbol
	case CodeSpotPriceDec:
		return event.RejectPriceFilter
	case CodeSpotQtyMin, CodeSpotQtyDec, CodeSpotAmountDec:
		return event.RejectQtyFilter
	case CodeSpotPostOnly:
		return event.RejectPostOnly
	case CodeSpotTIF, CodeSpotOrderType, CodeSpotSide, CodeSpotParam, CodeOpNotFound, CodeReqIDRepeat:
		return event.RejectInvalidRequest
	}
	return event.RejectUnknown
}

// streamRefusal maps the rejectReason of a closed order to a refusal; ok is false for the
// reasons that are ordinary cancels (by request, or an IOC/market remainder).
func streamRefusal(reason []byte, rejected bool) (code int64, r event.RejectReason, ok bool) {
	switch string(reason) {
	case "EC_PostOnlyWillTakeLiquidity":
		return CodeECPostOnly, event.RejectPostOnly, true
	case "EC_CancelForNoFullFill":
		return CodeECNoFullFil, event.RejectFOK, true
	}
	if rejected {
		return CodeECOthers, event.RejectUnknown, true
	}
	return 0, 0, false
}
