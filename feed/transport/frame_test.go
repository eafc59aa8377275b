package transport

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gobwas/ws"
)

func TestParseHeader(t *testing.T) {
	mask := [4]byte{1, 2, 3, 4}
	tests := []struct {
		name string
		h    ws.Header
	}{
		{"empty text", ws.Header{Fin: true, OpCode: ws.OpText}},
		{"len=125", ws.Header{Fin: true, OpCode: ws.OpText, Length: 125}},
		{"len=126", ws.Header{Fin: true, OpCode: ws.OpBinary, Length: 126}},
		{"len=65535", ws.Header{Fin: true, OpCode: ws.OpText, Length: 65535}},
		{"len=65536", ws.Header{Fin: true, OpCode: ws.OpText, Length: 65536}},
		{"len=max", ws.Header{Fin: true, OpCode: ws.OpText, Length: 1<<63 - 1}},
		{"fragment", ws.Header{Fin: false, OpCode: ws.OpContinuation, Length: 3}},
		{"rsv", ws.Header{Fin: true, Rsv: 5, OpCode: ws.OpText, Length: 1}},
		{"masked small", ws.Header{Fin: true, OpCode: ws.OpPing, Masked: true, Mask: mask, Length: 4}},
		{"masked 16-bit", ws.Header{Fin: true, OpCode: ws.OpText, Masked: true, Mask: mask, Length: 300}},
		{"masked 64-bit", ws.Header{Fin: true, OpCode: ws.OpText, Masked: true, Mask: mask, Length: 70000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// gobwas encodes, we parse; we encode, gobwas parses.
			var ref bytes.Buffer
			if err := ws.WriteHeader(&ref, tt.h); err != nil {
				t.Fatal(err)
			}
			h, n, err := parseHeader(ref.Bytes())
			if err != nil || n != ref.Len() || h != tt.h {
				t.Fatalf("parseHeader(%x) = %+v, %d, %v; want %+v, %d", ref.Bytes(), h, n, err, tt.h, ref.Len())
			}
			buf := make([]byte, ws.MaxHeaderSize)
			m := putHeader(buf, tt.h)
			if !bytes.Equal(buf[:m], ref.Bytes()) {
				t.Fatalf("putHeader = %x, want %x", buf[:m], ref.Bytes())
			}
			back, err := ws.ReadHeader(bytes.NewReader(buf[:m]))
			if err != nil || back != tt.h {
				t.Fatalf("ws.ReadHeader(putHeader) = %+v, %v", back, err)
			}
			// Every strict prefix is incomplete, not an error.
			for i := 0; i < m; i++ {
				if _, n, err := parseHeader(buf[:i]); n != 0 || err != nil {
					t.Fatalf("prefix %d: n=%d err=%v, want incomplete", i, n, err)
				}
			}
		})
	}
}

func TestParseHeaderLengthTopBit(t *testing.T) {
	b := []byte{0x81, 127, 0x80, 0, 0, 0, 0, 0, 0, 1}
	if _, _, err := parseHeader(b); !errors.Is(err, ErrProtocol) {
		t.Fatalf("err = %v, want ErrProtocol", err)
	}
}

func TestCheckHeader(t *testing.T) {
	tests := []struct {
		name        string
		h           ws.Header
		fragmenting bool
		ok          bool
	}{
		{"text", ws.Header{Fin: true, OpCode: ws.OpText, Length: 10}, false, true},
		{"binary first fragment", ws.Header{OpCode: ws.OpBinary, Length: 10}, false, true},
		{"continuation", ws.Header{OpCode: ws.OpContinuation, Length: 10}, true, true},
		{"ping in fragmented message", ws.Header{Fin: true, OpCode: ws.OpPing, Length: 125}, true, true},
		{"close", ws.Header{Fin: true, OpCode: ws.OpClose, Length: 2}, false, true},
		{"rsv", ws.Header{Fin: true, Rsv: 4, OpCode: ws.OpText}, false, false},
		{"masked", ws.Header{Fin: true, OpCode: ws.OpText, Masked: true}, false, false},
		{"text inside fragmented", ws.Header{Fin: true, OpCode: ws.OpText}, true, false},
		{"lone continuation", ws.Header{Fin: true, OpCode: ws.OpContinuation}, false, false},
		{"fragmented ping", ws.Header{OpCode: ws.OpPing}, false, false},
		{"long pong", ws.Header{Fin: true, OpCode: ws.OpPong, Length: 126}, false, false},
		{"reserved opcode", ws.Header{Fin: true, OpCode: 0x3}, false, false},
		{"reserved control opcode", ws.Header{Fin: true, OpCode: 0xb}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkHeader(tt.h, tt.fragmenting)
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrProtocol)) {
				t.Fatalf("checkHeader = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
