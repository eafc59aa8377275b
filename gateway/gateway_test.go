package gateway

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ems/core/event"
)

const secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

func TestCredentialsNeverPrinted(t *testing.T) {
	c := Credentials{Key: "vmPUZE6mv9SD5VNHk4HlWFsOr6a", Secret: secret, Passphrase: "pass-phrase-1"}
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprint(&c)} {
		if strings.Contains(s, secret) || strings.Contains(s, c.Key) || strings.Contains(s, c.Passphrase) {
			t.Fatalf("credentials printed: %s", s)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := map[string]string{"EMS_BINANCE_USDM_API_KEY": "k", "EMS_BINANCE_USDM_API_SECRET": secret}
	c, err := FromEnv("binance-usdm", func(k string) string { return env[k] })
	if err != nil || c.Key != "k" || c.Secret != secret {
		t.Fatalf("FromEnv: %v %v", c, err)
	}
	_, err = FromEnv("okx", func(string) string { return "" })
	if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "EMS_OKX_") {
		t.Fatalf("missing env: %v", err)
	}
}

func TestFromFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"key":"k","secret":"`+secret+`","passphrase":"p"}`, 0o600)
	if c, err := FromFile(good); err != nil || c.Secret != secret || c.Passphrase != "p" {
		t.Fatalf("FromFile: %v %v", c, err)
	}
	for _, c := range []struct {
		name, body string
		mode       os.FileMode
		want       string
	}{
		{"open.json", `{"key":"k","secret":"` + secret + `"}`, 0o644, "chmod 600"},
		{"bad.json", `{"key":"k","secret":"` + secret + `"`, 0o600, "malformed JSON"},
		{"type.json", `{"key":"k","secret":12345}`, 0o600, `"secret" must be a string`},
		{"extra.json", `{"key":"k","secret":"` + secret + `","sekret":"x"}`, 0o600, "unknown field"},
		{"nokey.json", `{"secret":"` + secret + `"}`, 0o600, "no API key"},
	} {
		_, err := FromFile(write(c.name, c.body, c.mode))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: %v; want an error about %q that does not quote the secret", c.name, err, c.want)
		}
	}
	if _, err := FromFile(filepath.Join(dir, "missing.json")); !errors.Is(err, ErrCredentials) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestClientOrderIDs(t *testing.T) {
	venueRules := []*regexp.Regexp{
		regexp.MustCompile(`^[a-zA-Z0-9-_]{1,36}$`), // Binance newClientOrderId, Bybit orderLinkId
		regexp.MustCompile(`^[a-zA-Z0-9]{1,32}$`),   // OKX clOrdId
	}
	for _, id := range []event.OrderID{0, 1, 42, 1 << 40, ^event.OrderID(0)} {
		b := AppendClientOrderID(nil, "e7k2abcdefg", id)
		for _, re := range venueRules {
			if !re.Match(b) {
				t.Fatalf("%s breaks %s", b, re)
			}
		}
		if got, ok := ParseClientOrderID("e7k2abcdefg", b); !ok || got != id {
			t.Fatalf("round trip of %d via %s: %d %v", id, b, got, ok)
		}
	}
	for _, bad := range []string{"", "e7k2", "e7k2x", "e7k2y42", "f7k2x42", "e7k2x4a", "e7k2x042", "e7k2x18446744073709551616"} {
		if _, ok := ParseClientOrderID("e7k2", []byte(bad)); ok {
			t.Errorf("ParseClientOrderID accepted %q", bad)
		}
	}
	for _, p := range []string{"", "ABC", "a-b", "abcdefghijkl"} {
		if CheckPrefix(p) == nil {
			t.Errorf("prefix %q accepted", p)
		}
	}
	if CheckPrefix("e7k2") != nil {
		t.Error("valid prefix refused")
	}
}
