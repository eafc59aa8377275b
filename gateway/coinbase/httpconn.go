package coinbase

// A minimal HTTP/1.1 client for one keep-alive connection: the request is written as the
// Encoder built it, the answer is read into a reused buffer.
//
//	response = status-line CRLF *(header CRLF) CRLF body
//	status   = "HTTP/1.1" SP 3DIGIT SP reason
//	body     = Content-Length bytes | chunked (hex-size CRLF data CRLF ... "0" CRLF trailers CRLF)
//
// Only what the venue sends is understood: Content-Length or chunked bodies, "Connection:
// close". Anything else is an error and the connection is dropped (the next request dials
// again).

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"
)

// ErrHTTP is wrapped by the errors of a malformed or truncated HTTP answer.
var ErrHTTP = errors.New("coinbase: bad HTTP response")

// maxResponse bounds a response body.
const maxResponse = 8 << 20

// httpConn is one keep-alive HTTP/1.1 connection to addr ("host:port"), redialled after an
// error. Owned by one goroutine; not safe for concurrent use.
type httpConn struct {
	addr    string
	tls     *tls.Config // nil: plain TCP
	timeout time.Duration
	nc      net.Conn
	br      *bufio.Reader
	body    []byte // the last response's body; valid until the next roundTrip
}

// newHTTPConn returns an unconnected httpConn; with useTLS it speaks TLS to serverName.
func newHTTPConn(addr string, timeout time.Duration, useTLS bool, serverName string) *httpConn {
	c := &httpConn{addr: addr, timeout: timeout, body: make([]byte, 0, 16<<10)}
	if useTLS {
		c.tls = &tls.Config{ServerName: serverName, MinVersion: tls.VersionTLS12}
	}
	return c
}

// close drops the connection.
func (c *httpConn) close() {
	if c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
}

// roundTrip writes req and reads the answer. body is valid until the next roundTrip. On an error
// the connection is closed; whether the venue saw the request is unknown.
func (c *httpConn) roundTrip(req []byte) (status int, body []byte, err error) {
	if c.nc == nil {
		nc, err := net.DialTimeout("tcp", c.addr, c.timeout)
		if err != nil {
			return 0, nil, fmt.Errorf("coinbase: dial %s: %w", c.addr, err)
		}
		if tc, ok := nc.(*net.TCPConn); ok {
			tc.SetNoDelay(true)
		}
		if c.tls != nil {
			nc = tls.Client(nc, c.tls)
		}
		c.nc = nc
		if c.br == nil {
			c.br = bufio.NewReaderSize(nc, 16<<10)
		} else {
			c.br.Reset(nc)
		}
	}
	c.nc.SetDeadline(time.Now().Add(c.timeout))
	if _, err := c.nc.Write(req); err != nil {
		c.close()
		return 0, nil, fmt.Errorf("coinbase: write: %w", err)
	}
	status, body, keep, err := c.readResponse()
	if err != nil || !keep {
		c.close()
	}
	return status, body, err
}

// readResponse reads one response.
func (c *httpConn) readResponse() (status int, body []byte, keep bool, err error) {
	line, err := c.line()
	if err != nil {
		return 0, nil, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, nil, false, fmt.Errorf("%w: status line", ErrHTTP)
	}
	for _, d := range line[9:12] {
		if d < '0' || d > '9' {
			return 0, nil, false, fmt.Errorf("%w: status code", ErrHTTP)
		}
		status = status*10 + int(d-'0')
	}
	length, chunked := -1, false
	keep = true
	for {
		h, err := c.line()
		if err != nil {
			return 0, nil, false, err
		}
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return 0, nil, false, fmt.Errorf("%w: header line", ErrHTTP)
		}
		value = bytes.TrimSpace(value)
		switch {
		case asciiEqualFold(name, "content-length"):
			n, ok := parseDec(value)
			if !ok || n > maxResponse {
				return 0, nil, false, fmt.Errorf("%w: Content-Length", ErrHTTP)
			}
			length = n
		case asciiEqualFold(name, "transfer-encoding"):
			chunked = asciiEqualFold(value, "chunked")
		case asciiEqualFold(name, "connection"):
			keep = !asciiEqualFold(value, "close")
		}
	}
	c.body = c.body[:0]
	switch {
	case chunked:
		err = c.readChunked()
	case length >= 0:
		err = c.readN(length)
	case status == 204 || status == 304:
	default:
		return 0, nil, false, fmt.Errorf("%w: no length", ErrHTTP)
	}
	if err != nil {
		return 0, nil, false, err
	}
	return status, c.body, keep, nil
}

// line returns the next line without its CRLF, valid until the next read.
func (c *httpConn) line() ([]byte, error) {
	l, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%w: line too long", ErrHTTP)
		}
		return nil, fmt.Errorf("coinbase: read: %w", err)
	}
	l = l[:len(l)-1]
	if n := len(l); n > 0 && l[n-1] == '\r' {
		l = l[:n-1]
	}
	return l, nil
}

// readN appends n body bytes to c.body.
func (c *httpConn) readN(n int) error {
	if len(c.body)+n > maxResponse {
		return fmt.Errorf("%w: body too large", ErrHTTP)
	}
	start := len(c.body)
	if cap(c.body)-start < n {
		c.body = append(c.body[:cap(c.body)], make([]byte, start+n-cap(c.body))...)
	}
	c.body = c.body[:start+n]
	for got := start; got < start+n; {
		m, err := c.br.Read(c.body[got : start+n])
		got += m
		if err != nil && got < start+n {
			return fmt.Errorf("coinbase: read body: %w", err)
		}
	}
	return nil
}

// readChunked appends a chunked body to c.body.
func (c *httpConn) readChunked() error {
	for {
		l, err := c.line()
		if err != nil {
			return err
		}
		if i := bytes.IndexByte(l, ';'); i >= 0 {
			l = l[:i]
		}
		n, ok := parseHex(bytes.TrimSpace(l))
		if !ok {
			return fmt.Errorf("%w: chunk size", ErrHTTP)
		}
		if n == 0 {
			for { // trailers
				t, err := c.line()
				if err != nil {
					return err
				}
				if len(t) == 0 {
					return nil
				}
			}
		}
		if err := c.readN(n); err != nil {
			return err
		}
		if t, err := c.line(); err != nil || len(t) != 0 {
			return fmt.Errorf("%w: chunk end", ErrHTTP)
		}
	}
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func parseDec(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, d := range b {
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + int(d-'0')
	}
	return n, true
}

func parseHex(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 7 {
		return 0, false
	}
	n := 0
	for _, d := range b {
		switch {
		case d >= '0' && d <= '9':
			n = n<<4 | int(d-'0')
		case d >= 'a' && d <= 'f':
			n = n<<4 | int(d-'a'+10)
		case d >= 'A' && d <= 'F':
			n = n<<4 | int(d-'A'+10)
		default:
			return 0, false
		}
	}
	return n, n <= maxResponse
}
