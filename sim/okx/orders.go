package okx

import (
	"ems/core/jsontext"
	"math/big"
	"strconv"

	"ems/core/event"
	"ems/sim"
	"ems/sim/match"
)

// Order state as OKX reports it: the orders channel (venue specs section 3.1), GET
// /api/v5/trade/order and /orders-pending, and the fills of /trade/fills. Everything here is
// guarded by the venue lock: written by the handlers inside Venue.Do and by the venue's order
// callback (onOrderEvent), read inside Do.
//
// Lifecycle, as OKX pushes it on the orders channel:
//
//	accepted                        live
//	each fill                       partially_filled, or filled for the fill that completes a
//	                                limit order (fillSz, fillPx, tradeId, execType T|M, fillFee)
//	a market order completes        partially_filled for its last fill, then filled again with
//	                                fillSz "0" and no tradeId (as the real recording shows)
//	amended (amend.go)              live or partially_filled with the new px/sz, amendResult "0",
//	                                amendSource "1" and the amend's reqId
//	canceled                        canceled, cancelSource: 1 by the user, 13 fill-or-kill not
//	                                filled, 14 IOC remainder, 31 post-only would have taken,
//	                                0 by the system (the partial-fill fault)
//
// Orders refused outright (an sCode other than 0) are never pushed.

// OKX order ids: ordIDBase + OrderID × ordIDStride + market index, an 18-digit number as OKX's
// are, unique over the venue's markets (Engine order ids count per market).
const (
	ordIDBase   = 600_000_000_000_000_000
	ordIDStride = 100 // markets per venue at most
)

// wireOrdID returns the OKX ordId of Engine order id on market index.
func wireOrdID(index int, id match.OrderID) uint64 {
	return ordIDBase + uint64(id)*ordIDStride + uint64(index)
}

// parseOrdID returns the market index and Engine order id of an OKX ordId.
func parseOrdID(s string) (index int, id match.OrderID, ok bool) {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v < ordIDBase+ordIDStride {
		return 0, 0, false
	}
	v -= ordIDBase
	return int(v % ordIDStride), match.OrderID(v / ordIDStride), true
}

// order is one order placed through the server.
type order struct {
	mk      *market
	id      match.OrderID
	ordID   uint64
	account uint32
	clOrdID string
	tag     string
	side    event.Side
	ordType string // limit, market, post_only, fok, ioc, optimal_limit_ioc
	tdMode  string
	tgtCcy  string // SPOT market orders: base_ccy or quote_ccy; "" otherwise
	px      int64  // limit price; 0 for market orders
	sz      int64  // the size as requested: base (or contracts) at the quantity scale, or a quote amount at quoteScale
	quoteSz bool   // sz is a quote-currency amount
	capped  bool   // the partial-fill fault cut the working quantity: never reported filled

	// Set by an amend (amend.go) until the push it causes has carried them.
	amendResult string
	reqID       string

	state        string
	cancelSource string
	accFill      int64
	pxQty        big.Int // Σ fill px × qty, at price scale + qty scale
	fee          big.Int // Σ fill fees, at feeScale
	last         fillInfo
	cTime, uTime int64
}

// fillInfo is one fill of an order (the latest, for REST order queries).
type fillInfo struct {
	ok      bool
	px, qty int64
	tradeID uint64
	maker   bool
	fee     *big.Int
	ts      int64
}

// Order states.
const (
	stateLive      = "live"
	statePartial   = "partially_filled"
	stateFilled    = "filled"
	stateCanceled  = "canceled"
	cancelByUser   = "1"
	cancelBySystem = "0"
	cancelFOK      = "13"
	cancelIOC      = "14"
	cancelPostOnly = "31"
)

// open reports whether the order is still working.
func (o *order) open() bool { return o.state == stateLive || o.state == statePartial }

// onOrderEvent is the venue's order callback of every account with a key: it runs with the venue
// lock held, after the Engine calls of a Do or Step.
func (t *tradeState) onOrderEvent(ev sim.OrderEvent) {
	o := t.orders[orderKey{ev.Market.Index, ev.Order.ID}]
	if o == nil {
		return // not placed through this server, or refused outright
	}
	eo := &ev.Order
	o.uTime = eo.Updated
	switch {
	case ev.HasFill:
		f := &ev.Fill
		l := o.mk.l
		bps := l.TakerFee
		if ev.Maker {
			bps = l.MakerFee
		}
		fi := fillInfo{ok: true, px: f.Price, qty: f.Qty, tradeID: f.TradeID, maker: ev.Maker,
			fee: fillFee(o.mk, o.side, f.Price, f.Qty, bps), ts: f.TS}
		o.accFill += f.Qty
		o.pxQty.Add(&o.pxQty, new(big.Int).Mul(big.NewInt(f.Price), big.NewInt(f.Qty)))
		o.fee.Add(&o.fee, fi.fee)
		o.last = fi
		done := eo.Status == match.StatusFilled
		switch {
		case done && o.ordType != "market" && !o.capped:
			o.state = stateFilled
		default:
			o.state = statePartial
		}
		t.recordFill(o, &fi)
		t.push(o, &fi)
		if done && o.state != stateFilled {
			t.finish(o, eo)
		}
	case eo.Exec == match.ExecReplaced:
		o.px, o.sz = eo.Price, eo.Qty
		o.amendResult = amendOK
		t.push(o, nil)
		o.amendResult, o.reqID = "", ""
	case eo.Exec == match.ExecNew:
		o.state = stateLive
		t.push(o, nil)
	case eo.Status == match.StatusCanceled:
		o.state, o.cancelSource = stateCanceled, cancelByUser
		t.push(o, nil)
		o.amendResult, o.reqID = "", "" // an amend's cancel (amend.go) is pushed once
		t.retire(o)
	case eo.Status == match.StatusExpired || eo.Status == match.StatusRejected:
		t.finish(o, eo)
	}
}

// finish reports the end of an order that did not end by its own fill or a user cancel.
func (t *tradeState) finish(o *order, eo *match.Order) {
	switch {
	case o.capped:
		o.state, o.cancelSource = stateCanceled, cancelBySystem
	case eo.Reason == event.RejectPostOnly:
		o.state, o.cancelSource = stateCanceled, cancelPostOnly
	case eo.Reason == event.RejectFOK:
		o.state, o.cancelSource = stateCanceled, cancelFOK
	case o.ordType == "market" && o.accFill > 0:
		o.state = stateFilled
	case o.ordType == "market":
		o.state, o.cancelSource = stateCanceled, cancelBySystem
	default: // ioc, optimal_limit_ioc
		o.state, o.cancelSource = stateCanceled, cancelIOC
	}
	t.push(o, nil)
	t.retire(o)
}

// push sends an orders-channel update of o (with fill f, or none) to the account's
// subscribed connections.
func (t *tradeState) push(o *order, f *fillInfo) {
	t.connMu.Lock()
	defer t.connMu.Unlock()
	conns := t.conns[o.account]
	if len(conns) == 0 {
		return
	}
	data := t.appendOrder(t.scratch[:0], o, f, true)
	t.scratch = data
	for _, c := range conns {
		c.priv.mu.Lock()
		for i := range c.priv.subs {
			sub := &c.priv.subs[i]
			if !sub.matches(o.mk) {
				continue
			}
			msg := make([]byte, 0, len(sub.prefix)+len(data)+3)
			msg = append(msg, sub.prefix...)
			msg = append(msg, data...)
			msg = append(msg, "]}"...)
			c.sendPush(msg, "")
		}
		c.priv.mu.Unlock()
	}
}

// appendOrder appends the order object OKX pushes on the orders channel (channel) or returns
// from its REST order queries: the fields of the real recording, in its order. On the channel
// the fill fields describe fill f (none: empty); in REST answers the latest fill.
func (t *tradeState) appendOrder(b []byte, o *order, f *fillInfo, channel bool) []byte {
	mk := o.mk
	l := mk.l
	if !channel && o.last.ok {
		f = &o.last
	}
	fs := feeScale(mk, o.side)
	b = append(b, `{"accFillSz":`...)
	b = appendDec(b, o.accFill, l.QtyScale)
	b = append(b, `,"algoClOrdId":"","algoId":"","amendResult":`...)
	b = jsontext.AppendString(b, o.amendResult)
	b = append(b, `,"amendSource":`...)
	if o.amendResult == amendOK {
		b = append(b, `"`+amendSourceUser+`"`...)
	} else {
		b = append(b, `""`...)
	}
	b = append(b, `,"attachAlgoClOrdId":"","avgPx":`...)
	b = appendAvgPx(b, mk, &o.pxQty, o.accFill)
	b = append(b, `,"cTime":`...)
	b = appendMillisQ(b, o.cTime)
	b = append(b, `,"cancelSource":`...)
	b = jsontext.AppendString(b, o.cancelSource)
	b = append(b, `,"category":"normal","ccy":"","clOrdId":`...)
	b = jsontext.AppendString(b, o.clOrdID)
	b = append(b, `,"code":"0","execType":`...)
	switch {
	case f == nil:
		b = append(b, `""`...)
	case f.maker:
		b = append(b, `"M"`...)
	default:
		b = append(b, `"T"`...)
	}
	b = append(b, `,"fee":`...)
	b = appendBigDecQ(b, &o.fee, fs)
	b = append(b, `,"feeCcy":`...)
	b = jsontext.AppendString(b, feeCcy(mk, o.side))
	b = append(b, `,"fillFee":`...)
	if f != nil {
		b = appendBigDecQ(b, f.fee, fs)
		b = append(b, `,"fillFeeCcy":`...)
		b = jsontext.AppendString(b, feeCcy(mk, o.side))
	} else {
		b = append(b, `"0","fillFeeCcy":""`...)
	}
	b = append(b, `,"fillFwdPx":"","fillMarkPx":"","fillMarkVol":"","fillNotionalUsd":`...)
	if f != nil {
		b = appendBigDecQ(b, notional(mk, f.px, f.qty), notionalScale(mk))
	} else {
		b = append(b, `""`...)
	}
	b = append(b, `,"fillPnl":"0","fillPx":`...)
	if f != nil {
		b = appendDec(b, f.px, l.PriceScale)
	} else {
		b = append(b, `""`...)
	}
	b = append(b, `,"fillPxUsd":"","fillPxVol":"","fillSz":`...)
	if f != nil {
		b = appendDec(b, f.qty, l.QtyScale)
		b = append(b, `,"fillTime":`...)
		b = appendMillisQ(b, f.ts)
	} else {
		b = append(b, `"0","fillTime":""`...)
	}
	b = append(b, `,"instId":`...)
	b = jsontext.AppendString(b, mk.instID)
	b = append(b, `,"instType":`...)
	b = jsontext.AppendString(b, mk.instType)
	b = append(b, `,"lever":"0","msg":"","notionalUsd":`...)
	b = t.appendOrderNotional(b, o)
	b = append(b, `,"ordId":`...)
	b = appendUintQ(b, o.ordID)
	b = append(b, `,"ordType":`...)
	b = jsontext.AppendString(b, o.ordType)
	b = append(b, `,"pnl":"0","posSide":`...)
	if mk.spot() {
		b = append(b, `""`...)
	} else {
		b = append(b, `"net"`...)
	}
	b = append(b, `,"px":`...)
	if o.px != 0 {
		b = appendDec(b, o.px, l.PriceScale)
	} else {
		b = append(b, `""`...)
	}
	b = append(b, `,"pxType":"","pxUsd":"","pxVol":"","quickMgnType":"","rebate":"0","rebateCcy":`...)
	b = jsontext.AppendString(b, rebateCcy(mk, o.side))
	b = append(b, `,"reduceOnly":"false","reqId":`...)
	b = jsontext.AppendString(b, o.reqID)
	b = append(b, `,"side":`...)
	b = append(b, sideText(o.side)...)
	b = append(b, `,"slOrdPx":"","slTriggerPx":"","slTriggerPxType":"","source":"","state":`...)
	b = jsontext.AppendString(b, o.state)
	b = append(b, `,"stpId":"","stpMode":"","sz":`...)
	if o.quoteSz {
		b = appendDec(b, o.sz, quoteScale)
	} else {
		b = appendDec(b, o.sz, l.QtyScale)
	}
	b = append(b, `,"tag":`...)
	b = jsontext.AppendString(b, o.tag)
	b = append(b, `,"tdMode":`...)
	b = jsontext.AppendString(b, o.tdMode)
	b = append(b, `,"tgtCcy":`...)
	b = jsontext.AppendString(b, o.tgtCcy)
	b = append(b, `,"tpOrdPx":"","tpTriggerPx":"","tpTriggerPxType":"","tradeId":`...)
	if f != nil {
		b = appendUintQ(b, f.tradeID)
	} else {
		b = append(b, `""`...)
	}
	b = append(b, `,"uTime":`...)
	b = appendMillisQ(b, o.uTime)
	return append(b, '}')
}

// appendOrderNotional appends the order's notionalUsd: price × size for a limit order, the
// amount of a quote-sized market order, "" when not known in advance. The quote currency is
// taken as USD.
func (t *tradeState) appendOrderNotional(b []byte, o *order) []byte {
	switch {
	case o.quoteSz:
		return appendDec(b, o.sz, quoteScale)
	case o.px != 0:
		return appendBigDecQ(b, notional(o.mk, o.px, o.sz), notionalScale(o.mk))
	}
	return append(b, `""`...)
}

// fillRec is one fill of an account, for /trade/fills.
type fillRec struct {
	o      *order
	billID uint64
	f      fillInfo
}

// recordFill logs fill f of o in its account's fill history.
func (t *tradeState) recordFill(o *order, f *fillInfo) {
	a := t.account(o.account)
	a.billSeq++
	rec := fillRec{o: o, billID: ordIDBase + a.billSeq, f: *f}
	if len(a.fills) < t.s.opts.FillHistory {
		a.fills = append(a.fills, rec)
		return
	}
	a.fills[a.head] = rec
	a.head = (a.head + 1) % len(a.fills)
}

// appendFill appends a fill object of /trade/fills (docs-v5 field order).
func appendFill(b []byte, r *fillRec) []byte {
	o, f := r.o, &r.f
	mk := o.mk
	l := mk.l
	b = append(b, `{"instType":`...)
	b = jsontext.AppendString(b, mk.instType)
	b = append(b, `,"instId":`...)
	b = jsontext.AppendString(b, mk.instID)
	b = append(b, `,"tradeId":`...)
	b = appendUintQ(b, f.tradeID)
	b = append(b, `,"ordId":`...)
	b = appendUintQ(b, o.ordID)
	b = append(b, `,"clOrdId":`...)
	b = jsontext.AppendString(b, o.clOrdID)
	b = append(b, `,"billId":`...)
	b = appendUintQ(b, r.billID)
	b = append(b, `,"subType":`...)
	if o.side == event.SideSell {
		b = append(b, `"2"`...)
	} else {
		b = append(b, `"1"`...)
	}
	b = append(b, `,"tag":`...)
	b = jsontext.AppendString(b, o.tag)
	b = append(b, `,"fillPx":`...)
	b = appendDec(b, f.px, l.PriceScale)
	b = append(b, `,"fillSz":`...)
	b = appendDec(b, f.qty, l.QtyScale)
	b = append(b, `,"fillIdxPx":"","fillPnl":"0","fillPxVol":"","fillPxUsd":"","fillMarkVol":"","fillFwdPx":"","fillMarkPx":"","side":`...)
	b = append(b, sideText(o.side)...)
	b = append(b, `,"posSide":"net","execType":`...)
	if f.maker {
		b = append(b, `"M"`...)
	} else {
		b = append(b, `"T"`...)
	}
	b = append(b, `,"feeCcy":`...)
	b = jsontext.AppendString(b, feeCcy(mk, o.side))
	b = append(b, `,"fee":`...)
	b = appendBigDecQ(b, f.fee, feeScale(mk, o.side))
	b = append(b, `,"ts":`...)
	b = appendMillisQ(b, f.ts)
	b = append(b, `,"fillTime":`...)
	b = appendMillisQ(b, f.ts)
	b = append(b, `,"feeRate":`...)
	bps := l.TakerFee
	if f.maker {
		bps = l.MakerFee
	}
	b = appendDec(b, -bps, rateScale)
	b = append(b, `,"tradeQuoteCcy":`...)
	b = jsontext.AppendString(b, mk.quote)
	return append(b, '}')
}
