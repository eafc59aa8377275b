package transport

import (
	"encoding/binary"
	"fmt"

	"github.com/gobwas/ws"
)

// WebSocket frame header (RFC 6455 section 5.2), network byte order. Byte 0 and 1 are always
// present; the extended length and the mask key follow when flagged:
//
//	byte 0   bit 7 FIN · bits 6-4 RSV1-3 · bits 3-0 opcode
//	byte 1   bit 7 MASK · bits 6-0 length L
//	         L <= 125: the payload length is L, no extension
//	         L == 126: bytes 2-3 hold the length (uint16)
//	         L == 127: bytes 2-9 hold the length (uint64, top bit 0)
//	then     4 bytes of mask key when MASK is set (client to server frames only)
//	then     the payload, XORed with the mask key byte by byte (i mod 4) when masked
//
// A header is 2 to 14 bytes (ws.MaxHeaderSize). Control frames (close, ping, pong) carry at most
// 125 payload bytes and are never fragmented.

// maxControlPayload is the largest payload a control frame may carry (RFC 6455 section 5.5).
const maxControlPayload = 125

// parseHeader decodes the frame header at the start of b. n is the header's size in bytes, or 0
// when b does not hold the whole header yet (read more and call again). It allocates nothing;
// ws.ReadHeader allocates a scratch slice per call, which is why the transport does not use it.
func parseHeader(b []byte) (h ws.Header, n int, err error) {
	if len(b) < 2 {
		return h, 0, nil
	}
	h.Fin = b[0]&0x80 != 0
	h.Rsv = (b[0] >> 4) & 0x07
	h.OpCode = ws.OpCode(b[0] & 0x0f)
	h.Masked = b[1]&0x80 != 0
	n = 2
	switch l := b[1] & 0x7f; l {
	case 126:
		if len(b) < 4 {
			return h, 0, nil
		}
		h.Length = int64(binary.BigEndian.Uint16(b[2:4]))
		n = 4
	case 127:
		if len(b) < 10 {
			return h, 0, nil
		}
		u := binary.BigEndian.Uint64(b[2:10])
		if u>>63 != 0 {
			return h, 0, fmt.Errorf("%w: 64-bit payload length with its top bit set", ErrProtocol)
		}
		h.Length = int64(u)
		n = 10
	default:
		h.Length = int64(l)
	}
	if h.Masked {
		if len(b) < n+4 {
			return h, 0, nil
		}
		copy(h.Mask[:], b[n:n+4])
		n += 4
	}
	return h, n, nil
}

// putHeader encodes h at the start of dst and returns its size.
// REQUIRES: len(dst) >= ws.MaxHeaderSize, h.Length >= 0.
func putHeader(dst []byte, h ws.Header) int {
	_ = dst[ws.MaxHeaderSize-1]
	b0 := byte(h.OpCode&0x0f) | (h.Rsv&0x07)<<4
	if h.Fin {
		b0 |= 0x80
	}
	dst[0] = b0
	var n int
	switch {
	case h.Length <= 125:
		dst[1] = byte(h.Length)
		n = 2
	case h.Length <= 0xffff:
		dst[1] = 126
		binary.BigEndian.PutUint16(dst[2:4], uint16(h.Length))
		n = 4
	default:
		dst[1] = 127
		binary.BigEndian.PutUint64(dst[2:10], uint64(h.Length))
		n = 10
	}
	if h.Masked {
		dst[1] |= 0x80
		n += copy(dst[n:n+4], h.Mask[:])
	}
	return n
}

// checkHeader applies the RFC 6455 rules a client enforces on a server frame, given whether a
// fragmented message is in progress.
func checkHeader(h ws.Header, fragmenting bool) error {
	switch {
	case h.Rsv != 0:
		return fmt.Errorf("%w: reserved bits %03b set without a negotiated extension", ErrProtocol, h.Rsv)
	case h.Masked:
		return fmt.Errorf("%w: masked frame from the server", ErrProtocol)
	}
	switch h.OpCode {
	case ws.OpText, ws.OpBinary:
		if fragmenting {
			return fmt.Errorf("%w: new data frame inside a fragmented message", ErrProtocol)
		}
	case ws.OpContinuation:
		if !fragmenting {
			return fmt.Errorf("%w: continuation frame without a message to continue", ErrProtocol)
		}
	case ws.OpClose, ws.OpPing, ws.OpPong:
		if !h.Fin {
			return fmt.Errorf("%w: fragmented control frame (opcode %#x)", ErrProtocol, byte(h.OpCode))
		}
		if h.Length > maxControlPayload {
			return fmt.Errorf("%w: control frame (opcode %#x) of %d bytes, over %d", ErrProtocol, byte(h.OpCode), h.Length, maxControlPayload)
		}
	default:
		return fmt.Errorf("%w: reserved opcode %#x", ErrProtocol, byte(h.OpCode))
	}
	return nil
}
