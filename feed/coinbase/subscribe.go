package coinbase

import (
	"ems/core/jsontext"
)

// Advanced Trade market-data channels a subscription names. Each subscribe message names one
// channel; l2_data, market_trades and heartbeats are the channels' replies.
const (
	ChannelLevel2       = "level2"        // answered as "l2_data"
	ChannelMarketTrades = "market_trades" // public trades
	ChannelHeartbeats   = "heartbeats"    // keeps idle channels open (they close after 60-90 s)
)

// Request builders for wss://advanced-trade-ws.coinbase.com. Each appends one JSON text frame to
// dst and returns the extended slice; they allocate only when dst must grow.
//
//	{"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2","jwt":"..."}
//	{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"}
//	{"type":"subscribe","channel":"heartbeats"}
//
// jwt is optional for the public channels ("" omits it); when given it must be a fresh token
// (it expires after 2 minutes). No product ids omits product_ids (heartbeats). A request the venue
// refuses comes back as {"type":"error","message":...}, which Decode reports as an error noted
// under AnomalyVenueError. After a feed.RequestReconnect, open a new connection, call
// ResetSequence, and subscribe every channel again (level2 sends a new snapshot per product);
// after a feed.RequestResubscribe, unsubscribe and subscribe level2 for the replica's symbol.

// AppendSubscribe appends a subscribe request for one channel and its products.
func AppendSubscribe(dst []byte, channel, jwt string, productIDs ...string) []byte {
	return appendRequest(dst, "subscribe", channel, jwt, productIDs)
}

// AppendUnsubscribe appends an unsubscribe request for one channel and its products.
func AppendUnsubscribe(dst []byte, channel, jwt string, productIDs ...string) []byte {
	return appendRequest(dst, "unsubscribe", channel, jwt, productIDs)
}

func appendRequest(dst []byte, typ, channel, jwt string, productIDs []string) []byte {
	dst = append(dst, `{"type":`...)
	dst = jsontext.AppendString(dst, typ)
	if len(productIDs) > 0 {
		dst = append(dst, `,"product_ids":[`...)
		for i, p := range productIDs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsontext.AppendString(dst, p)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"channel":`...)
	dst = jsontext.AppendString(dst, channel)
	if jwt != "" {
		dst = append(dst, `,"jwt":`...)
		dst = jsontext.AppendString(dst, jwt)
	}
	return append(dst, '}')
}
