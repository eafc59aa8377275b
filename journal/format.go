package journal

// On-disk format, version 1. All integers are little-endian.
//
// A journal is a directory of segment files named by their index, zero-padded
// to 20 digits: DIR/00000000000000000000.seg, DIR/00000000000000000001.seg,
// ... Indexes are contiguous. A segment is created at its full size
// (preallocated, zero-filled) and never grows or shrinks.
//
// Segment file:
//
//	offset  size  field
//	     0     8  magic "EMSJRNL1"
//	     8     4  format version (1)
//	    12     4  header size (128): the first record starts here
//	    16     8  segment index (the number in the file name)
//	    24     8  segment size: the file's length in bytes
//	    32     8  created-at, int64 ns, from Options.Clock (0 when none)
//	    40     8  header checksum: xxhash64 of bytes [0, 40)
//	    48     8  base sequence: the sequence of the segment's first record
//	    56     8  base timestamp: the timestamp of the segment's first record
//	    64     8  base checksum: xxhash64 of bytes [48, 64); 0 until the first
//	              record is written (written just before that record)
//	    72    56  reserved, zero
//	   128     …  records, back to back; each starts 8-byte aligned
//	     …     …  zero up to the end of the file
//
// Record:
//
//	0        4        6        8                16               24
//	+--------+--------+--------+----------------+----------------+- - - - - - - - -+----------------+
//	| length |  type  | flags  |    sequence    |   timestamp    |     payload     |    checksum    |
//	|  u32   |  u16   |  u16   |      u64       |    i64 (ns)    | + 0..7 zero pad |      u64       |
//	+--------+--------+--------+----------------+----------------+- - - - - - - - -+----------------+
//	|<---------------------- xxhash64 (seed 0) over bytes [0, length-8) --------------------->|
//	0                                                            24           length-8       length
//
//	length     the whole record in bytes: 32 + payload rounded up to 8. A
//	           multiple of 8, at least 32. A length word of 0 where a record
//	           would start marks the end of the data written so far.
//	type       chosen by the caller; 0xFFFF (TypeSeal) is reserved.
//	flags      bits 0-2: number of zero padding bytes after the payload, so
//	           payload length = length - 32 - pad. Bits 3-15: zero.
//	sequence   chosen by the caller, strictly increasing across the journal.
//	timestamp  chosen by the caller (the time the event entered the process).
//	checksum   covers the length word too.
//
// Publication: the writer fills bytes [4, length) first and stores the length
// word last, with a release store. A reader loads the length word with an
// acquire load; once it is non-zero the whole record is there. A process crash therefore
// never leaves a record with a length but without its body; only a lost page
// after a power failure (or a damaged disk) can, which is what a torn tail is.
//
// Seal: when the next record does not fit, the writer ends the segment with a
// seal record (type 0xFFFF, no payload, the sequence and timestamp of the last
// record written before it) and continues in the next segment. The writer
// always keeps 32 bytes free for the seal. A reader that meets the seal moves
// to segment index+1, which the writer creates before it writes the seal.

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/cespare/xxhash/v2"

	"ems/journal/internal/atomicle"
)

// Format constants. They are part of the on-disk format: changing any of them
// makes existing journals unreadable.
const (
	segmentMagic      = "EMSJRNL1"
	formatVersion     = 1
	segmentHeaderSize = 128

	hdrOffVersion    = 8
	hdrOffHeaderSize = 12
	hdrOffIndex      = 16
	hdrOffSize       = 24
	hdrOffCreated    = 32
	hdrOffSum        = 40
	hdrOffBaseSeq    = 48
	hdrOffBaseTime   = 56
	hdrOffBaseSum    = 64
	hdrOffReserved   = 72

	recOffType    = 4
	recOffFlags   = 6
	recOffSeq     = 8
	recOffTime    = 16
	recHeaderSize = 24
	recTrailer    = 8

	// RecordOverhead is the number of bytes a record takes besides its
	// payload and padding: the 24-byte header and the 8-byte checksum.
	RecordOverhead = recHeaderSize + recTrailer

	flagPadMask = 0x7

	// TypeSeal is the record type reserved for the seal that ends a
	// segment. Append rejects it; readers never return it.
	TypeSeal uint16 = 0xFFFF

	sealSize = RecordOverhead

	segmentSuffix = ".seg"
	tmpSuffix     = ".seg.tmp"
	nameDigits    = 20
)

// Segment size limits, in bytes. The size must also be a multiple of the page
// size.
const (
	MinSegmentSize           = 4 << 10
	MaxSegmentSize     int64 = 1 << 31
	DefaultSegmentSize       = 64 << 20
)

// recordSize returns the length of a record with an n-byte payload.
func recordSize(n int) int { return RecordOverhead + (n+7)&^7 }

// MaxPayload returns the largest payload that fits in a segment of
// segmentSize bytes (beside its header and the reserved seal).
func MaxPayload(segmentSize int64) int {
	return int(segmentSize) - segmentHeaderSize - sealSize - RecordOverhead
}

// segmentName returns the file name of segment index.
func segmentName(index uint64) string {
	s := strconv.FormatUint(index, 10)
	pad := "00000000000000000000"[:nameDigits-len(s)]
	return pad + s + segmentSuffix
}

// parseSegmentName returns the index named by a segment file name.
func parseSegmentName(name string) (uint64, bool) {
	if len(name) != nameDigits+len(segmentSuffix) || name[nameDigits:] != segmentSuffix {
		return 0, false
	}
	for _, c := range name[:nameDigits] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(name[:nameDigits], 10, 64)
	return v, err == nil
}

// segmentHeader is the decoded segment file header.
type segmentHeader struct {
	index     uint64
	size      int64
	createdAt int64
	based     bool // the base fields are set (a first record was written)
	baseSeq   uint64
	baseTime  int64
}

// putSegmentHeader writes the static part of a segment header into b.
//
// REQUIRES: len(b) >= segmentHeaderSize and b[:segmentHeaderSize] is zero.
func putSegmentHeader(b []byte, index uint64, size, createdAt int64) {
	copy(b, segmentMagic)
	binary.LittleEndian.PutUint32(b[hdrOffVersion:], formatVersion)
	binary.LittleEndian.PutUint32(b[hdrOffHeaderSize:], segmentHeaderSize)
	binary.LittleEndian.PutUint64(b[hdrOffIndex:], index)
	binary.LittleEndian.PutUint64(b[hdrOffSize:], uint64(size))
	binary.LittleEndian.PutUint64(b[hdrOffCreated:], uint64(createdAt))
	binary.LittleEndian.PutUint64(b[hdrOffSum:], xxhash.Sum64(b[:hdrOffSum]))
}

// putBase writes the base fields of a segment header: the first record's
// sequence and timestamp, then their checksum.
func putBase(b []byte, seq uint64, ts int64) {
	binary.LittleEndian.PutUint64(b[hdrOffBaseSeq:], seq)
	binary.LittleEndian.PutUint64(b[hdrOffBaseTime:], uint64(ts))
	binary.LittleEndian.PutUint64(b[hdrOffBaseSum:], xxhash.Sum64(b[hdrOffBaseSeq:hdrOffBaseSum]))
}

// parseSegmentHeader decodes and checks the header at the start of data, the
// whole segment file. It returns a non-empty reason when the header is not
// valid.
func parseSegmentHeader(data []byte) (segmentHeader, string) {
	var h segmentHeader
	if len(data) < segmentHeaderSize {
		return h, "file shorter than the segment header"
	}
	if string(data[:len(segmentMagic)]) != segmentMagic {
		return h, "bad magic"
	}
	if xxhash.Sum64(data[:hdrOffSum]) != binary.LittleEndian.Uint64(data[hdrOffSum:]) {
		return h, "header checksum mismatch"
	}
	if v := binary.LittleEndian.Uint32(data[hdrOffVersion:]); v != formatVersion {
		return h, fmt.Sprintf("unsupported format version %d", v)
	}
	if v := binary.LittleEndian.Uint32(data[hdrOffHeaderSize:]); v != segmentHeaderSize {
		return h, fmt.Sprintf("unsupported header size %d", v)
	}
	h.index = binary.LittleEndian.Uint64(data[hdrOffIndex:])
	h.size = int64(binary.LittleEndian.Uint64(data[hdrOffSize:]))
	h.createdAt = int64(binary.LittleEndian.Uint64(data[hdrOffCreated:]))
	if h.size != int64(len(data)) {
		return h, fmt.Sprintf("header says %d bytes, file has %d", h.size, len(data))
	}
	if sum := binary.LittleEndian.Uint64(data[hdrOffBaseSum:]); sum != 0 {
		if sum != xxhash.Sum64(data[hdrOffBaseSeq:hdrOffBaseSum]) {
			return h, "base checksum mismatch"
		}
		h.based = true
		h.baseSeq = binary.LittleEndian.Uint64(data[hdrOffBaseSeq:])
		h.baseTime = int64(binary.LittleEndian.Uint64(data[hdrOffBaseTime:]))
	}
	for _, c := range data[hdrOffReserved:segmentHeaderSize] {
		if c != 0 {
			return h, "reserved header bytes not zero"
		}
	}
	return h, ""
}

// stageMax is the largest record the writer assembles on its stack before
// copying it into the mapping. Hashing a contiguous copy with the one-pass
// Sum64 costs less than streaming the length word and the rest of the record
// through a Digest, as long as the record is small.
const stageMax = 256

// putRecord writes a complete record for payload into rec and publishes it:
// everything but the length word first, then the length word with a release
// store. payload may alias rec[recHeaderSize:].
//
// REQUIRES: len(rec) == recordSize(len(payload)); rec[0:4] is zero.
func putRecord(rec []byte, typ uint16, seq uint64, ts int64, payload []byte) {
	n := len(rec)
	pad := n - RecordOverhead - len(payload)
	if n > stageMax {
		copy(rec[recHeaderSize:], payload)
		clear(rec[recHeaderSize+len(payload) : n-recTrailer])
		writeRecord(rec, typ, pad, seq, ts)
		return
	}
	var st [stageMax]byte
	s := st[:n]
	// Length, type and flags as one 8-byte store: the hash reads them as
	// one word, and a load spanning several smaller stores stalls.
	binary.LittleEndian.PutUint64(s, uint64(n)|uint64(typ)<<32|uint64(pad)<<48)
	binary.LittleEndian.PutUint64(s[recOffSeq:], seq)
	binary.LittleEndian.PutUint64(s[recOffTime:], uint64(ts))
	copy(s[recHeaderSize:], payload)
	binary.LittleEndian.PutUint64(s[n-recTrailer:], xxhash.Sum64(s[:n-recTrailer]))
	copy(rec[4:], s[4:])
	atomicle.Store32(rec, uint32(n))
}

// writeRecord fills in a record whose payload is already in place and
// publishes it: header fields, checksum, then the length word with a release
// store.
//
// REQUIRES: len(rec) == recordSize(payload length); rec[0:4] is zero; the pad
// bytes after the payload are zero.
func writeRecord(rec []byte, typ uint16, pad int, seq uint64, ts int64) {
	n := len(rec)
	binary.LittleEndian.PutUint16(rec[recOffType:], typ)
	binary.LittleEndian.PutUint16(rec[recOffFlags:], uint16(pad))
	binary.LittleEndian.PutUint64(rec[recOffSeq:], seq)
	binary.LittleEndian.PutUint64(rec[recOffTime:], uint64(ts))
	binary.LittleEndian.PutUint64(rec[n-recTrailer:], recordChecksum(rec))
	atomicle.Store32(rec, uint32(n))
}

// recordChecksum returns the checksum of rec as if its length word already
// held len(rec): xxhash64 of the length word followed by bytes [4, len-8).
// The writer cannot store the length before the checksum (that would publish
// the record early), so it feeds the word to the hash separately; the result
// equals xxhash.Sum64(rec[:len(rec)-8]) over the finished record.
func recordChecksum(rec []byte) uint64 {
	var lw [4]byte
	binary.LittleEndian.PutUint32(lw[:], uint32(len(rec)))
	var d xxhash.Digest
	d.Reset()
	d.Write(lw[:])
	d.Write(rec[4 : len(rec)-recTrailer])
	return d.Sum64()
}

// Reasons a record is rejected. Fixed strings, so the checks allocate nothing.
const (
	reasonShortLength = "record length below 32 or not a multiple of 8"
	reasonOverrun     = "record runs past the end of the segment"
	reasonChecksum    = "checksum mismatch"
	reasonFlags       = "reserved flag bits set or padding longer than the record"
)

// checkRecord examines the record that would start at off in data (a whole
// segment). It returns the record's length and "" for a valid record, 0 and ""
// for the end of the written data (a zero length word, or no room for one),
// and 0 and a reason for anything else.
//
// REQUIRES: off is 8-aligned and off >= 0.
func checkRecord(data []byte, off int) (int, string) {
	if off > len(data)-4 {
		return 0, ""
	}
	n := int(atomicle.Load32(data[off:]))
	if n == 0 {
		return 0, ""
	}
	if n < RecordOverhead || n&7 != 0 {
		return 0, reasonShortLength
	}
	if n > len(data)-off {
		return 0, reasonOverrun
	}
	rec := data[off : off+n]
	if xxhash.Sum64(rec[:n-recTrailer]) != binary.LittleEndian.Uint64(rec[n-recTrailer:]) {
		return 0, reasonChecksum
	}
	flags := binary.LittleEndian.Uint16(rec[recOffFlags:])
	if flags&^flagPadMask != 0 || int(flags) > n-RecordOverhead {
		return 0, reasonFlags
	}
	return n, ""
}
