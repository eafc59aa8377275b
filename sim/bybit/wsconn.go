package bybit

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gobwas/ws"

	"ems/sim"
)

// connKind is the endpoint a WebSocket connection was opened on.
type connKind uint8

const (
	connPublic  connKind = 1 // /v5/public/{spot|linear}
	connPrivate connKind = 2 // /v5/private
	connTrade   connKind = 3 // /v5/trade
)

// maxFrame bounds a client message; a longer one closes the connection (1009).
const maxFrame = 1 << 20

// outMsg is one frame waiting in a connection's queue.
type outMsg struct {
	op   ws.OpCode
	data []byte    // not modified after queuing; may be shared by several connections
	due  time.Time // not written before (the venue's latency)
	// push marks data the venue pushes (market data, order and execution reports): the
	// disconnect fault is asked before writing one, for market.
	push   bool
	market string
}

// wsConn is one client WebSocket connection: a reader (the HTTP handler's goroutine, which also
// runs the request handlers) and a writer goroutine draining the outbound queue, so that the
// venue's callbacks only ever queue without blocking.
//
// Fields up to mu-guarded are fixed at creation. The subscription state (topics, the private
// account and its topic masks) is guarded by the Server's mu: the venue's callbacks read it.
type wsConn struct {
	s    *Server
	nc   net.Conn
	br   *bufio.Reader
	id   string
	kind connKind
	cat  category // public connections: the category of the path
	out  chan outMsg
	quit chan struct{} // closed by shutdown
	done chan struct{} // closed when the writer has closed the socket

	once   sync.Once
	code   ws.StatusCode
	reason string

	// Guarded by the Server's mu.
	topics    map[string]bool
	acct      *account
	orderCats uint8 // private: categories (bit 1<<cat) of the order topics subscribed
	execCats  uint8 // private: categories of the execution topics subscribed

	// Owned by the reader goroutine.
	authKey  sim.APIKey
	authed   bool
	reqIDs   map[string]struct{} // trade: reqIds seen (bounded)
	reqOrder []string
}

// upgrade turns an HTTP request into a WebSocket connection and registers it.
func (s *Server) upgrade(w http.ResponseWriter, r *http.Request, kind connKind, cat category) (*wsConn, error) {
	nc, rw, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		if nc != nil {
			nc.Close() // hijacked to write the refusal (HTTP 400): nothing else will use it
		}
		return nil, err
	}
	c := &wsConn{
		s: s, nc: nc, br: rw.Reader, kind: kind, cat: cat,
		id:     "sim-" + strconv.FormatUint(s.connSeq.Add(1), 10),
		out:    make(chan outMsg, s.opts.QueueLen),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
		topics: map[string]bool{},
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		nc.Close()
		return nil, errClosed
	}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	s.wg.Add(1)
	go c.writer()
	return c, nil
}

// send queues a frame without blocking. A full queue means the client does not keep up: the
// connection is closed (1008) rather than the venue stalled. It reports whether m was queued.
func (c *wsConn) send(m outMsg) bool {
	select {
	case <-c.quit:
		return false
	default:
	}
	select {
	case c.out <- m:
		return true
	default:
		c.shutdown(ws.StatusPolicyViolation, "slow consumer: outbound queue full")
		return false
	}
}

// reply queues a response to a request, due after the venue's latency plus extra.
func (c *wsConn) reply(data []byte, extra time.Duration) {
	c.send(outMsg{op: ws.OpText, data: data, due: time.Now().Add(c.s.v.Latency() + extra)})
}

// push queues a venue push of market's data, due after the venue's latency.
func (c *wsConn) push(data []byte, market string, due time.Time) {
	c.send(outMsg{op: ws.OpText, data: data, due: due, push: true, market: market})
}

// shutdown closes the connection with a close frame carrying code and reason; the first call
// decides them. It does not wait.
func (c *wsConn) shutdown(code ws.StatusCode, reason string) {
	c.once.Do(func() {
		c.code, c.reason = code, reason
		close(c.quit)
	})
}

// writer writes the queued frames in order, each at its due time, until shutdown, then sends
// the close frame and closes the socket.
func (c *wsConn) writer() {
	defer c.s.wg.Done()
	defer close(c.done)
	bw := bufio.NewWriterSize(c.nc, 32<<10)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer func() {
		c.nc.SetWriteDeadline(time.Now().Add(time.Second))
		body := ws.NewCloseFrameBody(c.code, c.reason)
		ws.WriteHeader(bw, ws.Header{Fin: true, OpCode: ws.OpClose, Length: int64(len(body))})
		bw.Write(body)
		bw.Flush()
		c.nc.Close()
	}()
	for {
		var m outMsg
		select {
		case <-c.quit:
			return
		case m = <-c.out:
		}
		if d := time.Until(m.due); d > 0 {
			if bw.Buffered() > 0 && bw.Flush() != nil {
				c.shutdown(ws.StatusAbnormalClosure, "")
				return
			}
			timer.Reset(d)
			select {
			case <-c.quit:
				return
			case <-timer.C:
			}
		}
		if m.push && c.s.v.Fault(sim.FaultDisconnect, m.market) {
			c.shutdown(ws.StatusGoingAway, "disconnect fault")
			return
		}
		err := ws.WriteHeader(bw, ws.Header{Fin: true, OpCode: m.op, Length: int64(len(m.data))})
		if err == nil {
			_, err = bw.Write(m.data)
		}
		if err == nil && len(c.out) == 0 {
			err = bw.Flush()
		}
		if err != nil {
			c.shutdown(ws.StatusAbnormalClosure, "")
			return
		}
	}
}

// serve reads client frames until the connection ends, answering pings and close frames and
// giving each text or binary message to handle; then it unregisters the connection.
func (c *wsConn) serve(handle func(msg []byte)) {
	defer c.s.dropConn(c)
	var frag []byte
	for {
		h, err := ws.ReadHeader(c.br)
		if err != nil {
			c.shutdown(ws.StatusNormalClosure, "")
			return
		}
		if h.Length > maxFrame || int64(len(frag))+h.Length > maxFrame {
			c.shutdown(ws.StatusMessageTooBig, "message too big")
			return
		}
		if !h.Masked {
			c.shutdown(ws.StatusProtocolError, "unmasked client frame")
			return
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(c.br, p); err != nil {
			c.shutdown(ws.StatusNormalClosure, "")
			return
		}
		ws.Cipher(p, h.Mask, 0)
		switch h.OpCode {
		case ws.OpPing:
			c.send(outMsg{op: ws.OpPong, data: p, due: time.Now()})
		case ws.OpPong:
		case ws.OpClose:
			code, _ := ws.ParseCloseFrameData(p)
			if code.Empty() {
				code = ws.StatusNormalClosure
			}
			c.shutdown(code, "")
			return
		case ws.OpText, ws.OpBinary:
			if !h.Fin {
				frag = p
				continue
			}
			handle(p)
		case ws.OpContinuation:
			frag = append(frag, p...)
			if h.Fin {
				msg := frag
				frag = nil
				handle(msg)
			}
		default:
			c.shutdown(ws.StatusProtocolError, "unknown opcode")
			return
		}
	}
}

// dropConn removes c from the server and from every subscription, and waits for its writer.
func (s *Server) dropConn(c *wsConn) {
	c.shutdown(ws.StatusNormalClosure, "")
	<-c.done
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	for topic := range c.topics {
		s.unsubscribeLocked(c, topic)
	}
	if c.acct != nil {
		c.acct.removeConn(c)
	}
}
