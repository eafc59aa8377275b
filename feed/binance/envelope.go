package binance

import "github.com/valyala/fastjson"

// Unwrap returns the payload of a combined-stream frame {"stream":"<name>","data":<payload>}
// and true, or v itself and false when v is not such an envelope. Old user-data captures use the
// same envelope with a listenKey as the stream name; their payloads are events like any other.
// The result aliases v.
func Unwrap(v *fastjson.Value) (*fastjson.Value, bool) {
	if v.Type() != fastjson.TypeObject || v.Get("stream") == nil {
		return v, false
	}
	data := v.Get("data")
	if data == nil {
		return v, false
	}
	return data, true
}

// shape is what a Binance market-data connection can carry, told apart by its fields.
type shape uint8

const (
	shapeForeign     shape = iota // not a Binance message
	shapeEvent                    // {"e":"<event type>",...}: depthUpdate, trade, aggTrade, ...
	shapeBookTicker               // spot bookTicker: {"u","s","b","B","a","A"}, no "e"
	shapePartial                  // partial book depth stream: {"lastUpdateId","bids","asks"}
	shapeArray                    // an all-market stream (!ticker@arr ...): an array payload
	shapeResponse                 // {"result":...,"id":N}, WS API {"id","status","result"}, requests
	shapeError                    // {"error":{...}} or a WS API response with a status other than 200
	shapeUserData                 // WS API user-data wrapper {"subscriptionId":N,"event":{...}}
	shapeEnvelopeBad              // {"stream":...} without usable "data"
)

// classify tells what payload v (already unwrapped) is.
func classify(v *fastjson.Value) shape {
	switch v.Type() {
	case fastjson.TypeArray:
		// All-market streams (!ticker@arr ...) send arrays of events; other venues' arrays
		// (Kraken v1) start with a number.
		if a, _ := v.Array(); len(a) > 0 && a[0].Type() == fastjson.TypeObject && a[0].Get("e") != nil {
			return shapeArray
		}
		return shapeForeign
	case fastjson.TypeObject:
	default:
		return shapeForeign
	}
	if e := v.Get("e"); e != nil {
		if e.Type() == fastjson.TypeString {
			return shapeEvent
		}
		return shapeForeign
	}
	if v.Get("u") != nil && v.Get("s") != nil && v.Get("b") != nil && v.Get("a") != nil {
		return shapeBookTicker
	}
	if v.Get("lastUpdateId") != nil && v.Get("bids") != nil {
		return shapePartial
	}
	if v.Get("subscriptionId") != nil && v.Get("event") != nil {
		return shapeUserData
	}
	if v.Get("id") != nil {
		if v.Get("error") != nil {
			return shapeError
		}
		if c := v.Get("code"); c != nil && c.Type() == fastjson.TypeNumber && v.Get("msg") != nil {
			return shapeError // {"code":0,"msg":"Unknown property","id":1}
		}
		if st := v.Get("status"); st != nil {
			if st.GetInt() != 200 {
				return shapeError
			}
			return shapeResponse
		}
		if v.Get("result") != nil || v.Get("method") != nil {
			return shapeResponse
		}
		return shapeForeign
	}
	if e := v.Get("error"); e != nil && e.Type() == fastjson.TypeObject {
		return shapeError
	}
	if v.Get("stream") != nil {
		return shapeEnvelopeBad
	}
	return shapeForeign
}

// nonBook reports whether e is an event type of Binance spot or USD-M streams that carries no
// book data this package uses (klines, tickers, mark prices, liquidations, user data).
func nonBook(e []byte) bool {
	switch string(e) {
	case "kline", "continuous_kline", "24hrTicker", "24hrMiniTicker", "1hTicker", "4hTicker",
		"1dTicker", "avgPrice", "markPriceUpdate", "indexPriceUpdate", "forceOrder",
		"compositeIndex", "contractInfo", "assetIndexUpdate",
		// user data (spot and futures), when a recording mixes them in
		"executionReport", "outboundAccountPosition", "balanceUpdate", "listStatus",
		"listenKeyExpired", "eventStreamTerminated", "externalLockUpdate",
		"ORDER_TRADE_UPDATE", "ACCOUNT_UPDATE", "MARGIN_CALL", "ACCOUNT_CONFIG_UPDATE",
		"TRADE_LITE", "STRATEGY_UPDATE", "GRID_UPDATE", "CONDITIONAL_ORDER_TRIGGER_REJECT":
		return true
	}
	return false
}
