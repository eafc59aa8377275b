package transport

import (
	"bufio"
	"context"
	crand "crypto/rand"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gobwas/ws"
)

// Defaults for the zero fields of Config.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultWriteTimeout     = 5 * time.Second
	DefaultMaxFrameSize     = 16 << 20
	DefaultReadBufferSize   = 64 << 10
)

// minReadRoom: when less free space than this, or than a quarter of the read buffer, is left at
// its end, the partial frame at its head is moved to the front before the next read, so that
// reads stay large (few system calls) and the copy stays small (less than one frame).
const minReadRoom = 4 << 10

// Config configures a Conn. The zero value is usable.
type Config struct {
	// HandshakeTimeout bounds TCP connect, TLS handshake and the WebSocket upgrade together.
	HandshakeTimeout time.Duration
	// WriteTimeout bounds each frame written (subscriptions, pongs, keep-alives, close).
	WriteTimeout time.Duration
	// MaxFrameSize bounds a frame's payload and a message reassembled from fragments. A longer
	// one fails the connection with ErrFrameTooLarge before its payload is read.
	MaxFrameSize int
	// ReadBufferSize is the initial read buffer; it grows to the largest frame seen (at most
	// MaxFrameSize plus a header) and then stays.
	ReadBufferSize int
	// TLSConfig is used for wss URLs; nil means the system roots and the URL's host name. Tests
	// use it to trust a self-signed certificate.
	TLSConfig *tls.Config
	// Header holds extra HTTP headers for the upgrade request (nil for public feeds).
	Header http.Header
	// Clock stamps received frames; nil means WallClock.
	Clock Clock
}

func (c Config) withDefaults() Config {
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.MaxFrameSize <= 0 {
		c.MaxFrameSize = DefaultMaxFrameSize
	}
	if c.ReadBufferSize <= 0 {
		c.ReadBufferSize = DefaultReadBufferSize
	}
	if c.ReadBufferSize > c.MaxFrameSize+ws.MaxHeaderSize {
		c.ReadBufferSize = c.MaxFrameSize + ws.MaxHeaderSize
	}
	if c.Clock == nil {
		c.Clock = WallClock{}
	}
	return c
}

// Conn is the client side of one WebSocket connection to a venue. It reads frames straight from
// the socket into its own buffer, answers pings and close frames, reassembles fragmented
// messages and stamps each message with the time its first bytes arrived; it writes masked text
// frames from a reused buffer. In steady state neither direction allocates.
//
// A Conn can be dialled again after it fails or is closed: its buffers are kept, so a
// reconnected feed does not allocate them again.
//
// Owned by one goroutine (the feed thread): ReadMessage, WriteText, Dial and Close must not be
// called concurrently. SetReadDeadline may be called from any goroutine (to interrupt a read).
type Conn struct {
	cfg Config
	nc  net.Conn

	// Read side. rbuf[r:w] holds received bytes not yet consumed; the frame being assembled
	// starts at r. INVARIANT: 0 <= r <= w <= len(rbuf).
	rbuf   []byte
	r, w   int
	early  *bufio.Reader // the Dialer's buffer while it holds frames sent with the handshake
	headTS int64         // receive time of the byte at r (valid when r < w)
	lastTS int64         // receive time of the latest read

	// Fragmented message being reassembled in mbuf.
	mbuf        []byte
	msgTS       int64
	msgOp       ws.OpCode
	fragmenting bool
	binary      bool // the last message returned was binary

	// Write side: header and payload are built and masked in wbuf.
	wbuf []byte
	rng  *rand.ChaCha8
	wdl  time.Time // the write deadline in force

	err    error // sticky: the connection failed or was closed
	frames uint64
	bytes  uint64
}

// NewConn returns an unconnected Conn; Dial connects it.
func NewConn(cfg Config) *Conn {
	cfg = cfg.withDefaults()
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // never fails on supported platforms (crypto/rand contract)
	return &Conn{
		cfg:  cfg,
		rbuf: make([]byte, cfg.ReadBufferSize),
		wbuf: make([]byte, 512),
		rng:  rand.NewChaCha8(seed),
		err:  fmt.Errorf("%w: not dialled", ErrClosed),
	}
}

// Dial returns a Conn connected to url (ws:// or wss://).
func Dial(ctx context.Context, url string, cfg Config) (*Conn, error) {
	c := NewConn(cfg)
	if err := c.Dial(ctx, url); err != nil {
		return nil, err
	}
	return c, nil
}

// Dial connects c to url, closing any previous connection first. The TCP connect, the TLS
// handshake (wss) and the upgrade must finish within Config.HandshakeTimeout and before ctx is
// done.
func (c *Conn) Dial(ctx context.Context, url string) error {
	if c.nc != nil {
		_ = c.nc.Close()
		c.nc = nil
	}
	d := ws.Dialer{TLSConfig: c.cfg.TLSConfig}
	if c.cfg.Header != nil {
		d.Header = ws.HandshakeHeaderHTTP(c.cfg.Header)
	}
	// The Dialer's own Timeout bounds only the TCP connect when ctx can be cancelled; a context
	// deadline bounds the TLS handshake and the upgrade as well.
	hctx, cancel := context.WithTimeout(ctx, c.cfg.HandshakeTimeout)
	nc, br, _, err := d.Dial(hctx, url)
	cancel()
	if err != nil {
		c.err = fmt.Errorf("transport: dial %s: %w", url, err)
		return c.err
	}
	c.attach(nc)
	if br != nil && br.Buffered() > 0 {
		// Frames the server sent right behind its handshake response: read them from the
		// Dialer's buffer first.
		c.early = br
	} else if br != nil {
		ws.PutReader(br)
	}
	return nil
}

// read reads from the socket, or from the Dialer's buffer while it holds early frames.
func (c *Conn) read(p []byte) (int, error) {
	if c.early == nil {
		return c.nc.Read(p)
	}
	n, err := c.early.Read(p) // buffered bytes only: never reaches the socket
	if c.early.Buffered() == 0 {
		ws.PutReader(c.early)
		c.early = nil
	}
	return n, err
}

// attach makes nc the connection, resetting the read and message state but keeping buffers.
func (c *Conn) attach(nc net.Conn) {
	c.nc = nc
	if c.early != nil {
		ws.PutReader(c.early)
		c.early = nil
	}
	c.wdl = time.Time{}
	c.r, c.w = 0, 0
	c.mbuf = c.mbuf[:0]
	c.fragmenting, c.binary = false, false
	c.err = nil
}

// ensure grows rbuf so that it holds at least n bytes, keeping rbuf[r:w] at the front.
func (c *Conn) ensure(n int) {
	if n <= len(c.rbuf) {
		return
	}
	size := 2 * len(c.rbuf)
	if size < n {
		size = n
	}
	if limit := c.cfg.MaxFrameSize + ws.MaxHeaderSize; size > limit {
		size = limit
	}
	nb := make([]byte, size)
	c.w = copy(nb, c.rbuf[c.r:c.w])
	c.r = 0
	c.rbuf = nb
}

// ReadMessage returns the next data message (text or binary; Binary tells which) and the time
// its first byte arrived, in ns from the Conn's Clock: for a fragmented message, the arrival of
// its first frame's header. Ping, pong and close frames are handled on the way: a ping is
// answered with a pong carrying its payload, a close frame with a close frame of the same code.
//
// The payload aliases the Conn's buffers and is valid until the next call to ReadMessage or
// Dial. The payload is not checked to be valid UTF-8.
//
// When the read deadline passes, the error satisfies errors.Is(err, os.ErrDeadlineExceeded) and
// the Conn stays usable: a frame partly received is kept and the next call resumes it. Any other
// error is final for this connection (Dial again): a *CloseError or an error wrapping ErrClosed
// when the peer closed, ErrFrameTooLarge, ErrProtocol, or a network error.
func (c *Conn) ReadMessage() (payload []byte, recvTS int64, err error) {
	if c.err != nil {
		return nil, 0, c.err
	}
	for {
		h, hn, err := parseHeader(c.rbuf[c.r:c.w])
		if err != nil {
			return nil, 0, c.fail(err, ws.StatusProtocolError)
		}
		need := ws.MaxHeaderSize
		if hn > 0 {
			if err := checkHeader(h, c.fragmenting); err != nil {
				return nil, 0, c.fail(err, ws.StatusProtocolError)
			}
			if h.Length > int64(c.cfg.MaxFrameSize) {
				return nil, 0, c.fail(fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, h.Length, c.cfg.MaxFrameSize), ws.StatusMessageTooBig)
			}
			need = hn + int(h.Length)
		}
		if hn == 0 || c.w-c.r < need {
			if err := c.fill(need); err != nil {
				return nil, 0, err
			}
			continue
		}
		ts := c.headTS
		p := c.rbuf[c.r+hn : c.r+need]
		c.r += need
		c.headTS = c.lastTS // a following frame arrived in the latest read (see fill)
		c.frames++

		switch h.OpCode {
		case ws.OpText, ws.OpBinary:
			if h.Fin {
				c.binary = h.OpCode == ws.OpBinary
				return p, ts, nil
			}
			c.fragmenting, c.msgOp, c.msgTS = true, h.OpCode, ts
			c.mbuf = append(c.mbuf[:0], p...)
		case ws.OpContinuation:
			if len(c.mbuf)+len(p) > c.cfg.MaxFrameSize {
				return nil, 0, c.fail(fmt.Errorf("%w: fragmented message of more than %d bytes", ErrFrameTooLarge, c.cfg.MaxFrameSize), ws.StatusMessageTooBig)
			}
			c.mbuf = append(c.mbuf, p...)
			if h.Fin {
				c.fragmenting = false
				c.binary = c.msgOp == ws.OpBinary
				return c.mbuf, c.msgTS, nil
			}
		case ws.OpPing:
			if err := c.writeFrame(ws.OpPong, p); err != nil {
				return nil, 0, err
			}
		case ws.OpPong:
			// Unsolicited or an answer to a ping: nothing to do.
		case ws.OpClose:
			return nil, 0, c.closed(p)
		}
	}
}

// fill reads more bytes from the socket, making room for a frame of need bytes at r first. Each
// read is stamped once: a frame whose first byte arrives in this read gets its time.
//
// Why headTS = lastTS after a frame is consumed is right: a read happens only while the frame at
// r is incomplete, so that frame ends inside the latest read, and every byte after it arrived in
// that read too.
func (c *Conn) fill(need int) error {
	if c.r == c.w {
		c.r, c.w = 0, 0
	}
	if need > len(c.rbuf) {
		c.ensure(need)
	} else if c.r+need > len(c.rbuf) || (c.r > 0 && len(c.rbuf)-c.w < max(minReadRoom, len(c.rbuf)/4)) {
		c.w = copy(c.rbuf, c.rbuf[c.r:c.w])
		c.r = 0
	}
	n, err := c.read(c.rbuf[c.w:])
	if n > 0 {
		ts := c.cfg.Clock.Now()
		if c.r == c.w {
			c.headTS = ts
		}
		c.lastTS = ts
		c.w += n
		c.bytes += uint64(n)
		return nil // an error comes back on the next read
	}
	if err == nil {
		return nil
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return err // not final: the caller's timer fired
	}
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: end of stream without a close frame (%w)", ErrClosed, err)
	} else {
		err = fmt.Errorf("transport: read: %w", err)
	}
	c.err = err
	_ = c.nc.Close()
	return err
}

// fail records err as final, sends a close frame with code (best effort) and closes the socket.
func (c *Conn) fail(err error, code ws.StatusCode) error {
	c.sendClose(code, nil)
	_ = c.nc.Close()
	c.err = err
	return err
}

// closed handles a close frame from the peer: echo its code, close the socket.
func (c *Conn) closed(p []byte) error {
	ce := &CloseError{Code: ws.StatusNoStatusRcvd}
	switch {
	case len(p) == 1:
		return c.fail(fmt.Errorf("%w: close frame with a 1-byte payload", ErrProtocol), ws.StatusProtocolError)
	case len(p) >= 2:
		ce.Code = ws.StatusCode(binary.BigEndian.Uint16(p))
		ce.Reason = string(p[2:])
	}
	if ce.Code.IsProtocolReserved() { // 1005, 1006, 1015 never go on the wire: answer without a code
		c.sendClose(0, nil)
	} else {
		c.sendClose(ce.Code, nil)
	}
	_ = c.nc.Close()
	c.err = ce
	return ce
}

// sendClose writes a close frame with code (0: no code), best effort.
func (c *Conn) sendClose(code ws.StatusCode, reason []byte) {
	if c.nc == nil || c.err != nil {
		return
	}
	var body [maxControlPayload]byte
	n := 0
	if code != 0 {
		binary.BigEndian.PutUint16(body[:2], uint16(code))
		n = 2 + copy(body[2:], reason)
	}
	_ = c.writeFrame(ws.OpClose, body[:n])
}

// Binary reports whether the message last returned by ReadMessage was a binary message.
func (c *Conn) Binary() bool { return c.binary }

// WriteText sends p as one masked text frame. p is only read during the call; the frame is built
// and masked in a reused buffer (RFC 6455 requires a client to mask, with a fresh key per frame).
func (c *Conn) WriteText(p []byte) error {
	if c.err != nil {
		return c.err
	}
	return c.writeFrame(ws.OpText, p)
}

// writeFrame writes one masked, final frame. A failed write is final for the connection.
func (c *Conn) writeFrame(op ws.OpCode, p []byte) error {
	need := ws.MaxHeaderSize + len(p)
	if len(c.wbuf) < need {
		c.wbuf = make([]byte, need)
	}
	var mask [4]byte
	binary.LittleEndian.PutUint32(mask[:], uint32(c.rng.Uint64()))
	n := putHeader(c.wbuf, ws.Header{Fin: true, OpCode: op, Masked: true, Mask: mask, Length: int64(len(p))})
	body := c.wbuf[n : n+len(p)]
	copy(body, p)
	ws.Cipher(body, mask, 0)
	// The write deadline is moved only when less than half of WriteTimeout is left: setting it
	// re-arms a runtime timer, which costs more than the write of a small frame. A write is thus
	// bounded by between WriteTimeout/2 and WriteTimeout.
	if now := time.Now(); now.Add(c.cfg.WriteTimeout / 2).After(c.wdl) {
		c.wdl = now.Add(c.cfg.WriteTimeout)
		if err := c.nc.SetWriteDeadline(c.wdl); err != nil {
			return c.writeFailed(err)
		}
	}
	if _, err := c.nc.Write(c.wbuf[:n+len(p)]); err != nil {
		return c.writeFailed(err)
	}
	return nil
}

func (c *Conn) writeFailed(err error) error {
	if c.err == nil {
		c.err = fmt.Errorf("transport: write: %w", err)
		_ = c.nc.Close()
	}
	return c.err
}

// SetReadDeadline sets the time after which a blocked or future ReadMessage returns a timeout
// error (zero: none). Safe to call from any goroutine while no Dial is running; the feed thread
// uses it for its timers, a canceller to interrupt a read.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if c.nc == nil {
		return c.err
	}
	return c.nc.SetReadDeadline(t)
}

// Close sends a normal-closure close frame (best effort) and closes the socket. Further reads
// and writes return an error wrapping ErrClosed.
func (c *Conn) Close() error {
	if c.nc == nil {
		return nil
	}
	c.sendClose(ws.StatusNormalClosure, nil)
	err := c.nc.Close()
	if c.err == nil {
		c.err = fmt.Errorf("%w: closed locally", ErrClosed)
	}
	return err
}

// Err returns nil while the connection is usable, else the error that ended it (a read deadline
// does not end it).
func (c *Conn) Err() error { return c.err }

// Frames returns the number of frames received (data and control) since NewConn.
func (c *Conn) Frames() uint64 { return c.frames }

// Bytes returns the number of bytes received from the socket since NewConn, headers included.
func (c *Conn) Bytes() uint64 { return c.bytes }

// BufferSize returns the read buffer's size: the initial size, or the largest frame seen.
func (c *Conn) BufferSize() int { return len(c.rbuf) }
