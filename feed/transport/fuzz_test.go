package transport

import (
	"testing"

	"github.com/gobwas/ws"
)

// FuzzReadMessage feeds arbitrary server bytes, cut into two reads at split, to a Conn: it must
// never panic, end with an error once the bytes run out, and keep its buffers within the limit.
func FuzzReadMessage(f *testing.F) {
	const limit = 1024
	f.Add(cat(frame(ws.OpText, true, `{"e":"trade"}`), frame(ws.OpPing, true, "p")), 3)
	f.Add(cat(frame(ws.OpText, false, "ab"), frame(ws.OpContinuation, true, "cd")), 5)
	f.Add(frame(ws.OpClose, true, string(ws.NewCloseFrameBody(ws.StatusGoingAway, "bye"))), 1)
	f.Add([]byte{0x81, 127, 0, 0, 0, 0, 0, 0, 4, 1}, 2)
	f.Fuzz(func(t *testing.T, stream []byte, split int) {
		if split < 0 || split > len(stream) {
			split = len(stream) / 2
		}
		c, _ := scriptedConn(Config{MaxFrameSize: limit, ReadBufferSize: 64}, stream[:split], stream[split:])
		for i := 0; ; i++ {
			p, _, err := c.ReadMessage()
			if err != nil {
				break
			}
			if len(p) > limit {
				t.Fatalf("message of %d bytes over the limit", len(p))
			}
			if i > len(stream) {
				t.Fatal("more messages than bytes")
			}
		}
		if c.BufferSize() > limit+ws.MaxHeaderSize || cap(c.mbuf) > 2*limit {
			t.Fatalf("buffers grew to %d and %d", c.BufferSize(), cap(c.mbuf))
		}
	})
}
