package event

// Enumerations carried in payloads. Values are part of the journal format: append, never
// renumber. Each String returns the name used in journal dumps.

// Side of a book level, order or trade aggressor.
type Side uint8

const (
	SideNone Side = 0
	SideBuy  Side = 1 // bid side of a book
	SideSell Side = 2 // ask side of a book
)

// OrderType of a child order.
type OrderType uint8

const (
	OrderLimit  OrderType = 0
	OrderMarket OrderType = 1
)

// TimeInForce of a child order.
type TimeInForce uint8

const (
	TIFGTC TimeInForce = 0 // good till cancelled
	TIFIOC TimeInForce = 1 // immediate or cancel
	TIFFOK TimeInForce = 2 // fill or kill
)

// BookState is the integrity state of a book, as decided by its feed.
type BookState uint8

const (
	BookSyncing BookState = 0 // waiting for a snapshot; not tradable
	BookLive    BookState = 1 // in sync; tradable
	BookInvalid BookState = 2 // a gap or checksum failure was seen; not tradable until resynced
)

// BookReason says why a book changed state.
type BookReason uint8

const (
	BookReasonNone       BookReason = 0
	BookReasonSnapshot   BookReason = 1 // a snapshot was applied
	BookReasonGap        BookReason = 2 // a sequence break
	BookReasonChecksum   BookReason = 3 // a checksum mismatch
	BookReasonCrossed    BookReason = 4 // best bid at or above best ask after a complete update
	BookReasonDisconnect BookReason = 5 // the connection carrying the book dropped
	BookReasonStale      BookReason = 6 // no update within the stale-feed limit
)

// VenueState is the state of a venue connection.
type VenueState uint8

const (
	VenueDisconnected VenueState = 0
	VenueConnected    VenueState = 1
	VenueStale        VenueState = 2 // connected, but nothing arrived within the stale limit
	VenueThrottled    VenueState = 3 // the venue answered with a rate-limit error; back off
)

// VenueReason says why a venue changed state.
type VenueReason uint8

const (
	VenueReasonNone      VenueReason = 0
	VenueReasonConnect   VenueReason = 1
	VenueReasonClosed    VenueReason = 2 // closed by the venue (close frame or EOF)
	VenueReasonError     VenueReason = 3 // network or protocol error
	VenueReasonTimeout   VenueReason = 4 // stale-feed or heartbeat timeout
	VenueReasonRateLimit VenueReason = 5
)

// Liquidity says whether a fill added or removed liquidity.
type Liquidity uint8

const (
	LiquidityUnknown Liquidity = 0
	LiquidityMaker   Liquidity = 1
	LiquidityTaker   Liquidity = 2
)

// RejectReason is the venue's or the gateway's reject code mapped to a common reason.
type RejectReason uint16

const (
	RejectUnknown          RejectReason = 0
	RejectInsufficientFund RejectReason = 1
	RejectPriceFilter      RejectReason = 2 // off tick, out of band
	RejectQtyFilter        RejectReason = 3 // off lot, below minimum
	RejectMinNotional      RejectReason = 4
	RejectUnknownSymbol    RejectReason = 5
	RejectRateLimit        RejectReason = 6
	RejectPostOnly         RejectReason = 7 // a post-only order would have crossed
	RejectUnknownOrder     RejectReason = 8 // cancel or replace of an order the venue does not know
	RejectAuth             RejectReason = 9 // bad key or signature
	RejectDuplicate        RejectReason = 10
	RejectVenueUnavailable RejectReason = 11
	RejectInvalidRequest   RejectReason = 12
	RejectFOK              RejectReason = 13 // fill-or-kill could not fill

	numRejectReasons = 14
)

// ParentAction is what a parent command asks for.
type ParentAction uint8

const (
	ParentNew    ParentAction = 0
	ParentCancel ParentAction = 1
	ParentAmend  ParentAction = 2
)

// Algo is the execution algorithm of a parent order.
type Algo uint8

const (
	AlgoNone    Algo = 0 // route immediately with the smart order router
	AlgoTWAP    Algo = 1
	AlgoVWAP    Algo = 2
	AlgoPOV     Algo = 3
	AlgoIceberg Algo = 4
	AlgoPeg     Algo = 5
)

// DenyReason says which pre-trade risk limit refused an order.
type DenyReason uint16

const (
	DenyUnknown       DenyReason = 0
	DenyMaxOrderQty   DenyReason = 1
	DenyMaxNotional   DenyReason = 2
	DenyMaxPosition   DenyReason = 3
	DenyPriceBand     DenyReason = 4 // limit price too far from the reference price
	DenyOrderRate     DenyReason = 5
	DenyOpenOrders    DenyReason = 6
	DenyVenueUnusable DenyReason = 7
	DenyKillSwitch    DenyReason = 8

	numDenyReasons = 9
)

func name(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return "unknown"
}

var (
	sideNames         = []string{"none", "buy", "sell"}
	orderTypeNames    = []string{"limit", "market"}
	tifNames          = []string{"gtc", "ioc", "fok"}
	bookStateNames    = []string{"syncing", "live", "invalid"}
	bookReasonNames   = []string{"none", "snapshot", "gap", "checksum", "crossed", "disconnect", "stale"}
	venueStateNames   = []string{"disconnected", "connected", "stale", "throttled"}
	venueReasonNames  = []string{"none", "connect", "closed", "error", "timeout", "rate_limit"}
	liquidityNames    = []string{"unknown", "maker", "taker"}
	parentActionNames = []string{"new", "cancel", "amend"}
	algoNames         = []string{"none", "twap", "vwap", "pov", "iceberg", "peg"}
	rejectNames       = []string{
		"unknown", "insufficient_funds", "price_filter", "qty_filter", "min_notional",
		"unknown_symbol", "rate_limit", "post_only", "unknown_order", "auth", "duplicate",
		"venue_unavailable", "invalid_request", "fok",
	}
	denyNames = []string{
		"unknown", "max_order_qty", "max_notional", "max_position", "price_band", "order_rate",
		"open_orders", "venue_unusable", "kill_switch",
	}
)

func (s Side) String() string         { return name(sideNames, int(s)) }
func (t OrderType) String() string    { return name(orderTypeNames, int(t)) }
func (t TimeInForce) String() string  { return name(tifNames, int(t)) }
func (s BookState) String() string    { return name(bookStateNames, int(s)) }
func (r BookReason) String() string   { return name(bookReasonNames, int(r)) }
func (s VenueState) String() string   { return name(venueStateNames, int(s)) }
func (r VenueReason) String() string  { return name(venueReasonNames, int(r)) }
func (l Liquidity) String() string    { return name(liquidityNames, int(l)) }
func (a ParentAction) String() string { return name(parentActionNames, int(a)) }
func (a Algo) String() string         { return name(algoNames, int(a)) }
func (r RejectReason) String() string { return name(rejectNames, int(r)) }
func (r DenyReason) String() string   { return name(denyNames, int(r)) }
