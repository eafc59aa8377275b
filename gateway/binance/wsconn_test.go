package binance

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"testing"

	"github.com/gobwas/ws"
)

// recordConn records what is written and reads from a fixed buffer.
type recordConn struct {
	net.Conn
	in  *bytes.Reader
	out bytes.Buffer
}

func (c *recordConn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *recordConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *recordConn) Close() error                { return nil }

func newTestConn(in []byte) (*wsConn, *recordConn) {
	rc := &recordConn{in: bytes.NewReader(in)}
	return &wsConn{nc: rc, br: bufio.NewReader(rc), rng: 7}, rc
}

func TestWSRead(t *testing.T) {
	long := bytes.Repeat([]byte("x"), 300)
	var in []byte
	in = append(in, 0x89, 2, 'h', 'i')          // ping "hi"
	in = append(in, 0x01, 3, 'a', 'b', 'c')     // text, not final
	in = append(in, 0x8a, 0)                    // pong between fragments
	in = append(in, 0x80, 2, 'd', 'e')          // final continuation
	in = append(in, serverFrame(long)...)       // 16-bit length
	in = append(in, 0x81|0, 0x80|1, 1, 2, 3, 4) // masked one-byte text
	in = append(in, 1^'z')
	in = append(in, 0x88, 2, 0x03, 0xe8) // close
	c, _ := newTestConn(in)
	var pings []string
	c.onPing = func(p []byte) { pings = append(pings, string(p)) }
	want := []string{"abcde", string(long), "z"}
	for _, w := range want {
		op, msg, err := c.read()
		if err != nil || op != ws.OpText || string(msg) != w {
			t.Fatalf("read %v %q %v, want %q", op, msg, err, w)
		}
	}
	if _, _, err := c.read(); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
	if len(pings) != 1 || pings[0] != "hi" {
		t.Fatalf("pings %q", pings)
	}
}

func TestWSReadRefuses(t *testing.T) {
	for _, in := range [][]byte{
		{0x89, 126, 0, 200},                    // control frame longer than 125
		{0x81, 127, 0xff, 0, 0, 0, 0, 0, 0, 0}, // beyond maxMessage
		{0x81, 5, 'a'},                         // truncated
	} {
		c, _ := newTestConn(in)
		if _, _, err := c.read(); err == nil {
			t.Errorf("% x: accepted", in)
		}
	}
}

func TestWSWrite(t *testing.T) {
	for _, n := range []int{0, 125, 126, 70000} {
		c, rc := newTestConn(nil)
		p := bytes.Repeat([]byte("q"), n)
		if err := c.write(ws.OpText, p); err != nil {
			t.Fatal(err)
		}
		h, err := ws.ReadHeader(&rc.out)
		if err != nil || !h.Fin || h.OpCode != ws.OpText || !h.Masked || h.Length != int64(n) {
			t.Fatalf("n=%d: header %+v %v", n, h, err)
		}
		body := rc.out.Bytes()
		ws.Cipher(body, h.Mask, 0)
		if !bytes.Equal(body, p) {
			t.Fatalf("n=%d: payload differs", n)
		}
	}
}

func FuzzWSRead(f *testing.F) {
	f.Add([]byte{0x89, 2, 'h', 'i', 0x81, 1, 'a'})
	f.Add(serverFrame(bytes.Repeat([]byte("y"), 200)))
	f.Add([]byte{0x01, 1, 'a', 0x80, 1, 'b', 0x88, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		c, _ := newTestConn(in)
		c.onPing = func([]byte) {}
		for i := 0; i < 8; i++ {
			_, msg, err := c.read()
			if err != nil {
				return
			}
			if len(msg) > len(in) {
				t.Fatalf("message of %d bytes from %d", len(msg), len(in))
			}
		}
	})
}
