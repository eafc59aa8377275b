package okx

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"testing"

	"github.com/gobwas/ws"
)

// serverFrame builds an unmasked server frame.
func serverFrame(fin bool, op ws.OpCode, p []byte) []byte {
	var b bytes.Buffer
	if err := ws.WriteHeader(&b, ws.Header{Fin: fin, OpCode: op, Length: int64(len(p))}); err != nil {
		panic(err)
	}
	b.Write(p)
	return b.Bytes()
}

// TestWSFrames: lengths of each header form, a fragmented message with a ping between its
// fragments, and a masked client frame the server side can read back.
func TestWSFrames(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	c := &wsConn{nc: client, br: bufio.NewReader(client), rng: nil}
	big := bytes.Repeat([]byte("x"), 70_000)
	mid := bytes.Repeat([]byte("y"), 300)
	go func() {
		var w bytes.Buffer
		w.Write(serverFrame(true, ws.OpText, []byte("pong")))
		w.Write(serverFrame(true, ws.OpText, mid))
		w.Write(serverFrame(true, ws.OpBinary, big))
		w.Write(serverFrame(false, ws.OpText, []byte(`{"a":`)))
		w.Write(serverFrame(true, ws.OpPing, []byte("hi")))
		w.Write(serverFrame(true, ws.OpPong, nil))
		w.Write(serverFrame(true, ws.OpContinuation, []byte(`1}`)))
		w.Write(serverFrame(true, ws.OpClose, []byte{0x0f, 0xa6}))
		_, _ = server.Write(w.Bytes())
	}()
	tests := []struct {
		op   ws.OpCode
		want []byte
	}{
		{ws.OpText, []byte("pong")}, {ws.OpText, mid}, {ws.OpBinary, big},
		{ws.OpPing, []byte("hi")}, {ws.OpText, []byte(`{"a":1}`)}, {ws.OpClose, []byte{0x0f, 0xa6}},
	}
	for i, tt := range tests {
		op, p, err := c.readMessage()
		if err != nil || op != tt.op || !bytes.Equal(p, tt.want) {
			t.Fatalf("message %d: op %v len %d err %v; want op %v len %d", i, op, len(p), err, tt.op, len(tt.want))
		}
	}
	if closeCode([]byte{0x0f, 0xa6}) != 4006 || closeCode(nil) != 1005 {
		t.Fatal("closeCode")
	}
}

func TestWSWriteMasked(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	c, err := newWSConn(client)
	if err != nil {
		t.Fatal(err)
	}
	msg := bytes.Repeat([]byte("order"), 40) // 200 bytes: the 16-bit length form
	go func() { _ = c.writeFrame(ws.OpText, msg) }()
	br := bufio.NewReader(server)
	h, err := ws.ReadHeader(br)
	if err != nil || !h.Masked || !h.Fin || h.OpCode != ws.OpText || h.Length != int64(len(msg)) {
		t.Fatalf("header %+v %v", h, err)
	}
	p := make([]byte, h.Length)
	if _, err := io.ReadFull(br, p); err != nil {
		t.Fatal(err)
	}
	ws.Cipher(p, h.Mask, 0)
	if !bytes.Equal(p, msg) {
		t.Fatalf("payload %q", p)
	}
}
