package okx

import (
	"errors"
	"net/http"

	"ems/core/event"
	"ems/sim/match"
)

// okxError is one OKX error: its code, message and the HTTP status a REST answer carries.
// Codes and messages are OKX's own (docs-v5 "Error Code", REST 50000-59999 and WebSocket
// 60000-64999), quoted as the venue writes them; where live answers differ from the docs table
// the live text is used and the comment says so.
type okxError struct {
	Code   string
	Msg    string
	Status int // HTTP status of a whole-request REST error (200 for per-order sCodes)
}

// REST: request-level errors.
var (
	errBodyEmpty    = okxError{"50000", "Body for POST request cannot be empty.", http.StatusBadRequest}
	errJSON         = okxError{"50002", "JSON syntax error", http.StatusBadRequest}
	errContentType  = okxError{"50006", `Invalid Content-Type. Please use "application/JSON".`, http.StatusBadRequest}
	errTooManyReqs  = okxError{"50011", "Too Many Requests", http.StatusTooManyRequests}
	errTSExpired    = okxError{"50102", "Timestamp request expired", http.StatusUnauthorized}
	errNoKey        = okxError{"50103", `Request header "OK-ACCESS-KEY" cannot be empty.`, http.StatusUnauthorized}
	errNoPassphrase = okxError{"50104", `Request header "OK-ACCESS-PASSPHRASE" cannot be empty.`, http.StatusUnauthorized}
	errPassphrase   = okxError{"50105", `Request header "OK-ACCESS-PASSPHRASE" incorrect.`, http.StatusUnauthorized}
	errNoSign       = okxError{"50106", `Request header "OK-ACCESS-SIGN" cannot be empty.`, http.StatusUnauthorized}
	errNoTimestamp  = okxError{"50107", `Request header "OK-ACCESS-TIMESTAMP" cannot be empty.`, http.StatusUnauthorized}
	// Live answers write "Invalid OK-ACCESS-KEY" and "Invalid Sign" (the docs table has
	// "Invalid OK-ACCESS-KEY." and "Invalid signature.").
	errBadKey       = okxError{"50111", "Invalid OK-ACCESS-KEY", http.StatusUnauthorized}
	errBadTimestamp = okxError{"50112", "Invalid OK-ACCESS-TIMESTAMP", http.StatusUnauthorized}
	errBadSign      = okxError{"50113", "Invalid Sign", http.StatusUnauthorized}
	errMethod       = okxError{"50115", "Invalid request method.", http.StatusMethodNotAllowed}
	// errNotFound answers a path OKX does not have. Not in the docs table: OKX's gateway answers
	// an unknown path with HTTP 404; the body here uses the venue's {"msg","code"} shape.
	errNotFound = okxError{"404", "Not Found", http.StatusNotFound}
	// errOrderNotFound is GET /trade/order of an unknown order (whole-request, HTTP 200).
	errOrderNotFound = okxError{"51603", "Order does not exist.", http.StatusOK}
	errBulkLimit     = okxError{"51111", "Maximum 20 orders can be placed in bulk.", http.StatusOK}
)

// Per-order sCode errors (HTTP 200, inside "data").
var (
	errRateLimit     = okxError{"50011", "Rate limit reached. Please refer to API documentation and throttle requests accordingly.", http.StatusOK}
	errNoInstrument  = okxError{"51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist.", http.StatusOK}
	errNeedOrderID   = okxError{"51003", "Either client order ID or order ID is required.", http.StatusOK}
	errDupClOrdID    = okxError{"51016", "Client order ID already exists.", http.StatusOK}
	errMinSize       = okxError{"51020", "Your order should meet or exceed the minimum order amount.", http.StatusOK}
	errNoOffers      = okxError{"51109", "No available offers.", http.StatusOK}
	errLotSize       = okxError{"51121", "Order quantity must be a multiple of the lot size.", http.StatusOK}
	errPxEmpty       = okxError{"51204", "The price for the limit order cannot be empty.", http.StatusOK}
	errCancelUnknown = okxError{"51400", "Order cancellation failed as the order has been filled, canceled or does not exist.", http.StatusOK}
	// Amends (amend.go).
	errAmendUnknown  = okxError{"51503", "Order modification failed as the order does not exist.", http.StatusOK}
	errAmendCanceled = okxError{"51509", "Modification failed as the order has been canceled.", http.StatusOK}
	errAmendFilled   = okxError{"51510", "Modification failed as the order has been completed.", http.StatusOK}
	// errSystem is what the reject fault answers: OKX's generic "System error" code, as a
	// per-order sCode. A representative choice: OKX does not document which code a refused
	// order gets when its matching engine declines for internal reasons.
	errSystem = okxError{"50026", "System error. Try again later", http.StatusOK}
)

// paramEmpty is 50014 for a missing parameter.
func paramEmpty(name string) okxError {
	return okxError{"50014", "Parameter " + name + " can not be empty.", http.StatusBadRequest}
}

// paramError is 51000 for a malformed parameter ("Parameter px error" is also what OKX answers
// for a price off the tick).
func paramError(name string) okxError {
	return okxError{"51000", "Parameter " + name + " error", http.StatusBadRequest}
}

// Batch envelope codes: "1" every operation failed, "2" some did. REST writes "All operations
// failed" (live answer; the docs table has "Operation failed.") and "Bulk operation partially
// succeeded."; the WebSocket order operations leave msg empty (docs examples).
const (
	msgAllFailed = "All operations failed"
	msgPartial   = "Bulk operation partially succeeded."
)

// WebSocket errors ({"event":"error"} or the login answer).
var (
	wsInvalidTS    = okxError{"60004", "Invalid timestamp", 0}
	wsInvalidKey   = okxError{"60005", "Invalid apiKey", 0}
	wsTSExpired    = okxError{"60006", "Timestamp request expired", 0}
	wsLoginFailure = okxError{"60009", "Login failure", 0}
	wsPleaseLogin  = okxError{"60011", "Please log in", 0}
	wsInvalidArgs  = okxError{"60013", "Invalid args", 0}
	wsTooFrequent  = okxError{"60014", "Requests too frequent", 0}
	wsPassphrase   = okxError{"60024", "Wrong passphrase", 0}
	wsRepeatLogin  = okxError{"60031", "The WebSocket endpoint does not allow multiple or repeated logins.", 0}
)

// wsInvalidRequest is 60012 with the offending request quoted, as OKX writes it.
func wsInvalidRequest(req []byte) okxError {
	const max = 256
	if len(req) > max {
		req = req[:max]
	}
	return okxError{"60012", "Invalid request: " + string(req), 0}
}

// wsInvalidOp is 60019.
func wsInvalidOp(op string) okxError { return okxError{"60019", "Invalid op: " + op, 0} }

// wsNoChannel is 60018 for a channel (or instrument) this endpoint does not serve.
func wsNoChannel(what string) okxError {
	return okxError{"60018", "Wrong URL or " + what + " doesn't exist. Please use the correct URL, channel and parameters referring to API document.", 0}
}

// WebSocket close frames (docs-v5 "Close Frame").
const (
	closeTooBig     = 1009 // Request message exceeds the maximum frame length
	closeIdle       = 4004 // No data received in 30s
	closeBufferFull = 4005 // Buffer is full, cannot write data
	closeAbnormal   = 4006 // Abnormal disconnection
)

// Close frame reasons.
const (
	reasonTooBig     = "Request message exceeds the maximum frame length"
	reasonIdle       = "No data received in 30s"
	reasonBufferFull = "Buffer is full, cannot write data"
	reasonAbnormal   = "Abnormal disconnection"
	reasonShutdown   = "Server shutting down"
)

// rejectError maps an Engine refusal of a new order to OKX's per-order error. Post-only and
// fill-or-kill refusals are not errors on OKX (the order is accepted, then canceled with
// cancelSource 31 or 13): for those ok is false.
func rejectError(err error) (e okxError, ok bool) {
	var me *match.Error
	if !errors.As(err, &me) {
		return errSystem, true
	}
	switch me.Reason {
	case event.RejectPostOnly, event.RejectFOK:
		return okxError{}, false
	case event.RejectPriceFilter:
		return paramError("px"), true
	case event.RejectQtyFilter:
		return errLotSize, true
	case event.RejectMinNotional:
		return errMinSize, true
	case event.RejectDuplicate:
		return errDupClOrdID, true
	case event.RejectInvalidRequest:
		return errNoOffers, true // a market order on an empty book (the other cases are screened first)
	}
	return errSystem, true
}
