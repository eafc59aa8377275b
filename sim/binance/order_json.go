package binance

import (
	"ems/core/event"
	"ems/core/jsontext"
	"ems/sim/match"
)

// Order responses, spelled field for field as binance-spot-api-docs rest-api.md and
// web-socket-api.md show them (order of fields included). Every amount is a string with 8
// decimals; times are milliseconds.

// view is an order as its owner sees it: the Engine's order with the partial-fill override
// applied.
type view struct {
	mk     *market
	o      *match.Order
	qty    int64
	tif    event.TimeInForce
	status string
}

// viewOf returns the client's view of o. With an override, an order the Engine filled (its cut
// quantity) has expired, from the client's side, with the rest unfilled.
func viewOf(mk *market, o *match.Order, ov *override) view {
	v := view{mk: mk, o: o, qty: o.Qty, tif: o.TIF, status: statusName(o.Status)}
	if ov != nil {
		v.qty, v.tif = ov.qty, ov.tif
		if o.Status == match.StatusFilled && o.Filled < ov.qty {
			v.status = "EXPIRED"
		}
	}
	return v
}

func (v *view) price() int64 {
	if v.o.Type == event.OrderMarket {
		return 0
	}
	return v.o.Price
}

func (v *view) working() bool {
	return v.o.Status.Open() && v.o.Type == event.OrderLimit && v.o.TIF == event.TIFGTC
}

// appendCommon appends "price" through "side", the run of fields the RESULT, query and cancel
// responses share (status and the amounts).
func (v *view) appendAmounts(dst []byte) []byte {
	l := v.mk.l
	dst = append(dst, `"price":`...)
	dst = appendDec(dst, v.price(), l.PriceScale)
	dst = append(dst, `,"origQty":`...)
	dst = appendDec(dst, v.qty, l.QtyScale)
	dst = append(dst, `,"executedQty":`...)
	dst = appendDec(dst, v.o.Filled, l.QtyScale)
	return dst
}

func (v *view) appendKind(dst []byte) []byte {
	dst = append(dst, `"status":"`...)
	dst = append(dst, v.status...)
	dst = append(dst, `","timeInForce":"`...)
	dst = append(dst, tifName(v.tif)...)
	dst = append(dst, `","type":"`...)
	dst = append(dst, typeName(v.o)...)
	dst = append(dst, `","side":"`...)
	dst = append(dst, sideName(v.o.Side)...)
	return append(dst, '"')
}

// appendNewOrder appends the response to a new order: ACK, RESULT or FULL (FULL adds the fills).
func appendNewOrder(dst []byte, v view, resp respType, fills []fillRec) []byte {
	l := v.mk.l
	dst = append(dst, `{"symbol":`...)
	dst = jsontext.AppendString(dst, v.mk.symbol)
	dst = append(dst, `,"orderId":`...)
	dst = appendInt(dst, int64(v.o.ID))
	dst = append(dst, `,"orderListId":-1,"clientOrderId":`...)
	dst = jsontext.AppendString(dst, v.o.ClientID)
	dst = append(dst, `,"transactTime":`...)
	dst = appendInt(dst, v.o.Updated/1e6)
	if resp == respACK {
		return append(dst, '}')
	}
	dst = append(dst, ',')
	dst = v.appendAmounts(dst)
	dst = append(dst, `,"origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":`...)
	dst = appendDec(dst, v.o.Notional, l.PriceScale)
	dst = append(dst, ',')
	dst = v.appendKind(dst)
	dst = append(dst, `,"workingTime":`...)
	dst = appendInt(dst, v.o.Created/1e6)
	if resp == respFULL {
		dst = append(dst, `,"fills":[`...)
		for i := range fills {
			if i > 0 {
				dst = append(dst, ',')
			}
			f := &fills[i]
			dst = append(dst, `{"price":`...)
			dst = appendDec(dst, f.price, l.PriceScale)
			dst = append(dst, `,"qty":`...)
			dst = appendDec(dst, f.qty, l.QtyScale)
			dst = append(dst, `,"commission":`...)
			dst = appendDec(dst, f.commission, f.commScale)
			dst = append(dst, `,"commissionAsset":`...)
			dst = jsontext.AppendString(dst, f.commAsset)
			dst = append(dst, `,"tradeId":`...)
			dst = appendInt(dst, int64(f.tradeID))
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, `,"selfTradePreventionMode":"NONE"}`...)
}

// appendQueryOrder appends an order as GET /api/v3/order, GET /api/v3/openOrders, order.status
// and openOrders.status return it.
func appendQueryOrder(dst []byte, v view) []byte {
	l := v.mk.l
	dst = append(dst, `{"symbol":`...)
	dst = jsontext.AppendString(dst, v.mk.symbol)
	dst = append(dst, `,"orderId":`...)
	dst = appendInt(dst, int64(v.o.ID))
	dst = append(dst, `,"orderListId":-1,"clientOrderId":`...)
	dst = jsontext.AppendString(dst, v.o.ClientID)
	dst = append(dst, ',')
	dst = v.appendAmounts(dst)
	dst = append(dst, `,"cummulativeQuoteQty":`...)
	dst = appendDec(dst, v.o.Notional, l.PriceScale)
	dst = append(dst, ',')
	dst = v.appendKind(dst)
	dst = append(dst, `,"stopPrice":"0.00000000","icebergQty":"0.00000000","time":`...)
	dst = appendInt(dst, v.o.Created/1e6)
	dst = append(dst, `,"updateTime":`...)
	dst = appendInt(dst, v.o.Updated/1e6)
	dst = append(dst, `,"isWorking":`...)
	dst = appendBool(dst, v.working())
	dst = append(dst, `,"workingTime":`...)
	dst = appendInt(dst, v.o.Created/1e6)
	return append(dst, `,"origQuoteOrderQty":"0.00000000","selfTradePreventionMode":"NONE"}`...)
}

// appendCanceled appends the response to a cancel (DELETE /api/v3/order, order.cancel).
func appendCanceled(dst []byte, v view, cancelClientID string) []byte {
	l := v.mk.l
	dst = append(dst, `{"symbol":`...)
	dst = jsontext.AppendString(dst, v.mk.symbol)
	dst = append(dst, `,"origClientOrderId":`...)
	dst = jsontext.AppendString(dst, v.o.ClientID)
	dst = append(dst, `,"orderId":`...)
	dst = appendInt(dst, int64(v.o.ID))
	dst = append(dst, `,"orderListId":-1,"clientOrderId":`...)
	dst = jsontext.AppendString(dst, cancelClientID)
	dst = append(dst, `,"transactTime":`...)
	dst = appendInt(dst, v.o.Updated/1e6)
	dst = append(dst, ',')
	dst = v.appendAmounts(dst)
	dst = append(dst, `,"origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":`...)
	dst = appendDec(dst, v.o.Notional, l.PriceScale)
	dst = append(dst, ',')
	dst = v.appendKind(dst)
	return append(dst, `,"selfTradePreventionMode":"NONE"}`...)
}

// appendMyTrade appends one element of GET /api/v3/myTrades.
func appendMyTrade(dst []byte, mk *market, f *fillRec) []byte {
	l := mk.l
	dst = append(dst, `{"symbol":`...)
	dst = jsontext.AppendString(dst, mk.symbol)
	dst = append(dst, `,"id":`...)
	dst = appendInt(dst, int64(f.tradeID))
	dst = append(dst, `,"orderId":`...)
	dst = appendInt(dst, int64(f.orderID))
	dst = append(dst, `,"orderListId":-1,"price":`...)
	dst = appendDec(dst, f.price, l.PriceScale)
	dst = append(dst, `,"qty":`...)
	dst = appendDec(dst, f.qty, l.QtyScale)
	dst = append(dst, `,"quoteQty":`...)
	dst = appendDec(dst, f.quoteQty, l.PriceScale)
	dst = append(dst, `,"commission":`...)
	dst = appendDec(dst, f.commission, f.commScale)
	dst = append(dst, `,"commissionAsset":`...)
	dst = jsontext.AppendString(dst, f.commAsset)
	dst = append(dst, `,"time":`...)
	dst = appendInt(dst, f.timeMs)
	dst = append(dst, `,"isBuyer":`...)
	dst = appendBool(dst, f.isBuyer)
	dst = append(dst, `,"isMaker":`...)
	dst = appendBool(dst, f.isMaker)
	return append(dst, `,"isBestMatch":true}`...)
}

// execReport is one executionReport (venue specs 1.4).
type execReport struct {
	v        view
	exec     string // x
	cancelID string // c of a CANCELED report (the cancel's client id); C is then the order's
	fill     *fillRec
	execID   int64
	eventMs  int64
}

// appendExecReport appends the executionReport event (without the subscription wrapper).
func appendExecReport(dst []byte, r *execReport) []byte {
	v := &r.v
	l := v.mk.l
	o := v.o
	c, orig := o.ClientID, ""
	if r.cancelID != "" {
		c, orig = r.cancelID, o.ClientID
	}
	dst = append(dst, `{"e":"executionReport","E":`...)
	dst = appendInt(dst, r.eventMs)
	dst = append(dst, `,"s":`...)
	dst = jsontext.AppendString(dst, v.mk.symbol)
	dst = append(dst, `,"c":`...)
	dst = jsontext.AppendString(dst, c)
	dst = append(dst, `,"S":"`...)
	dst = append(dst, sideName(o.Side)...)
	dst = append(dst, `","o":"`...)
	dst = append(dst, typeName(o)...)
	dst = append(dst, `","f":"`...)
	dst = append(dst, tifName(v.tif)...)
	dst = append(dst, `","q":`...)
	dst = appendDec(dst, v.qty, l.QtyScale)
	dst = append(dst, `,"p":`...)
	dst = appendDec(dst, v.price(), l.PriceScale)
	dst = append(dst, `,"P":"0.00000000","F":"0.00000000","g":-1,"C":`...)
	dst = jsontext.AppendString(dst, orig)
	dst = append(dst, `,"x":"`...)
	dst = append(dst, r.exec...)
	dst = append(dst, `","X":"`...)
	dst = append(dst, v.status...)
	dst = append(dst, `","r":"NONE","i":`...)
	dst = appendInt(dst, int64(o.ID))
	f := r.fill
	if f != nil {
		dst = append(dst, `,"l":`...)
		dst = appendDec(dst, f.qty, l.QtyScale)
	} else {
		dst = append(dst, `,"l":"0.00000000"`...)
	}
	dst = append(dst, `,"z":`...)
	dst = appendDec(dst, o.Filled, l.QtyScale)
	if f != nil {
		dst = append(dst, `,"L":`...)
		dst = appendDec(dst, f.price, l.PriceScale)
		dst = append(dst, `,"n":`...)
		dst = appendDec(dst, f.commission, f.commScale)
		dst = append(dst, `,"N":`...)
		dst = jsontext.AppendString(dst, f.commAsset)
	} else {
		dst = append(dst, `,"L":"0.00000000","n":"0","N":null`...)
	}
	dst = append(dst, `,"T":`...)
	dst = appendInt(dst, r.eventMs)
	dst = append(dst, `,"t":`...)
	if f != nil {
		dst = appendInt(dst, int64(f.tradeID))
	} else {
		dst = append(dst, "-1"...)
	}
	dst = append(dst, `,"I":`...)
	dst = appendInt(dst, r.execID)
	dst = append(dst, `,"w":`...)
	dst = appendBool(dst, v.working())
	dst = append(dst, `,"m":`...)
	dst = appendBool(dst, f != nil && f.isMaker)
	dst = append(dst, `,"M":`...)
	dst = appendBool(dst, f != nil)
	dst = append(dst, `,"O":`...)
	dst = appendInt(dst, o.Created/1e6)
	dst = append(dst, `,"Z":`...)
	dst = appendDec(dst, o.Notional, l.PriceScale)
	if f != nil {
		dst = append(dst, `,"Y":`...)
		dst = appendDec(dst, f.quoteQty, l.PriceScale)
	} else {
		dst = append(dst, `,"Y":"0.00000000"`...)
	}
	dst = append(dst, `,"Q":"0.00000000","W":`...)
	dst = appendInt(dst, o.Created/1e6)
	return append(dst, `,"V":"NONE"}`...)
}

// execName spells an Engine change as executionReport's x.
func execName(x match.Exec) string {
	switch x {
	case match.ExecNew:
		return "NEW"
	case match.ExecTrade:
		return "TRADE"
	case match.ExecReplaced:
		return "REPLACED"
	case match.ExecCanceled:
		return "CANCELED"
	case match.ExecRejected:
		return "REJECTED"
	case match.ExecExpired:
		return "EXPIRED"
	}
	return "NEW"
}
