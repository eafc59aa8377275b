package event

// Payload layouts, one struct per kind. Each sits in Event.Payload (96 bytes at offset 32 of the
// event); offsets below are relative to the payload. Prices and quantities are int64 in the
// instrument's price and quantity units (see core/instrument). Tests assert every size and offset;
// the layouts are part of the journal format.
//
//	BookLevel      0 Price  8 Qty  16 Side u8
//	TopOfBook      0 BidPrice  8 BidQty  16 AskPrice  24 AskQty
//	Trade          0 Price  8 Qty  16 TradeID u64  24 Aggressor u8
//	BookStatus     0 State u8  1 Reason u8
//	VenueStatus    0 State u8  1 Reason u8
//	Order          0 Order  8 Parent  16 Price  24 Qty  32 Side u8  33 Type u8  34 TIF u8  35 PostOnly u8
//	Cancel         0 Order  8 Parent
//	Replace        0 Order  8 Parent  16 Price  24 Qty  32 NewOrder
//	OrderAck       0 Order  8 VenueOrder  16 Price  24 Qty  32 Leaves
//	Reject         0 Order  8 Parent  16 VenueCode i64  24 Reason u16
//	Fill           0 Order  8 VenueOrder  16 Price  24 Qty  32 Fee  40 TradeID u64  48 Leaves  56 Liquidity u8  60 FeeAsset u32
//	CancelAck      0 Order  8 Leaves
//	Timer          0 TimerID  8 Deadline i64
//	ParentCommand  0 Parent  8 Qty  16 LimitPrice  24 StartTS  32 EndTS  40 VenueMask u64  48 ParticipationBps u32  52 Action u8  53 Side u8  54 Algo u8
//	RiskDeny       0 Order  8 Parent  16 Limit  24 Value  32 Reason u16

// OrderID is the core's id of a child order. It is derived from the core's sequence, so a replay
// reproduces it; gateways turn it into the venue's client order id.
type OrderID uint64

// ParentID is the id of a parent order, chosen by whoever sent the parent command.
type ParentID uint64

// VenueOrderID is an interned venue order id (see core/intern).
type VenueOrderID uint64

// BookLevel sets one absolute price level; Qty 0 deletes it. Header Seq is the venue's update id.
type BookLevel struct {
	Price int64
	Qty   int64
	Side  Side
}

// TopOfBook is the venue's own best bid and ask (bookTicker, bbo channels).
type TopOfBook struct {
	BidPrice int64
	BidQty   int64
	AskPrice int64
	AskQty   int64
}

// Trade is a public trade.
type Trade struct {
	Price     int64
	Qty       int64
	TradeID   uint64 // the venue's trade id, or its xxhash when the id is not numeric
	Aggressor Side   // SideNone when the venue does not say
}

// BookStatus is the feed's verdict on the integrity of one book.
type BookStatus struct {
	State  BookState
	Reason BookReason
}

// VenueStatus is the state of the connection to a venue.
type VenueStatus struct {
	State  VenueState
	Reason VenueReason
}

// Order is a new child order (KindNewOrder).
type Order struct {
	Order    OrderID
	Parent   ParentID
	Price    int64 // limit price; 0 for market orders
	Qty      int64
	Side     Side
	Type     OrderType
	TIF      TimeInForce
	PostOnly bool
}

// Cancel asks to cancel a child order (KindCancel).
type Cancel struct {
	Order  OrderID
	Parent ParentID
}

// Replace asks to cancel-replace a child order with a new price and quantity (KindReplace).
// NewOrder is the id the replacement carries where the venue needs a new client order id.
type Replace struct {
	Order    OrderID
	Parent   ParentID
	Price    int64
	Qty      int64
	NewOrder OrderID
}

// OrderAck says the venue accepted an order (KindOrderAck).
type OrderAck struct {
	Order      OrderID
	VenueOrder VenueOrderID
	Price      int64
	Qty        int64
	Leaves     int64
}

// Reject says a request was refused (KindReject): by the venue (VenueCode is the venue's own code)
// or by the gateway before sending (VenueCode 0).
type Reject struct {
	Order     OrderID
	Parent    ParentID
	VenueCode int64
	Reason    RejectReason
}

// Fill is one execution (KindFill). Fee is in fee-asset units at the instrument's quantity scale
// for base-asset fees, or price scale for quote-asset fees; FeeAsset says which asset it is.
type Fill struct {
	Order      OrderID
	VenueOrder VenueOrderID
	Price      int64
	Qty        int64
	Fee        int64
	TradeID    uint64 // the venue's trade id, or its xxhash when not numeric; de-duplicates fills
	Leaves     int64
	Liquidity  Liquidity
	FeeAsset   uint32 // interned asset id
}

// CancelAck says an order is gone from the venue with Leaves unfilled (KindCancelAck).
type CancelAck struct {
	Order  OrderID
	Leaves int64
}

// Timer is a timer firing (KindTimer). The header's RecvTS is the time it fired.
type Timer struct {
	TimerID  uint64
	Deadline int64
}

// ParentCommand creates, cancels or amends a parent order (KindParentCommand).
type ParentCommand struct {
	Parent           ParentID
	Qty              int64
	LimitPrice       int64 // 0: no limit
	StartTS          int64
	EndTS            int64
	VenueMask        uint64 // bit v set: venue id v may be used; 0: all venues
	ParticipationBps uint32 // POV target rate, basis points of market volume
	Action           ParentAction
	Side             Side
	Algo             Algo
}

// RiskDeny says pre-trade risk refused an order (KindRiskDeny): Value would have exceeded Limit.
type RiskDeny struct {
	Order  OrderID
	Parent ParentID
	Limit  int64
	Value  int64
	Reason DenyReason
}

// Typed views of the payload. Each returns a pointer into e, valid as long as e is; the caller
// must know the kind (the accessors do not check it).

func (e *Event) BookLevel() *BookLevel         { return payload[BookLevel](e) }
func (e *Event) TopOfBook() *TopOfBook         { return payload[TopOfBook](e) }
func (e *Event) Trade() *Trade                 { return payload[Trade](e) }
func (e *Event) BookStatus() *BookStatus       { return payload[BookStatus](e) }
func (e *Event) VenueStatus() *VenueStatus     { return payload[VenueStatus](e) }
func (e *Event) Order() *Order                 { return payload[Order](e) }
func (e *Event) Cancel() *Cancel               { return payload[Cancel](e) }
func (e *Event) Replace() *Replace             { return payload[Replace](e) }
func (e *Event) OrderAck() *OrderAck           { return payload[OrderAck](e) }
func (e *Event) Reject() *Reject               { return payload[Reject](e) }
func (e *Event) Fill() *Fill                   { return payload[Fill](e) }
func (e *Event) CancelAck() *CancelAck         { return payload[CancelAck](e) }
func (e *Event) Timer() *Timer                 { return payload[Timer](e) }
func (e *Event) ParentCommand() *ParentCommand { return payload[ParentCommand](e) }
func (e *Event) RiskDeny() *RiskDeny           { return payload[RiskDeny](e) }
