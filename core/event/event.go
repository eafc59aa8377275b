package event

import "unsafe"

// Event layout (little-endian, 128 bytes, 8-byte aligned; part of the journal format):
//
//	 0       1       2       4               8
//	 +-------+-------+-------+---------------+
//	 | Kind  | Flags | Venue | Instrument    |   Kind u8, Flags u8, Venue u16, Instrument u32
//	 +-------+-------+-------+---------------+
//	 8  Seq      uint64   source sequence (venue update id, core sequence, ...)
//	16  ExchTS   int64    exchange timestamp, ns since the Unix epoch (0 when the venue sends none)
//	24  RecvTS   int64    receive timestamp, ns, stamped where the event entered the process
//	32  Payload  [96]byte layout chosen by Kind (see payload.go)
//	128
//
// The header is the same for every kind, so a reader can route and filter without looking at the
// payload. Size and offsets are asserted by a test; changing them changes the journal format.

// Size is the size of an Event in bytes. Part of the journal format.
const Size = 128

// PayloadSize is the size of the kind-specific payload area in bytes. Part of the journal format.
const PayloadSize = 96

// VenueID is an interned venue id; 0 means "no venue".
type VenueID uint16

// InstrumentID is an interned instrument id; 0 means "no instrument".
type InstrumentID uint32

// Event is the fixed-size, pointer-free value that rings carry and the journal records verbatim.
// Copying an Event is a plain memory copy and the garbage collector never scans it.
//
// An Event has no owner of its own: it is owned by whoever holds the slot (the ring slot between
// Claim and Publish belongs to the producer, between Peek and Release to the consumer).
type Event struct {
	Kind       Kind
	Flags      Flags
	Venue      VenueID
	Instrument InstrumentID
	Seq        uint64
	ExchTS     int64
	RecvTS     int64
	Payload    [PayloadSize / 8]uint64
}

// Bytes returns the Event's memory as a byte slice, for the journal. The slice aliases e and is
// valid as long as e is.
func (e *Event) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(e)), Size)
}

// FromBytes copies an encoded Event out of b.
// REQUIRES: len(b) >= Size.
func FromBytes(dst *Event, b []byte) {
	_ = b[Size-1]
	*dst = *(*Event)(unsafe.Pointer(unsafe.SliceData(b)))
}

// Reset zeroes e.
func (e *Event) Reset() { *e = Event{} }

// payload returns a pointer to e's payload area viewed as *T.
// REQUIRES: unsafe.Sizeof(T) <= PayloadSize and T holds no pointers (asserted by tests).
func payload[T any](e *Event) *T {
	return (*T)(unsafe.Pointer(&e.Payload))
}
