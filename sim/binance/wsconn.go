package binance

import (
	"bufio"
	"ems/core/jsontext"
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"

	"ems/sim"
)

// Close codes the server sends.
const (
	statusGoingAway = ws.StatusGoingAway       // server closing, or the disconnect fault
	statusPolicy    = ws.StatusPolicyViolation // slow consumer, pong timeout
	statusTooBig    = ws.StatusMessageTooBig
	statusProtocol  = ws.StatusProtocolError
)

// maxFrame bounds a client message (requests are small JSON objects).
const maxFrame = 1 << 20

// writeTimeout bounds each frame written to a client.
const writeTimeout = 10 * time.Second

// msgKind says how the writer frames a queued message.
type msgKind uint8

const (
	msgRaw    msgKind = iota // the payload as it is (responses)
	msgStream                // market data: {"stream":name,"data":payload} on combined connections
	msgUser                  // user data: {"subscriptionId":id,"event":payload}
)

// outMsg is a message queued for a connection. payload is shared between connections and never
// modified once queued.
type outMsg struct {
	kind    msgKind
	stream  string
	subID   int
	payload []byte
	at      time.Time  // when queued: it is written at at + the venue's latency
	slot    *replySlot // a reserved place whose payload comes later (see reserve)
}

// replySlot is a response's reserved place in a connection's queue.
type replySlot struct{ ch chan []byte }

// fill gives the slot its payload; the writer, which waits for it, sends it then.
func (r *replySlot) fill(p []byte) { r.ch <- p }

// wsConn is the server side of one WebSocket connection: its reader runs on the HTTP handler's
// goroutine (serve), its writer on its own. Venue callbacks and handlers queue messages with
// send, which never blocks: a connection whose queue exceeds Options.MaxQueue is dropped as a
// slow consumer. The venue's latency is added to every message and response.
type wsConn struct {
	s      *Server
	nc     net.Conn
	br     *bufio.Reader
	remote string // client address, the rate-limit key

	combined atomic.Bool // market data: wrap stream payloads in the combined envelope
	lastPong atomic.Int64

	onText  func(c *wsConn, msg []byte) // handles each text or binary message, on the reader
	onClose func(c *wsConn)

	wmu sync.Mutex // serializes frame writes (writer, pongs, close)

	mu     sync.Mutex // guards queue and closed
	queue  []outMsg
	closed bool
	wake   chan struct{}
	done   chan struct{}
	once   sync.Once

	// Market-data subscriptions (stream names, in subscription order). Guarded by hub.mu.
	streams []string
	// User data subscriptions of a WebSocket API connection. Touched by the reader only.
	nextSub int
}

func newConn(s *Server, nc net.Conn, br *bufio.Reader, remote string) *wsConn {
	c := &wsConn{s: s, nc: nc, br: br, remote: remote, wake: make(chan struct{}, 1), done: make(chan struct{})}
	c.lastPong.Store(time.Now().UnixNano())
	return c
}

// serve runs the connection: the writer on a new goroutine, the reader here, until either ends.
func (c *wsConn) serve() {
	go c.writeLoop()
	c.readLoop()
	c.closeWith(statusGoingAway, "")
	if c.onClose != nil {
		c.onClose(c)
	}
}

// send queues m. It reports false when the connection is closed or has just been dropped for
// falling behind.
func (c *wsConn) send(m outMsg) bool {
	m.at = time.Now()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	if len(c.queue) >= c.s.opts.MaxQueue {
		c.mu.Unlock()
		go c.closeWith(statusPolicy, "slow consumer")
		return false
	}
	c.queue = append(c.queue, m)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return true
}

// reserve queues a place for a response whose payload is not known yet; the writer waits at it
// until fill. Messages queued after it go out after it.
func (c *wsConn) reserve() *replySlot {
	r := &replySlot{ch: make(chan []byte, 1)}
	if !c.send(outMsg{slot: r}) {
		return &replySlot{ch: make(chan []byte, 1)} // nobody waits: fill still does not block
	}
	return r
}

// closeWith closes the connection with a close frame (code, reason), once. Safe from any
// goroutine.
func (c *wsConn) closeWith(code ws.StatusCode, reason string) {
	c.once.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.queue = nil
		close(c.done)
		c.mu.Unlock()
		body := make([]byte, 2, 2+len(reason))
		binary.BigEndian.PutUint16(body, uint16(code))
		body = append(body, reason...)
		_ = c.writeFrame(ws.OpClose, body)
		_ = c.nc.Close()
	})
}

// writeFrame writes one unmasked frame.
func (c *wsConn) writeFrame(op ws.OpCode, p []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	return ws.WriteFrame(c.nc, ws.NewFrame(op, true, p))
}

// writeLoop writes queued messages in order, each no earlier than the venue's latency after it
// was queued; pings the client every PingInterval and drops it when a ping stays unanswered for
// PongTimeout; and asks the disconnect fault at every batch and ping.
func (c *wsConn) writeLoop() {
	latency := c.s.v.Latency()
	ping := time.NewTicker(c.s.opts.PingInterval)
	defer ping.Stop()
	var buf []byte
	var batch []outMsg
	pingSent := int64(0)
	for {
		select {
		case <-c.done:
			return
		case <-ping.C:
			now := time.Now().UnixNano()
			if pingSent > c.lastPong.Load() && now-pingSent > int64(c.s.opts.PongTimeout) {
				c.closeWith(statusPolicy, "pong timeout")
				return
			}
			if c.s.v.Fault(sim.FaultDisconnect, "") {
				c.closeWith(statusGoingAway, "simulated disconnect")
				return
			}
			if pingSent <= c.lastPong.Load() {
				pingSent = now
			}
			if c.writeFrame(ws.OpPing, strconv.AppendInt(buf[:0], now, 10)) != nil {
				c.closeWith(statusGoingAway, "")
				return
			}
			continue
		case <-c.wake:
		}
		c.mu.Lock()
		batch = append(batch[:0], c.queue...)
		clear(c.queue)
		c.queue = c.queue[:0]
		c.mu.Unlock()
		for i := range batch {
			m := &batch[i]
			if d := time.Until(m.at.Add(latency)); d > 0 && !c.sleep(d) {
				return
			}
			p := m.payload
			if m.slot != nil {
				select {
				case p = <-m.slot.ch:
				case <-c.done:
					return
				}
			}
			buf = c.frame(buf[:0], m, p)
			if c.writeFrame(ws.OpText, buf) != nil {
				c.closeWith(statusGoingAway, "")
				return
			}
		}
		clear(batch)
		if len(batch) > 0 && c.s.v.Fault(sim.FaultDisconnect, "") {
			c.closeWith(statusGoingAway, "simulated disconnect")
			return
		}
	}
}

// frame appends m's payload p as the connection writes it.
func (c *wsConn) frame(dst []byte, m *outMsg, p []byte) []byte {
	switch {
	case m.kind == msgStream && c.combined.Load():
		dst = append(dst, `{"stream":`...)
		dst = jsontext.AppendString(dst, m.stream)
		dst = append(dst, `,"data":`...)
		dst = append(dst, p...)
		return append(dst, '}')
	case m.kind == msgUser:
		dst = append(dst, `{"subscriptionId":`...)
		dst = strconv.AppendInt(dst, int64(m.subID), 10)
		dst = append(dst, `,"event":`...)
		dst = append(dst, p...)
		return append(dst, '}')
	}
	return append(dst, p...)
}

// sleep waits d, or reports false when the connection closes first.
func (c *wsConn) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.done:
		return false
	}
}

// readLoop reads client frames until the connection ends: pings are answered with pongs, pongs
// noted, a close frame echoed, text (and binary) messages, reassembled from fragments, given to
// onText.
func (c *wsConn) readLoop() {
	var msg []byte
	fragmented := false
	for {
		h, err := ws.ReadHeader(c.br)
		if err != nil {
			return
		}
		if h.Length > maxFrame || int64(len(msg))+h.Length > maxFrame {
			c.closeWith(statusTooBig, "message too big")
			return
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(c.br, p); err != nil {
			return
		}
		if h.Masked {
			ws.Cipher(p, h.Mask, 0)
		}
		switch h.OpCode {
		case ws.OpPing:
			if c.writeFrame(ws.OpPong, p) != nil {
				return
			}
		case ws.OpPong:
			c.lastPong.Store(time.Now().UnixNano())
		case ws.OpClose:
			code := ws.StatusNormalClosure
			if len(p) >= 2 {
				code = ws.StatusCode(binary.BigEndian.Uint16(p))
			}
			if code.IsProtocolReserved() || len(p) == 1 {
				code = statusProtocol
			}
			c.closeWith(code, "")
			return
		case ws.OpText, ws.OpBinary:
			if fragmented {
				c.closeWith(statusProtocol, "data frame inside a fragmented message")
				return
			}
			if !h.Fin {
				fragmented, msg = true, append(msg[:0], p...)
				continue
			}
			if c.onText != nil {
				c.onText(c, p)
			}
		case ws.OpContinuation:
			if !fragmented {
				c.closeWith(statusProtocol, "continuation without a first frame")
				return
			}
			msg = append(msg, p...)
			if h.Fin {
				fragmented = false
				if c.onText != nil {
					c.onText(c, msg)
				}
				msg = nil
			}
		default:
			c.closeWith(statusProtocol, "unknown opcode")
			return
		}
	}
}
