package event

// Journal record types used by ems. An event is journaled as one record whose type is its Kind
// (1..255) and whose payload is the event's 128 bytes; records with other types carry metadata.
// Values are part of the journal format.
const (
	// RecordMeta is a metadata record: UTF-8 text "key=value" (instrument master version and hash,
	// configuration, run id).
	RecordMeta uint16 = 0x0100
)

// RecordType returns the journal record type of an event of kind k.
func RecordType(k Kind) uint16 { return uint16(k) }

// IsEventRecord reports whether a journal record of type typ and payload length n holds an Event.
func IsEventRecord(typ uint16, n int) bool {
	return typ > 0 && typ < 0x100 && n == Size
}

// RecordName names a journal record type for people ("fill", "meta", "type_513").
func RecordName(typ uint16) string {
	switch {
	case typ == RecordMeta:
		return "meta"
	case typ < 0x100 && Kind(typ).Valid():
		return Kind(typ).String()
	}
	return "type_" + itoa(uint64(typ))
}

func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
