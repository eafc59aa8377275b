package bybit

import (
	"ems/core/jsontext"
	"strconv"

	"ems/feed"
)

// Request builders for the public WebSocket (wss://stream.bybit.com/v5/public/{spot|linear|
// inverse|option}). Each appends one JSON text frame to dst and returns the extended slice; they
// allocate only when dst must grow.
//
//	{"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"],"req_id":"1"}
//	{"op":"unsubscribe","args":["orderbook.50.BTCUSDT"]}
//	{"op":"ping"}
//
// Bybit answers each with {"success":true,"ret_msg":...,"conn_id":...,"op":...}; a refusal
// (success false) reaches Decode as an error noted under AnomalyRequestError. Spot accepts at most
// 10 args per request: the caller splits longer lists. Send a ping every 20 s.

// AppendSubscribe appends a subscribe request for topics; reqID is echoed by the venue ("": none).
func AppendSubscribe(dst []byte, reqID string, topics ...string) []byte {
	return appendOp(dst, "subscribe", reqID, topics)
}

// AppendUnsubscribe appends an unsubscribe request for topics; reqID as in AppendSubscribe.
func AppendUnsubscribe(dst []byte, reqID string, topics ...string) []byte {
	return appendOp(dst, "unsubscribe", reqID, topics)
}

// AppendPing appends the heartbeat {"op":"ping"} (with "req_id" when reqID is not empty).
func AppendPing(dst []byte, reqID string) []byte {
	return appendOp(dst, "ping", reqID, nil)
}

// AppendBookTopic appends the book topic "orderbook.{depth}.{symbol}". Depths: 1, 50, 200, 1000
// (spot, linear, inverse), 25 and 100 (option).
func AppendBookTopic(dst []byte, depth int, symbol string) []byte {
	dst = append(dst, topicBook...)
	dst = strconv.AppendInt(dst, int64(depth), 10)
	dst = append(dst, '.')
	return append(dst, symbol...)
}

// AppendTradeTopic appends the public trade topic "publicTrade.{symbol}".
func AppendTradeTopic(dst []byte, symbol string) []byte {
	dst = append(dst, topicTrade...)
	return append(dst, symbol...)
}

// AppendReplicaTopic appends the topic of one of the decoder's books (its channel, a dot, its
// symbol): what a feed.RequestResubscribe for r unsubscribes and subscribes again.
func AppendReplicaTopic(dst []byte, r *feed.Replica) []byte {
	c := r.Config()
	dst = append(dst, c.Channel...)
	dst = append(dst, '.')
	return append(dst, c.Symbol...)
}

func appendOp(dst []byte, op, reqID string, args []string) []byte {
	dst = append(dst, `{"op":`...)
	dst = jsontext.AppendString(dst, op)
	if len(args) > 0 {
		dst = append(dst, `,"args":[`...)
		for i, a := range args {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsontext.AppendString(dst, a)
		}
		dst = append(dst, ']')
	}
	if reqID != "" {
		dst = append(dst, `,"req_id":`...)
		dst = jsontext.AppendString(dst, reqID)
	}
	return append(dst, '}')
}
