package coinbase

import "ems/core/event"

// Venue failure codes and their reject reasons.
//
// Coinbase answers with text codes: a create order's error_response (error,
// new_order_failure_reason, preview_failure_reason), a batch_cancel result's failure_reason, and
// the API gateway's gRPC status names on HTTP errors (UNAUTHENTICATED, RESOURCE_EXHAUSTED, ...).
// A Reject's VenueCode is the code's number in codes below: numbers are part of the journal
// meaning, so the list is append-only. A code that is not in the list has VenueCode 0.

// code is one venue failure code.
type code struct {
	name   string
	reason event.RejectReason
}

// codes lists the known codes; VenueCode n is codes[n-1]. Append only.
var codes = [...]code{
	// NewOrderFailureReason (error, new_order_failure_reason).
	{"UNKNOWN_FAILURE_REASON", event.RejectUnknown},
	{"UNSUPPORTED_ORDER_CONFIGURATION", event.RejectInvalidRequest},
	{"INVALID_SIDE", event.RejectInvalidRequest},
	{"INVALID_PRODUCT_ID", event.RejectUnknownSymbol},
	{"INVALID_SIZE_PRECISION", event.RejectQtyFilter},
	{"INVALID_PRICE_PRECISION", event.RejectPriceFilter},
	{"INSUFFICIENT_FUND", event.RejectInsufficientFund},
	{"INVALID_LEDGER_BALANCE", event.RejectInsufficientFund},
	{"ORDER_ENTRY_DISABLED", event.RejectVenueUnavailable},
	{"INELIGIBLE_PAIR", event.RejectUnknownSymbol},
	{"INVALID_LIMIT_PRICE_POST_ONLY", event.RejectPostOnly},
	{"INVALID_LIMIT_PRICE", event.RejectPriceFilter},
	{"INVALID_NO_LIQUIDITY", event.RejectInvalidRequest},
	{"INVALID_REQUEST", event.RejectInvalidRequest},
	{"COMMANDER_REJECTED_NEW_ORDER", event.RejectUnknown},
	{"INSUFFICIENT_FUNDS", event.RejectInsufficientFund},
	// PreviewFailureReason.
	{"UNKNOWN_PREVIEW_FAILURE_REASON", event.RejectUnknown},
	{"PREVIEW_MISSING_COMMISSION_RATE", event.RejectInvalidRequest},
	{"PREVIEW_INVALID_SIDE", event.RejectInvalidRequest},
	{"PREVIEW_INVALID_ORDER_CONFIG", event.RejectInvalidRequest},
	{"PREVIEW_INVALID_PRODUCT_ID", event.RejectUnknownSymbol},
	{"PREVIEW_INVALID_SIZE_PRECISION", event.RejectQtyFilter},
	{"PREVIEW_INVALID_PRICE_PRECISION", event.RejectPriceFilter},
	{"PREVIEW_MISSING_PRODUCT_PRICE_BOOK", event.RejectVenueUnavailable},
	{"PREVIEW_INVALID_LEDGER_BALANCE", event.RejectInsufficientFund},
	{"PREVIEW_INSUFFICIENT_LEDGER_BALANCE", event.RejectInsufficientFund},
	{"PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY", event.RejectPostOnly},
	{"PREVIEW_INVALID_LIMIT_PRICE", event.RejectPriceFilter},
	{"PREVIEW_INVALID_NO_LIQUIDITY", event.RejectInvalidRequest},
	{"PREVIEW_INSUFFICIENT_FUND", event.RejectInsufficientFund},
	{"PREVIEW_INVALID_COMMISSION_CONFIGURATION", event.RejectInvalidRequest},
	{"PREVIEW_INVALID_STOP_PRICE", event.RejectPriceFilter},
	{"PREVIEW_INVALID_BASE_SIZE_TOO_LARGE", event.RejectQtyFilter},
	{"PREVIEW_INVALID_BASE_SIZE_TOO_SMALL", event.RejectQtyFilter},
	{"PREVIEW_INVALID_QUOTE_SIZE_PRECISION", event.RejectQtyFilter},
	{"PREVIEW_INVALID_QUOTE_SIZE_TOO_LARGE", event.RejectQtyFilter},
	{"PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL", event.RejectMinNotional},
	{"PREVIEW_INVALID_PRICE_TOO_LARGE", event.RejectPriceFilter},
	{"PREVIEW_BREACHED_PRICE_LIMIT", event.RejectPriceFilter},
	// CancelOrderFailureReason (batch_cancel failure_reason).
	{"UNKNOWN_CANCEL_FAILURE_REASON", event.RejectUnknown},
	{"INVALID_CANCEL_REQUEST", event.RejectInvalidRequest},
	{"UNKNOWN_CANCEL_ORDER", event.RejectUnknownOrder},
	{"COMMANDER_REJECTED_CANCEL_ORDER", event.RejectUnknown},
	{"DUPLICATE_CANCEL_REQUEST", event.RejectDuplicate},
	{"INVALID_CANCEL_PRODUCT_ID", event.RejectUnknownSymbol},
	{"INVALID_CANCEL_FCM_TRADING_SESSION", event.RejectVenueUnavailable},
	{"NOT_ALLOWED_TO_CANCEL", event.RejectInvalidRequest},
	{"ORDER_IS_FULLY_FILLED", event.RejectUnknownOrder},
	{"ORDER_IS_BEING_REPLACED", event.RejectInvalidRequest},
	// API gateway status names (HTTP errors).
	{"UNAUTHENTICATED", event.RejectAuth},
	{"PERMISSION_DENIED", event.RejectAuth},
	{"RESOURCE_EXHAUSTED", event.RejectRateLimit},
	{"INVALID_ARGUMENT", event.RejectInvalidRequest},
	{"NOT_FOUND", event.RejectInvalidRequest},
	{"METHOD_NOT_ALLOWED", event.RejectInvalidRequest},
	{"UNAVAILABLE", event.RejectVenueUnavailable},
	{"INTERNAL", event.RejectVenueUnavailable},
	{"DEADLINE_EXCEEDED", event.RejectVenueUnavailable},
	// EditOrderFailureReason (orders/edit errors[].edit_failure_reason).
	{"UNKNOWN_EDIT_ORDER_FAILURE_REASON", event.RejectUnknown},
	{"COMMANDER_REJECTED_EDIT_ORDER", event.RejectUnknown},
	{"CANNOT_EDIT_TO_BELOW_FILLED_SIZE", event.RejectQtyFilter},
	{"ORDER_NOT_FOUND", event.RejectUnknownOrder},
	{"CALLER_ID_MISMATCH", event.RejectUnknownOrder},
	{"ONLY_LIMIT_ORDER_EDITS_SUPPORTED", event.RejectInvalidRequest},
	{"INVALID_EDITED_SIZE", event.RejectQtyFilter},
	{"INVALID_EDITED_PRICE", event.RejectPriceFilter},
	{"INVALID_ORIGINAL_SIZE", event.RejectQtyFilter},
	{"INVALID_ORIGINAL_PRICE", event.RejectPriceFilter},
	{"EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST", event.RejectInvalidRequest},
	{"ONLY_OPEN_ORDERS_CAN_BE_EDITED", event.RejectUnknownOrder},
}

// CodeOf returns the VenueCode of the venue code name (0 when unknown) and its reject reason
// (RejectUnknown when unknown). It does not allocate.
func CodeOf(name []byte) (venueCode int64, reason event.RejectReason) {
	for i := range codes {
		if codes[i].name == string(name) {
			return int64(i + 1), codes[i].reason
		}
	}
	return 0, event.RejectUnknown
}

// CodeName returns the venue code of VenueCode c, or "" for 0 and numbers past the list.
func CodeName(c int64) string {
	if c < 1 || c > int64(len(codes)) {
		return ""
	}
	return codes[c-1].name
}

// statusReason is the reject reason of an HTTP error status without a known code.
func statusReason(status int) event.RejectReason {
	switch {
	case status == 401 || status == 403:
		return event.RejectAuth
	case status == 429:
		return event.RejectRateLimit
	case status >= 500:
		return event.RejectVenueUnavailable
	case status >= 400:
		return event.RejectInvalidRequest
	}
	return event.RejectUnknown
}
