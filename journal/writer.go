package journal

import (
	"errors"
	"fmt"
	"os"
	"time"

	"ems/journal/internal/mfile"
)

// Options configures a Writer. The zero value is usable.
type Options struct {
	// SegmentSize is the length in bytes of each new segment file: a
	// multiple of the page size in [MinSegmentSize, MaxSegmentSize]. Zero
	// means DefaultSegmentSize (64 MiB). Existing segments keep their size.
	SegmentSize int64

	// FlushInterval, when positive, makes a background goroutine msync the
	// active segment at this interval, so that records reach the disk
	// without the writer calling Sync. Zero: only Sync, rolls and Close
	// write to disk.
	FlushInterval time.Duration

	// Clock returns the wall time in nanoseconds written as a segment's
	// created-at. It is called on the preparer goroutine when a segment is
	// made, never from Append. Nil writes 0.
	Clock func() int64
}

func (o Options) validate() (Options, error) {
	if o.SegmentSize == 0 {
		o.SegmentSize = DefaultSegmentSize
	}
	ps := int64(os.Getpagesize())
	if o.SegmentSize < MinSegmentSize || o.SegmentSize > MaxSegmentSize || o.SegmentSize%ps != 0 {
		return o, fmt.Errorf("%w: SegmentSize %d not a multiple of %d in [%d, %d]",
			ErrOptions, o.SegmentSize, ps, MinSegmentSize, MaxSegmentSize)
	}
	if o.FlushInterval < 0 {
		return o, fmt.Errorf("%w: negative FlushInterval", ErrOptions)
	}
	return o, nil
}

// Writer appends records to a journal directory.
//
// A Writer is owned by one goroutine: Append, Claim, Commit, Sync, Close,
// LastSeq and Recovery must all be called from it (or handed over with a
// synchronisation such as a channel send). It is the journal's single writer;
// a second Writer on the same directory, in this process or another, fails
// with ErrLocked. Besides the owner, a Writer runs two goroutines of its own:
// the preparer (creates the next segment ahead of time) and the syncer
// (syncs and releases segments left behind, and flushes on
// Options.FlushInterval). Neither touches the records being written.
type Writer struct {
	// Hot state, owned by the writer goroutine.
	data     []byte // mapping of the active segment; nil once closed
	off      int    // where the next record starts in data
	limit    int    // len(data) - sealSize: every record ends at or before it
	claim    int    // payload length of the outstanding Claim, -1 if none
	lastSeq  uint64
	lastTime int64
	hasLast  bool

	// INVARIANT: every byte of data from off on is zero, except the
	// payload of an outstanding claim.

	cur       *segment // the active segment; nil once closed
	synced    int      // cur is synced below this offset
	maxRecord int      // largest record a new segment holds

	dir      *os.File // the locked journal directory
	prep     *preparer
	syncer   *syncer
	recovery RecoveryReport
	closed   bool
}

// Open opens the journal in dir for appending, creating dir and the first
// segment if needed.
//
// On an existing journal it recovers first: it scans the newest segment that
// holds data. A torn tail there (a damaged record, or bytes without a length
// word, at the very end with nothing valid after it: what a crash or power
// loss leaves behind) is zeroed and described in Recovery(). Damage followed
// by valid data is not a torn tail: Open then fails with an error matching
// ErrCorrupt that names the segment file and offset, and changes nothing.
// Empty segments after the last one written are removed (or reused). Every
// existing segment is fdatasynced. Appending continues after the last valid
// record; LastSeq returns its sequence.
func Open(dir string, opts Options) (*Writer, error) {
	opts, err := opts.validate()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	d, err := mfile.LockDir(dir)
	if err != nil {
		if errors.Is(err, mfile.ErrLocked) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
		}
		return nil, fmt.Errorf("journal: %w", err)
	}
	indexes, err := listSegments(dir, true)
	if err != nil {
		d.Close()
		return nil, err
	}
	res, err := recoverJournal(dir, indexes)
	if err != nil {
		d.Close()
		return nil, err
	}
	if len(res.report.Removed) > 0 {
		if err := mfile.SyncDir(d); err != nil {
			if res.active != nil {
				res.active.close()
			}
			d.Close()
			return nil, fmt.Errorf("journal: %w", err)
		}
	}
	w := &Writer{
		claim:     -1,
		lastSeq:   res.lastSeq,
		lastTime:  res.lastTime,
		hasLast:   res.hasLast,
		maxRecord: int(opts.SegmentSize) - segmentHeaderSize - sealSize,
		dir:       d,
		recovery:  res.report,
	}
	w.prep = startPreparer(d, res.next, opts.SegmentSize, opts.Clock)
	seg, off := res.active, res.off
	if seg != nil {
		mfile.Prefault(seg.data, off)
	} else if seg, err = w.prep.take(); err != nil {
		w.prep.close()
		d.Close()
		return nil, err
	} else {
		off = segmentHeaderSize
	}
	w.setActive(seg, off)
	w.syncer = startSyncer(seg, opts.FlushInterval)
	return w, nil
}

func (w *Writer) setActive(seg *segment, off int) {
	w.cur, w.data, w.off, w.limit, w.synced = seg, seg.data, off, len(seg.data)-sealSize, 0
}

// Recovery returns what Open found and repaired.
func (w *Writer) Recovery() RecoveryReport { return w.recovery }

// LastSeq returns the sequence of the last record appended (by this Writer or
// before it) and whether there is one.
func (w *Writer) LastSeq() (uint64, bool) { return w.lastSeq, w.hasLast }

// Append copies payload into the journal as one record with the given type,
// sequence and timestamp, and publishes it: from the moment Append returns,
// readers in any process see it, and it survives the process crashing. It
// survives a power loss only once Sync (or the flusher) has run after it.
//
// Append does not allocate, does no system call and takes no lock, except
// when the record does not fit in the active segment: then it seals the
// segment and moves to the next one (prepared ahead by the background
// preparer; Append waits if it is not ready yet).
//
// REQUIRES: typ != TypeSeal; seq greater than every sequence appended before
// (ErrSequence otherwise); recordSize(len(payload)) fits in an empty segment
// (ErrTooLarge otherwise). Writer goroutine only.
func (w *Writer) Append(typ uint16, seq uint64, ts int64, payload []byte) error {
	if err := w.check(typ, seq); err != nil {
		return err
	}
	if w.claim >= 0 {
		w.dropClaim()
	}
	n := len(payload)
	size := recordSize(n)
	if size > w.limit-w.off {
		if err := w.roll(size); err != nil {
			return err
		}
	}
	off := w.off
	if off == segmentHeaderSize {
		putBase(w.data, seq, ts)
	}
	putRecord(w.data[off:off+size:off+size], typ, seq, ts, payload)
	w.off = off + size
	w.lastSeq, w.lastTime, w.hasLast = seq, ts, true
	return nil
}

// Claim reserves room for a record with an n-byte payload and returns the
// payload's bytes, in the mapping itself: write the payload there, then call
// Commit. Nothing is visible to readers before Commit. The slice is valid
// until the next Commit, Claim, Append or Close; a Claim or Append before
// Commit abandons the claim (its bytes are zeroed). Claim may roll to a new
// segment, like Append. The bytes start zeroed.
//
// Writer goroutine only.
func (w *Writer) Claim(n int) ([]byte, error) {
	if w.claim >= 0 {
		w.dropClaim()
	}
	if n < 0 || n > w.maxRecord {
		return nil, fmt.Errorf("%w: payload of %d bytes", ErrTooLarge, n)
	}
	size := recordSize(n)
	if size > w.limit-w.off {
		if err := w.roll(size); err != nil {
			return nil, err
		}
	}
	w.claim = n
	p := w.off + recHeaderSize
	return w.data[p : p+n : p+n], nil
}

// Commit publishes the claimed record with the given type, sequence and
// timestamp, as Append does. On ErrSequence or ErrReservedType the claim
// stays outstanding and Commit may be called again.
//
// REQUIRES: an outstanding Claim (ErrNoClaim otherwise). Writer goroutine
// only.
func (w *Writer) Commit(typ uint16, seq uint64, ts int64) error {
	n := w.claim
	if n < 0 {
		return ErrNoClaim
	}
	if err := w.check(typ, seq); err != nil {
		return err
	}
	w.claim = -1
	off := w.off
	if off == segmentHeaderSize {
		putBase(w.data, seq, ts)
	}
	size := recordSize(n)
	rec := w.data[off : off+size : off+size]
	putRecord(rec, typ, seq, ts, rec[recHeaderSize:recHeaderSize+n])
	w.off = off + size
	w.lastSeq, w.lastTime, w.hasLast = seq, ts, true
	return nil
}

// check validates a record's type and sequence. Small enough to inline;
// the error path is not.
func (w *Writer) check(typ uint16, seq uint64) error {
	if typ == TypeSeal || w.hasLast && seq <= w.lastSeq {
		return w.checkError(typ, seq)
	}
	return nil
}

func (w *Writer) checkError(typ uint16, seq uint64) error {
	if typ == TypeSeal {
		return ErrReservedType
	}
	return fmt.Errorf("%w: %d after %d", ErrSequence, seq, w.lastSeq)
}

// dropClaim zeroes the payload of an abandoned claim, restoring the
// invariant that everything after off is zero.
func (w *Writer) dropClaim() {
	p := w.off + recHeaderSize
	clear(w.data[p : p+w.claim])
	w.claim = -1
}

// roll seals the active segment and moves to the next one.
func (w *Writer) roll(size int) error {
	if w.closed {
		return ErrClosed
	}
	if size > w.maxRecord {
		return fmt.Errorf("%w: record of %d bytes, a segment holds at most %d", ErrTooLarge, size, w.maxRecord)
	}
	next, err := w.prep.take()
	if err != nil {
		return err
	}
	// The next segment exists (renamed into place) before the seal is
	// published, so a reader that meets the seal can always open it.
	writeRecord(w.data[w.off:w.off+sealSize:w.off+sealSize], TypeSeal, 0, w.lastSeq, w.lastTime)
	w.syncer.retire(w.cur, next)
	w.setActive(next, segmentHeaderSize)
	return nil
}

// Sync makes every record appended so far durable: it waits until the
// segments left behind by rolls are synced, then msyncs the part of the
// active segment written since the last Sync (MS_SYNC, which on Linux is an
// fdatasync of that range). It returns the first error the background syncer
// met, if any. Sync blocks in the kernel for as long as the disk takes: call
// it off the hot path, or use Options.FlushInterval.
//
// Writer goroutine only.
func (w *Writer) Sync() error {
	if w.closed {
		return ErrClosed
	}
	err := w.syncer.wait()
	if e := mfile.Sync(w.data, w.synced, w.off); e != nil {
		if err == nil {
			err = fmt.Errorf("journal: msync %s: %w", w.cur.path, e)
		}
	} else {
		w.synced = w.off
	}
	return err
}

// Close syncs the journal (as Sync), stops the background goroutines,
// removes a segment prepared ahead but never written, releases the mappings
// and the directory lock. The active segment is not sealed: a later Open
// continues in it. Close is idempotent; other methods return ErrClosed after
// it.
//
// Writer goroutine only.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	if w.claim >= 0 {
		w.dropClaim()
	}
	err := w.Sync()
	w.closed = true
	w.prep.close()
	if e := w.syncer.close(); e != nil && err == nil {
		err = e
	}
	if e := w.cur.close(); e != nil && err == nil {
		err = fmt.Errorf("journal: close %s: %w", w.cur.path, e)
	}
	if e := w.dir.Close(); e != nil && err == nil {
		err = fmt.Errorf("journal: %w", e)
	}
	w.cur, w.data, w.off, w.limit = nil, nil, 0, 0
	return err
}
