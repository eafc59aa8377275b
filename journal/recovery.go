package journal

import (
	"fmt"
	"path/filepath"

	"ems/journal/internal/mfile"
)

// RecoveryReport says what Open found at the end of the journal and what it
// changed there. Open never changes anything else.
type RecoveryReport struct {
	// Segment is the path of the newest segment holding data, "" when the
	// journal held none.
	Segment string
	// Records is the number of valid records in Segment.
	Records int64
	// Truncated reports that a torn tail was found and zeroed: Bytes bytes
	// from Offset in Segment, which looked like Reason.
	Truncated bool
	Offset    int64
	Bytes     int64
	Reason    string
	// Removed lists segment files that held no data (prepared ahead but
	// never written) and were deleted.
	Removed []string
}

// resume is where a Writer continues after recovery.
type resume struct {
	active   *segment // segment to continue in; nil to take a new one
	off      int      // where the next record goes in active
	next     uint64   // index of the next segment to prepare
	lastSeq  uint64
	lastTime int64
	hasLast  bool
	report   RecoveryReport
}

// recoverJournal finds the newest segment holding data, scans it, zeroes a
// torn tail, removes empty segments after it and decides where the writer
// resumes. It fails with ErrCorrupt rather than truncate anything that is
// followed by valid data. The caller holds the directory lock.
//
// Only the newest segment with data (and, when that one held nothing but a
// torn tail, the one before it) is scanned; Verify checks the rest.
func recoverJournal(dir string, indexes []uint64) (r resume, err error) {
	type spare struct {
		seg      *segment
		reusable bool // valid header: may become the active segment
	}
	var spares []spare // newest first
	var opened []*segment
	defer func() {
		if err != nil {
			for _, s := range opened {
				s.close()
			}
			r = resume{}
		}
	}()

	var head *segment
	var hh segmentHeader
	var hs segmentScan
	hi := -1
	for i := len(indexes) - 1; i >= 0; i-- {
		path := filepath.Join(dir, segmentName(indexes[i]))
		seg, err := openSegment(path, indexes[i], true, false)
		if err != nil {
			return r, err
		}
		opened = append(opened, seg)
		h, reason := parseSegmentHeader(seg.data)
		if reason == "" && h.index != indexes[i] {
			reason = fmt.Sprintf("header names segment %d", h.index)
		}
		if reason != "" {
			if lastNonZero(seg.data, 0) == 0 {
				spares = append(spares, spare{seg, false})
				continue
			}
			return r, corruptAt(path, 0, reason)
		}
		sc := scanSegment(seg.data)
		if !sc.hasContent() {
			spares = append(spares, spare{seg, true})
			continue
		}
		head, hh, hs, hi = seg, h, sc, i
		break
	}

	var reuse *segment
	if head != nil {
		r.report.Segment = head.path
		r.report.Records = hs.records
		if hs.records > 0 && (!hh.based || hh.baseSeq != hs.firstSeq || hh.baseTime != hs.firstTime) {
			return r, corruptAt(head.path, hdrOffBaseSeq, "base fields do not match the first record")
		}
		if hs.disorder >= 0 {
			return r, corruptAt(head.path, hs.disorder, "sequence does not increase")
		}
		if pe := hs.problem(head.path, false); pe != nil {
			if pe.Err == ErrCorrupt {
				return r, pe
			}
			clear(head.data[hs.end:hs.dirtyEnd])
			if err := mfile.Sync(head.data, hs.end, hs.dirtyEnd); err != nil {
				return r, fmt.Errorf("journal: msync %s: %w", head.path, err)
			}
			r.report.Truncated = true
			r.report.Offset = int64(hs.end)
			r.report.Bytes = int64(hs.dirtyEnd - hs.end)
			r.report.Reason = hs.reason
		}
		switch {
		case hs.records > 0 || hs.sealed:
			r.lastSeq, r.lastTime, r.hasLast = hs.lastSeq, hs.lastTime, true
		case hi > 0:
			// The segment held only a torn tail: the sequence carries over
			// from the one before, which the writer sealed before moving on.
			if r.lastSeq, r.lastTime, err = sealedTail(dir, indexes[hi-1]); err != nil {
				return r, err
			}
			r.hasLast = true
		}
		r.next = head.index + 1
		if !hs.sealed {
			r.active, r.off = head, hs.end
		} else if n := len(spares); n > 0 && spares[n-1].reusable && spares[n-1].seg.index == r.next {
			reuse = spares[n-1].seg
			r.next++
		}
	} else if n := len(spares); n > 0 {
		// No data anywhere: start again in the oldest file.
		r.next = spares[n-1].seg.index
		if spares[n-1].reusable {
			reuse = spares[n-1].seg
			r.next++
		}
	}
	if reuse != nil {
		// An empty segment the writer had already moved into: keep it, so
		// a tailing reader that followed the seal into it keeps working.
		clear(reuse.data[hdrOffBaseSeq:hdrOffReserved])
		r.active, r.off = reuse, segmentHeaderSize
	}

	removed := map[uint64]bool{}
	for _, s := range spares {
		if s.seg == reuse {
			continue
		}
		removed[s.seg.index] = true
		r.report.Removed = append(r.report.Removed, s.seg.path)
		if err := s.seg.discard(); err != nil {
			return r, fmt.Errorf("journal: remove empty segment: %w", err)
		}
	}
	if head != nil && head != r.active {
		head.close()
	}
	opened = nil

	// Records a crashed process appended may still sit in the page cache
	// only. Make them durable now, so that Sync's promise covers them too.
	for _, idx := range indexes {
		if !removed[idx] {
			if err := mfile.SyncFile(filepath.Join(dir, segmentName(idx))); err != nil {
				if r.active != nil {
					r.active.close()
				}
				return r, fmt.Errorf("journal: %w", err)
			}
		}
	}
	return r, nil
}

// sealedTail returns the last sequence and timestamp of segment index, which
// must end with a seal and nothing after it.
func sealedTail(dir string, index uint64) (uint64, int64, error) {
	seg, _, err := openValidSegment(dir, index)
	if err != nil {
		return 0, 0, err
	}
	defer seg.close()
	sc := scanSegment(seg.data)
	if pe := sc.problem(seg.path, true); pe != nil {
		return 0, 0, pe
	}
	if !sc.sealed {
		return 0, 0, corruptAt(seg.path, sc.end, "segment not sealed but a later segment exists")
	}
	return sc.lastSeq, sc.lastTime, nil
}
