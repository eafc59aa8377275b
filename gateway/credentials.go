package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Credentials are one venue account's API credentials. They never appear in logs, journals or
// errors: String and GoString redact them, and every error of this package names the field or
// the file, never a value.
type Credentials struct {
	Key        string `json:"key"`
	Secret     string `json:"secret"`
	Passphrase string `json:"passphrase,omitempty"`  // OKX
	PrivateKey string `json:"private_key,omitempty"` // PEM: Ed25519 (Binance) or EC P-256 (Coinbase)
}

// String redacts every value: it only says which fields are set.
func (c Credentials) String() string {
	var set []string
	for _, f := range []struct {
		name, v string
	}{{"key", c.Key}, {"secret", c.Secret}, {"passphrase", c.Passphrase}, {"private_key", c.PrivateKey}} {
		if f.v != "" {
			set = append(set, f.name)
		}
	}
	return "credentials{" + strings.Join(set, ",") + " set, values redacted}"
}

// GoString redacts as String does (for %#v).
func (c Credentials) GoString() string { return c.String() }

// ErrCredentials is wrapped by every credential loading error.
var ErrCredentials = errors.New("gateway: credentials")

// EnvPrefix returns the environment variable prefix of venue: "EMS_BINANCE_", "EMS_BINANCE_USDM_".
func EnvPrefix(venue string) string {
	return "EMS_" + strings.ToUpper(strings.ReplaceAll(venue, "-", "_")) + "_"
}

// FromEnv reads venue's credentials from EMS_<VENUE>_API_KEY, _API_SECRET, _PASSPHRASE and
// _PRIVATE_KEY through getenv (os.Getenv in production). Key and one of secret or private key are
// required.
func FromEnv(venue string, getenv func(string) string) (Credentials, error) {
	p := EnvPrefix(venue)
	c := Credentials{
		Key:        getenv(p + "API_KEY"),
		Secret:     getenv(p + "API_SECRET"),
		Passphrase: getenv(p + "PASSPHRASE"),
		PrivateKey: getenv(p + "PRIVATE_KEY"),
	}
	if err := c.check(); err != nil {
		return Credentials{}, fmt.Errorf("%w: environment %s*: %w", ErrCredentials, p, err)
	}
	return c, nil
}

// FromFile reads credentials from a JSON file ({"key","secret","passphrase","private_key"}) that
// only its owner may read or write: a file with any group or other permission bit is refused.
func FromFile(path string) (Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return Credentials{}, fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Credentials{}, fmt.Errorf("%w: %w", ErrCredentials, err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return Credentials{}, fmt.Errorf("%w: %s has mode %04o; it must not be readable or writable by group or others (chmod 600)", ErrCredentials, path, perm)
	}
	var c Credentials
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		// The JSON error may quote the file's text: report only its kind and offset.
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return Credentials{}, fmt.Errorf("%w: %s: malformed JSON (truncated)", ErrCredentials, path)
		case errors.As(err, &se):
			return Credentials{}, fmt.Errorf("%w: %s: malformed JSON at byte %d", ErrCredentials, path, se.Offset)
		case errors.As(err, &te):
			return Credentials{}, fmt.Errorf("%w: %s: field %q must be a string", ErrCredentials, path, te.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return Credentials{}, fmt.Errorf("%w: %s: %s", ErrCredentials, path, err.Error())
		}
		return Credentials{}, fmt.Errorf("%w: %s: not a credentials object", ErrCredentials, path)
	}
	if err := c.check(); err != nil {
		return Credentials{}, fmt.Errorf("%w: %s: %w", ErrCredentials, path, err)
	}
	return c, nil
}

func (c Credentials) check() error {
	switch {
	case c.Key == "":
		return errors.New("no API key")
	case c.Secret == "" && c.PrivateKey == "":
		return errors.New("no secret and no private key")
	}
	return nil
}
