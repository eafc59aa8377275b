package coinbase

import (
	"bufio"
	"ems/core/jsontext"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"
	"github.com/valyala/fastjson"

	"ems/sim"
)

// WebSocket connections. Each connection has two goroutines: a reader that parses the client's
// frames and requests, and a writer that drains the connection's outbound queue. Everything the
// server sends goes through the queue, so one goroutine writes the socket and messages leave in
// the order they were queued; the writer numbers them (sequence_num, per connection) as it
// writes them, and it is where the market-data faults act: stale holds the queue back, gap skips
// a number, disconnect sends a close frame and drops the connection.

// Channel names on the wire.
const (
	chL2Data        = "l2_data"
	chMarketTrades  = "market_trades"
	chHeartbeats    = "heartbeats"
	chUser          = "user"
	chSubscriptions = "subscriptions"
)

// Close codes the server sends.
const (
	closeGoingAway     = ws.StatusGoingAway       // 1001: server closing, injected disconnect
	closePolicy        = ws.StatusPolicyViolation // 1008: slow consumer
	closeTooBig        = ws.StatusMessageTooBig   // 1009
	closeProtocolError = ws.StatusProtocolError   // 1002
)

// maxRequestSize bounds a client message.
const maxRequestSize = 1 << 20

// writeTimeout bounds one flush to the socket.
const writeTimeout = 10 * time.Second

// msgKind says how the writer turns an outMsg into a frame.
type msgKind uint8

const (
	msgEnvelope  msgKind = iota // {"channel":..,"client_id":"","timestamp":..,"sequence_num":..,"events":<events>}
	msgHeartbeat                // built when written
	msgRaw                      // a complete message (errors), no sequence number
	msgPong                     // pong control frame with events as payload
	msgClose                    // close frame (code, events as reason), then the connection ends
)

// outMsg is one queued message. events is shared between connections and never modified.
type outMsg struct {
	kind    msgKind
	channel string
	events  []byte
	market  *sim.Market // set for market data (l2_data, market_trades): the faults apply
	code    ws.StatusCode
	due     time.Time // not written before (the venue's latency)
}

// conn is one WebSocket connection.
type conn struct {
	s  *Server
	nc net.Conn
	br *bufio.Reader
	ip string

	mu      sync.Mutex // guards queue and closing
	queue   []outMsg
	closing bool
	wake    chan struct{} // cap 1: the queue is not empty
	done    chan struct{} // closed once the connection is finished
	once    sync.Once
	dying   atomic.Bool // closing, readable without mu
	hbOn    atomic.Bool // subscribed to heartbeats

	// Subscriptions, guarded by Server.mu.
	l2, tr      []bool // by market index
	user        bool
	userAccount uint32
	userMarkets []bool // by market index; nil: every market

	// Writer state.
	bw      *bufio.Writer
	seq     uint64
	started bool
	hbCount int64
	out     []byte

	parser fastjson.Parser // reader state
}

// serveWS upgrades the request and runs the connection.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	nc, rw, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return // UpgradeHTTP has answered with an HTTP error
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	n := len(s.v.Markets())
	c := &conn{s: s, nc: nc, br: rw.Reader, ip: ip, wake: make(chan struct{}, 1), done: make(chan struct{}),
		l2: make([]bool, n), tr: make([]bool, n), bw: bufio.NewWriterSize(nc, 64<<10)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		nc.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(2)
	s.mu.Unlock()
	go c.writeLoop()
	go c.readLoop()
}

// push queues m. A connection whose queue is full is closed (slow consumer): its backlog is
// dropped and a close frame is queued instead. Safe under Server.mu and the venue lock.
func (c *conn) push(m outMsg) {
	if d := c.s.v.Latency(); d > 0 && m.due.IsZero() {
		m.due = time.Now().Add(d)
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	if len(c.queue) >= c.s.opts.QueueLimit {
		c.closing = true
		c.dying.Store(true)
		c.queue = append(c.queue[:0], outMsg{kind: msgClose, code: closePolicy, events: []byte("slow consumer")})
	} else {
		c.queue = append(c.queue, m)
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// closeWith drops the backlog and queues a close frame; the writer sends it and ends the
// connection.
func (c *conn) closeWith(code ws.StatusCode, reason string) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	c.closing = true
	c.dying.Store(true)
	c.queue = append(c.queue[:0], outMsg{kind: msgClose, code: code, events: []byte(reason)})
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// shutdown ends the connection: the socket is closed and every subscription removed.
func (c *conn) shutdown() {
	c.once.Do(func() {
		c.dying.Store(true)
		close(c.done)
		c.nc.Close()
		c.s.removeConn(c)
	})
}

// take returns the queued messages and empties the queue.
func (c *conn) take(dst []outMsg) []outMsg {
	c.mu.Lock()
	dst = append(dst[:0], c.queue...)
	clear(c.queue)
	c.queue = c.queue[:0]
	c.mu.Unlock()
	return dst
}

// writeLoop drains the queue until the connection ends.
func (c *conn) writeLoop() {
	defer c.s.wg.Done()
	defer c.shutdown()
	hb := time.NewTicker(c.s.opts.HeartbeatInterval)
	defer hb.Stop()
	var batch []outMsg
	for {
		batch = c.take(batch)
		if len(batch) == 0 {
			select {
			case <-c.wake:
			case <-hb.C:
				if c.hbOn.Load() {
					c.push(outMsg{kind: msgHeartbeat, channel: chHeartbeats})
				}
			case <-c.done:
				return
			}
			continue
		}
		for i := range batch {
			if !c.send(&batch[i]) {
				return
			}
		}
		clear(batch)
		c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if c.bw.Flush() != nil {
			return
		}
		select {
		case <-hb.C:
			if c.hbOn.Load() {
				c.push(outMsg{kind: msgHeartbeat, channel: chHeartbeats})
			}
		default:
		}
	}
}

// send writes one message into the buffer; false ends the connection.
func (c *conn) send(m *outMsg) bool {
	if d := time.Until(m.due); d > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if c.bw.Flush() != nil {
			return false
		}
		time.Sleep(d)
	}
	v := c.s.v
	switch m.kind {
	case msgClose:
		c.writeClose(m.code, string(m.events))
		return false
	case msgPong:
		return c.writeFrame(ws.OpPong, m.events)
	case msgRaw:
		return c.writeFrame(ws.OpText, m.events)
	}
	if c.dying.Load() {
		return true // a close frame is queued: drop the rest
	}
	if v.Fault(sim.FaultDisconnect, "") {
		c.writeClose(closeGoingAway, "simulated disconnect")
		return false
	}
	symbol := ""
	if m.market != nil {
		symbol = m.market.Symbol
	}
	if m.market != nil || m.kind == msgHeartbeat {
		for v.Fault(sim.FaultStale, symbol) {
			if c.dying.Load() {
				return true // a close frame is queued: drop the rest
			}
			c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
			if c.bw.Flush() != nil {
				return false
			}
			time.Sleep(c.s.opts.StalePoll)
		}
	}
	if m.market != nil && v.Fault(sim.FaultGap, symbol) {
		c.seq++
	}
	b := c.envelope(m)
	return c.writeFrame(ws.OpText, b)
}

// envelope builds m's message in c.out, with the connection's next sequence number.
func (c *conn) envelope(m *outMsg) []byte {
	if c.started {
		c.seq++
	}
	c.started = true
	b := append(c.out[:0], `{"channel":`...)
	b = jsontext.AppendString(b, m.channel)
	b = append(b, `,"client_id":"","timestamp":"`...)
	now := c.s.v.Now()
	b = appendTime(b, now)
	b = append(b, `","sequence_num":`...)
	b = strconv.AppendUint(b, c.seq, 10)
	b = append(b, `,"events":`...)
	if m.kind == msgHeartbeat {
		c.hbCount++
		b = append(b, `[{"current_time":"`...)
		b = time.Unix(0, now).UTC().AppendFormat(b, "2006-01-02 15:04:05.999999999 -0700 MST")
		b = append(b, '"')
		b = appendIntString(b, "heartbeat_counter", c.hbCount)
		b = append(b, `}]`...)
	} else {
		b = append(b, m.events...)
	}
	b = append(b, '}')
	c.out = b
	return b
}

func (c *conn) writeFrame(op ws.OpCode, payload []byte) bool {
	if err := ws.WriteHeader(c.bw, ws.Header{Fin: true, OpCode: op, Length: int64(len(payload))}); err != nil {
		return false
	}
	_, err := c.bw.Write(payload)
	return err == nil
}

func (c *conn) writeClose(code ws.StatusCode, reason string) {
	body := ws.NewCloseFrameBody(code, reason)
	c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if c.writeFrame(ws.OpClose, body) {
		c.bw.Flush()
	}
}

// readLoop reads the client's frames until the connection ends.
func (c *conn) readLoop() {
	defer c.s.wg.Done()
	echo := false // the client closed: the writer echoes its close frame, then ends
	defer func() {
		if !echo {
			c.shutdown()
		}
	}()
	var msg []byte
	for {
		h, err := ws.ReadHeader(c.br)
		if err != nil {
			return
		}
		if h.Length > maxRequestSize || int64(len(msg))+h.Length > maxRequestSize {
			c.closeWith(closeTooBig, "message too big")
			return
		}
		payload := make([]byte, h.Length)
		if _, err := io.ReadFull(c.br, payload); err != nil {
			return
		}
		if h.Masked {
			ws.Cipher(payload, h.Mask, 0)
		}
		switch h.OpCode {
		case ws.OpClose:
			code, _ := ws.ParseCloseFrameData(payload)
			if code == 0 {
				code = ws.StatusNormalClosure
			}
			c.closeWith(code, "")
			echo = true
			return
		case ws.OpPing:
			c.push(outMsg{kind: msgPong, events: payload})
		case ws.OpPong:
		case ws.OpText, ws.OpBinary, ws.OpContinuation:
			if h.OpCode != ws.OpContinuation && len(msg) > 0 {
				c.closeWith(closeProtocolError, "unexpected data frame")
				return
			}
			msg = append(msg, payload...)
			if h.Fin {
				c.s.handleRequest(c, msg)
				msg = msg[:0]
			}
		default:
			c.closeWith(closeProtocolError, "unknown opcode")
			return
		}
	}
}

// removeConn drops c from the server's connections and subscriptions.
func (s *Server) removeConn(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	for i := range c.l2 {
		if c.l2[i] {
			s.level2[i] = without(s.level2[i], c)
			c.l2[i] = false
		}
		if c.tr[i] {
			s.trades[i] = without(s.trades[i], c)
			c.tr[i] = false
		}
	}
	if c.user {
		s.users[c.userAccount] = without(s.users[c.userAccount], c)
		c.user = false
	}
	c.hbOn.Store(false)
}

// without returns l without c, in a new array (a publish in progress keeps the old one).
func without(l []*conn, c *conn) []*conn {
	out := make([]*conn, 0, len(l))
	for _, x := range l {
		if x != c {
			out = append(out, x)
		}
	}
	return out
}

// headerHas reports whether header key holds token (comma-separated, case-insensitive).
func headerHas(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
