package coinbase

import (
	"ems/core/jsontext"
	"strconv"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim"
	"ems/sim/match"
)

// Identifiers on the wire. The venue's order ids are UUIDs; the simulator's are UUID-shaped and
// carry the market and the engine's order id, so they need no table:
//
//	order_id   MMMMMMMM-0000-4000-8000-IIIIIIIIIIII   M: market index + 1, I: engine order id (hex)
//	user_id    AAAAAAAA-0000-4000-8000-000000000000   A: engine account (hex)
//	portfolio  AAAAAAAA-0000-4000-9000-000000000000
//	entry_id   MMMMMMMM-0000-4000-a00S-TTTTTTTTTTTT   S: 1 maker, 2 taker; T: engine trade id
//	trade_id   decimal engine trade id, per market ("1234"), as market_trades spells it

// orderKey names an order of the venue: its market and engine id.
type orderKey struct {
	market int32
	id     match.OrderID
}

const hexDigits = "0123456789abcdef"

func appendHex(dst []byte, v uint64, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[(v>>(4*uint(i)))&15])
	}
	return dst
}

// appendOrderID appends k's order id (36 bytes).
func appendOrderID(dst []byte, k orderKey) []byte {
	dst = appendHex(dst, uint64(k.market)+1, 8)
	dst = append(dst, "-0000-4000-8000-"...)
	return appendHex(dst, uint64(k.id), 12)
}

// orderIDString returns k's order id.
func orderIDString(k orderKey) string { return string(appendOrderID(make([]byte, 0, 36), k)) }

// parseOrderID returns the key of order id s; ok is false for anything appendOrderID does not
// produce.
func parseOrderID(s string) (orderKey, bool) {
	if len(s) != 36 || s[8:24] != "-0000-4000-8000-" {
		return orderKey{}, false
	}
	m, err1 := strconv.ParseUint(s[:8], 16, 32)
	id, err2 := strconv.ParseUint(s[24:], 16, 48)
	if err1 != nil || err2 != nil || m == 0 || id == 0 {
		return orderKey{}, false
	}
	return orderKey{market: int32(m - 1), id: match.OrderID(id)}, true
}

func appendUserID(dst []byte, account uint32) []byte {
	return append(appendHex(dst, uint64(account), 8), "-0000-4000-8000-000000000000"...)
}

func appendPortfolioID(dst []byte, account uint32) []byte {
	return append(appendHex(dst, uint64(account), 8), "-0000-4000-9000-000000000000"...)
}

func appendEntryID(dst []byte, market int32, tradeID uint64, maker bool) []byte {
	dst = appendHex(dst, uint64(market)+1, 8)
	dst = append(dst, "-0000-4000-a00"...)
	if maker {
		dst = append(dst, '1')
	} else {
		dst = append(dst, '2')
	}
	dst = append(dst, '-')
	return appendHex(dst, tradeID, 12)
}

// configKind is the order_configuration of an order.
type configKind uint8

const (
	cfgLimitGTC    configKind = iota + 1 // limit_limit_gtc {base_size, limit_price, post_only}
	cfgLimitFOK                          // limit_limit_fok {base_size, limit_price}
	cfgSorLimitIOC                       // sor_limit_ioc {base_size, limit_price}
	cfgMarketIOC                         // market_market_ioc {base_size | quote_size}
)

var configNames = [...]string{"", "limit_limit_gtc", "limit_limit_fok", "sor_limit_ioc", "market_market_ioc"}

// orderMeta is what the server keeps of an order beyond the engine's view: the request as the
// client worded it, and fault marks. Guarded by Server.mu.
type orderMeta struct {
	key      orderKey
	market   *sim.Market
	clientID string
	side     event.Side
	kind     configKind
	qty      int64 // requested base size in quantity units; 0 for a quote-sized market order
	quote    int64 // requested quote size (quote units at the price scale); 0 unless quote-sized
	price    int64 // limit price; 0 for a market order
	postOnly bool
	fills    int64
	lastFill int64
	// exact is the sum of the fills' price × qty at price scale + quantity scale (no
	// truncation, unlike the engine's Notional), for the average price; inexact after overflow.
	exact   int64
	inexact bool
	// capped: the partial-fill fault cut the engine order to part of qty; the rest counts as
	// cancelled by the venue.
	capped bool
	// lostCancel: the lose-cancel-ack fault swallowed this order's cancel acknowledgements.
	lostCancel bool
}

// requested returns the order's size as the client asked for it, in quantity units (the engine
// quantity for a quote-sized market order).
func (m *orderMeta) requested(o *match.Order) int64 {
	if m == nil || m.qty == 0 {
		return o.Qty
	}
	return m.qty
}

// wireStatus is the venue's status of o: OPEN, FILLED, CANCELLED or FAILED. An IOC or market
// remainder, a killed FOK and an order the partial-fill fault cut short are CANCELLED.
func wireStatus(o *match.Order, m *orderMeta) string {
	switch o.Status {
	case match.StatusNew, match.StatusPartiallyFilled:
		return "OPEN"
	case match.StatusFilled:
		if m != nil && m.capped {
			return "CANCELLED"
		}
		return "FILLED"
	case match.StatusCanceled, match.StatusExpired:
		return "CANCELLED"
	}
	return "FAILED"
}

func sideName(s event.Side) string {
	if s == event.SideBuy {
		return "BUY"
	}
	return "SELL"
}

func (k configKind) tif() string {
	switch k {
	case cfgLimitGTC:
		return "GOOD_UNTIL_CANCELLED"
	case cfgLimitFOK:
		return "FILL_OR_KILL"
	}
	return "IMMEDIATE_OR_CANCEL"
}

// orderFigures are an order's derived numbers.
type orderFigures struct {
	filled, leaves, notional, fees int64
	avg                            int64 // average fill price at avgScale
	avgScale                       uint8
	completion                     int64 // percent at scale 2
	afterFees                      int64 // notional + fees (buy) or - fees (sell)
	hold                           int64 // outstanding hold: quote for a buy, base for a sell
}

func figures(o *match.Order, m *orderMeta, rules match.Rules) orderFigures {
	f := orderFigures{filled: o.Filled, leaves: o.Leaves(), notional: o.Notional, fees: o.Fees,
		avgScale: rules.PriceScale}
	if o.Filled > 0 {
		extra := min(uint8(4), fixed.MaxScale-rules.PriceScale)
		num, den := o.Notional, o.Filled
		numScale := rules.PriceScale // num / den × 10^QtyScale is the price at numScale
		if m != nil && !m.inexact {
			num, numScale = m.exact, rules.PriceScale+rules.QtyScale
		}
		// avg at PriceScale+extra = num × 10^(QtyScale + PriceScale + extra - numScale) / den
		shift := rules.QtyScale + rules.PriceScale + extra - numScale
		if shift <= fixed.MaxScale {
			if avg, err := fixed.MulDiv(num, fixed.Pow10(shift), den); err == nil {
				f.avg, f.avgScale = avg, rules.PriceScale+extra
			}
		}
	}
	if req := m.requested(o); req > 0 {
		f.completion, _ = fixed.MulDiv(o.Filled, 10_000, req)
	}
	if o.Side == event.SideBuy {
		f.afterFees = o.Notional + o.Fees
		if f.leaves > 0 {
			f.hold, _ = fixed.MulDiv(f.leaves, o.Price, fixed.Pow10(rules.QtyScale))
		}
	} else {
		f.afterFees = o.Notional - o.Fees
		f.hold = f.leaves
	}
	return f
}

// appendOrderConfiguration appends {"<kind>":{...}} as the client would have sent it.
func appendOrderConfiguration(dst []byte, m *orderMeta, o *match.Order, rules match.Rules) []byte {
	kind := cfgLimitGTC
	qty, price, post := o.Qty, o.Price, o.PostOnly
	if m != nil {
		kind, qty, price, post = m.kind, m.qty, m.price, m.postOnly
	} else if o.Type == event.OrderMarket {
		kind = cfgMarketIOC
	}
	dst = append(dst, '{')
	dst = append(jsontext.AppendKey(dst, configNames[kind]), '{')
	switch {
	case kind == cfgMarketIOC && m != nil && m.quote > 0:
		dst = appendDec(dst, "quote_size", m.quote, rules.PriceScale)
	case kind == cfgMarketIOC:
		dst = appendDec(dst, "base_size", qty, rules.QtyScale)
	default:
		dst = appendDec(dst, "base_size", qty, rules.QtyScale)
		dst = appendDec(dst, "limit_price", price, rules.PriceScale)
		if kind == cfgLimitGTC {
			dst = appendBool(dst, "post_only", post)
		}
	}
	return append(dst, '}', '}')
}

// appendRESTOrder appends the REST order object of o (GET orders/historical/...).
func appendRESTOrder(dst []byte, o *match.Order, m *orderMeta, mk *sim.Market, rules match.Rules) []byte {
	k := orderKey{market: int32(mk.Index), id: o.ID}
	f := figures(o, m, rules)
	dst = append(dst, '{')
	dst = append(appendOrderID(append(jsontext.AppendKey(dst, "order_id"), '"'), k), '"')
	dst = appendField(dst, "product_id", mk.Symbol)
	dst = append(appendUserID(append(jsontext.AppendKey(dst, "user_id"), '"'), o.Account), '"')
	dst = appendOrderConfiguration(jsontext.AppendKey(dst, "order_configuration"), m, o, rules)
	dst = appendField(dst, "side", sideName(o.Side))
	dst = appendField(dst, "client_order_id", o.ClientID)
	dst = appendField(dst, "status", wireStatus(o, m))
	kind := cfgLimitGTC
	if m != nil {
		kind = m.kind
	}
	dst = appendField(dst, "time_in_force", kind.tif())
	dst = appendTimeField(dst, "created_time", o.Created)
	dst = appendDec(dst, "completion_percentage", f.completion, 2)
	dst = appendDec(dst, "filled_size", f.filled, rules.QtyScale)
	dst = appendDec(dst, "average_filled_price", f.avg, f.avgScale)
	dst = appendField(dst, "fee", "")
	var fills int64
	if m != nil {
		fills = m.fills
	}
	dst = appendIntString(dst, "number_of_fills", fills)
	dst = appendDec(dst, "filled_value", f.notional, rules.PriceScale)
	dst = appendBool(dst, "pending_cancel", false)
	dst = appendBool(dst, "size_in_quote", m != nil && m.quote > 0)
	dst = appendDec(dst, "total_fees", f.fees, rules.PriceScale)
	dst = appendBool(dst, "size_inclusive_of_fees", false)
	dst = appendDec(dst, "total_value_after_fees", f.afterFees, rules.PriceScale)
	dst = appendField(dst, "trigger_status", "INVALID_ORDER_TYPE")
	if o.Type == event.OrderMarket {
		dst = appendField(dst, "order_type", "MARKET")
	} else {
		dst = appendField(dst, "order_type", "LIMIT")
	}
	dst = appendField(dst, "reject_reason", "REJECT_REASON_UNSPECIFIED")
	dst = appendBool(dst, "settled", !o.Status.Open())
	dst = appendField(dst, "product_type", "SPOT")
	dst = appendField(dst, "reject_message", "")
	cancelMsg := ""
	if o.Status == match.StatusCanceled {
		cancelMsg = "User requested cancel"
	}
	dst = appendField(dst, "cancel_message", cancelMsg)
	dst = appendField(dst, "order_placement_source", "RETAIL_ADVANCED")
	if o.Side == event.SideBuy {
		dst = appendDec(dst, "outstanding_hold_amount", f.hold, rules.PriceScale)
	} else {
		dst = appendDec(dst, "outstanding_hold_amount", f.hold, rules.QtyScale)
	}
	dst = appendBool(dst, "is_liquidation", false)
	if m != nil && m.lastFill != 0 {
		dst = appendTimeField(dst, "last_fill_time", m.lastFill)
	} else {
		dst = append(jsontext.AppendKey(dst, "last_fill_time"), "null"...)
	}
	dst = append(jsontext.AppendKey(dst, "edit_history"), '[', ']')
	dst = appendField(dst, "leverage", "")
	dst = appendField(dst, "margin_type", "UNKNOWN_MARGIN_TYPE")
	dst = append(appendPortfolioID(append(jsontext.AppendKey(dst, "retail_portfolio_id"), '"'), o.Account), '"')
	return append(dst, '}')
}

// appendUserOrder appends the user channel's order object of o. The first eleven fields are the
// venue's documented example's, in its order.
func appendUserOrder(dst []byte, o *match.Order, m *orderMeta, mk *sim.Market, rules match.Rules) []byte {
	k := orderKey{market: int32(mk.Index), id: o.ID}
	f := figures(o, m, rules)
	dst = append(dst, '{')
	dst = append(appendOrderID(append(jsontext.AppendKey(dst, "order_id"), '"'), k), '"')
	dst = appendField(dst, "client_order_id", o.ClientID)
	dst = appendDec(dst, "cumulative_quantity", f.filled, rules.QtyScale)
	dst = appendDec(dst, "leaves_quantity", f.leaves, rules.QtyScale)
	dst = appendDec(dst, "avg_price", f.avg, f.avgScale)
	dst = appendDec(dst, "total_fees", f.fees, rules.PriceScale)
	dst = appendField(dst, "status", wireStatus(o, m))
	dst = appendField(dst, "product_id", mk.Symbol)
	dst = appendTimeField(dst, "creation_time", o.Created)
	dst = appendField(dst, "order_side", sideName(o.Side))
	kind := cfgLimitGTC
	if m != nil {
		kind = m.kind
	}
	if o.Type == event.OrderMarket {
		dst = appendField(dst, "order_type", "Market")
	} else {
		dst = appendField(dst, "order_type", "Limit")
	}
	cancelReason := ""
	if o.Status == match.StatusCanceled {
		cancelReason = "User requested cancel"
	}
	dst = appendField(dst, "cancel_reason", cancelReason)
	dst = appendField(dst, "reject_reason", "")
	dst = appendField(dst, "time_in_force", kind.tif())
	if o.Type == event.OrderLimit {
		dst = appendDec(dst, "limit_price", o.Price, rules.PriceScale)
	} else {
		dst = appendField(dst, "limit_price", "")
	}
	dst = appendField(dst, "stop_price", "")
	dst = appendBool(dst, "post_only", o.PostOnly)
	var fills int64
	if m != nil {
		fills = m.fills
	}
	dst = appendIntString(dst, "number_of_fills", fills)
	dst = appendDec(dst, "filled_value", f.notional, rules.PriceScale)
	dst = appendDec(dst, "total_value_after_fees", f.afterFees, rules.PriceScale)
	dst = appendDec(dst, "completion_percentage", f.completion, 2)
	if o.Side == event.SideBuy {
		dst = appendDec(dst, "outstanding_hold_amount", f.hold, rules.PriceScale)
	} else {
		dst = appendDec(dst, "outstanding_hold_amount", f.hold, rules.QtyScale)
	}
	dst = appendField(dst, "trigger_status", "INVALID_ORDER_TYPE")
	dst = appendField(dst, "product_type", "SPOT")
	return append(dst, '}')
}

// fillRecord is one fill of an account's order, kept for GET orders/historical/fills.
type fillRecord struct {
	market  *sim.Market
	key     orderKey
	tradeID uint64
	price   int64
	qty     int64
	fee     int64
	ts      int64
	maker   bool
	side    event.Side
	account uint32
}

// appendFill appends the REST fill object of f.
func appendFill(dst []byte, f *fillRecord) []byte {
	rules := f.market.Listing
	dst = append(dst, '{')
	dst = append(appendEntryID(append(jsontext.AppendKey(dst, "entry_id"), '"'), f.key.market, f.tradeID, f.maker), '"')
	dst = appendIntString(dst, "trade_id", int64(f.tradeID))
	dst = append(appendOrderID(append(jsontext.AppendKey(dst, "order_id"), '"'), f.key), '"')
	dst = appendTimeField(dst, "trade_time", f.ts)
	dst = appendField(dst, "trade_type", "FILL")
	dst = appendDec(dst, "price", f.price, rules.PriceScale)
	dst = appendDec(dst, "size", f.qty, rules.QtyScale)
	dst = appendDec(dst, "commission", f.fee, rules.PriceScale)
	dst = appendField(dst, "product_id", f.market.Symbol)
	dst = appendTimeField(dst, "sequence_timestamp", f.ts)
	if f.maker {
		dst = appendField(dst, "liquidity_indicator", "MAKER")
	} else {
		dst = appendField(dst, "liquidity_indicator", "TAKER")
	}
	dst = appendBool(dst, "size_in_quote", false)
	dst = append(appendUserID(append(jsontext.AppendKey(dst, "user_id"), '"'), f.account), '"')
	dst = appendField(dst, "side", sideName(f.side))
	dst = append(appendPortfolioID(append(jsontext.AppendKey(dst, "retail_portfolio_id"), '"'), f.account), '"')
	return append(dst, '}')
}
