package transport

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

type msg struct {
	payload string
	ts      int64
	binary  bool
}

// TestReadMessageScripted feeds scripted reads to a Conn and checks the messages, their receive
// timestamps (the fake clock advances once per read), the frames the Conn wrote back and the
// final error.
func TestReadMessageScripted(t *testing.T) {
	text := func(p string) []byte { return frame(ws.OpText, true, p) }
	f2 := text("second")
	closeBody := func(code ws.StatusCode, reason string) string {
		return string(ws.NewCloseFrameBody(code, reason))
	}
	tests := []struct {
		name     string
		maxFrame int
		chunks   [][]byte
		want     []msg
		timeouts int
		out      []string // frames written by the client, "opcode:payload"
		err      error
	}{
		{
			name:   "frames in one read share its time",
			chunks: [][]byte{cat(text("a"), text("b"))},
			want:   []msg{{"a", 1, false}, {"b", 1, false}},
			err:    ErrClosed,
		},
		{
			name:   "a frame is stamped by the read that brought its first byte",
			chunks: [][]byte{cat(text("first"), f2[:1]), f2[1:], text("third")},
			want:   []msg{{"first", 1, false}, {"second", 1, false}, {"third", 3, false}},
			err:    ErrClosed,
		},
		{
			name:   "header split across reads",
			chunks: [][]byte{f2[:1], f2[1:2], f2[2:]},
			want:   []msg{{"second", 1, false}},
			err:    ErrClosed,
		},
		{
			name:   "frames on read boundaries",
			chunks: [][]byte{text("x"), text("y"), frame(ws.OpBinary, true, "z")},
			want:   []msg{{"x", 1, false}, {"y", 2, false}, {"z", 3, true}},
			err:    ErrClosed,
		},
		{
			name: "fragmented message with a ping between fragments",
			chunks: [][]byte{
				frame(ws.OpText, false, "hel"), frame(ws.OpPing, true, "p1"),
				frame(ws.OpContinuation, false, "lo "), frame(ws.OpContinuation, true, "world"),
				text("after"),
			},
			want: []msg{{"hello world", 1, false}, {"after", 5, false}},
			out:  []string{"10:p1"},
			err:  ErrClosed,
		},
		{
			name:   "fragmented binary message",
			chunks: [][]byte{cat(frame(ws.OpBinary, false, "ab"), frame(ws.OpContinuation, true, "cd"))},
			want:   []msg{{"abcd", 1, true}},
			err:    ErrClosed,
		},
		{
			name:     "a read deadline mid-frame is resumed",
			chunks:   [][]byte{f2[:4], nil, f2[4:], nil, text("next")},
			want:     []msg{{"second", 1, false}, {"next", 3, false}},
			timeouts: 2,
			err:      ErrClosed,
		},
		{
			name:   "ping answered with its payload, pong ignored",
			chunks: [][]byte{cat(frame(ws.OpPing, true, "are you there"), frame(ws.OpPong, true, "x"), text("m"))},
			want:   []msg{{"m", 1, false}},
			out:    []string{"10:are you there"},
			err:    ErrClosed,
		},
		{
			name:   "close frame echoed",
			chunks: [][]byte{cat(text("m"), frame(ws.OpClose, true, closeBody(ws.StatusGoingAway, "bye")))},
			want:   []msg{{"m", 1, false}},
			out:    []string{"8:" + closeBody(ws.StatusGoingAway, "")},
			err:    &CloseError{Code: ws.StatusGoingAway, Reason: "bye"},
		},
		{
			name:   "close frame without code",
			chunks: [][]byte{frame(ws.OpClose, true, "")},
			out:    []string{"8:"},
			err:    &CloseError{Code: ws.StatusNoStatusRcvd},
		},
		{
			name:     "frame over the limit refused from its header",
			maxFrame: 8,
			chunks:   [][]byte{text("12345678"), text("123456789")[:2]},
			want:     []msg{{"12345678", 1, false}},
			out:      []string{"8:" + closeBody(ws.StatusMessageTooBig, "")},
			err:      ErrFrameTooLarge,
		},
		{
			name:     "fragmented message over the limit",
			maxFrame: 8,
			chunks:   [][]byte{frame(ws.OpText, false, "12345"), frame(ws.OpContinuation, true, "6789")},
			out:      []string{"8:" + closeBody(ws.StatusMessageTooBig, "")},
			err:      ErrFrameTooLarge,
		},
		{
			name:   "masked server frame",
			chunks: [][]byte{ws.MustCompileFrame(ws.MaskFrameWith(ws.NewTextFrame([]byte("m")), [4]byte{1, 2, 3, 4}))},
			out:    []string{"8:" + closeBody(ws.StatusProtocolError, "")},
			err:    ErrProtocol,
		},
		{
			name:   "continuation without a message",
			chunks: [][]byte{frame(ws.OpContinuation, true, "m")},
			out:    []string{"8:" + closeBody(ws.StatusProtocolError, "")},
			err:    ErrProtocol,
		},
		{
			name:   "close frame with a 1-byte body",
			chunks: [][]byte{frame(ws.OpClose, true, "x")},
			out:    []string{"8:" + closeBody(ws.StatusProtocolError, "")},
			err:    ErrProtocol,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sc := scriptedConn(Config{Clock: &stepClock{}, MaxFrameSize: tt.maxFrame}, tt.chunks...)
			var got []msg
			timeouts := 0
			var err error
			for {
				var p []byte
				var ts int64
				p, ts, err = c.ReadMessage()
				if errors.Is(err, os.ErrDeadlineExceeded) {
					timeouts++
					continue
				}
				if err != nil {
					break
				}
				got = append(got, msg{string(p), ts, c.Binary()})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("messages = %v, want %v", got, tt.want)
			}
			if timeouts != tt.timeouts {
				t.Errorf("timeouts = %d, want %d", timeouts, tt.timeouts)
			}
			var ce *CloseError
			if want, ok := tt.err.(*CloseError); ok {
				if !errors.As(err, &ce) || *ce != *want || !errors.Is(err, ErrClosed) {
					t.Errorf("err = %v, want %v", err, want)
				}
			} else if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
			hs, ps := clientFrames(t, sc.out)
			var out []string
			for i, h := range hs {
				if !h.Masked || !h.Fin {
					t.Errorf("client frame %d not masked or not final: %+v", i, h)
				}
				out = append(out, fmt.Sprintf("%d:%s", h.OpCode, ps[i]))
			}
			if fmt.Sprint(out) != fmt.Sprint(tt.out) {
				t.Errorf("client wrote %q, want %q", out, tt.out)
			}
			// The error is final.
			if _, _, again := c.ReadMessage(); again == nil {
				t.Error("ReadMessage after a final error succeeded")
			}
		})
	}
}

// TestConnLoopback runs a Conn against a gobwas server: a subscription, text frames, a
// fragmented message with a ping inside, a ping whose pong is checked, and a close.
func TestConnLoopback(t *testing.T) {
	serverErr := make(chan error, 1)
	srv := startServer(t, nil, func(_ int, nc net.Conn) {
		serverErr <- func() error {
			if err := expectText(nc, `{"op":"subscribe"}`); err != nil {
				return err
			}
			for _, f := range []ws.Frame{
				ws.NewTextFrame([]byte("one")),
				ws.NewTextFrame([]byte("two")),
				ws.NewFrame(ws.OpText, false, []byte("frag")),
				ws.NewPingFrame([]byte("mid")),
				ws.NewFrame(ws.OpContinuation, true, []byte("mented")),
				ws.NewBinaryFrame([]byte{0, 1, 2}),
				ws.NewPingFrame([]byte("binance-style ping")),
			} {
				if err := ws.WriteFrame(nc, f); err != nil {
					return err
				}
			}
			for _, want := range []string{"mid", "binance-style ping"} {
				h, p, err := readClient(nc)
				if err != nil {
					return err
				}
				if h.OpCode != ws.OpPong || string(p) != want {
					return fmt.Errorf("got opcode %d %q, want pong %q", h.OpCode, p, want)
				}
			}
			if err := sendClose(nc, ws.StatusGoingAway, "maintenance"); err != nil {
				return err
			}
			if code := drain(nc); code != ws.StatusGoingAway {
				return fmt.Errorf("client close code %d, want %d", code, ws.StatusGoingAway)
			}
			return nil
		}()
	})
	clock := &stepClock{}
	c, err := Dial(context.Background(), srv.URL, Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteText([]byte(`{"op":"subscribe"}`)); err != nil {
		t.Fatal(err)
	}
	var last int64
	for _, want := range []string{"one", "two", "fragmented", "\x00\x01\x02"} {
		p, ts, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("ReadMessage: %v (want %q)", err, want)
		}
		if string(p) != want {
			t.Fatalf("message %q, want %q", p, want)
		}
		if ts < last || ts <= 0 || ts > clock.n.Load() {
			t.Fatalf("recvTS %d after %d (clock at %d)", ts, last, clock.n.Load())
		}
		last = ts
	}
	if !c.Binary() {
		t.Error("last message not reported binary")
	}
	_, _, err = c.ReadMessage()
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != ws.StatusGoingAway || ce.Reason != "maintenance" {
		t.Fatalf("err = %v, want close 1001 maintenance", err)
	}
	if err := <-serverErr; err != nil {
		t.Fatal("server: ", err)
	}
}

// TestConnMasksClientFrames checks every client frame is masked with its own key, for each
// length encoding.
func TestConnMasksClientFrames(t *testing.T) {
	sizes := []int{0, 5, 125, 126, 300, 70000}
	serverErr := make(chan error, 1)
	srv := startServer(t, nil, func(_ int, nc net.Conn) {
		serverErr <- func() error {
			masks := map[[4]byte]bool{}
			for _, n := range sizes {
				h, p, err := readClient(nc)
				if err != nil {
					return err
				}
				if h.OpCode != ws.OpText || !h.Fin || !bytes.Equal(p, payloadOf(n)) {
					return fmt.Errorf("frame of %d bytes: header %+v, payload ok=%v", n, h, bytes.Equal(p, payloadOf(n)))
				}
				masks[h.Mask] = true
			}
			if len(masks) != len(sizes) {
				return fmt.Errorf("%d distinct masks over %d frames", len(masks), len(sizes))
			}
			return nil
		}()
	})
	c, err := Dial(context.Background(), srv.URL, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, n := range sizes {
		p := payloadOf(n)
		if err := c.WriteText(p); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p, payloadOf(n)) {
			t.Fatal("WriteText modified its argument")
		}
	}
	if err := <-serverErr; err != nil {
		t.Fatal("server: ", err)
	}
}

func payloadOf(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	return p
}

// TestConnFrameTooLarge: a frame over MaxFrameSize fails the connection with ErrFrameTooLarge,
// a close 1009, and the read buffer never grows for it.
func TestConnFrameTooLarge(t *testing.T) {
	const limit = 1 << 10
	codes := make(chan ws.StatusCode, 1)
	srv := startServer(t, nil, func(_ int, nc net.Conn) {
		if sendText(nc, "small") != nil || sendText(nc, strings.Repeat("x", 64<<10)) != nil {
			codes <- 0
			return
		}
		codes <- drain(nc)
	})
	c, err := Dial(context.Background(), srv.URL, Config{MaxFrameSize: limit, ReadBufferSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	if p, _, err := c.ReadMessage(); err != nil || string(p) != "small" {
		t.Fatalf("first message %q, %v", p, err)
	}
	_, _, err = c.ReadMessage()
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err = %v, want ErrFrameTooLarge", err)
	}
	if n := c.BufferSize(); n > limit+ws.MaxHeaderSize {
		t.Errorf("read buffer grew to %d bytes, over the limit %d", n, limit)
	}
	if code := <-codes; code != ws.StatusMessageTooBig {
		t.Errorf("server got close code %d, want %d", code, ws.StatusMessageTooBig)
	}
}

// TestConnBufferGrowsThenStays: the read buffer grows to the largest frame and keeps its size.
func TestConnBufferGrowsThenStays(t *testing.T) {
	big := strings.Repeat("y", 200<<10)
	srv := startServer(t, nil, func(_ int, nc net.Conn) {
		_ = sendText(nc, "a")
		_ = sendText(nc, big)
		for range 10 {
			_ = sendText(nc, "b")
		}
		drain(nc)
	})
	c, err := Dial(context.Background(), srv.URL, Config{ReadBufferSize: 4 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 12 {
		p, _, err := c.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && string(p) != big {
			t.Fatal("big message corrupted")
		}
	}
	size := c.BufferSize()
	if size < len(big) {
		t.Fatalf("buffer %d smaller than the largest frame %d", size, len(big))
	}
	if size > 2*len(big)+ws.MaxHeaderSize {
		t.Fatalf("buffer %d, more than twice the largest frame", size)
	}
}

// TestDialHandshakeTimeout: a server that accepts TCP but never answers the upgrade.
func TestDialHandshakeTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		nc, err := ln.Accept()
		if err == nil {
			accepted <- nc
		}
		close(accepted)
	}()
	_, err = Dial(context.Background(), "ws://"+ln.Addr().String()+"/", Config{HandshakeTimeout: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("Dial succeeded against a silent server")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline error", err)
	}
	ln.Close()
	for nc := range accepted {
		nc.Close()
	}
}

func TestDialBadURL(t *testing.T) {
	for _, url := range []string{"http://127.0.0.1:1/", "not a url", "ws://127.0.0.1:1/"} {
		if _, err := Dial(context.Background(), url, Config{HandshakeTimeout: time.Second}); err == nil {
			t.Errorf("Dial(%q) succeeded", url)
		}
	}
}

// TestDialEarlyFrames: frames the server sends in the same segment as its handshake response
// are buffered by the Dialer; the Conn must deliver them first.
func TestDialEarlyFrames(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		done <- func() error {
			nc, err := ln.Accept()
			if err != nil {
				return err
			}
			defer nc.Close()
			_ = nc.SetDeadline(time.Now().Add(serverDeadline))
			req, err := http.ReadRequest(bufio.NewReader(nc))
			if err != nil {
				return err
			}
			sum := sha1.Sum([]byte(req.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
			resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
				"Sec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n"
			// Response and frames in one write; a frame larger than MaxFrameSize is among them.
			out := cat([]byte(resp), frame(ws.OpText, true, "early-1"), frame(ws.OpText, true, "early-2"),
				frame(ws.OpText, true, strings.Repeat("z", 100)))
			if _, err := nc.Write(out); err != nil {
				return err
			}
			drain(nc)
			return nil
		}()
	}()
	c, err := Dial(context.Background(), "ws://"+ln.Addr().String()+"/", Config{MaxFrameSize: 16, Clock: &stepClock{}})
	if err != nil {
		t.Fatal(err)
	}
	if c.early == nil {
		t.Fatal("no frame buffered by the Dialer: the path under test was not taken")
	}
	for _, want := range []string{"early-1", "early-2"} {
		p, ts, err := c.ReadMessage()
		if err != nil || string(p) != want || ts != 1 {
			t.Fatalf("ReadMessage = %q, %d, %v; want %q at 1", p, ts, err, want)
		}
	}
	if _, _, err := c.ReadMessage(); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err = %v, want ErrFrameTooLarge", err)
	}
	if n := c.BufferSize(); n > 16+ws.MaxHeaderSize {
		t.Errorf("read buffer %d bytes, over the limit", n)
	}
	if err := <-done; err != nil {
		t.Fatal("server: ", err)
	}
}

// failingWrites is a scripted connection whose writes time out.
type failingWrites struct{ scripted }

func (f *failingWrites) Write(p []byte) (int, error) { return 0, os.ErrDeadlineExceeded }

// TestWriteTimeoutIsFinal: a write that times out ends the connection (Err is set), unlike a read
// deadline; the Session tells a timer tick from a dead connection by Err.
func TestWriteTimeoutIsFinal(t *testing.T) {
	c := NewConn(Config{})
	c.attach(&failingWrites{scripted{chunks: [][]byte{nil, frame(ws.OpPing, true, "x")}}})
	if _, _, err := c.ReadMessage(); !errors.Is(err, os.ErrDeadlineExceeded) || c.Err() != nil {
		t.Fatalf("read deadline: err %v, Err() %v; want a timeout and a usable Conn", err, c.Err())
	}
	_, _, err := c.ReadMessage() // the ping's pong cannot be written
	if err == nil || c.Err() == nil {
		t.Fatalf("err %v, Err() %v; want the write failure to end the connection", err, c.Err())
	}
	if err := c.WriteText([]byte("x")); err == nil {
		t.Fatal("WriteText on a failed connection succeeded")
	}
}
