package journal

import (
	"fmt"
	"sync"
	"time"

	"ems/journal/internal/mfile"
)

// syncer is the background goroutine that retires the segments the writer
// leaves behind (msync of the whole segment, munmap, close: tearing down a
// large populated mapping costs a TLB shootdown the writer should not pay) and,
// with Options.FlushInterval, msyncs the active segment on a timer.
//
// The writer hands a segment over with retire and never touches it again.
// Only this goroutine unmaps handed-over segments, so the flusher may msync
// the active segment without racing an unmap; the writer unmaps the active
// segment itself only after close has stopped this goroutine.
type syncer struct {
	mu      sync.Mutex
	queue   []*segment // retired, not yet synced; guarded by mu
	current *segment   // the writer's active segment; guarded by mu
	err     error      // first error met; guarded by mu

	pending sync.WaitGroup // one count per retired segment not yet synced
	kick    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

func startSyncer(current *segment, interval time.Duration) *syncer {
	s := &syncer{
		current: current,
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go s.run(interval)
	return s
}

func (s *syncer) run(interval time.Duration) {
	defer close(s.done)
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-s.kick:
			s.drain()
		case <-tick:
			s.drain()
			s.flush()
		case <-s.stop:
			s.drain()
			return
		}
	}
}

// retire hands old over to be synced and released, and records next as the
// active segment. Writer goroutine only.
func (s *syncer) retire(old, next *segment) {
	s.pending.Add(1)
	s.mu.Lock()
	s.queue = append(s.queue, old)
	s.current = next
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// setCurrent records the active segment when there is none to retire.
func (s *syncer) setCurrent(cur *segment) {
	s.mu.Lock()
	s.current = cur
	s.mu.Unlock()
}

// wait blocks until every segment retired so far is synced and returns the
// first error the syncer met. Writer goroutine only.
func (s *syncer) wait() error {
	s.pending.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// close stops the goroutine after it has synced every retired segment.
func (s *syncer) close() error {
	close(s.stop)
	<-s.done
	return s.wait()
}

func (s *syncer) drain() {
	s.mu.Lock()
	q := s.queue
	s.queue = nil
	s.mu.Unlock()
	for _, seg := range q {
		err := mfile.Sync(seg.data, 0, len(seg.data))
		if err != nil {
			err = fmt.Errorf("journal: msync %s: %w", seg.path, err)
		}
		if e := seg.close(); e != nil && err == nil {
			err = fmt.Errorf("journal: close %s: %w", seg.path, e)
		}
		s.fail(err)
		s.pending.Done()
	}
}

// flush msyncs the whole active segment; only its dirty pages are written.
func (s *syncer) flush() {
	s.mu.Lock()
	cur := s.current
	s.mu.Unlock()
	if cur == nil {
		return
	}
	if err := mfile.Sync(cur.data, 0, len(cur.data)); err != nil {
		s.fail(fmt.Errorf("journal: msync %s: %w", cur.path, err))
	}
}

func (s *syncer) fail(err error) {
	if err == nil {
		return
	}
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}
