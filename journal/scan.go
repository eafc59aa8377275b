package journal

import (
	"encoding/binary"
	"fmt"
)

// segmentScan is what one pass over a segment's records found. Recovery,
// Verify and the Reader's error path use it to tell a torn tail from
// corruption.
type segmentScan struct {
	end       int   // offset just past the last valid record (seal included)
	records   int64 // valid records, the seal excluded
	sealed    bool  // a seal was found (at end-sealSize)
	firstSeq  uint64
	lastSeq   uint64 // of the last record, or carried by the seal
	lastTime  int64
	firstTime int64
	disorder  int // offset of the first record whose sequence does not increase, or -1

	// Set when bytes at or after end are not all zero.
	bad       bool
	reason    string // why the bytes at end are not a record
	dirtyEnd  int    // one past the last non-zero byte
	nextValid int    // offset of a valid record after end, or -1
}

// hasContent reports whether the segment holds anything beyond its header.
func (s *segmentScan) hasContent() bool { return s.records > 0 || s.sealed || s.bad }

// scanSegment reads every record of data, a whole segment file with a valid
// header, and examines what follows the last valid one.
func scanSegment(data []byte) segmentScan {
	s := segmentScan{end: segmentHeaderSize, nextValid: -1, disorder: -1}
	off := segmentHeaderSize
	for {
		n, reason := checkRecord(data, off)
		if n == 0 {
			s.reason = reason
			break
		}
		typ := binary.LittleEndian.Uint16(data[off+recOffType:])
		seq := binary.LittleEndian.Uint64(data[off+recOffSeq:])
		ts := int64(binary.LittleEndian.Uint64(data[off+recOffTime:]))
		if s.records > 0 && seq <= s.lastSeq && typ != TypeSeal && s.disorder < 0 {
			s.disorder = off
		}
		off += n
		s.end = off
		if typ == TypeSeal {
			s.sealed = true
			if s.records == 0 {
				s.lastSeq, s.lastTime = seq, ts
			}
			break
		}
		if s.records == 0 {
			s.firstSeq, s.firstTime = seq, ts
		}
		s.records++
		s.lastSeq, s.lastTime = seq, ts
	}
	if dirty := lastNonZero(data, s.end); dirty > s.end {
		s.bad = true
		s.dirtyEnd = dirty
		switch {
		case s.sealed:
			s.reason = "bytes after the segment seal"
		case s.reason == "":
			s.reason = "bytes after the end of the data (a record without its length word)"
		}
		s.nextValid = findValid(data, s.end+8, dirty)
	}
	return s
}

// problem classifies the bytes after the valid records of the segment at
// path. later reports that a later segment holds data. It returns nil when
// they are all zero, an ErrTornTail PositionError when the damage is at the
// very end of the journal's data, and an ErrCorrupt one otherwise.
func (s *segmentScan) problem(path string, later bool) *PositionError {
	if !s.bad {
		return nil
	}
	e := &PositionError{Err: ErrTornTail, Segment: path, Offset: int64(s.end), Reason: s.reason}
	switch {
	case s.sealed:
		e.Err = ErrCorrupt
	case s.nextValid >= 0:
		e.Err = ErrCorrupt
		e.Reason = fmt.Sprintf("%s; a valid record follows at offset %d", s.reason, s.nextValid)
	case later:
		e.Err = ErrCorrupt
		e.Reason = s.reason + "; a later segment holds records"
	}
	return e
}

// findValid returns the offset of the first valid record starting at an
// 8-aligned offset in [from, to), or -1. It resynchronises after damage to
// tell a torn tail (nothing valid after it) from corruption in the middle.
func findValid(data []byte, from, to int) int {
	from = (from + 7) &^ 7
	for off := from; off < to && off <= len(data)-RecordOverhead; off += 8 {
		if n, _ := checkRecord(data, off); n != 0 {
			return off
		}
	}
	return -1
}

// lastNonZero returns one past the offset of the last non-zero byte of
// data[from:], or from when they are all zero.
func lastNonZero(data []byte, from int) int {
	i := len(data)
	for i > from && i&7 != 0 {
		if data[i-1] != 0 {
			return i
		}
		i--
	}
	for i-8 >= from {
		if binary.LittleEndian.Uint64(data[i-8:]) != 0 {
			break
		}
		i -= 8
	}
	for i > from {
		if data[i-1] != 0 {
			return i
		}
		i--
	}
	return from
}
