package ring

import (
	"runtime"
	"sync"
	"testing"
)

// Benchmarks run a producer and a consumer on two goroutines, each locked to
// its own OS thread and pinned to CPU 0 and CPU 1 where the host allows.

const (
	producerCPU = 0
	consumerCPU = 1
)

// runPair runs producer and consumer on two fresh pinned threads, starting
// both together, and returns when both have finished. The threads end with
// their goroutines.
func runPair(tb testing.TB, producer, consumer func()) {
	tb.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	run := func(cpu int, f func()) {
		defer wg.Done()
		if _, err := pinThread(cpu); err != nil {
			tb.Error(err)
		}
		<-start
		f()
	}
	wg.Add(2)
	go run(producerCPU, producer)
	go run(consumerCPU, consumer)
	close(start)
	wg.Wait()
}

// twoCPUs reports whether two threads can spin at the same time without
// taking turns on one CPU.
func twoCPUs() bool {
	return runtime.NumCPU() >= 2 && runtime.GOMAXPROCS(0) >= 2
}
