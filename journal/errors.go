package journal

import (
	"errors"
	"fmt"
)

// Sentinel errors. Test for them with errors.Is.
var (
	// ErrCorrupt reports damage a crash cannot explain: a bad record
	// followed by valid data (later in the segment or in a later segment),
	// bytes after a seal, a bad segment header, a missing segment. The
	// journal refuses to go on; nothing is skipped or truncated. It arrives
	// wrapped in a *PositionError naming the segment file and offset.
	ErrCorrupt = errors.New("journal: corrupt")

	// ErrTornTail reports a damaged record, or bytes without a record, at the
	// very end of the written data with nothing valid after it: what a power
	// failure leaves behind when pages written after the last Sync are lost
	// or partly written. Open truncates it (see RecoveryReport); a Reader
	// stops before it. It arrives wrapped in a *PositionError.
	ErrTornTail = errors.New("journal: torn tail")

	// ErrNoData is returned by a tailing Reader (OpenTail) that has read
	// every complete record written so far. Call Next again later.
	ErrNoData = errors.New("journal: no data yet")

	// ErrTooLarge reports a record that does not fit in an empty segment.
	ErrTooLarge = errors.New("journal: record too large for the segment size")

	// ErrSequence reports a sequence not greater than the last one appended.
	ErrSequence = errors.New("journal: sequence not increasing")

	// ErrReservedType reports an attempt to append a record of type
	// TypeSeal.
	ErrReservedType = errors.New("journal: record type 0xFFFF is reserved")

	// ErrNoClaim reports a Commit without an outstanding Claim.
	ErrNoClaim = errors.New("journal: commit without a claim")

	// ErrClosed reports use of a closed Writer or Reader.
	ErrClosed = errors.New("journal: closed")

	// ErrLocked reports a journal directory another Writer holds open.
	ErrLocked = errors.New("journal: directory locked by another writer")

	// ErrOptions reports invalid Options.
	ErrOptions = errors.New("journal: invalid options")
)

// PositionError locates a torn tail or a corruption. Err is ErrCorrupt or
// ErrTornTail; errors.Is sees through to it.
type PositionError struct {
	Err     error  // ErrCorrupt or ErrTornTail
	Segment string // path of the segment file
	Offset  int64  // byte offset in the segment file
	Reason  string // what was wrong there
}

// Error returns, for example,
// "journal: corrupt: dir/00000000000000000003.seg offset 4096: checksum mismatch".
func (e *PositionError) Error() string {
	return fmt.Sprintf("%v: %s offset %d: %s", e.Err, e.Segment, e.Offset, e.Reason)
}

// Unwrap returns Err.
func (e *PositionError) Unwrap() error { return e.Err }

// corruptAt returns an ErrCorrupt PositionError.
func corruptAt(path string, off int, reason string) *PositionError {
	return &PositionError{Err: ErrCorrupt, Segment: path, Offset: int64(off), Reason: reason}
}
