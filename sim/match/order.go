package match

import (
	"strconv"

	"ems/core/event"
)

// OrderID is the engine-assigned venue order id, 1, 2, 3 ... per Engine. 0 is no order.
type OrderID uint64

// Request is a new order.
type Request struct {
	Account  uint32 // who owns the order; fills and reports go to it
	ClientID string // the client order id as sent on the wire (may be "")
	Side     event.Side
	Type     event.OrderType
	TIF      event.TimeInForce
	PostOnly bool
	Price    int64 // limit price (ignored for market orders)
	Qty      int64
}

// Status of an order. The zero value is no status (no order).
type Status uint8

const (
	StatusNew             Status = 1 // accepted, resting or about to match, nothing filled
	StatusPartiallyFilled Status = 2 // open with some quantity filled
	StatusFilled          Status = 3 // terminal: Filled == Qty
	StatusCanceled        Status = 4 // terminal: canceled (Cancel, or Replace to qty <= Filled)
	StatusRejected        Status = 5 // terminal: refused before acceptance; Reason says why
	StatusExpired         Status = 6 // terminal: IOC/market remainder, or a FOK that could not fill (Reason RejectFOK)
)

var statusNames = [...]string{"none", "new", "partially_filled", "filled", "canceled", "rejected", "expired"}

// String returns "new", "partially_filled", "filled", "canceled", "rejected", "expired", or
// "status(n)".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Open reports whether an order with this status rests in the book (New or PartiallyFilled).
func (s Status) Open() bool { return s == StatusNew || s == StatusPartiallyFilled }

// Exec says what the latest change of an order was, the way execution reports name it (Binance
// execType, for example). It is set on every Order the engine reports.
type Exec uint8

const (
	ExecNew      Exec = 1 // accepted
	ExecTrade    Exec = 2 // filled, partly or completely, by one fill
	ExecReplaced Exec = 3 // price and/or quantity changed by Replace
	ExecCanceled Exec = 4 // canceled
	ExecRejected Exec = 5 // refused
	ExecExpired  Exec = 6 // IOC/market remainder expired, or a FOK killed
)

var execNames = [...]string{"none", "new", "trade", "replaced", "canceled", "rejected", "expired"}

// String returns "new", "trade", "replaced", "canceled", "rejected", "expired", or "exec(n)".
func (x Exec) String() string {
	if int(x) < len(execNames) {
		return execNames[x]
	}
	return "exec(" + strconv.Itoa(int(x)) + ")"
}

// Order is the engine's view of an order (a copy; safe to keep).
type Order struct {
	ID               OrderID
	Request                // as submitted; Price and Qty as replaced by Replace
	Filled           int64 // cumulative filled quantity
	Notional         int64 // cumulative filled price×qty in quote units at PriceScale (sum of the fills' truncated notionals)
	Fees             int64 // cumulative fee in quote units at PriceScale (maker rebate negative)
	Status           Status
	Exec             Exec               // what the latest change was
	Reason           event.RejectReason // why, for StatusRejected and a killed FOK (RejectFOK); RejectUnknown otherwise
	Created, Updated int64              // engine timestamps (ns) given by the caller
}

// Leaves returns the quantity still working: Qty - Filled while open, 0 once terminal.
func (o *Order) Leaves() int64 {
	if !o.Status.Open() {
		return 0
	}
	return o.Qty - o.Filled
}

// Fill is one execution between a resting (maker) and an incoming (taker) order.
type Fill struct {
	TradeID            uint64 // 1, 2, 3 ... per Engine
	Price, Qty         int64  // the maker's price; the quantity executed
	Notional           int64  // Price × Qty / 10^QtyScale, truncated (quote units at PriceScale)
	Maker, Taker       Order  // both orders after the fill
	MakerFee, TakerFee int64  // this fill's fees (quote units at PriceScale)
	TakerSide          event.Side
	TS                 int64
}
