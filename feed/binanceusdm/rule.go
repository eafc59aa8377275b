package binanceusdm

import "ems/feed/binance"

// Rule is the USD-M futures diff-depth sync rule (venue specs section 2), with L the snapshot's
// lastUpdateId:
//
//	first diff after the snapshot:  u < L            drop (strictly less: u == L is kept)
//	                                U > L            gap: the snapshot is older than the stream
//	                                otherwise        apply (U <= L <= u)
//	every later diff:               pu != previous u gap
//	                                otherwise        apply
//
// U is not previous u + 1 on futures; only pu chains the diffs.
type Rule struct{}

// Venue returns "binanceusdm".
func (Rule) Venue() string { return "binanceusdm" }

// Chained returns true: futures diffs carry pu.
func (Rule) Chained() bool { return true }

// Check applies the futures rule.
func (Rule) Check(p binance.Position, h binance.Header) binance.Verdict {
	if p.Fresh {
		if h.Last < p.Snapshot {
			return binance.Drop
		}
		if h.First > p.Snapshot {
			return binance.Gap
		}
		return binance.Apply
	}
	if h.Prev != p.Last {
		return binance.Gap
	}
	return binance.Apply
}
