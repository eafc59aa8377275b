package binance

// Header is the sequencing part of one depthUpdate: its update ids and timestamps.
type Header struct {
	First   uint64 // U: the first update id in the event
	Last    uint64 // u: the final update id in the event
	Prev    uint64 // pu: the final update id of the previous event (USD-M futures); 0 when absent
	HasPrev bool   // the event carries pu
	ExchTS  int64  // ns: the transaction time T where sent (futures), else the event time E
	RecvTS  int64  // ns: when the message was received
}

// Position is where a book built from a REST snapshot stands in the diff stream.
type Position struct {
	Snapshot uint64 // lastUpdateId of the snapshot the book was built from
	Last     uint64 // u of the last diff applied; Snapshot until one is
	Fresh    bool   // no diff applied since the snapshot
}

// Verdict is what a sync rule decides for one diff.
type Verdict uint8

const (
	// Apply: set the diff's levels and advance the position to its u.
	Apply Verdict = iota + 1
	// Drop: the diff is older than the book; skip it (counted as dropped).
	Drop
	// Gap: updates are missing between the book and the diff; the book is invalid until a new
	// snapshot.
	Gap
)

func (v Verdict) String() string {
	switch v {
	case Apply:
		return "apply"
	case Drop:
		return "drop"
	case Gap:
		return "gap"
	}
	return "verdict?"
}

// Rule is a Binance market's diff-depth sync rule: the only part of book sync that differs between
// spot (Spot) and USD-M futures (feed/binanceusdm). Everything else — envelopes, buffering while
// waiting for a snapshot, replaying the buffer, gap handling, trades and tickers — is shared.
// A Rule holds no state; the position it judges against is the book's.
type Rule interface {
	// Venue names the market in errors and reports ("binance", "binanceusdm").
	Venue() string
	// Chained reports whether the market's diffs carry pu. A diff of the other shape is a
	// message of the other market (feed.ErrForeign).
	Chained() bool
	// Check decides what to do with diff h, given the position of a book built from a snapshot.
	Check(p Position, h Header) Verdict
}

// Spot is Binance spot's rule (venue specs section 1.2). With bookId = p.Last:
//
//	u <= bookId      drop: already in the book (for the first diff after a snapshot this is
//	                 "discard u <= lastUpdateId")
//	U >  bookId + 1  gap
//	otherwise        apply, bookId = u
//
// so the first diff applied after a snapshot satisfies U <= lastUpdateId+1 <= u exactly, and each
// later one U == previous u + 1 (an overlap U <= bookId < u is accepted: its levels are absolute).
type Spot struct{}

// Venue returns "binance".
func (Spot) Venue() string { return "binance" }

// Chained returns false: spot diffs carry no pu.
func (Spot) Chained() bool { return false }

// Check applies the spot rule.
func (Spot) Check(p Position, h Header) Verdict {
	if h.Last <= p.Last {
		return Drop
	}
	if h.First > p.Last+1 {
		return Gap
	}
	return Apply
}
