package transport

import (
	"errors"
	"fmt"

	"github.com/gobwas/ws"
)

var (
	// ErrFrameTooLarge: a frame, or a message reassembled from fragments, is longer than
	// Config.MaxFrameSize. The connection is closed (status 1009) without reading the payload,
	// so memory never grows past the limit.
	ErrFrameTooLarge = errors.New("transport: frame too large")
	// ErrProtocol: the server broke RFC 6455 (masked frame, bad fragmentation, bad control
	// frame, reserved bits or opcodes). The connection is closed (status 1002).
	ErrProtocol = errors.New("transport: websocket protocol error")
	// ErrClosed: the peer closed the connection (close frame or end of stream), or the Conn was
	// closed locally.
	ErrClosed = errors.New("transport: connection closed")
)

// CloseError is returned by ReadMessage when the server sent a close frame; the Conn has
// answered with a close frame of the same code and closed the socket. errors.Is(err, ErrClosed)
// holds.
type CloseError struct {
	Code   ws.StatusCode // ws.StatusNoStatusRcvd when the frame carried no code
	Reason string
}

func (e *CloseError) Error() string {
	return fmt.Sprintf("transport: closed by peer: status %d %q", e.Code, e.Reason)
}

// Unwrap returns ErrClosed.
func (e *CloseError) Unwrap() error { return ErrClosed }
