package transport

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gobwas/ws"
)

// TestReadMessageRandomChunks streams random messages (random sizes across the three length
// encodings, random fragmentation, pings between fragments) cut into random reads with read
// deadlines in between, and checks every message, its receive time and every pong.
func TestReadMessageRandomChunks(t *testing.T) {
	messages := 3000
	if raceEnabled {
		messages = 400
	}
	rng := rand.New(rand.NewPCG(7, 11))
	type sent struct {
		payload []byte
		start   int // stream offset of the message's first frame
	}
	var (
		stream []byte
		msgs   []sent
		pings  []string
	)
	for i := range messages {
		size := rng.IntN(3000)
		if rng.IntN(10) == 0 {
			size = 65536 + rng.IntN(5000) // 64-bit length encoding
		}
		p := make([]byte, size)
		for j := range p {
			p[j] = byte('a' + (i+j)%26)
		}
		msgs = append(msgs, sent{payload: p, start: len(stream)})
		parts := 1 + rng.IntN(4)
		for k := 0; k < parts; k++ {
			lo, hi := k*size/parts, (k+1)*size/parts
			op := ws.OpContinuation
			if k == 0 {
				op = ws.OpText
			}
			stream = append(stream, ws.MustCompileFrame(ws.NewFrame(op, k == parts-1, p[lo:hi]))...)
			if k < parts-1 && rng.IntN(3) == 0 {
				ping := fmt.Sprintf("ping %d.%d", i, k)
				pings = append(pings, ping)
				stream = append(stream, ws.MustCompileFrame(ws.NewPingFrame([]byte(ping)))...)
			}
		}
	}
	// Cut the stream into reads of 1 byte to 5000 bytes, with a deadline now and then. The
	// read buffer always has room for a whole chunk, so one chunk is one read, stamped with the
	// next clock value.
	var chunks [][]byte
	wantTS := make([]int64, len(msgs)) // clock value of the read that brings a message's first byte
	reads, next := int64(0), 0
	for off := 0; off < len(stream); {
		if rng.IntN(20) == 0 {
			chunks = append(chunks, nil)
		}
		n := min(1+rng.IntN(5000), len(stream)-off)
		reads++
		for ; next < len(msgs) && msgs[next].start < off+n; next++ {
			wantTS[next] = reads
		}
		chunks = append(chunks, stream[off:off+n])
		off += n
	}

	c, sc := scriptedConn(Config{Clock: &stepClock{}, ReadBufferSize: 256 << 10}, chunks...)
	for i, m := range msgs {
		var p []byte
		var ts int64
		var err error
		for {
			p, ts, err = c.ReadMessage()
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				break
			}
		}
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !bytes.Equal(p, m.payload) {
			t.Fatalf("message %d: %d bytes, want %d", i, len(p), len(m.payload))
		}
		if want := wantTS[i]; ts != want {
			t.Fatalf("message %d: recvTS %d, want %d", i, ts, want)
		}
	}
	if _, _, err := c.ReadMessage(); !errors.Is(err, ErrClosed) {
		t.Fatalf("after the stream: %v, want ErrClosed", err)
	}
	hs, ps := clientFrames(t, sc.out)
	if len(ps) != len(pings) {
		t.Fatalf("%d pongs for %d pings", len(ps), len(pings))
	}
	for i := range ps {
		if hs[i].OpCode != ws.OpPong || ps[i] != pings[i] {
			t.Fatalf("pong %d: opcode %d %q, want %q", i, hs[i].OpCode, ps[i], pings[i])
		}
	}
}
