package ring

import (
	"fmt"
	"testing"
)

// BenchmarkThroughput moves b.N 64-byte events from a producer thread to a
// consumer thread (pinned to CPUs 0 and 1 where possible) and reports
// events/s. The consumer checks the sequence of every event. batch=1 uses
// TryPush and TryPop; batch=64 claims up to 64 slots at a time and the
// consumer takes whatever Peek shows. wait=spin polls without pause (needs two
// CPUs); wait=yield uses SpinThenYield, whose yield on a locked thread is a
// short park (see SpinThenYield). The baseline is a buffered Go channel of the
// same struct and capacity.
func BenchmarkThroughput(b *testing.B) {
	const capacity = 1024
	for _, batch := range []int{1, 64} {
		for _, wait := range []string{"spin", "yield"} {
			b.Run(fmt.Sprintf("impl=ring/batch=%d/wait=%s", batch, wait), func(b *testing.B) {
				if wait == "spin" && !twoCPUs() {
					b.Skip("busy-spinning on both sides needs two CPUs")
				}
				newIdler := func() Idler { return BusySpin{} }
				if wait == "yield" {
					newIdler = func() Idler { return NewSpinThenYield(100) }
				}
				benchRingThroughput(b, capacity, batch, newIdler)
			})
		}
	}
	b.Run("impl=chan/batch=1", func(b *testing.B) {
		benchChanThroughput(b, capacity)
	})
}

func benchRingThroughput(b *testing.B, capacity, batch int, newIdler func() Idler) {
	r := mustNew[event64](b, capacity)
	n := uint64(b.N)
	var bad uint64
	producer := func() {
		idle := newIdler()
		if batch == 1 {
			var e event64
			for seq := uint64(0); seq < n; seq++ {
				e.Seq = seq
				for !r.TryPush(&e) {
					idle.Idle(0)
				}
			}
			return
		}
		for seq := uint64(0); seq < n; {
			s := r.Claim(int(min(uint64(batch), n-seq)))
			if len(s) == 0 {
				idle.Idle(0)
				continue
			}
			for i := range s {
				s[i] = event64{Seq: seq + uint64(i)}
			}
			r.Publish(len(s))
			seq += uint64(len(s))
		}
	}
	consumer := func() {
		idle := newIdler()
		if batch == 1 {
			var e event64
			for seq := uint64(0); seq < n; {
				if !r.TryPop(&e) {
					idle.Idle(0)
					continue
				}
				if e.Seq != seq {
					bad++
				}
				seq++
			}
			return
		}
		for seq := uint64(0); seq < n; {
			s := r.Peek()
			if len(s) == 0 {
				idle.Idle(0)
				continue
			}
			for i := range s {
				if s[i].Seq != seq+uint64(i) {
					bad++
				}
			}
			r.Release(len(s))
			seq += uint64(len(s))
		}
	}
	measureThroughput(b, producer, consumer)
	if bad != 0 {
		b.Fatalf("%d events out of sequence", bad)
	}
}

func benchChanThroughput(b *testing.B, capacity int) {
	ch := make(chan event64, capacity)
	n := uint64(b.N)
	var bad uint64
	producer := func() {
		for seq := uint64(0); seq < n; seq++ {
			ch <- event64{Seq: seq}
		}
	}
	consumer := func() {
		for seq := uint64(0); seq < n; seq++ {
			if e := <-ch; e.Seq != seq {
				bad++
			}
		}
	}
	measureThroughput(b, producer, consumer)
	if bad != 0 {
		b.Fatalf("%d events out of sequence", bad)
	}
}

func measureThroughput(b *testing.B, producer, consumer func()) {
	b.ReportAllocs()
	b.SetBytes(64)
	b.ResetTimer()
	runPair(b, producer, consumer)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
