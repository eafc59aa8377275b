package event

// Kind says what an Event is and which payload layout it carries. Values are part of the journal
// format: append new kinds, never renumber.
type Kind uint8

const (
	KindNone          Kind = 0
	KindBookLevel     Kind = 1  // BookLevel: one absolute level of a venue book (qty 0 deletes)
	KindTopOfBook     Kind = 2  // TopOfBook: best bid and ask as the venue reports them
	KindTrade         Kind = 3  // Trade: a public trade
	KindBookStatus    Kind = 4  // BookStatus: the feed's verdict on a book's integrity
	KindVenueStatus   Kind = 5  // VenueStatus: connection state of a venue
	KindNewOrder      Kind = 6  // Order: a new child order from the core
	KindCancel        Kind = 7  // Cancel: cancel a child order
	KindReplace       Kind = 8  // Replace: cancel-replace a child order
	KindOrderAck      Kind = 9  // OrderAck: the venue accepted an order
	KindReject        Kind = 10 // Reject: the venue or the gateway refused a request
	KindFill          Kind = 11 // Fill: an execution
	KindCancelAck     Kind = 12 // CancelAck: an order is gone from the venue
	KindTimer         Kind = 13 // Timer: a timer fired
	KindParentCommand Kind = 14 // ParentCommand: new / cancel / amend a parent order
	KindRiskDeny      Kind = 15 // RiskDeny: pre-trade risk refused a child or parent order

	numKinds = 16
)

var kindNames = [numKinds]string{
	"none", "book_level", "top_of_book", "trade", "book_status", "venue_status", "new_order",
	"cancel", "replace", "order_ack", "reject", "fill", "cancel_ack", "timer", "parent_command",
	"risk_deny",
}

// String returns the kind's name as used in journal dumps ("book_level", "fill", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Valid reports whether k is a defined kind other than KindNone.
func (k Kind) Valid() bool { return k > KindNone && k < numKinds }

// Flags qualify an event; their meaning is shared by all kinds that use them.
type Flags uint8

const (
	// FlagSnapshotBegin marks the first level of a snapshot: the receiver clears the book first.
	FlagSnapshotBegin Flags = 1 << 0
	// FlagSnapshotEnd marks the last level of a snapshot.
	FlagSnapshotEnd Flags = 1 << 1
	// FlagLastInBatch marks the last event of one venue message: the book is consistent after it.
	FlagLastInBatch Flags = 1 << 2
	// FlagReplay marks an event re-read from a journal rather than received live.
	FlagReplay Flags = 1 << 3
)
