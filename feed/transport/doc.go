// Package transport is the WebSocket client of the market-data feeds: a Conn that reads frames
// with no allocation per frame, and a Session, the feed agent that runs one venue connection
// through the venue's feed.Decoder. It knows no venue: the decoder's package builds the
// subscribe, resubscribe and keep-alive messages and the transport sends them as text frames.
//
// The handshake (and TLS for wss) uses github.com/gobwas/ws's Dialer; frames are read and
// written by this package over the raw connection. gobwas's ws.ReadHeader and ws.WriteHeader
// allocate a scratch slice per call (measured by BenchmarkHeader), and its wsutil readers
// stream the payload into the caller's buffer through an io.Reader whose state is lost when a
// read deadline interrupts a frame half-read. So a Conn parses frames in place in its own read
// buffer:
//
//   - one read system call fetches as many frames as the kernel holds; each is parsed where it
//     lies, and a whole frame is returned as a slice of the buffer (no copy). Fragments are
//     joined in a second buffer. Both grow to the largest frame or message seen and then stay,
//     bounded by Config.MaxFrameSize: a longer frame is refused from its header, before its
//     payload is read.
//   - a read interrupted by its deadline leaves the buffer as it was: the next call resumes.
//     That is what lets the Session's timers (stale feed, keep-alive, shutdown) be read
//     deadlines on the feed thread itself, with nothing to do per frame.
//   - the Clock is read once per read system call. A message is stamped with the time of the
//     read that brought its first byte.
//   - client frames are built and masked in place in a reused write buffer, with a key per
//     frame from a ChaCha8 stream seeded from crypto/rand.
//
// Limits, and when not to use it: no permessage-deflate and no UTF-8 validation of text
// frames (venues' JSON is trusted to be text); a Conn is for one goroutine; a Session blocks
// its goroutine in the kernel in read while the venue is quiet, which suits the edge of the
// system (a feed thread, possibly sharing a small host) but not an agent that must busy-spin:
// the core never blocks, and only reads the rings the Session's Sink fills. A REST snapshot
// (Binance) is fetched on the feed thread, while frames wait in the socket.
//
// Ownership: a Session, its Conn, the decoder and the Batch are owned by the feed thread that
// calls Run. The only cross-goroutine touch is the cancellation of Run's context, which sets a
// past read deadline on the socket.
package transport
