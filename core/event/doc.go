// Package event defines the one event type of ems: a fixed-size (128-byte), pointer-free struct
// that the SPSC rings carry between stages and the journal records verbatim.
//
// Every event has the same 32-byte header (kind, flags, venue, instrument, sequence, exchange
// and receive timestamps) and a 96-byte payload whose layout the kind chooses. Payloads are read
// and written through typed views (e.BookLevel(), e.Fill(), ...) that alias the event; they cost
// nothing and allocate nothing. Strings never appear in an event: symbols, venues and venue
// order ids are interned into small integers by core/intern.
//
// Layouts and enumeration values are part of the journal format: they are asserted by tests and
// may only be extended, never renumbered.
package event
