package binance

import (
	"ems/core/jsontext"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"ems/core/event"
	"ems/sim/match"
)

// apiError is one of the venue's error answers: the HTTP status (the WebSocket API's "status")
// and the body {"code":C,"msg":"M"}. Codes and messages are Binance's (errors.md of
// binance-spot-api-docs); the few this simulator had to choose are marked where they are built.
type apiError struct {
	status     int
	code       int
	msg        string
	retryAfter time.Duration // 429: when the request may be retried (Retry-After, retryAfter)
	data       []byte        // JSON text of the error's "data" (cancel-replace outcomes), or nil
}

func (e *apiError) Error() string {
	return fmt.Sprintf("binance: HTTP %d: code %d: %s", e.status, e.code, e.msg)
}

// appendBody appends {"code":C,"msg":"M"}.
func (e *apiError) appendBody(dst []byte) []byte {
	dst = append(dst, `{"code":`...)
	dst = strconv.AppendInt(dst, int64(e.code), 10)
	dst = append(dst, `,"msg":`...)
	dst = jsontext.AppendString(dst, e.msg)
	if e.data != nil {
		dst = append(dst, `,"data":`...)
		dst = append(dst, e.data...)
	}
	return append(dst, '}')
}

func newErr(status, code int, msg string) *apiError {
	return &apiError{status: status, code: code, msg: msg}
}

// Errors with fixed text.
var (
	errUnknown       = newErr(http.StatusInternalServerError, -1000, "An unknown error occurred while processing the request.")
	errSignature     = newErr(http.StatusBadRequest, -1022, "Signature for this request is not valid.")
	errKeyFormat     = newErr(http.StatusUnauthorized, -2014, "API-key format invalid.")
	errKeyRejected   = newErr(http.StatusUnauthorized, -2015, "Invalid API-key, IP, or permissions for action.")
	errTSAhead       = newErr(http.StatusBadRequest, -1021, "Timestamp for this request was 1000ms ahead of the server's time.")
	errTSWindow      = newErr(http.StatusBadRequest, -1021, "Timestamp for this request is outside of the recvWindow.")
	errSymbol        = newErr(http.StatusBadRequest, -1121, "Invalid symbol.")
	errSide          = newErr(http.StatusBadRequest, -1117, "Invalid side.")
	errOrderType     = newErr(http.StatusBadRequest, -1116, "Invalid orderType.")
	errTIF           = newErr(http.StatusBadRequest, -1115, "Invalid timeInForce.")
	errTIFNotNeeded  = newErr(http.StatusBadRequest, -1114, "TimeInForce parameter sent when not required.")
	errIllegalAny    = newErr(http.StatusBadRequest, -1100, "Illegal characters found in a parameter.")
	errDuplicate     = newErr(http.StatusBadRequest, -1101, "Duplicate values for a parameter detected.")
	errUnknownOrder  = newErr(http.StatusBadRequest, -2011, "Unknown order sent.")
	errNoSuchOrder   = newErr(http.StatusBadRequest, -2013, "Order does not exist.")
	errNoDepth       = newErr(http.StatusBadRequest, -1112, "No orders on book for symbol.")
	errCancelNeedsID = newErr(http.StatusBadRequest, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
	// errBalance is the reject fault's answer: the venue's most common order rejection.
	errBalance = newErr(http.StatusBadRequest, -2010, "Account has insufficient balance for requested action.")
	// errTimeout answers a cancel whose acknowledgement the lose-cancel-ack fault swallowed: the
	// venue's "execution status unknown" (HTTP status chosen by the simulator: 503).
	errTimeout = newErr(http.StatusServiceUnavailable, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.")
	// errNotFound answers an unknown path or method. The real venue answers these from its web
	// front end; the simulator keeps the API's shape (code chosen: -1020 UNSUPPORTED_OPERATION).
	errNotFound    = newErr(http.StatusNotFound, -1020, "This operation is not supported.")
	errUnsupported = newErr(http.StatusBadRequest, -1020, "This operation is not supported.")
	errBadJSON     = newErr(http.StatusBadRequest, -1135, "Invalid JSON Request")
	errBadBody     = newErr(http.StatusBadRequest, -1100, "Illegal characters found in a parameter.")
)

func errMandatory(name string) *apiError {
	return newErr(http.StatusBadRequest, -1102, "Mandatory parameter '"+name+"' was not sent, was empty/null, or malformed.")
}

func errIllegal(name, legal string) *apiError {
	return newErr(http.StatusBadRequest, -1100, "Illegal characters found in parameter '"+name+"'; legal range is '"+legal+"'.")
}

func errNotRequired(name string) *apiError {
	return newErr(http.StatusBadRequest, -1106, "Parameter '"+name+"' sent when not required.")
}

func errPrecision(name string) *apiError {
	return newErr(http.StatusBadRequest, -1111, "Parameter '"+name+"' has too much precision.")
}

func errOverflow(name string) *apiError {
	return newErr(http.StatusBadRequest, -1108, "Parameter '"+name+"' overflowed.")
}

func errInvalidParam(name string) *apiError {
	return newErr(http.StatusBadRequest, -1130, "Data sent for parameter '"+name+"' is not valid.")
}

func errTooLarge(name string, limit int) *apiError {
	return newErr(http.StatusBadRequest, -1102, "'"+name+"' contains unexpected value. Cannot be greater than '"+strconv.Itoa(limit)+"'.")
}

func errFilter(filter string) *apiError {
	return newErr(http.StatusBadRequest, -1013, "Filter failure: "+filter)
}

func errRejected(msg string) *apiError {
	return newErr(http.StatusBadRequest, -2010, msg)
}

// errWeight is the request-weight throttle (HTTP 429, -1003).
func errWeight(limit int, window, retry time.Duration) *apiError {
	e := newErr(http.StatusTooManyRequests, -1003, "Too much request weight used; current limit is "+
		strconv.Itoa(limit)+" request weight per "+intervalText(window)+
		". Please use WebSocket Streams for live updates to avoid polling the API.")
	e.retryAfter = retry
	return e
}

// errOrders is the order-count throttle (HTTP 429, -1015).
func errOrders(limit int, window, retry time.Duration) *apiError {
	e := newErr(http.StatusTooManyRequests, -1015, "Too many new orders; current limit is "+
		strconv.Itoa(limit)+" orders per "+intervalText(window)+".")
	e.retryAfter = retry
	return e
}

// fromMatch maps an Engine refusal to the venue's error. A killed FOK is not an error on Binance
// (the order is answered with status EXPIRED) and is handled before this is called.
func fromMatch(err error) *apiError {
	var me *match.Error
	if !errors.As(err, &me) {
		return errUnknown
	}
	switch me.Reason {
	case event.RejectPriceFilter:
		return errFilter("PRICE_FILTER")
	case event.RejectQtyFilter:
		return errFilter("LOT_SIZE")
	case event.RejectMinNotional:
		return errFilter("NOTIONAL")
	case event.RejectPostOnly:
		return errRejected("Order would immediately match and take.")
	case event.RejectDuplicate:
		return errRejected("Duplicate order sent.")
	case event.RejectUnknownOrder:
		return errUnknownOrder
	case event.RejectInvalidRequest:
		// A market order on an empty side is caught before Submit (errNoDepth); what remains is
		// the Engine's overflow guard, which the filters' maxPrice/maxQty keep out of reach.
		return errFilter("NOTIONAL")
	}
	return errUnknown
}
