package binance

import (
	"testing"

	"ems/core/event"
)

func TestRejectReason(t *testing.T) {
	cases := []struct {
		code int64
		msg  string
		want event.RejectReason
	}{
		{-1013, "Filter failure: PRICE_FILTER", event.RejectPriceFilter},
		{-1013, "Filter failure: PERCENT_PRICE_BY_SIDE", event.RejectPriceFilter},
		{-1013, "Filter failure: LOT_SIZE", event.RejectQtyFilter},
		{-1013, "Filter failure: MARKET_LOT_SIZE", event.RejectQtyFilter},
		{-1013, "Filter failure: NOTIONAL", event.RejectMinNotional},
		{-1013, "Filter failure: MIN_NOTIONAL", event.RejectMinNotional},
		{-1013, "Filter failure: MAX_NUM_ORDERS", event.RejectInvalidRequest},
		{-2010, "Order would immediately match and take.", event.RejectPostOnly},
		{-2010, "Account has insufficient balance for requested action.", event.RejectInsufficientFund},
		{-2010, "Duplicate order sent.", event.RejectDuplicate},
		{-2010, "Something else.", event.RejectUnknown},
		{-2011, "Unknown order sent.", event.RejectUnknownOrder},
		{-2013, "Order does not exist.", event.RejectUnknownOrder},
		{-1022, "Signature for this request is not valid.", event.RejectAuth},
		{-2014, "API-key format invalid.", event.RejectAuth},
		{-2015, "Invalid API-key, IP, or permissions for action.", event.RejectAuth},
		{-1121, "Invalid symbol.", event.RejectUnknownSymbol},
		{-1003, "Too much request weight used", event.RejectRateLimit},
		{-1015, "Too many new orders", event.RejectRateLimit},
		{-1007, "Timeout waiting for response from backend server.", event.RejectVenueUnavailable},
		{-1021, "Timestamp for this request is outside of the recvWindow.", event.RejectInvalidRequest},
		{-1102, "Mandatory parameter 'price' was not sent", event.RejectInvalidRequest},
		{-1111, "Parameter 'quantity' has too much precision.", event.RejectInvalidRequest},
		{-9999, "", event.RejectUnknown},
	}
	for _, c := range cases {
		if got := RejectReason(c.code, []byte(c.msg)); got != c.want {
			t.Errorf("RejectReason(%d, %q) = %v, want %v", c.code, c.msg, got, c.want)
		}
	}
}
