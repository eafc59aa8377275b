package journal

import (
	"os"

	"ems/journal/internal/mfile"
)

// preparer is the background goroutine that creates the next segment ahead
// of the writer, so that a roll costs a channel receive instead of a file
// creation, an fallocate, a few fsyncs and one page fault per page.
//
// It prepares one segment (see prepareSegment), then blocks until the writer
// takes it, then prepares the next: at most one segment is ever ready. If the
// writer rolls faster than segments can be prepared, the roll waits. A failed
// preparation is handed to the writer as an error (its roll fails) and is
// retried at the writer's next roll.
//
// The preparer goroutine owns a segment from its creation until the writer
// receives it on ready.
type preparer struct {
	dir   *os.File     // the journal directory; shared, read-only use
	size  int64        // size of each new segment
	clock func() int64 // created-at source, called on this goroutine only

	ready chan prepared
	stop  chan struct{}
	done  chan struct{}
}

// prepared is one preparation's outcome.
type prepared struct {
	seg *segment
	err error
}

// startPreparer starts preparing segments from index first on.
func startPreparer(dir *os.File, first uint64, size int64, clock func() int64) *preparer {
	p := &preparer{
		dir:   dir,
		size:  size,
		clock: clock,
		ready: make(chan prepared),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go p.run(first)
	return p
}

func (p *preparer) run(index uint64) {
	defer close(p.done)
	for {
		var createdAt int64
		if p.clock != nil {
			createdAt = p.clock()
		}
		seg, err := prepareSegment(p.dir, index, p.size, createdAt)
		select {
		case p.ready <- prepared{seg, err}:
			if err == nil {
				index++
			}
		case <-p.stop:
			if seg != nil {
				// Never handed over: nobody has written to it. Remove it so
				// the directory ends with the writer's last segment.
				seg.discard()
				_ = mfile.SyncDir(p.dir)
			}
			return
		}
	}
}

// take returns the next prepared segment, waiting for it if needed. The
// caller owns the segment. Writer goroutine only.
func (p *preparer) take() (*segment, error) {
	select {
	case r := <-p.ready:
		return r.seg, r.err
	case <-p.done:
		return nil, ErrClosed
	}
}

// close stops the preparer, removing a segment it prepared but did not hand
// over, and waits for its goroutine to end.
func (p *preparer) close() {
	close(p.stop)
	<-p.done
}
