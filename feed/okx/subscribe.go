package okx

import (
	"ems/core/jsontext"
)

// Requests to the public WebSocket (wss://ws.okx.com:8443/ws/v5/public), as text frames:
//
//	{"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},...]}
//	{"id":"1513","op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}
//	ping
//
// The venue answers {"id","event":"subscribe","arg":{...},"connId"} per channel, or
// {"id","event":"error","code","msg","connId"}; and pong to ping. The "id" is optional (the
// builders leave it out when empty).

// Ping is the keepalive text frame: send it when nothing has arrived for N < 30 s.
const Ping = "ping"

// Pong is the venue's answer to Ping.
const Pong = "pong"

// AppendSubscribe appends a subscribe request for channel on each instId to dst and returns the
// extended slice. It allocates only when dst lacks capacity.
func AppendSubscribe(dst []byte, id, channel string, instIDs ...string) []byte {
	return appendOp(dst, id, "subscribe", channel, instIDs)
}

// AppendUnsubscribe appends an unsubscribe request for channel on each instId to dst.
func AppendUnsubscribe(dst []byte, id, channel string, instIDs ...string) []byte {
	return appendOp(dst, id, "unsubscribe", channel, instIDs)
}

func appendOp(dst []byte, id, op, channel string, instIDs []string) []byte {
	dst = append(dst, '{')
	if id != "" {
		dst = append(dst, `"id":`...)
		dst = jsontext.AppendString(dst, id)
		dst = append(dst, ',')
	}
	dst = append(dst, `"op":"`...)
	dst = append(dst, op...)
	dst = append(dst, `","args":[`...)
	for i, inst := range instIDs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"channel":`...)
		dst = jsontext.AppendString(dst, channel)
		dst = append(dst, `,"instId":`...)
		dst = jsontext.AppendString(dst, inst)
		dst = append(dst, '}')
	}
	return append(dst, ']', '}')
}

const hexDigits = "0123456789abcdef"
