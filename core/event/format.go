package event

import "strconv"

// Formatting of events for people and tools (journal dump, logs). Each kind's fields are listed
// once, in fields below; the text and JSON encoders only differ in punctuation. Prices and
// quantities are printed as raw integer units: the instrument's scales turn them into decimals.
// Not for the hot path.

// AppendText appends e as one line of key=value pairs (no newline) and returns the extended
// buffer: `kind=fill venue=1 instrument=2 seq=7 exch_ts=... recv_ts=... order=42 price=...`.
func AppendText(dst []byte, e *Event) []byte {
	enc := encoder{dst: dst, json: false}
	fields(&enc, e)
	return enc.dst
}

// AppendJSON appends e as one JSON object (no newline) with the same keys as AppendText.
func AppendJSON(dst []byte, e *Event) []byte {
	enc := encoder{dst: append(dst, '{'), json: true}
	fields(&enc, e)
	return append(enc.dst, '}')
}

type encoder struct {
	dst   []byte
	json  bool
	count int
}

func (w *encoder) key(k string) {
	if w.count > 0 {
		if w.json {
			w.dst = append(w.dst, ',')
		} else {
			w.dst = append(w.dst, ' ')
		}
	}
	w.count++
	if w.json {
		w.dst = append(w.dst, '"')
		w.dst = append(w.dst, k...)
		w.dst = append(w.dst, '"', ':')
	} else {
		w.dst = append(w.dst, k...)
		w.dst = append(w.dst, '=')
	}
}

func (w *encoder) int(k string, v int64) {
	w.key(k)
	w.dst = strconv.AppendInt(w.dst, v, 10)
}

func (w *encoder) uint(k string, v uint64) {
	w.key(k)
	w.dst = strconv.AppendUint(w.dst, v, 10)
}

// str writes an enum name; names are plain identifiers and need no escaping.
func (w *encoder) str(k, v string) {
	w.key(k)
	if w.json {
		w.dst = append(w.dst, '"')
		w.dst = append(w.dst, v...)
		w.dst = append(w.dst, '"')
	} else {
		w.dst = append(w.dst, v...)
	}
}

func (w *encoder) bool(k string, v bool) {
	w.key(k)
	w.dst = strconv.AppendBool(w.dst, v)
}

func fields(w *encoder, e *Event) {
	w.str("kind", e.Kind.String())
	if e.Flags != 0 {
		w.uint("flags", uint64(e.Flags))
	}
	w.uint("venue", uint64(e.Venue))
	w.uint("instrument", uint64(e.Instrument))
	w.uint("seq", e.Seq)
	w.int("exch_ts", e.ExchTS)
	w.int("recv_ts", e.RecvTS)
	switch e.Kind {
	case KindBookLevel:
		p := e.BookLevel()
		w.str("side", p.Side.String())
		w.int("price", p.Price)
		w.int("qty", p.Qty)
	case KindTopOfBook:
		p := e.TopOfBook()
		w.int("bid_price", p.BidPrice)
		w.int("bid_qty", p.BidQty)
		w.int("ask_price", p.AskPrice)
		w.int("ask_qty", p.AskQty)
	case KindTrade:
		p := e.Trade()
		w.int("price", p.Price)
		w.int("qty", p.Qty)
		w.uint("trade_id", p.TradeID)
		w.str("aggressor", p.Aggressor.String())
	case KindBookStatus:
		p := e.BookStatus()
		w.str("state", p.State.String())
		w.str("reason", p.Reason.String())
	case KindVenueStatus:
		p := e.VenueStatus()
		w.str("state", p.State.String())
		w.str("reason", p.Reason.String())
	case KindNewOrder:
		p := e.Order()
		w.uint("order", uint64(p.Order))
		w.uint("parent", uint64(p.Parent))
		w.str("side", p.Side.String())
		w.str("type", p.Type.String())
		w.str("tif", p.TIF.String())
		w.bool("post_only", p.PostOnly)
		w.int("price", p.Price)
		w.int("qty", p.Qty)
	case KindCancel:
		p := e.Cancel()
		w.uint("order", uint64(p.Order))
		w.uint("parent", uint64(p.Parent))
	case KindReplace:
		p := e.Replace()
		w.uint("order", uint64(p.Order))
		w.uint("parent", uint64(p.Parent))
		w.uint("new_order", uint64(p.NewOrder))
		w.int("price", p.Price)
		w.int("qty", p.Qty)
	case KindOrderAck:
		p := e.OrderAck()
		w.uint("order", uint64(p.Order))
		w.uint("venue_order", uint64(p.VenueOrder))
		w.int("price", p.Price)
		w.int("qty", p.Qty)
		w.int("leaves", p.Leaves)
	case KindReject:
		p := e.Reject()
		w.uint("order", uint64(p.Order))
		w.uint("parent", uint64(p.Parent))
		w.str("reason", p.Reason.String())
		w.int("venue_code", p.VenueCode)
	case KindFill:
		p := e.Fill()
		w.uint("order", uint64(p.Order))
		w.uint("venue_order", uint64(p.VenueOrder))
		w.int("price", p.Price)
		w.int("qty", p.Qty)
		w.int("fee", p.Fee)
		w.uint("fee_asset", uint64(p.FeeAsset))
		w.uint("trade_id", p.TradeID)
		w.int("leaves", p.Leaves)
		w.str("liquidity", p.Liquidity.String())
	case KindCancelAck:
		p := e.CancelAck()
		w.uint("order", uint64(p.Order))
		w.int("leaves", p.Leaves)
	case KindTimer:
		p := e.Timer()
		w.uint("timer", p.TimerID)
		w.int("deadline", p.Deadline)
	case KindParentCommand:
		p := e.ParentCommand()
		w.str("action", p.Action.String())
		w.uint("parent", uint64(p.Parent))
		w.str("side", p.Side.String())
		w.str("algo", p.Algo.String())
		w.int("qty", p.Qty)
		w.int("limit_price", p.LimitPrice)
		w.int("start_ts", p.StartTS)
		w.int("end_ts", p.EndTS)
		w.uint("venue_mask", p.VenueMask)
		w.uint("participation_bps", uint64(p.ParticipationBps))
	case KindRiskDeny:
		p := e.RiskDeny()
		w.uint("order", uint64(p.Order))
		w.uint("parent", uint64(p.Parent))
		w.str("reason", p.Reason.String())
		w.int("limit", p.Limit)
		w.int("value", p.Value)
	}
}
