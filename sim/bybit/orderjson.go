package bybit

import (
	"ems/core/jsontext"
	"strconv"

	"ems/core/event"
	"ems/core/fixed"
	"ems/sim/match"
)

// wireStatus returns Bybit's orderStatus, cancelType and rejectReason of an Engine order.
//
// Bybit accepts some orders it then refuses (the create call answers retCode 0): a post-only
// order that would take liquidity ends Rejected on spot and Cancelled on linear with
// EC_PostOnlyWillTakeLiquidity; a fill-or-kill that cannot fill ends Cancelled with
// EC_CancelForNoFullFill; a market order without liquidity, Cancelled with
// EC_NoImmediateQtyToFill. Spot orders cancelled after a partial fill are
// PartiallyFilledCanceled.
func wireStatus(k *mkt, o *match.Order, meta *orderMeta) (status, cancelType, reject string) {
	cancelled := func(reason string) (string, string, string) {
		if k.cat == catSpot && o.Filled > 0 {
			return "PartiallyFilledCanceled", "UNKNOWN", reason
		}
		return "Cancelled", "UNKNOWN", reason
	}
	switch o.Status {
	case match.StatusNew:
		return "New", "UNKNOWN", "EC_NoError"
	case match.StatusPartiallyFilled:
		return "PartiallyFilled", "UNKNOWN", "EC_NoError"
	case match.StatusFilled:
		if meta != nil && meta.cut {
			return cancelled("EC_NoImmediateQtyToFill")
		}
		return "Filled", "UNKNOWN", "EC_NoError"
	case match.StatusCanceled:
		st, _, r := cancelled("EC_PerCancelRequest")
		return st, "CancelByUser", r
	case match.StatusRejected:
		switch {
		case o.Reason == event.RejectPostOnly && k.cat == catSpot:
			return "Rejected", "UNKNOWN", "EC_PostOnlyWillTakeLiquidity"
		case o.Reason == event.RejectPostOnly:
			return "Cancelled", "UNKNOWN", "EC_PostOnlyWillTakeLiquidity"
		case o.Reason == event.RejectInvalidRequest && o.Type == event.OrderMarket:
			return "Cancelled", "UNKNOWN", "EC_NoImmediateQtyToFill"
		}
		return "Rejected", "UNKNOWN", "EC_Others"
	case match.StatusExpired:
		switch {
		case o.Reason == event.RejectFOK:
			return cancelled("EC_CancelForNoFullFill")
		case o.Filled == 0:
			return cancelled("EC_NoImmediateQtyToFill")
		}
		return cancelled("EC_NoError")
	}
	return "Rejected", "UNKNOWN", "EC_Others"
}

// wireTIF returns the order's timeInForce as Bybit writes it.
func wireTIF(o *match.Order, meta *orderMeta) string {
	switch {
	case meta != nil && meta.tif != "":
		return meta.tif
	case o.Type == event.OrderMarket:
		return "IOC"
	case o.PostOnly:
		return "PostOnly"
	case o.TIF == event.TIFIOC:
		return "IOC"
	case o.TIF == event.TIFFOK:
		return "FOK"
	}
	return "GTC"
}

// wireLeaves returns the quantity still working as Bybit shows it: the requested quantity
// (not the Engine's, which the partial-fill fault may have cut) less the filled one while open.
func wireLeaves(o *match.Order, meta *orderMeta) int64 {
	if !o.Status.Open() {
		return 0
	}
	if meta != nil && meta.wireQty > 0 && !meta.byValue {
		return meta.wireQty - o.Filled
	}
	return o.Leaves()
}

// appendQtyText appends the order's qty: a quote amount for a spot market buy by value.
func appendWireQty(dst []byte, k *mkt, o *match.Order, meta *orderMeta) []byte {
	dst = append(jsontext.AppendKey(dst, "qty"), '"')
	switch {
	case meta != nil && meta.byValue:
		dst = k.appendValue(dst, meta.wireQty)
	case meta != nil && meta.wireQty > 0:
		dst = k.appendQty(dst, meta.wireQty)
	default:
		dst = k.appendQty(dst, o.Qty)
	}
	return append(dst, '"')
}

// orderValue returns the order's cumulative value and fee: exact (at the value scale, and the
// value scale + feeDecimals) when the order's record saw all its fills, else the Engine's
// figures at the price scale.
func orderValue(o *match.Order, meta *orderMeta) (value, fee int64, exact bool) {
	switch {
	case o.Filled == 0:
		return 0, 0, true
	case meta != nil && meta.filled == o.Filled:
		return meta.value, meta.fee, true
	}
	return o.Notional, o.Fees, false
}

// notional returns price × qty in quote units at the price scale, truncated (0 on overflow).
func (k *mkt) notional(price, qty int64) int64 {
	n, err := fixed.MulDiv(price, qty, fixed.Pow10(k.l.QtyScale))
	if err != nil {
		return 0
	}
	return n
}

// appendOrder appends the order object of REST order queries and the order stream (ws adds
// the stream's extra fields), with Bybit's fields in its order.
//
//	{"orderId":"...","orderLinkId":"...","blockTradeId":"","symbol":"BTCUSDT","price":"68000",
//	 "qty":"0.01","side":"Buy","isLeverage":"0","positionIdx":0,"orderStatus":"New",
//	 "cancelType":"UNKNOWN","rejectReason":"EC_NoError","avgPrice":"","leavesQty":"0.01",...}
func appendOrder(dst []byte, k *mkt, o *match.Order, meta *orderMeta, ws bool) []byte {
	status, cancelType, reject := wireStatus(k, o, meta)
	spot := k.cat == catSpot
	market := o.Type == event.OrderMarket
	dst = append(dst, '{')
	dst = append(jsontext.AppendKey(dst, "orderId"), '"')
	dst = append(appendOrderID(dst, k, o.ID), '"')
	dst = appendStrField(dst, "orderLinkId", o.ClientID)
	dst = appendStrField(dst, "blockTradeId", "")
	dst = appendStrField(dst, "symbol", k.sym)
	price := o.Price
	if market {
		price = 0
	}
	dst = k.priceField(dst, "price", price)
	dst = appendWireQty(dst, k, o, meta)
	dst = appendStrField(dst, "side", sideName(o.Side))
	if spot {
		dst = appendStrField(dst, "isLeverage", "0")
	} else {
		dst = appendStrField(dst, "isLeverage", "")
	}
	dst = appendIntField(dst, "positionIdx", 0)
	dst = appendStrField(dst, "orderStatus", status)
	if !spot {
		dst = appendStrField(dst, "createType", "CreateByUser")
	}
	dst = appendStrField(dst, "cancelType", cancelType)
	dst = appendStrField(dst, "rejectReason", reject)
	value, fee, exact := orderValue(o, meta)
	dst = append(jsontext.AppendKey(dst, "avgPrice"), '"')
	if exact {
		dst = k.appendAvg(dst, value, o.Filled)
	} else {
		dst = k.appendAvg(dst, value*fixed.Pow10(k.l.QtyScale), o.Filled) // the price-scale notional, rescaled
	}
	dst = append(dst, '"')
	leaves := wireLeaves(o, meta)
	dst = k.qtyField(dst, "leavesQty", leaves)
	lv := int64(0)
	if !market {
		lv, _ = k.exactValue(o.Price, leaves)
	}
	dst = k.exactField(dst, "leavesValue", lv)
	dst = k.qtyField(dst, "cumExecQty", o.Filled)
	if exact {
		dst = k.exactField(dst, "cumExecValue", value)
		dst = k.feeField(dst, "cumExecFee", fee)
	} else {
		dst = k.valueField(dst, "cumExecValue", value)
		dst = k.valueField(dst, "cumExecFee", fee)
	}
	if ws {
		dst = appendStrField(dst, "closedPnl", "0")
		if spot {
			dst = appendStrField(dst, "feeCurrency", k.quote)
		} else {
			dst = appendStrField(dst, "feeCurrency", "")
		}
	}
	dst = appendStrField(dst, "timeInForce", wireTIF(o, meta))
	if market {
		dst = appendStrField(dst, "orderType", "Market")
	} else {
		dst = appendStrField(dst, "orderType", "Limit")
	}
	if spot {
		dst = appendStrField(dst, "stopOrderType", "")
	} else {
		dst = appendStrField(dst, "stopOrderType", "UNKNOWN")
	}
	dst = appendStrField(dst, "orderIv", "")
	unit := ""
	if spot && market {
		unit = "baseCoin"
		if meta != nil && meta.byValue {
			unit = "quoteCoin"
		}
	}
	dst = appendStrField(dst, "marketUnit", unit)
	for _, f := range [...]string{"triggerPrice", "takeProfit", "stopLoss", "tpslMode", "ocoTriggerBy",
		"tpLimitPrice", "slLimitPrice", "tpTriggerBy", "slTriggerBy"} {
		dst = appendStrField(dst, f, "")
	}
	dst = appendIntField(dst, "triggerDirection", 0)
	dst = appendStrField(dst, "triggerBy", "")
	dst = appendStrField(dst, "lastPriceOnCreated", "")
	dst = appendBoolField(dst, "reduceOnly", false)
	dst = appendBoolField(dst, "closeOnTrigger", false)
	dst = appendStrField(dst, "placeType", "")
	dst = appendStrField(dst, "smpType", "None")
	dst = appendIntField(dst, "smpGroup", 0)
	dst = appendStrField(dst, "smpOrderId", "")
	dst = appendMsText(dst, "createdTime", o.Created)
	dst = appendMsText(dst, "updatedTime", o.Updated)
	dst = append(jsontext.AppendKey(dst, "cumFeeDetail"), '{')
	switch {
	case fee != 0 && exact:
		dst = k.feeField(dst, k.quote, fee)
	case fee != 0:
		dst = k.valueField(dst, k.quote, fee)
	}
	dst = append(dst, '}')
	if ws {
		dst = appendStrField(dst, "category", k.cat.String())
	}
	return append(dst, '}')
}

// appendExec appends an execution object (GET /v5/execution/list and the execution stream;
// ws puts the category first, as the stream does).
//
//	{"category":"linear","symbol":"BTCUSDT","isLeverage":"","orderId":"...","orderLinkId":"",
//	 "side":"Sell","orderPrice":"68000.0","orderQty":"0.010","leavesQty":"0.000",
//	 "createType":"CreateByUser","orderType":"Limit","stopOrderType":"UNKNOWN",
//	 "execFee":"0.37","execId":"...","execPrice":"68000.0","execQty":"0.010","execType":"Trade",
//	 "execValue":"680","execTime":"1709251200000","isMaker":false,"feeRate":"0.00055",...}
func appendExec(dst []byte, r *execRecord, meta *orderMeta, ws bool) []byte {
	k, o, f := r.k, &r.order, &r.fill
	spot := k.cat == catSpot
	dst = append(dst, '{')
	if ws {
		dst = appendStrField(dst, "category", k.cat.String())
	}
	dst = appendStrField(dst, "symbol", k.sym)
	if spot {
		dst = appendStrField(dst, "isLeverage", "0")
	} else {
		dst = appendStrField(dst, "isLeverage", "")
	}
	dst = append(jsontext.AppendKey(dst, "orderId"), '"')
	dst = append(appendOrderID(dst, k, o.ID), '"')
	dst = appendStrField(dst, "orderLinkId", o.ClientID)
	dst = appendStrField(dst, "side", sideName(o.Side))
	price := o.Price
	if o.Type == event.OrderMarket {
		price = 0
	}
	dst = k.priceField(dst, "orderPrice", price)
	var q []byte
	q = appendWireQty(q, k, o, meta)
	dst = appendRaw(dst, "orderQty", q[len(`"qty":`):])
	dst = k.qtyField(dst, "leavesQty", wireLeaves(o, meta))
	if !spot {
		dst = appendStrField(dst, "createType", "CreateByUser")
	}
	if o.Type == event.OrderMarket {
		dst = appendStrField(dst, "orderType", "Market")
	} else {
		dst = appendStrField(dst, "orderType", "Limit")
	}
	if spot {
		dst = appendStrField(dst, "stopOrderType", "")
	} else {
		dst = appendStrField(dst, "stopOrderType", "UNKNOWN")
	}
	rate := k.l.TakerFee
	if r.maker {
		rate = k.l.MakerFee
	}
	value, _ := k.exactValue(f.Price, f.Qty)
	dst = k.feeField(dst, "execFee", exactFee(value, rate))
	dst = append(jsontext.AppendKey(dst, "execId"), '"')
	dst = append(appendExecID(dst, k, f.TradeID, r.maker), '"')
	dst = k.priceField(dst, "execPrice", f.Price)
	dst = k.qtyField(dst, "execQty", f.Qty)
	dst = appendStrField(dst, "execType", "Trade")
	dst = k.exactField(dst, "execValue", value)
	dst = appendMsText(dst, "execTime", f.TS)
	dst = appendBoolField(dst, "isMaker", r.maker)
	dst = append(jsontext.AppendKey(dst, "feeRate"), '"')
	dst = append(appendFeeRate(dst, rate), '"')
	dst = appendStrField(dst, "tradeIv", "")
	dst = appendStrField(dst, "markIv", "")
	dst = k.priceField(dst, "markPrice", f.Price)
	dst = appendStrField(dst, "indexPrice", "")
	dst = appendStrField(dst, "underlyingPrice", "")
	dst = appendStrField(dst, "blockTradeId", "")
	dst = appendStrField(dst, "closedSize", "")
	dst = strconv.AppendUint(jsontext.AppendKey(dst, "seq"), f.TradeID, 10)
	if spot {
		dst = appendStrField(dst, "feeCurrency", k.quote)
	} else {
		dst = appendStrField(dst, "feeCurrency", "")
	}
	return append(dst, '}')
}
