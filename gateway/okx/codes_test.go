package okx

import (
	"testing"

	"ems/core/event"
)

func TestRejectReasonOf(t *testing.T) {
	tests := []struct {
		code int64
		want event.RejectReason
	}{
		{50011, event.RejectRateLimit}, {60014, event.RejectRateLimit},
		{50026, event.RejectVenueUnavailable}, {50002, event.RejectInvalidRequest},
		{50113, event.RejectAuth}, {50111, event.RejectAuth}, {60009, event.RejectAuth}, {60024, event.RejectAuth},
		{51000, event.RejectPriceFilter}, {51006, event.RejectPriceFilter},
		{51001, event.RejectUnknownSymbol}, {51008, event.RejectInsufficientFund},
		{51016, event.RejectDuplicate}, {51020, event.RejectMinNotional}, {51121, event.RejectQtyFilter},
		{51400, event.RejectUnknownOrder}, {51603, event.RejectUnknownOrder},
		{51003, event.RejectInvalidRequest}, {51109, event.RejectInvalidRequest}, {51111, event.RejectInvalidRequest},
		{0, event.RejectUnknown}, {-1, event.RejectUnknown}, {59999, event.RejectUnknown},
	}
	for _, tt := range tests {
		if got := RejectReasonOf(tt.code); got != tt.want {
			t.Errorf("RejectReasonOf(%d) = %s, want %s", tt.code, got, tt.want)
		}
	}
}
