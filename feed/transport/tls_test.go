package transport

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// selfSigned returns a server config with a fresh self-signed certificate for 127.0.0.1 and the
// pool that trusts it.
func selfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "transport test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}, pool
}

// TestDialTLS: wss to a server with a self-signed certificate, trusted through the TLSConfig
// hook; without it the handshake fails.
func TestDialTLS(t *testing.T) {
	serverTLS, pool := selfSigned(t)
	srv := startServer(t, serverTLS, func(_ int, nc net.Conn) {
		if expectText(nc, "sub") != nil {
			return
		}
		_ = sendText(nc, "over tls")
		drain(nc)
	})

	if _, err := Dial(context.Background(), srv.URL, Config{HandshakeTimeout: 5 * time.Second}); err == nil {
		t.Fatal("Dial trusted a self-signed certificate without the test's roots")
	}

	cfg := Config{TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	c, err := Dial(context.Background(), srv.URL, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteText([]byte("sub")); err != nil {
		t.Fatal(err)
	}
	p, ts, err := c.ReadMessage()
	if err != nil || string(p) != "over tls" || ts <= 0 {
		t.Fatalf("ReadMessage = %q, %d, %v", p, ts, err)
	}
	// A read deadline on a TLS connection leaves it usable (the Session's timers rely on it).
	if err := c.SetReadDeadline(time.Now().Add(10 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReadMessage(); err == nil || !isTimeout(err) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if err := c.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteText([]byte("still alive")); err != nil {
		t.Fatal(err)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
