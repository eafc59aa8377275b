package journal

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// VerifyReport is what Verify checked.
type VerifyReport struct {
	Segments int   // segment files read
	Records  int64 // valid records, seals excluded
	Bytes    int64 // bytes of those records, headers and checksums included
	FirstSeq uint64
	LastSeq  uint64
	// Problem locates the first torn tail or corruption; nil when the
	// journal is intact. It is also the error Verify returns.
	Problem *PositionError
}

// Verify reads the journal directory or segment file at path from the start
// and checks every record's checksum, every segment header, that segments are
// contiguous and sealed, that sequences strictly increase, that each
// segment's base fields match its first record, and that the bytes after the
// last record are zero. It stops at the first problem and returns it (an
// error matching ErrTornTail or ErrCorrupt, also in the report's Problem),
// with the counts up to there. A torn tail is what Open would truncate.
func Verify(path string) (VerifyReport, error) { return verify(path, liveSettle) }

// liveSettle is how long Verify and Stats wait before calling bytes without a
// record at the end of the data a torn tail: on a live journal they may be
// the record the writer is appending at that instant.
const liveSettle = 10 * time.Millisecond

func verify(path string, settle time.Duration) (VerifyReport, error) {
	var rep VerifyReport
	err := walk(path, func(r *Reader, rec *Record) *PositionError {
		if rep.Records > 0 && rec.Seq <= rep.LastSeq {
			return corruptAt(r.seg.path, int(rec.Offset), fmt.Sprintf("sequence %d after %d", rec.Seq, rep.LastSeq))
		}
		if rep.Records == 0 {
			rep.FirstSeq = rec.Seq
		}
		rep.Records++
		rep.Bytes += int64(recordSize(len(rec.Payload)))
		rep.LastSeq = rec.Seq
		return nil
	}, &rep.Segments, settle)
	if err != nil {
		if pe := (*PositionError)(nil); errors.As(err, &pe) {
			rep.Problem = pe
		}
	}
	return rep, err
}

// StatsReport summarises a journal.
type StatsReport struct {
	Segments     int
	Records      int64            // seals excluded
	Bytes        int64            // record bytes, headers and checksums included
	PayloadBytes int64            // payload bytes only
	ByType       map[uint16]int64 // records per type
	FirstSeq     uint64
	LastSeq      uint64
	FirstTime    int64 // smallest timestamp
	LastTime     int64 // largest timestamp
}

// Stats reads the journal directory or segment file at path and counts its
// records by type, with the first and last sequence and timestamp and the
// bytes used. It checks what it reads as Verify does and, at the first
// problem, returns the counts so far with the error.
func Stats(path string) (StatsReport, error) {
	st := StatsReport{ByType: map[uint16]int64{}, FirstTime: math.MaxInt64, LastTime: math.MinInt64}
	err := walk(path, func(r *Reader, rec *Record) *PositionError {
		if st.Records > 0 && rec.Seq <= st.LastSeq {
			return corruptAt(r.seg.path, int(rec.Offset), fmt.Sprintf("sequence %d after %d", rec.Seq, st.LastSeq))
		}
		if st.Records == 0 {
			st.FirstSeq = rec.Seq
		}
		st.Records++
		st.Bytes += int64(recordSize(len(rec.Payload)))
		st.PayloadBytes += int64(len(rec.Payload))
		st.ByType[rec.Type]++
		st.LastSeq = rec.Seq
		st.FirstTime = min(st.FirstTime, rec.Timestamp)
		st.LastTime = max(st.LastTime, rec.Timestamp)
		return nil
	}, &st.Segments, liveSettle)
	if st.Records == 0 {
		st.FirstTime, st.LastTime = 0, 0
	}
	return st, err
}

// walk reads every record at path with a Reader, calling visit for each, and
// checks the structure around them: base fields, the zero bytes after the
// data, and that no later segment holds data. segments receives the number
// of segment files read. Bytes after the end of the data are looked at twice,
// settle apart, before they count as a torn tail.
func walk(path string, visit func(*Reader, *Record) *PositionError, segments *int, settle time.Duration) error {
	r, err := OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	extra := 0
	defer func() { *segments = r.opened + extra }()
	retried := false
	for {
		rec, err := r.Next()
		if err == io.EOF {
			if r.seg == nil {
				return nil // a directory without segments
			}
			// At the end of the data: what follows must be zero.
			data, off := r.seg.data, r.off
			dirty := lastNonZero(data, off)
			if dirty == off {
				break
			}
			if !retried {
				// On a live journal those bytes may be the record being
				// appended right now: look once more a little later.
				retried = true
				time.Sleep(settle)
				continue
			}
			// Next found no valid record after them (that would be
			// ErrCorrupt): a torn tail.
			return &PositionError{Err: ErrTornTail, Segment: r.seg.path, Offset: int64(off),
				Reason: "bytes after the end of the data (a record without its length word)"}
		}
		if err != nil {
			return err
		}
		retried = false
		if rec.Offset == segmentHeaderSize {
			if !r.hdr.based || r.hdr.baseSeq != rec.Seq || r.hdr.baseTime != rec.Timestamp {
				return corruptAt(r.seg.path, hdrOffBaseSeq, "base fields do not match the first record")
			}
		}
		if pe := visit(r, &rec); pe != nil {
			return pe
		}
	}
	if r.dir == "" {
		return nil
	}
	// No segment after the one we stopped in may hold data.
	idx, err := listSegments(r.dir, false)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if i <= r.seg.index {
			continue
		}
		seg, _, err := openValidSegment(r.dir, i)
		if err != nil {
			return err
		}
		extra++
		sc := scanSegment(seg.data)
		seg.close()
		if sc.hasContent() {
			return corruptAt(r.seg.path, r.off, fmt.Sprintf("data ends here but segment %d holds records", i))
		}
	}
	return nil
}
