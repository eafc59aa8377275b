package kraken

import (
	"ems/core/jsontext"
	"strconv"
)

// AppendSubscribe appends the v2 request subscribing the book channel of symbols at depth (one of
// 10, 25, 100, 500, 1000) with a snapshot first, and returns the extended slice:
//
//	{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10,"snapshot":true}}
//
// Kraken answers with one ack per symbol ({"method":"subscribe","result":{...,"depth":10,...},
// "success":true}); Decode takes the book's depth from it and notes success:false as an anomaly.
func AppendSubscribe(dst []byte, depth int, symbols ...string) []byte {
	dst = appendRequest(dst, "subscribe", "book", symbols)
	dst = append(dst, `,"depth":`...)
	dst = strconv.AppendInt(dst, int64(depth), 10)
	return append(dst, `,"snapshot":true}}`...)
}

// AppendUnsubscribe appends the v2 request ending the book subscription of symbols at depth:
//
//	{"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10}}
//
// A resync (RequestResubscribe) is AppendUnsubscribe then AppendSubscribe.
func AppendUnsubscribe(dst []byte, depth int, symbols ...string) []byte {
	dst = appendRequest(dst, "unsubscribe", "book", symbols)
	dst = append(dst, `,"depth":`...)
	dst = strconv.AppendInt(dst, int64(depth), 10)
	return append(dst, `}}`...)
}

// AppendSubscribeTrades appends the v2 request subscribing the trade channel of symbols, without
// the snapshot of recent trades:
//
//	{"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD"],"snapshot":false}}
func AppendSubscribeTrades(dst []byte, symbols ...string) []byte {
	dst = appendRequest(dst, "subscribe", "trade", symbols)
	return append(dst, `,"snapshot":false}}`...)
}

// appendRequest appends {"method":M,"params":{"channel":C,"symbol":[...] (left open).
func appendRequest(dst []byte, method, channel string, symbols []string) []byte {
	dst = append(dst, `{"method":`...)
	dst = jsontext.AppendString(dst, method)
	dst = append(dst, `,"params":{"channel":`...)
	dst = jsontext.AppendString(dst, channel)
	dst = append(dst, `,"symbol":`...)
	return appendStrings(dst, symbols)
}

// AppendSubscribeV1 appends the v1 request subscribing the book of pairs at depth:
//
//	{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":10}}
//
// Kraken answers with a subscriptionStatus per pair naming the channel (book-10) and streams the
// book as [channelID, {...}, "book-10", "XBT/USD"] frames.
func AppendSubscribeV1(dst []byte, depth int, pairs ...string) []byte {
	return appendV1(dst, "subscribe", "book", depth, pairs)
}

// AppendUnsubscribeV1 appends the v1 request ending the book subscription of pairs at depth:
//
//	{"event":"unsubscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":10}}
func AppendUnsubscribeV1(dst []byte, depth int, pairs ...string) []byte {
	return appendV1(dst, "unsubscribe", "book", depth, pairs)
}

// AppendSubscribeTradesV1 appends the v1 request subscribing the trades of pairs:
//
//	{"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"trade"}}
func AppendSubscribeTradesV1(dst []byte, pairs ...string) []byte {
	return appendV1(dst, "subscribe", "trade", 0, pairs)
}

func appendV1(dst []byte, ev, name string, depth int, pairs []string) []byte {
	dst = append(dst, `{"event":`...)
	dst = jsontext.AppendString(dst, ev)
	dst = append(dst, `,"pair":`...)
	dst = appendStrings(dst, pairs)
	dst = append(dst, `,"subscription":{"name":`...)
	dst = jsontext.AppendString(dst, name)
	if depth > 0 {
		dst = append(dst, `,"depth":`...)
		dst = strconv.AppendInt(dst, int64(depth), 10)
	}
	return append(dst, `}}`...)
}

func appendStrings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsontext.AppendString(dst, s)
	}
	return append(dst, ']')
}
