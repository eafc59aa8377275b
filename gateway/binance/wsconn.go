package binance

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gobwas/ws"
)

// WebSocket framing for the order-entry connection (RFC 6455 §5). The feeds' transport.Conn is
// owned by one goroutine; order entry needs a reader blocked on the socket while orders are
// written from another goroutine, so the session keeps this small client of its own: frames are
// read by the reader goroutine into a reused buffer and written, masked, from a reused buffer
// under the session's lock.
//
//	 0               1               2               3
//	+-+-+-+-+-------+-+-------------+-------------------------------+
//	|F|R|R|R| opcode|M| payload len | extended length (16 or 64)    |
//	|I|S|S|S|  (4)  |A|     (7)     | when len is 126 or 127        |
//	|N|V|V|V|       |S|             |                               |
//	+-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//	| masking key (client frames only, 4 bytes) | payload ...       |

// Frame limits.
const (
	maxMessage     = 4 << 20 // a longer message fails the connection
	readBufferSize = 64 << 10
)

// Framing errors.
var (
	ErrFrame  = errors.New("binance: malformed WebSocket frame")
	ErrClosed = errors.New("binance: connection closed")
)

// wsConn is one client WebSocket connection. Reads belong to one goroutine; writes to whoever
// holds the session's lock.
type wsConn struct {
	nc   net.Conn
	br   *bufio.Reader
	rbuf []byte // message being read; reused
	wbuf []byte // frame being written; reused
	rng  uint64 // xorshift state for masking keys
	hdr  [8]byte
	ctl  [125]byte // control frame payload
	// onPing answers a ping with its payload (valid during the call); set before reading.
	onPing func(payload []byte)
}

// dialWS connects to url and completes the WebSocket handshake within timeout.
func dialWS(ctx context.Context, url string, timeout time.Duration) (*wsConn, error) {
	d := ws.Dialer{Timeout: timeout}
	nc, br, _, err := d.Dial(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("binance: dial %s: %w", url, err)
	}
	var rd io.Reader = nc
	if br != nil { // bytes the server sent with the handshake are still in the dialer's reader
		rd = io.MultiReader(br, nc)
	}
	return &wsConn{
		nc:   nc,
		br:   bufio.NewReaderSize(rd, readBufferSize),
		rbuf: make([]byte, 0, readBufferSize),
		wbuf: make([]byte, 0, 4096),
		rng:  uint64(time.Now().UnixNano()) | 1,
	}, nil
}

// maskKey returns the next masking key. RFC 6455 asks for unpredictable keys to protect
// intermediaries from cache poisoning by browser scripts; a trading client talking to its venue
// needs only distinct ones.
func (c *wsConn) maskKey() [4]byte {
	c.rng ^= c.rng << 13
	c.rng ^= c.rng >> 7
	c.rng ^= c.rng << 17
	var k [4]byte
	binary.LittleEndian.PutUint32(k[:], uint32(c.rng>>16))
	return k
}

// write sends p as one masked, final frame of opcode op.
// REQUIRES: the caller holds the session's lock.
func (c *wsConn) write(op ws.OpCode, p []byte) error {
	b := c.wbuf[:0]
	b = append(b, 0x80|byte(op))
	switch n := len(p); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	k := c.maskKey()
	b = append(b, k[:]...)
	start := len(b)
	b = append(b, p...)
	ws.Cipher(b[start:], k, 0)
	c.wbuf = b
	_, err := c.nc.Write(b)
	return err
}

// read returns the next data message's payload. Pings are handed to onPing (which answers
// them) and pongs are skipped, also between the fragments of a message. A close frame or EOF
// returns ErrClosed. The payload is valid until the next read.
func (c *wsConn) read() (op ws.OpCode, payload []byte, err error) {
	msg := c.rbuf[:0]
	var msgOp ws.OpCode
	for {
		if _, err := io.ReadFull(c.br, c.hdr[:2]); err != nil {
			return 0, nil, readErr(err)
		}
		fin := c.hdr[0]&0x80 != 0
		fop := ws.OpCode(c.hdr[0] & 0x0f)
		masked := c.hdr[1]&0x80 != 0
		n := uint64(c.hdr[1] & 0x7f)
		switch n {
		case 126:
			if _, err := io.ReadFull(c.br, c.hdr[:2]); err != nil {
				return 0, nil, readErr(err)
			}
			n = uint64(binary.BigEndian.Uint16(c.hdr[:2]))
		case 127:
			if _, err := io.ReadFull(c.br, c.hdr[:8]); err != nil {
				return 0, nil, readErr(err)
			}
			n = binary.BigEndian.Uint64(c.hdr[:8])
		}
		var key [4]byte
		if masked { // servers do not mask; accepted all the same
			if _, err := io.ReadFull(c.br, c.hdr[:4]); err != nil {
				return 0, nil, readErr(err)
			}
			copy(key[:], c.hdr[:4])
		}
		if n > maxMessage || uint64(len(msg))+n > maxMessage {
			return 0, nil, ErrFrame
		}
		if fop.IsControl() {
			if !fin || n > 125 {
				return 0, nil, ErrFrame
			}
			ctl := c.ctl[:n]
			if _, err := io.ReadFull(c.br, ctl); err != nil {
				return 0, nil, readErr(err)
			}
			switch fop {
			case ws.OpClose:
				return 0, nil, ErrClosed
			case ws.OpPing:
				if masked {
					ws.Cipher(ctl, key, 0)
				}
				if c.onPing != nil {
					c.onPing(ctl)
				}
			}
			continue // pong
		}
		start := len(msg)
		if cap(msg)-start < int(n) {
			grown := make([]byte, start, start+int(n))
			copy(grown, msg)
			msg = grown
		}
		msg = msg[:start+int(n)]
		if _, err := io.ReadFull(c.br, msg[start:]); err != nil {
			return 0, nil, readErr(err)
		}
		if masked {
			ws.Cipher(msg[start:], key, 0)
		}
		if fop != ws.OpContinuation {
			msgOp = fop
		}
		if fin {
			c.rbuf = msg[:0]
			return msgOp, msg, nil
		}
	}
}

func readErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrClosed
	}
	return fmt.Errorf("binance: read: %w", err)
}

// close closes the socket (after a best-effort close frame when the caller holds the lock).
func (c *wsConn) close() error { return c.nc.Close() }
