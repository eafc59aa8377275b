package bybit

import (
	"strconv"

	"ems/core/event"
)

// apiError is a refusal with Bybit's code (retCode) and message (retMsg).
type apiError struct {
	code int
	msg  string
}

// Bybit's codes (the v5 error table, bybit-exchange/docs docs/v5/error.mdx, unless marked).
const (
	codeOK            = 0
	codeParams        = 10001 // Request parameter error
	codeTimestamp     = 10002 // The request time exceeds the time window range
	codeAPIKey        = 10003 // API key is invalid
	codeSign          = 10004 // Error sign
	codeTooManyVisits = 10006 // Too many visits. Exceeded the API Rate Limit
	codeAuthFailed    = 10007 // User authentication failed
	codeServer        = 10016 // Server error
	codeRoute         = 10017 // Route not found
	codeOrderNotExist = 110001
	codeLinkIDDup     = 110072 // OrderLinkedID is duplicate
	// codeMinValue is the linear minimum order value refusal. Not in the stored error table;
	// taken from reports of live responses. [unconfirmed]
	codeMinValue = 110094

	codeSpotTIF          = 170115 // Invalid timeInForce.
	codeSpotOrderType    = 170116 // Invalid orderType.
	codeSpotSide         = 170117 // Invalid side.
	codeSpotSymbol       = 170121 // Invalid symbol.
	codeSpotParam        = 170130 // Data sent for paramter '%s' is not valid.
	codeSpotPriceDecimal = 170134 // Order price decimal too long.
	codeSpotQtyMin       = 170136 // Order quantity lower than the minimum.
	codeSpotQtyDecimal   = 170137 // Order volume decimal too long
	codeSpotAmountMin    = 170140 // Transaction amount lower than the minimum.
	codeSpotLinkIDDup    = 170141 // Duplicate clientOrderId
	codeSpotAmountDec    = 170148 // Market order amount decimal too long
	codeSpotRejected     = 170210 // New order rejected.
	codeSpotNotExist     = 170213 // Order does not exist.
	codeSpotPostOnly     = 170218 // The LIMIT-MAKER order is rejected due to invalid price.

	// Trade WebSocket (the "WS OE General code" table and the trade guideline).
	codeOpNotFound  = 10404
	codeRepeatAuth  = 20001
	codeReqIDRepeat = 20006
)

func errParams(msg string) *apiError { return &apiError{codeParams, msg} }

// errParam is a malformed or missing parameter name.
func errParam(c category, name string) *apiError {
	if c == catSpot {
		return &apiError{codeSpotParam, "Data sent for paramter '" + name + "' is not valid."}
	}
	return errParams("params error: " + name + " invalid") // wording [unconfirmed]
}

// errSymbol is an unknown symbol in category c.
func errSymbol(c category, sym string) *apiError {
	if c == catSpot {
		return &apiError{codeSpotSymbol, "Invalid symbol."}
	}
	return errParams("params error: symbol invalid") // wording [unconfirmed]
}

// errSide, errOrderType and errTIF are unknown enum values.
func errSide(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotSide, "Invalid side."}
	}
	return errParams("params error: side invalid") // wording [unconfirmed]
}

func errOrderType(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotOrderType, "Invalid orderType."}
	}
	return errParams("params error: orderType invalid") // wording [unconfirmed]
}

func errTIF(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotTIF, "Invalid timeInForce."}
	}
	return errParams("params error: timeInForce invalid") // wording [unconfirmed]
}

// errPriceTick is a price off the tick (too many decimals, or not a multiple of the tick).
func errPriceTick(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotPriceDecimal, "Order price decimal too long."}
	}
	return errParams("params error: price invalid") // wording [unconfirmed]
}

// errQtyLot is a quantity off the lot.
func errQtyLot(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotQtyDecimal, "Order volume decimal too long"}
	}
	return errParams("params error: Qty invalid") // seen in live responses
}

// errQtyMin is a quantity below the minimum.
func errQtyMin(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotQtyMin, "Order quantity lower than the minimum."}
	}
	// The live "too large" counterpart reads "The number of contracts exceeds maximum limit
	// allowed: too large"; this is its mirror image. [unconfirmed]
	return errParams("The number of contracts exceeds minimum limit allowed: too small")
}

// errMinValue is an order value below the minimum notional; min is the minimum's text.
func errMinValue(k *mkt, min string) *apiError {
	if k.cat == catSpot {
		return &apiError{codeSpotAmountMin, "Transaction amount lower than the minimum."}
	}
	return &apiError{codeMinValue, "Order does not meet minimum order value " + min + k.quote}
}

// errLinkIDDup is an orderLinkId already used by an open order.
func errLinkIDDup(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotLinkIDDup, "Duplicate clientOrderId"}
	}
	return &apiError{codeLinkIDDup, "OrderLinkedID is duplicate"}
}

// errNotExist is a cancel or query of an order the account does not have open.
func errNotExist(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotNotExist, "Order does not exist."}
	}
	return &apiError{codeOrderNotExist, "Order does not exist"}
}

// errRejected is the venue's generic refusal of a new order (the reject fault).
func errRejected(c category) *apiError {
	if c == catSpot {
		return &apiError{codeSpotRejected, "New order rejected."}
	}
	return &apiError{codeServer, "Server error."}
}

// errTooManyVisits is the per-key order rate limit.
var errTooManyVisits = &apiError{codeTooManyVisits, "Too many visits!"}

// errTimestamp is a request outside the receive window; the message is Bybit's.
func errTimestamp(reqTS, serverTS, window int64) *apiError {
	b := []byte("invalid request, please check your server timestamp or recv_window param. req_timestamp[")
	b = strconv.AppendInt(b, reqTS, 10)
	b = append(b, "],server_timestamp["...)
	b = strconv.AppendInt(b, serverTS, 10)
	b = append(b, "],recv_window["...)
	b = strconv.AppendInt(b, window, 10)
	b = append(b, ']')
	return &apiError{codeTimestamp, string(b)}
}

// errSign is a bad signature; Bybit echoes the text it expected to be signed.
func errSign(origin []byte) *apiError {
	return &apiError{codeSign, "error sign! origin_string[" + string(origin) + "]"}
}

var errAPIKey = &apiError{codeAPIKey, "API key is invalid."}

// reasonError maps an engine refusal of a new order to the venue's error; ok is false for the
// refusals Bybit accepts first and then cancels (post-only crossing, FOK, market order without
// liquidity), which are reported on the order stream instead.
func reasonError(k *mkt, r event.RejectReason, market bool) (*apiError, bool) {
	switch r {
	case event.RejectPriceFilter:
		return errPriceTick(k.cat), true
	case event.RejectQtyFilter:
		return errQtyLot(k.cat), true // a quantity below the minimum is caught before the engine
	case event.RejectMinNotional:
		return errMinValue(k, string(k.appendValue(nil, k.l.MinNotional))), true
	case event.RejectDuplicate:
		return errLinkIDDup(k.cat), true
	case event.RejectPostOnly, event.RejectFOK:
		return nil, false
	case event.RejectInvalidRequest:
		if market {
			return nil, false
		}
	}
	return errParam(k.cat, "qty"), true // an order whose value overflows the simulator's range
}
