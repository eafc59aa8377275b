package kraken

import (
	"bytes"
	"fmt"

	"github.com/valyala/fastjson"

	"ems/feed"
)

// V1 decodes Kraken spot WebSocket v1 messages (wss://ws.kraken.com): array frames
//
//	[channelID, payload, channelName, pair]            one payload
//	[channelID, payload, payload, channelName, pair]   asks and bids of one update, apart
//
// whose book-<depth> channels become book levels and status under the v1 checksum rule (updates
// only), and whose trade channel becomes Trade events; event objects (heartbeat, systemStatus,
// subscriptionStatus) are control messages. It implements feed.Decoder.
//
// Owned by the feed thread; not safe for concurrent use. Decode allocates nothing in steady state.
type V1 struct {
	base
}

// NewV1 returns a v1 decoder. The truncation depth of each book is the one its channel name
// carries (book-1000 → 1000); cfg.Depth is not used.
func NewV1(cfg feed.Config) (*V1, error) {
	return &V1{base: newBase(&cfg)}, nil
}

// Books returns the books in the order first seen; the slice and the replicas stay owned by d.
// A v1 book is one (pair, channel name): its report carries the channel ("book-1000").
func (d *V1) Books() []*feed.Replica { return d.tab.replicas }

// Anomalies returns d's count of malformed and unexpected messages.
func (d *V1) Anomalies() *feed.Anomalies { return &d.an }

// Requests appends the resubscriptions needed since the last call and forgets them. The transport
// unsubscribes and subscribes the replica's pair (Replica.Config().Symbol) at its depth.
func (d *V1) Requests(dst []feed.Request) []feed.Request { return d.requests(dst) }

// Decode handles one v1 message received at recvTS (ns), appending its events to out. msg is only
// read during the call. Errors are as for Decoder.Decode; a v2 message is foreign here.
func (d *V1) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	d.tab.line++
	v, err := d.parser.ParseBytes(msg)
	if err != nil {
		d.an.Note(kindBadJSON, msg, err)
		return fmt.Errorf("kraken: %w", err)
	}
	switch v.Type() {
	case fastjson.TypeArray:
		a, _ := v.Array()
		return d.frame(a, msg, recvTS, out)
	case fastjson.TypeObject:
		return d.event(v, msg)
	}
	return d.foreign(msg)
}

func (d *V1) foreign(msg []byte) error {
	d.an.Note(kindForeign, msg, errForeignV1)
	return errForeignV1
}

// event handles a control object {"event":...}.
func (d *V1) event(v *fastjson.Value, msg []byte) error {
	switch string(v.GetStringBytes("event")) {
	case "heartbeat", "systemStatus", "pong", "addOrderStatus", "editOrderStatus",
		"cancelOrderStatus", "cancelAllStatus", "cancelAllOrdersAfterStatus":
		return nil
	case "subscriptionStatus":
		if string(v.GetStringBytes("status")) == "error" {
			err := fmt.Errorf("kraken: subscription rejected: %s", v.GetStringBytes("errorMessage"))
			d.an.Note(kindRejected, msg, err)
			return err
		}
		pair, name := v.GetStringBytes("pair"), v.GetStringBytes("channelName")
		if i := d.tab.find(pair, name); i >= 0 {
			d.tab.touch(d.tab.books[i])
		}
		return nil
	case "error":
		if em := v.Get("errorMessage"); em != nil {
			err := fmt.Errorf("kraken: venue error: %s", v.GetStringBytes("errorMessage"))
			d.an.Note(kindVenueError, msg, err)
			return err
		}
	}
	return d.foreign(msg)
}

// frame handles an array frame of a public channel, or ignores a private one
// ([payload, "ownTrades", {"sequence":n}]).
func (d *V1) frame(a []*fastjson.Value, msg []byte, recvTS int64, out *feed.Batch) error {
	if len(a) < 3 {
		return d.foreign(msg)
	}
	if a[0].Type() != fastjson.TypeNumber {
		if a[0].Type() == fastjson.TypeArray && a[1].Type() == fastjson.TypeString {
			return nil
		}
		return d.foreign(msg)
	}
	name, err1 := a[len(a)-2].StringBytes()
	pair, err2 := a[len(a)-1].StringBytes()
	if err1 != nil || err2 != nil || len(a) < 4 {
		d.an.Note(kindBadBook, msg, errFrame)
		return errFrame
	}
	payload := a[1 : len(a)-2]
	switch {
	case bytes.HasPrefix(name, []byte("book-")):
		return d.book(payload, name, pair, msg, recvTS, out)
	case string(name) == "trade":
		return d.trades(payload[0], pair, msg, recvTS, out)
	}
	d.tab.touchName(pair)
	return nil
}
