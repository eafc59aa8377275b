package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cespare/xxhash/v2"

	"ems/journal/internal/atomicle"
	"ems/journal/internal/mfile"
)

// Record is one record as a Reader returns it.
type Record struct {
	Type      uint16
	Seq       uint64
	Timestamp int64
	// Payload points into the segment's read-only mapping (zero copy). It
	// is valid until the next call to Next or Close and must not be
	// written (the write faults).
	Payload []byte
	Segment uint64 // index of the segment holding the record
	Offset  int64  // byte offset of the record in its segment file
}

// Reader reads the records of a journal directory or of one segment file, in
// order, verifying every checksum. It maps segments read-only and shares the
// writer's page cache, so it works in the writer's process or any other, while
// the writer runs.
//
// A Reader is not safe for concurrent use: one goroutine owns it. Any number
// of Readers may read one journal.
type Reader struct {
	dir    string // journal directory; "" when reading a single segment file
	follow bool   // OpenTail: ErrNoData instead of io.EOF at the end
	seg    *segment
	hdr    segmentHeader
	off    int
	opened int  // segments opened so far
	sealed bool // single segment file: its seal was read
	closed bool
}

// OpenReader opens path, a journal directory or a single segment file, for
// reading from the first record. Next returns io.EOF after the last record
// written so far. In a directory the Reader starts at the oldest segment and
// follows the seals from segment to segment; in a single file it stops at the
// seal.
func OpenReader(path string) (*Reader, error) { return openReader(path, false) }

// OpenTail opens path like OpenReader for tailing a journal being written:
// at the end of the data Next returns ErrNoData instead of io.EOF, and a later
// call continues with whatever the writer has published since, following
// segment rolls (a single segment file still ends at its seal, with io.EOF).
// Records appear only once complete and checksummed. A directory with no
// segment yet is allowed; the Reader waits for the first.
func OpenTail(path string) (*Reader, error) { return openReader(path, true) }

func openReader(path string, follow bool) (*Reader, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	r := &Reader{follow: follow}
	if fi.IsDir() {
		r.dir = path
		if err := r.first(); err != nil && err != io.EOF && err != ErrNoData {
			return nil, err
		}
		return r, nil
	}
	index, named := parseSegmentName(filepath.Base(path))
	seg, err := openSegment(path, index, false, true)
	if err != nil {
		return nil, err
	}
	h, reason := parseSegmentHeader(seg.data)
	if reason == "" && named && h.index != index {
		reason = fmt.Sprintf("header names segment %d", h.index)
	}
	if reason != "" {
		seg.close()
		return nil, corruptAt(path, 0, reason)
	}
	seg.index = h.index
	r.enter(seg, h)
	return r, nil
}

// first opens the oldest segment of the directory, if there is one yet.
func (r *Reader) first() error {
	idx, err := listSegments(r.dir, false)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		return r.atEnd()
	}
	seg, h, err := openValidSegment(r.dir, idx[0])
	if err != nil {
		return err
	}
	r.enter(seg, h)
	return nil
}

func (r *Reader) enter(seg *segment, h segmentHeader) {
	mfile.AdviseSequential(seg.data)
	r.seg, r.hdr, r.off = seg, h, segmentHeaderSize
	r.opened++
}

func (r *Reader) atEnd() error {
	if r.follow {
		return ErrNoData
	}
	return io.EOF
}

// Next returns the next record. At the end of the data written so far it
// returns io.EOF (OpenReader) or ErrNoData (OpenTail). A damaged record
// yields an error matching ErrTornTail when nothing valid follows it in the
// journal (the tail a crash leaves before recovery) or ErrCorrupt otherwise,
// as a *PositionError naming the segment and offset. Errors do not advance
// the Reader: calling Next again retries the same place.
//
// Next does not allocate, except for its error values and when it moves to
// the next segment.
func (r *Reader) Next() (Record, error) {
	// Fast path: an intact record other than a seal. The same checks as
	// checkRecord; anything else goes the long way.
	if seg := r.seg; seg != nil {
		data, off := seg.data, r.off
		if off <= len(data)-RecordOverhead {
			n := int(atomicle.Load32(data[off:]))
			if n >= RecordOverhead && n&7 == 0 && n <= len(data)-off {
				rec := data[off : off+n : off+n]
				head := binary.LittleEndian.Uint64(rec)
				typ, pad := uint16(head>>32), int(head>>48)
				if typ != TypeSeal && pad <= flagPadMask && pad <= n-RecordOverhead &&
					xxhash.Sum64(rec[:n-recTrailer]) == binary.LittleEndian.Uint64(rec[n-recTrailer:]) {
					r.off = off + n
					return Record{
						Type:      typ,
						Seq:       binary.LittleEndian.Uint64(rec[recOffSeq:]),
						Timestamp: int64(binary.LittleEndian.Uint64(rec[recOffTime:])),
						Payload:   rec[recHeaderSize : n-recTrailer-pad],
						Segment:   seg.index,
						Offset:    int64(off),
					}, nil
				}
			}
		}
	}
	return r.next()
}

// next is Next's general path: seals, the end of the data, damage.
func (r *Reader) next() (Record, error) {
	for {
		if r.seg == nil {
			if r.closed {
				return Record{}, ErrClosed
			}
			if err := r.first(); err != nil {
				return Record{}, err
			}
			continue
		}
		data, off := r.seg.data, r.off
		n, reason := checkRecord(data, off)
		if n == 0 {
			if reason != "" {
				return Record{}, r.damaged(off, reason)
			}
			if err := r.end(off); err != nil {
				return Record{}, err
			}
			continue
		}
		rec := data[off : off+n : off+n]
		typ := binary.LittleEndian.Uint16(rec[recOffType:])
		if typ == TypeSeal {
			if err := r.advance(off, n); err != nil {
				return Record{}, err
			}
			continue
		}
		pad := int(rec[recOffFlags] & flagPadMask)
		r.off = off + n
		return Record{
			Type:      typ,
			Seq:       binary.LittleEndian.Uint64(rec[recOffSeq:]),
			Timestamp: int64(binary.LittleEndian.Uint64(rec[recOffTime:])),
			Payload:   rec[recHeaderSize : n-recTrailer-pad],
			Segment:   r.seg.index,
			Offset:    int64(off),
		}, nil
	}
}

// end handles a zero length word at off. It returns nil when reading can go
// on (a record appeared meanwhile), else io.EOF, ErrNoData or ErrCorrupt.
//
// A tailing reader just waits. A reader going to the end makes sure the end
// is real: no valid record may follow in this segment (that would be a hole
// in the data, not its end), and in a directory the next segment must not
// hold records. Bytes without a valid record after off are not an error here:
// they are the record the writer is filling right now, or a torn tail that
// Verify reports and Open truncates.
func (r *Reader) end(off int) error {
	if r.sealed {
		return io.EOF
	}
	if r.follow {
		return ErrNoData
	}
	data := r.seg.data
	reason := ""
	if v := findValid(data, off+8, lastNonZero(data, off)); v >= 0 {
		reason = fmt.Sprintf("no record here but a valid record follows at offset %d", v)
	} else if r.laterData() {
		reason = fmt.Sprintf("segment ends without a seal but segment %d holds records", r.seg.index+1)
	} else {
		return io.EOF
	}
	// The writer may have published at off since we looked: it writes in
	// order, so whatever we saw after off implies off is visible by now.
	if n, bad := checkRecord(data, off); n != 0 || bad != "" {
		return nil
	}
	return corruptAt(r.seg.path, off, reason)
}

// laterData reports whether segment index+1 of the directory exists and holds
// records.
func (r *Reader) laterData() bool {
	if r.dir == "" {
		return false
	}
	seg, _, err := openValidSegment(r.dir, r.seg.index+1)
	if err != nil {
		_, statErr := os.Stat(filepath.Join(r.dir, segmentName(r.seg.index+1)))
		return statErr == nil // exists but unreadable: treat as data
	}
	defer seg.close()
	n, reason := checkRecord(seg.data, segmentHeaderSize)
	return n != 0 || reason != ""
}

// advance moves past the seal at off to the next segment.
func (r *Reader) advance(off, n int) error {
	if off+n != len(r.seg.data) && lastNonZero(r.seg.data, off+n) > off+n {
		return corruptAt(r.seg.path, off+n, "bytes after the segment seal")
	}
	if r.dir == "" {
		r.off, r.sealed = off+n, true
		return io.EOF
	}
	next, h, err := openValidSegment(r.dir, r.seg.index+1)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return corruptAt(r.seg.path, off, fmt.Sprintf("segment is sealed but segment %d is missing", r.seg.index+1))
		}
		return err
	}
	r.seg.close()
	r.enter(next, h)
	return nil
}

// damaged classifies a bad record at off.
func (r *Reader) damaged(off int, reason string) error {
	data := r.seg.data
	e := &PositionError{Err: ErrTornTail, Segment: r.seg.path, Offset: int64(off), Reason: reason}
	if v := findValid(data, off+8, lastNonZero(data, off)); v >= 0 {
		e.Err = ErrCorrupt
		e.Reason = fmt.Sprintf("%s; a valid record follows at offset %d", reason, v)
	} else if r.laterData() {
		e.Err = ErrCorrupt
		e.Reason = reason + "; a later segment holds records"
	}
	return e
}

// Close releases the Reader's mapping. Payloads returned by Next become
// invalid.
func (r *Reader) Close() error {
	r.closed = true
	if r.seg == nil {
		return nil
	}
	err := r.seg.close()
	r.seg = nil
	return err
}
