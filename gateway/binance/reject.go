package binance

import (
	"bytes"

	"ems/core/event"
)

// Binance error codes the gateway tells apart (errors.md of binance-spot-api-docs). The raw code
// always travels in event.Reject.VenueCode; these only choose the common reason.
const (
	CodeUnknown         = -1000 // UNKNOWN: an unknown error while processing the request
	CodeDisconnected    = -1001 // DISCONNECTED: internal error, unable to process
	CodeTooManyRequests = -1003 // TOO_MANY_REQUESTS: request weight exhausted (HTTP 429) or banned (418)
	CodeTimeout         = -1007 // TIMEOUT: execution status unknown
	CodeServerBusy      = -1008 // SERVER_BUSY
	CodeFilter          = -1013 // filter failure; msg names the filter
	CodeTooManyOrders   = -1015 // TOO_MANY_ORDERS: order count exhausted
	CodeTimestamp       = -1021 // INVALID_TIMESTAMP
	CodeSignature       = -1022 // INVALID_SIGNATURE
	CodeBadSymbol       = -1121 // BAD_SYMBOL
	CodeNewOrderReject  = -2010 // NEW_ORDER_REJECTED; msg says why
	CodeCancelReject    = -2011 // CANCEL_REJECTED (unknown order on cancel)
	CodeNoSuchOrder     = -2013 // NO_SUCH_ORDER (query of an unknown order)
	CodeBadAPIKeyFormat = -2014 // BAD_API_KEY_FMT
	CodeRejectedMBXKey  = -2015 // REJECTED_MBX_KEY: invalid key, IP or permissions
	// Cancel-replace answers; error.data holds each part's outcome and code (Response).
	CodeReplacePartial = -2021 // "Order cancel-replace partially failed.": one part succeeded
	CodeReplaceFailed  = -2022 // "Order cancel-replace failed.": the cancel failed
)

// -2010 and -1013 messages, as the venue words them.
var (
	msgWouldTake    = []byte("immediately match and take")
	msgBalance      = []byte("insufficient balance")
	msgDuplicate    = []byte("Duplicate order")
	msgPriceFilter  = []byte("PRICE_FILTER")
	msgPercentPrice = []byte("PERCENT_PRICE")
	msgLotSize      = []byte("LOT_SIZE")
	msgMaxQty       = []byte("MAX_NUM") // MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS: account caps
	msgNotional     = []byte("NOTIONAL")
)

// RejectReason maps a Binance error code and message to the common reject reason. It looks at
// msg only for the codes whose message carries the reason (-1013 names the filter, -2010 the
// cause) and never allocates.
func RejectReason(code int64, msg []byte) event.RejectReason {
	switch code {
	case CodeFilter:
		switch {
		case bytes.Contains(msg, msgPriceFilter), bytes.Contains(msg, msgPercentPrice):
			return event.RejectPriceFilter
		case bytes.Contains(msg, msgLotSize): // LOT_SIZE and MARKET_LOT_SIZE
			return event.RejectQtyFilter
		case bytes.Contains(msg, msgNotional): // NOTIONAL and MIN_NOTIONAL
			return event.RejectMinNotional
		case bytes.Contains(msg, msgMaxQty):
			return event.RejectInvalidRequest
		}
		return event.RejectInvalidRequest
	case CodeNewOrderReject:
		switch {
		case bytes.Contains(msg, msgWouldTake):
			return event.RejectPostOnly
		case bytes.Contains(msg, msgBalance):
			return event.RejectInsufficientFund
		case bytes.Contains(msg, msgDuplicate):
			return event.RejectDuplicate
		}
		return event.RejectUnknown
	case CodeCancelReject, CodeNoSuchOrder, CodeReplaceFailed:
		return event.RejectUnknownOrder
	case CodeSignature, CodeBadAPIKeyFormat, CodeRejectedMBXKey:
		return event.RejectAuth
	case CodeBadSymbol:
		return event.RejectUnknownSymbol
	case CodeTooManyRequests, CodeTooManyOrders:
		return event.RejectRateLimit
	case CodeUnknown, CodeDisconnected, CodeTimeout, CodeServerBusy:
		return event.RejectVenueUnavailable
	case CodeTimestamp:
		return event.RejectInvalidRequest
	}
	if code <= -1100 && code > -1200 { // 11xx: request issues (bad or missing parameters)
		return event.RejectInvalidRequest
	}
	return event.RejectUnknown
}
