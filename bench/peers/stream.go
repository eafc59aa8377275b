package peers

import (
	"math/rand/v2"
	"sort"
	"strconv"
)

// Shape of the generated stream.
const (
	Symbol   = "NKNUSDT"
	Mid      = 35270 // in ticks of 0.00001: 0.35270
	TickText = 1000  // one tick in units of 1e-8 (the text has 8 decimals)
	idDigits = 12    // update ids are written with this many digits
	firstID  = 100_000_000_000
)

// Stream is a REST snapshot and a cycle of diffs that can be replayed forever.
type Stream struct {
	Snapshot     []byte   // {"lastUpdateId":...,"bids":[...],"asks":[...]}
	LastUpdateID uint64   // the snapshot's
	Bids, Asks   [][2]int // the snapshot's levels (price ticks, quantity), best first
	diffs        []diff
	next         uint64 // the U of the next diff
	i            int
}

type diff struct {
	msg        []byte
	offU, offu int    // where the U and u digits are in msg
	span       uint64 // u - U
}

// Generate returns a stream of a snapshot with levels levels per side and count diffs of
// perDiff levels each, from seed.
func Generate(seed uint64, levels, perDiff, count int) *Stream {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// side[d] = quantity at distance d ticks from the mid (bids below, asks above); 0: empty.
	const span = 4000
	var book [2][span]int
	n := [2]int{}
	for s := range 2 {
		for d := 1; n[s] < levels && d < span; d++ {
			if rng.IntN(10) < 9 { // a few holes, as in real books
				book[s][d] = qty(rng)
				n[s]++
			}
		}
	}
	st := &Stream{LastUpdateID: firstID, next: firstID + 1}
	for s := range 2 {
		for d := 1; d < span; d++ {
			if book[s][d] != 0 {
				lv := [2]int{price(s, d), book[s][d]}
				if s == 0 {
					st.Bids = append(st.Bids, lv)
				} else {
					st.Asks = append(st.Asks, lv)
				}
			}
		}
	}
	st.Snapshot = appendSnapshot(nil, st.LastUpdateID, st.Bids, st.Asks)

	for range count {
		var changes [2][][2]int
		used := map[[2]int]bool{}
		for range perDiff {
			s := rng.IntN(2)
			var d, q int
			for {
				d = near(rng, span)
				if !used[[2]int{s, d}] {
					break
				}
			}
			used[[2]int{s, d}] = true
			switch r := rng.IntN(10); {
			case book[s][d] == 0 && (n[s] < levels || r < 3): // insert
				q = qty(rng)
				n[s]++
			case book[s][d] != 0 && (n[s] > levels && r < 5 || r < 2): // delete
				q = 0
				n[s]--
			case book[s][d] != 0: // change
				q = qty(rng)
			default: // delete of a level that is not there: normal on Binance
				q = 0
			}
			book[s][d] = q
			changes[s] = append(changes[s], [2]int{price(s, d), q})
		}
		sort.Slice(changes[0], func(i, j int) bool { return changes[0][i][0] > changes[0][j][0] })
		sort.Slice(changes[1], func(i, j int) bool { return changes[1][i][0] < changes[1][j][0] })
		st.diffs = append(st.diffs, makeDiff(changes[0], changes[1], uint64(1+rng.IntN(20))))
	}
	return st
}

// near draws a distance from the touch: mostly within a few dozen ticks.
func near(rng *rand.Rand, span int) int {
	d := 1 + int(rng.ExpFloat64()*25)
	if d >= span {
		d = span - 1
	}
	return d
}

func qty(rng *rand.Rand) int { return 1 + int(rng.ExpFloat64()*3000) }

func price(side, d int) int {
	if side == 0 {
		return Mid - d
	}
	return Mid + d
}

func makeDiff(bids, asks [][2]int, span uint64) diff {
	var m []byte
	m = append(m, `{"e":"depthUpdate","E":1633998512568,"s":"`+Symbol+`","U":`...)
	offU := len(m)
	m = appendID(m, firstID)
	m = append(m, `,"u":`...)
	offu := len(m)
	m = appendID(m, firstID)
	m = append(m, `,"b":`...)
	m = appendLevels(m, bids)
	m = append(m, `,"a":`...)
	m = appendLevels(m, asks)
	m = append(m, '}')
	return diff{msg: m, offU: offU, offu: offu, span: span}
}

func appendSnapshot(dst []byte, last uint64, bids, asks [][2]int) []byte {
	dst = append(dst, `{"lastUpdateId":`...)
	dst = strconv.AppendUint(dst, last, 10)
	dst = append(dst, `,"bids":`...)
	dst = appendLevels(dst, bids)
	dst = append(dst, `,"asks":`...)
	dst = appendLevels(dst, asks)
	return append(dst, '}')
}

func appendLevels(dst []byte, lv [][2]int) []byte {
	dst = append(dst, '[')
	for i, l := range lv {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `["`...)
		dst = AppendPrice(dst, l[0])
		dst = append(dst, `","`...)
		dst = strconv.AppendInt(dst, int64(l[1]), 10)
		dst = append(dst, `.00000000"]`...)
	}
	return append(dst, ']')
}

// AppendPrice appends ticks as Binance spot text: 35270 -> "0.35270000".
func AppendPrice(dst []byte, ticks int) []byte {
	v := ticks * TickText // units of 1e-8
	dst = strconv.AppendInt(dst, int64(v/100_000_000), 10)
	dst = append(dst, '.')
	frac := strconv.AppendInt(nil, int64(v%100_000_000), 10)
	for range 8 - len(frac) {
		dst = append(dst, '0')
	}
	return append(dst, frac...)
}

func appendID(dst []byte, id uint64) []byte {
	var b [idDigits]byte
	for i := idDigits - 1; i >= 0; i-- {
		b[i] = byte('0' + id%10)
		id /= 10
	}
	return append(dst, b[:]...)
}

// Len returns the number of diffs in the cycle.
func (s *Stream) Len() int { return len(s.diffs) }

// Bytes returns the total size of the diffs of one cycle.
func (s *Stream) Bytes() int {
	n := 0
	for _, d := range s.diffs {
		n += len(d.msg)
	}
	return n
}

// Next returns the next diff with its U and u patched to follow the previous one (U = previous
// u + 1). The message is valid until the cycle comes back to it.
func (s *Stream) Next() []byte {
	d := &s.diffs[s.i]
	s.i++
	if s.i == len(s.diffs) {
		s.i = 0
	}
	putID(d.msg[d.offU:], s.next)
	putID(d.msg[d.offu:], s.next+d.span)
	s.next += d.span + 1
	return d.msg
}

func putID(b []byte, id uint64) {
	for i := idDigits - 1; i >= 0; i-- {
		b[i] = byte('0' + id%10)
		id /= 10
	}
}
