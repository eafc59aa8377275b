package feed

import (
	"strconv"

	"ems/core/book"
	"ems/core/fixed"
)

// ReportDepth is the number of levels per side in a replay report.
const ReportDepth = 10

// AppendReport appends the replica's one-line JSON replay report (venue specs section 9), without
// a newline:
//
//	{"venue":"okx","symbol":"BTC-USDT","messages":N,"applied":N,"dropped":N,"gaps":N,"resyncs":N,
//	 "checksums_verified":N,"checksum_failures":N,"bids":[["px","qty"],...],"asks":[...]}
//
// Prices and quantities are exact decimals without trailing zeros. venue and the symbol must need
// no JSON escaping beyond quotes (venue symbols are plain ASCII; anything else is escaped by
// strconv.Quote rules).
func (r *Replica) AppendReport(dst []byte, venue string) []byte {
	dst = append(dst, `{"venue":`...)
	dst = strconv.AppendQuote(dst, venue)
	dst = append(dst, `,"symbol":`...)
	dst = strconv.AppendQuote(dst, r.cfg.Symbol)
	if r.cfg.Channel != "" {
		dst = append(dst, `,"channel":`...)
		dst = strconv.AppendQuote(dst, r.cfg.Channel)
	}
	s := &r.Stats
	for _, f := range [...]struct {
		k string
		v int64
	}{
		{"messages", s.Messages}, {"applied", s.Applied}, {"dropped", s.Dropped}, {"gaps", s.Gaps},
		{"resyncs", s.Resyncs}, {"checksums_verified", s.ChecksumsVerified},
		{"checksum_failures", s.ChecksumFailures},
	} {
		dst = append(dst, ',', '"')
		dst = append(dst, f.k...)
		dst = append(dst, '"', ':')
		dst = strconv.AppendInt(dst, f.v, 10)
	}
	dst = append(dst, `,"bids":`...)
	dst = r.appendSide(dst, book.Bid)
	dst = append(dst, `,"asks":`...)
	dst = r.appendSide(dst, book.Ask)
	return append(dst, '}')
}

func (r *Replica) appendSide(dst []byte, side book.Side) []byte {
	dst = append(dst, '[')
	r.scratch = r.book.Levels(side, ReportDepth, r.scratch[:0])
	for i, l := range r.scratch {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[', '"')
		dst = fixed.AppendTrim(dst, l.Price, r.price)
		dst = append(dst, '"', ',', '"')
		dst = fixed.AppendTrim(dst, l.Qty, r.qty)
		dst = append(dst, '"', ']')
	}
	return append(dst, ']')
}
