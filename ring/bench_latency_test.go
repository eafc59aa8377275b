package ring

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// One-way latency, method.
//
// A producer thread pinned to CPU 0 stamps each event with the monotonic time
// since a shared base (time.Since on a base with a monotonic reading is one
// vDSO clock read; both threads read the same invariant TSC), hands it over,
// then spins on the clock until latencyGap has passed since the stamp before
// it sends the next. The ring or channel is therefore empty whenever an event
// is sent, and the figure is the hand-off time, never queueing delay. A
// consumer thread pinned to CPU 1 busy-polls, and on each event records
// now - stamp in an HdrHistogram (3 significant digits). The figure includes
// the cost of one clock read, reported as clock-ns.
//
// The floor is the time to move one cache line from one core to the other.
// impl=pingpong measures it: two threads bounce a counter on one padded line;
// one-way = round trip / 2, timed over blocks of pingBlock round trips so the
// clock reads vanish from it. impl=ring measures that floor again in the same
// run, just before the ring, and reports ring-p50 / pingpong-one-way: a ring
// hand-off moves at least two lines (the tail index, then the slot), so 2 is
// what a ring without waste achieves.

const (
	latencyGap      = 500 * time.Nanosecond // between sends
	latencyCapacity = 1024
	pingBlock       = 100  // round trips per ping-pong sample
	pingCalibBlocks = 2000 // ping-pong samples taken before the ring
)

// BenchmarkOneWayLatency reports p50, p99 and p99.9 one-way latency of a
// 64-byte event between two pinned threads. Each op is one event (one round
// trip for impl=pingpong).
func BenchmarkOneWayLatency(b *testing.B) {
	if !twoCPUs() {
		b.Skip("one-way latency needs two CPUs and GOMAXPROCS >= 2: the consumer busy-spins")
	}
	b.Run("impl=pingpong", func(b *testing.B) {
		b.ReportAllocs()
		h := newLatencyHistogram()
		b.ResetTimer()
		pingPong(b, max(b.N/pingBlock, 1), h)
		b.StopTimer()
		reportPercentiles(b, h)
	})
	b.Run("impl=ring", func(b *testing.B) {
		b.ReportAllocs()
		ping := newLatencyHistogram()
		pingPong(b, pingCalibBlocks, ping)
		clock := clockCost()
		h := newLatencyHistogram()
		r := mustNew[event64](b, latencyCapacity)
		b.ResetTimer()
		ringLatency(b, r, h)
		b.StopTimer()
		reportPercentiles(b, h)
		oneWay := ping.ValueAtQuantile(50)
		b.ReportMetric(float64(oneWay), "pingpong-oneway-ns")
		b.ReportMetric(float64(h.ValueAtQuantile(50))/float64(max(oneWay, 1)), "ring-p50/pingpong")
		b.ReportMetric(float64(clock), "clock-ns")
	})
	b.Run("impl=chan/wait=spin", func(b *testing.B) {
		b.ReportAllocs()
		h := newLatencyHistogram()
		b.ResetTimer()
		chanLatency(b, h, true)
		b.StopTimer()
		reportPercentiles(b, h)
	})
	b.Run("impl=chan/wait=block", func(b *testing.B) {
		b.ReportAllocs()
		h := newLatencyHistogram()
		b.ResetTimer()
		chanLatency(b, h, false)
		b.StopTimer()
		reportPercentiles(b, h)
	})
}

func newLatencyHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(1, int64(10*time.Second), 3)
}

func reportPercentiles(b *testing.B, h *hdrhistogram.Histogram) {
	b.ReportMetric(float64(h.ValueAtQuantile(50)), "p50-ns")
	b.ReportMetric(float64(h.ValueAtQuantile(99)), "p99-ns")
	b.ReportMetric(float64(h.ValueAtQuantile(99.9)), "p99.9-ns")
}

// latencySink checks and records events on the consumer side.
type latencySink struct {
	h       *hdrhistogram.Histogram
	next    uint64 // expected sequence
	bad     int    // events out of sequence
	dropped int    // values the histogram could not hold
}

func (s *latencySink) record(seq uint64, delay int64) {
	if seq != s.next {
		s.bad++
	}
	s.next = seq + 1
	if s.h.RecordValue(max(delay, 0)) != nil {
		s.dropped++
	}
}

func (s *latencySink) check(b *testing.B, n int) {
	if s.bad != 0 || s.dropped != 0 || s.next != uint64(n) {
		b.Fatalf("%d events out of sequence, %d not recorded, %d of %d received", s.bad, s.dropped, s.next, n)
	}
}

// pace spins until latencyGap has passed since stamp.
func pace(base time.Time, stamp int64) {
	for int64(time.Since(base))-stamp < int64(latencyGap) {
	}
}

func ringLatency(b *testing.B, r *OneToOne[event64], h *hdrhistogram.Histogram) {
	n := b.N
	base := time.Now()
	sink := latencySink{h: h}
	producer := func() {
		var e event64
		for i := range n {
			e.Seq = uint64(i)
			e.Stamp = int64(time.Since(base))
			for !r.TryPush(&e) { // never full when paced
			}
			pace(base, e.Stamp)
		}
	}
	consumer := func() {
		var e event64
		for range n {
			for !r.TryPop(&e) {
			}
			sink.record(e.Seq, int64(time.Since(base))-e.Stamp)
		}
	}
	runPair(b, producer, consumer)
	sink.check(b, n)
}

// chanLatency measures a buffered channel of the same event; with spin the
// consumer polls with a non-blocking receive, otherwise it blocks in <-ch.
func chanLatency(b *testing.B, h *hdrhistogram.Histogram, spin bool) {
	n := b.N
	ch := make(chan event64, latencyCapacity)
	base := time.Now()
	sink := latencySink{h: h}
	producer := func() {
		var e event64
		for i := range n {
			e.Seq = uint64(i)
			e.Stamp = int64(time.Since(base))
			ch <- e
			pace(base, e.Stamp)
		}
	}
	consumer := func() {
		var e event64
		for range n {
			if spin {
			poll:
				for {
					select {
					case e = <-ch:
						break poll
					default:
					}
				}
			} else {
				e = <-ch
			}
			sink.record(e.Seq, int64(time.Since(base))-e.Stamp)
		}
	}
	runPair(b, producer, consumer)
	sink.check(b, n)
}

// pingLine is one counter alone on its cache lines.
type pingLine struct {
	_ [padBytes]byte
	v atomic.Uint64
	_ [padBytes]byte
}

// pingPong bounces a counter between two pinned threads for blocks samples of
// pingBlock round trips and records each sample's one-way time (block time /
// round trips / 2) in h.
func pingPong(b *testing.B, blocks int, h *hdrhistogram.Histogram) {
	var line pingLine
	var dropped int
	initiator := func() {
		var v uint64
		for range blocks {
			start := time.Now()
			for range pingBlock {
				v++
				line.v.Store(v) // odd: ping
				v++
				for line.v.Load() != v { // even: pong
				}
			}
			if h.RecordValue(int64(time.Since(start))/(2*pingBlock)) != nil {
				dropped++
			}
		}
	}
	echo := func() {
		for v := uint64(1); v < uint64(2*blocks*pingBlock); v += 2 {
			for line.v.Load() != v {
			}
			line.v.Store(v + 1)
		}
	}
	runPair(b, initiator, echo)
	if dropped != 0 {
		b.Fatalf("%d ping-pong samples out of the histogram's range", dropped)
	}
}

// clockCost returns the median cost in ns of one time.Since call, over
// samples of 1000 calls.
func clockCost() int64 {
	const calls = 1000
	h := newLatencyHistogram()
	base := time.Now()
	var sink time.Duration
	for range 200 {
		start := time.Now()
		for range calls {
			sink += time.Since(base)
		}
		h.RecordValue(int64(time.Since(start)) / calls)
	}
	if sink == 0 {
		return -1
	}
	return h.ValueAtQuantile(50)
}
