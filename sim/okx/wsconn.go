package okx

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"
	"github.com/valyala/fastjson"

	"ems/sim"
)

// WebSocket plumbing. Frames are read and written here rather than with wsutil so that one
// goroutine owns each direction: the reader answers pings through the writer's queue, never
// writing to the socket itself.
//
// Server frames (RFC 6455 section 5.2), unmasked:
//
//	byte 0      FIN(1) RSV(3)=0 opcode(4)
//	byte 1      MASK(1)=0 len7        len7 < 126: payload length
//	bytes 2-3   len16 (big endian)    when len7 == 126
//	bytes 2-9   len64 (big endian)    when len7 == 127

// maxRequest is the largest client message accepted; longer ones close the connection with
// 1009, as OKX does.
const maxRequest = 64 << 10

// outMsg is one queued frame.
type outMsg struct {
	op   ws.OpCode
	data []byte // shared by every connection a push goes to: never modified once queued
	at   int64  // wall time queued (ns): the venue's Latency is added from here
	push bool   // a push (not an answer): the disconnect fault is asked before writing it
	sym  string // the market of a market-data push, for symbol-scoped faults
}

// wsConn is one WebSocket connection. The reader goroutine reads frames and runs the handler
// (public or private requests); the writer goroutine owns the socket's write side and writes
// queued frames in order, after the venue's latency. Anything may queue (send): the
// publishers, the venue's order callbacks, timers; a full queue closes the connection with
// 4005, as OKX does with a slow reader.
type wsConn struct {
	srv     *Server
	nc      net.Conn
	br      *bufio.Reader
	id      string // OKX connId
	remote  string // client address, the rate-limit key of unauthenticated requests
	handler func(c *wsConn, msg []byte)

	out      chan outMsg
	closeReq chan ws.StatusCode // a close frame to write, then stop (capacity 1)
	reason   atomic.Pointer[string]
	done     chan struct{} // closed when the writer has stopped
	closed   atomic.Bool   // no more sends are accepted
	lastIO   atomic.Int64  // wall time of the latest frame either way (idle detection)

	parser fastjson.Parser // the reader goroutine's
	priv   privateState    // the private endpoint's session (reader goroutine, and mu for subs)
}

// newConn wraps an upgraded connection.
func (s *Server) newConn(nc net.Conn, br *bufio.Reader, handler func(*wsConn, []byte)) *wsConn {
	n := s.connSeq.Add(1)
	c := &wsConn{
		srv: s, nc: nc, br: br, handler: handler,
		id:       connID(n),
		remote:   nc.RemoteAddr().String(),
		out:      make(chan outMsg, s.opts.SendQueue),
		closeReq: make(chan ws.StatusCode, 1),
		done:     make(chan struct{}),
	}
	c.lastIO.Store(time.Now().UnixNano())
	if br == nil {
		c.br = bufio.NewReaderSize(nc, 4096)
	}
	return c
}

// connID returns an 8-hex-digit connection id from a counter.
func connID(n uint64) string {
	x := n * 0x9e3779b97f4a7c15
	x ^= x >> 29
	var b [8]byte
	for i := range b {
		b[i] = hexDigits[(x>>(4*i))&15]
	}
	return string(b[:])
}

// serve runs the connection until it closes. It runs on the HTTP handler's goroutine.
func (c *wsConn) serve() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.writeLoop()
	}()
	c.readLoop()
	c.close(ws.StatusNormalClosure, "")
	// Let the writer finish its close frame, but never wait on a client that stopped reading.
	_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	wg.Wait()
	_ = c.nc.Close()
	c.srv.dropConn(c)
}

// send queues a text frame; false when the connection is closed or its queue overflowed (which
// closes it).
func (c *wsConn) send(data []byte) bool { return c.queue(outMsg{op: ws.OpText, data: data}) }

// sendPush queues a push of market sym ("" for a private push).
func (c *wsConn) sendPush(data []byte, sym string) bool {
	return c.queue(outMsg{op: ws.OpText, data: data, push: true, sym: sym})
}

func (c *wsConn) queue(m outMsg) bool {
	if c.closed.Load() {
		return false
	}
	m.at = time.Now().UnixNano()
	select {
	case c.out <- m:
		return true
	default:
		c.close(closeBufferFull, reasonBufferFull)
		return false
	}
}

// close asks the writer to send a close frame with code and reason and stop. Only the first
// call counts.
func (c *wsConn) close(code ws.StatusCode, reason string) {
	if c.closed.Swap(true) {
		return
	}
	c.reason.Store(&reason)
	c.closeReq <- code
}

// writeLoop writes queued frames until a close is requested or a write fails.
func (c *wsConn) writeLoop() {
	defer close(c.done)
	bw := bufio.NewWriterSize(c.nc, 32<<10)
	var hdr [10]byte
	latency := c.srv.v.Latency()
	idle := c.srv.opts.IdleTimeout
	var tick <-chan time.Time
	if idle > 0 {
		t := time.NewTicker(idle / 4)
		defer t.Stop()
		tick = t.C
	}
	write := func(op ws.OpCode, p []byte) error {
		if _, err := bw.Write(appendFrameHeader(hdr[:0], op, len(p))); err != nil {
			return err
		}
		_, err := bw.Write(p)
		return err
	}
	closeWith := func(code ws.StatusCode) {
		reason := ""
		if r := c.reason.Load(); r != nil {
			reason = *r
		}
		_ = write(ws.OpClose, ws.NewCloseFrameBody(code, reason))
		_ = bw.Flush()
		// The client answers with its own close frame; the reader waits briefly for it.
		_ = c.nc.SetReadDeadline(time.Now().Add(2 * time.Second))
	}
	for {
		select {
		case m := <-c.out:
			if latency > 0 {
				if d := time.Duration(m.at + int64(latency) - time.Now().UnixNano()); d > 0 {
					if bw.Flush() != nil {
						return
					}
					select {
					case <-time.After(d):
					case code := <-c.closeReq:
						closeWith(code)
						return
					}
				}
			}
			if m.push && c.srv.v.Fault(sim.FaultDisconnect, m.sym) {
				c.closed.Store(true)
				r := reasonAbnormal
				c.reason.Store(&r)
				closeWith(closeAbnormal)
				return
			}
			if write(m.op, m.data) != nil {
				c.closed.Store(true)
				return
			}
			c.lastIO.Store(time.Now().UnixNano())
			if len(c.out) == 0 && bw.Flush() != nil {
				c.closed.Store(true)
				return
			}
		case code := <-c.closeReq:
			closeWith(code)
			return
		case now := <-tick:
			if now.UnixNano()-c.lastIO.Load() > int64(idle) {
				c.close(closeIdle, reasonIdle)
			}
		}
	}
}

// readLoop reads frames and hands complete text messages to the handler until the client
// closes or the connection fails. Once the server has sent its close frame, frames are read and
// dropped until the client's close frame (or the read deadline the writer set), so that unread
// data never turns the close into a TCP reset.
func (c *wsConn) readLoop() {
	var frag []byte
	fragmented := false
	for {
		h, err := ws.ReadHeader(c.br)
		if err != nil {
			return
		}
		if c.closed.Load() && h.OpCode != ws.OpClose {
			if _, err := io.CopyN(io.Discard, c.br, h.Length); err != nil {
				return
			}
			continue
		}
		if h.Length > maxRequest || (fragmented && int64(len(frag))+h.Length > maxRequest) {
			c.close(closeTooBig, reasonTooBig)
			if _, err := io.CopyN(io.Discard, c.br, h.Length); err != nil {
				return
			}
			continue
		}
		payload := make([]byte, h.Length)
		if _, err := io.ReadFull(c.br, payload); err != nil {
			return
		}
		if h.Masked {
			ws.Cipher(payload, h.Mask, 0)
		}
		c.lastIO.Store(time.Now().UnixNano())
		switch h.OpCode {
		case ws.OpText, ws.OpBinary:
			if !h.Fin {
				frag, fragmented = append(frag[:0], payload...), true
				continue
			}
			fragmented = false
			c.handler(c, payload)
		case ws.OpContinuation:
			if !fragmented {
				c.close(ws.StatusProtocolError, "unexpected continuation frame")
				continue
			}
			frag = append(frag, payload...)
			if h.Fin {
				fragmented = false
				c.handler(c, frag)
			}
		case ws.OpPing:
			c.queue(outMsg{op: ws.OpPong, data: payload})
		case ws.OpPong:
		case ws.OpClose:
			code := ws.StatusNormalClosure
			if len(payload) >= 2 {
				code = ws.StatusCode(binary.BigEndian.Uint16(payload))
			}
			c.close(code, "") // echo, unless the server closed first
			return
		default:
			c.close(ws.StatusProtocolError, "unknown opcode "+strconv.Itoa(int(h.OpCode)))
		}
	}
}

// appendFrameHeader appends the header of an unmasked final frame of op with an n-byte payload.
func appendFrameHeader(dst []byte, op ws.OpCode, n int) []byte {
	b0 := 0x80 | byte(op)
	switch {
	case n < 126:
		return append(dst, b0, byte(n))
	case n <= 0xffff:
		return append(dst, b0, 126, byte(n>>8), byte(n))
	}
	dst = append(dst, b0, 127)
	return binary.BigEndian.AppendUint64(dst, uint64(n))
}
