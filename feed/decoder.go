package feed

import (
	"errors"
	"io"
)

// ErrForeign is wrapped by the error Decode returns for a message that is well-formed JSON but not
// of the decoder's venue (a recording of another venue, or of another protocol version).
var ErrForeign = errors.New("feed: message of another venue or protocol")

// Decoder is one venue's market-data decoder: raw messages in (WebSocket text frames, or lines of
// a recording), events out. It keeps a Replica per book and follows the venue's sequencing and
// checksum rules. Owned by the feed thread; not safe for concurrent use.
type Decoder interface {
	// Decode handles one raw message received at recvTS (ns), appending its events to out.
	// msg is only read during the call. A malformed or unexpected message is noted in
	// Anomalies and skipped; the returned error says why, and the decoder stays usable.
	Decode(msg []byte, recvTS int64, out *Batch) error
	// Books returns the replicas in the order their books were first seen. The slice and the
	// replicas stay owned by the decoder.
	Books() []*Replica
	// Anomalies returns the decoder's count of malformed and unexpected messages.
	Anomalies() *Anomalies
	// Requests appends what the transport must do to resync broken books (resubscribe, fetch a
	// REST snapshot) since the last call, and forgets them.
	Requests(dst []Request) []Request
}

// SnapshotLoader is implemented by decoders of venues whose book starts from a REST depth
// snapshot (Binance): it applies a snapshot response body to the book it belongs to.
type SnapshotLoader interface {
	LoadSnapshot(symbol string, body []byte, recvTS int64, out *Batch) error
}

// RequestKind says what a resync needs.
type RequestKind uint8

const (
	// RequestSnapshot: fetch a REST depth snapshot for the book (Binance).
	RequestSnapshot RequestKind = iota + 1
	// RequestResubscribe: unsubscribe and subscribe the book's channel to get a fresh snapshot
	// (OKX, Bybit, Kraken).
	RequestResubscribe
	// RequestReconnect: drop and re-open the connection (Coinbase sequence breaks, which are
	// per connection).
	RequestReconnect
)

// Request is one resync the decoder needs from its transport.
type Request struct {
	Kind    RequestKind
	Replica *Replica
}

// Resolver maps a venue symbol to the instrument and its scales; ok is false for a symbol the
// instrument master does not know. symbol is only read during the call.
type Resolver func(symbol []byte) (id uint32, scales Scales, ok bool)

// Config is what every venue decoder is built from.
type Config struct {
	Venue uint16 // the venue's interned id, stamped on every event
	// Resolve maps symbols to instruments. With Resolve nil, or for a symbol it does not know,
	// the decoder infers scales from the text (replay of any recording) when InferUnknown is
	// set, and otherwise notes the message as an anomaly and skips it (live trading).
	Resolve      Resolver
	InferUnknown bool
	// Depth is the subscribed book depth where the venue's rules need it (Kraken truncation);
	// 0 means the venue default.
	Depth int
	// Log receives one line per new kind of anomaly; nil: silent (still counted).
	Log io.Writer
}

// ResolverFrom adapts an instrument-master lookup (core/instrument Master.Resolver) to a Resolver.
func ResolverFrom(lookup func(symbol []byte) (id uint32, price, qty uint8, tick int64, ok bool)) Resolver {
	return func(symbol []byte) (uint32, Scales, bool) {
		id, p, q, tick, ok := lookup(symbol)
		return id, Scales{Price: p, Qty: q, Tick: tick, Known: ok}, ok
	}
}
