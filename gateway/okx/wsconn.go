package okx

import (
	"bufio"
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"time"

	"github.com/gobwas/ws"
)

// The client side of the private WebSocket: the handshake is gobwas/ws's Dialer; frames are
// read and written here, so that the read side (the session's reader goroutine) and the write
// side (the sender, under the session lock) are separate and neither allocates per frame.
//
// Frames (RFC 6455 section 5.2):
//
//	byte 0      FIN(1) RSV(3)=0 opcode(4)
//	byte 1      MASK(1) len7          len7 < 126: payload length
//	+2 bytes    len16 (big endian)    when len7 == 126
//	+8 bytes    len64 (big endian)    when len7 == 127
//	+4 bytes    masking key           client frames only (MASK = 1); server frames are unmasked

// maxFrame bounds a server message; a longer one fails the connection.
const maxFrame = 4 << 20

// errFrame is a protocol error of the server's framing.
var errFrame = errors.New("okx: websocket protocol error")

// wsConn is one client WebSocket connection. The read side (readMessage) belongs to one
// goroutine, the write side (writeFrame) to whoever holds the session lock.
type wsConn struct {
	nc   net.Conn
	br   *bufio.Reader
	rbuf []byte // the message being read; reused
	hdr  [14]byte
	// A fragmented message in progress across a returned control frame: its opcode.
	fragOp ws.OpCode

	wbuf []byte // the frame being written; reused
	rng  *rand.ChaCha8
}

// dialWS connects to url within timeout.
func dialWS(ctx context.Context, url string, timeout time.Duration) (*wsConn, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	nc, br, _, err := ws.Dialer{}.Dial(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("okx: dial %s: %w", url, err)
	}
	c, _ := newWSConn(nc)
	if br != nil {
		c.br = br // it may hold frames sent right behind the handshake
	}
	return c, nil
}

// newWSConn wraps an established connection.
func newWSConn(nc net.Conn) (*wsConn, error) {
	var seed [32]byte
	_, _ = crand.Read(seed[:])
	return &wsConn{nc: nc, br: bufio.NewReaderSize(nc, 64<<10), rbuf: make([]byte, 0, 64<<10),
		wbuf: make([]byte, 0, 1024), rng: rand.NewChaCha8(seed)}, nil
}

// readMessage returns the next data message, or a ping or close frame (op tells which). The
// payload is valid until the next call.
func (c *wsConn) readMessage() (op ws.OpCode, payload []byte, err error) {
	if c.fragOp == 0 {
		c.rbuf = c.rbuf[:0]
	}
	for {
		if _, err := io.ReadFull(c.br, c.hdr[:2]); err != nil {
			return 0, nil, err
		}
		fin := c.hdr[0]&0x80 != 0
		fop := ws.OpCode(c.hdr[0] & 0x0f)
		if c.hdr[0]&0x70 != 0 || c.hdr[1]&0x80 != 0 {
			return 0, nil, errFrame // reserved bits, or a masked server frame
		}
		n := int64(c.hdr[1] & 0x7f)
		switch n {
		case 126:
			if _, err := io.ReadFull(c.br, c.hdr[2:4]); err != nil {
				return 0, nil, err
			}
			n = int64(binary.BigEndian.Uint16(c.hdr[2:4]))
		case 127:
			if _, err := io.ReadFull(c.br, c.hdr[2:10]); err != nil {
				return 0, nil, err
			}
			n = int64(binary.BigEndian.Uint64(c.hdr[2:10]))
		}
		if n < 0 || int64(len(c.rbuf))+n > maxFrame {
			return 0, nil, errFrame
		}
		if fop.IsControl() {
			var ctl [125]byte
			if !fin || n > 125 {
				return 0, nil, errFrame
			}
			if _, err := io.ReadFull(c.br, ctl[:n]); err != nil {
				return 0, nil, err
			}
			if fop == ws.OpPong {
				continue
			}
			// Control frames interleave with fragments: return them in the scratch tail.
			start := len(c.rbuf)
			c.rbuf = append(c.rbuf, ctl[:n]...)
			p := c.rbuf[start:]
			c.rbuf = c.rbuf[:start]
			return fop, p, nil
		}
		start := len(c.rbuf)
		c.rbuf = grow(c.rbuf, int(n))
		if _, err := io.ReadFull(c.br, c.rbuf[start:]); err != nil {
			return 0, nil, err
		}
		if fop != ws.OpContinuation {
			c.fragOp = fop
		}
		if fin {
			op, c.fragOp = c.fragOp, 0
			return op, c.rbuf, nil
		}
	}
}

// grow extends b by n bytes.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}

// writeFrame writes one masked final frame of op carrying p.
// REQUIRES: the session lock is held (one writer at a time).
func (c *wsConn) writeFrame(op ws.OpCode, p []byte) error {
	b := append(c.wbuf[:0], 0x80|byte(op))
	switch n := len(p); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	var mask [4]byte
	binary.LittleEndian.PutUint32(mask[:], uint32(c.rng.Uint64()))
	b = append(b, mask[:]...)
	start := len(b)
	b = append(b, p...)
	ws.Cipher(b[start:], mask, 0)
	c.wbuf = b
	_ = c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := c.nc.Write(b)
	return err
}

// close sends a normal close frame (best effort) and closes the socket.
// REQUIRES: the session lock is held.
func (c *wsConn) close() error {
	_ = c.writeFrame(ws.OpClose, []byte{0x03, 0xe8})
	return c.nc.Close()
}
