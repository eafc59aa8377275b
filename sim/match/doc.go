// Package match is the matching engine of the venue simulator (ems sim): one Engine per
// (venue, instrument) keeps a price-time priority limit order book and matches limit and market
// orders against it in fixed point, reporting every book, trade and order change to a Listener
// as it happens. Protocol servers (sim/binance, sim/okx, ...) translate wire requests into Engine
// calls and these events into the venue's messages.
//
// # Rules
//
// Prices and quantities are int64 in the instrument's units (Rules: scales, tick, lot, minimums,
// fees). A limit price must be positive and a multiple of Tick; a quantity positive, a multiple
// of Lot and at least MinQty; the notional price × qty / 10^QtyScale at least MinNotional, where
// a market order is valued at the best opposite price. Submit checks in this order and reports
// the first failure (see Submit for the reasons).
//
// Matching: the best opposite level first, FIFO within a level; the taker trades at the maker's
// price, walking as many levels as it needs. Orders fill partially. A GTC limit remainder rests;
// an IOC remainder expires (StatusExpired); a market order walks the book up to its Qty
// whatever the price and its remainder expires (its TIF is ignored except FOK, and it never
// rests). A FOK order, limit or market, first checks that the quantity available at acceptable
// prices covers its Qty; if not it is killed before touching the book (StatusExpired, Reason
// RejectFOK, and an *Error with RejectFOK). A post-only order (GTC limit only) that would cross
// is rejected (RejectPostOnly). A client order id in use by an open order of the same account is
// rejected (RejectDuplicate); the empty client id is never checked. Self-trade is allowed: an
// account's orders match each other like anyone's.
//
// Fees are per fill, on the fill's notional n = price × qty / 10^QtyScale (truncated toward
// zero): the maker pays n × MakerFee / 10^6 and the taker n × TakerFee / 10^6, each truncated
// toward zero (a rebate, a negative MakerFee, is truncated toward zero too), computed with
// 128-bit intermediates (core/fixed.MulDiv). An order whose fills could overflow int64 is
// rejected up front, so matching never fails half way.
//
// # Events
//
// Events are delivered synchronously, in this exact order:
//
//	Submit, refused (any *Error, FOK included):
//	    OnOrder(StatusRejected, or StatusExpired for a killed FOK)
//	Submit, accepted:
//	    OnOrder(New)
//	    per level the order trades at, best first:
//	        per fill, oldest maker first:
//	            OnTrade(fill)
//	            OnOrder(maker)   PartiallyFilled or Filled
//	            OnOrder(taker)   PartiallyFilled or Filled
//	        OnLevel(maker side, price, remaining qty)   once per level, 0 when emptied
//	    then one of:
//	        OnLevel(taker side, price, qty)   a GTC limit remainder rests
//	        OnOrder(Expired)                  an IOC or market remainder expires
//	        nothing                           the order filled completely
//	Cancel, CancelClient:
//	    OnOrder(Canceled), OnLevel(side, price, remaining qty)
//	Replace: see Replace; OnOrder(ExecReplaced) comes first, then levels and fills as above.
//	Refused Cancel, CancelClient, Replace: nothing.
//
// Order.Exec says what each reported change was (new, trade, replaced, canceled, rejected,
// expired), the way execution reports name it.
//
// # Ids and history
//
// OrderIDs and trade ids count 1, 2, 3 ... per Engine; every Submit takes an OrderID, refused or
// not. Open orders are always found by Order, OrderByClient and Open; terminal orders only among
// the last DefaultHistory ids (SetHistory), so memory stays bounded. OrderByClient finds the
// latest accepted order with that (account, client id).
//
// # Structure and cost
//
// Each side is an array of price levels sorted so that the best is last; each level is a FIFO
// queue of pooled order nodes (free lists for nodes and levels), so steady-state Submit, Cancel,
// Replace and matching allocate nothing, except maps growing to a new high-water mark and error
// values on refusals. Taking the best level is O(1); a new level deeper in the book costs a
// binary search and a memmove of the better levels.
//
// # When not to use
//
// It is a simulator's engine: no stop, iceberg or pegged orders, no self-trade prevention, no
// auctions, one instrument per Engine.
//
// # Ownership
//
// An Engine is owned by one goroutine (the venue's) and is not safe for concurrent use. Orders
// returned by its methods are copies; pointers given to a Listener are valid only during the
// call.
package match
