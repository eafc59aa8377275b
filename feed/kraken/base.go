package kraken

import (
	"github.com/valyala/fastjson"

	"ems/feed"
)

// base is what the v1 and v2 decoders share: the book table, the parser, the checksum, the
// anomaly log and the queued resync requests. Owned by the feed thread.
type base struct {
	tab    table
	parser fastjson.Parser
	sum    checksummer
	an     feed.Anomalies
	reqs   []feed.Request
	px     []byte // a price number's text
	qty    []byte // a quantity number's text
}

func newBase(cfg *feed.Config) base {
	return base{
		tab: newTable(cfg), sum: newChecksummer(), an: feed.Anomalies{Log: cfg.Log},
		reqs: make([]feed.Request, 0, 8), px: make([]byte, 0, 64), qty: make([]byte, 0, 64),
	}
}

// request queues a resubscription of b.
func (d *base) request(b *bookState) {
	d.reqs = append(d.reqs, feed.Request{Kind: feed.RequestResubscribe, Replica: b.r})
}

func (d *base) requests(dst []feed.Request) []feed.Request {
	dst = append(dst, d.reqs...)
	d.reqs = d.reqs[:0]
	return dst
}
