package gateway

import (
	"errors"
	"strconv"

	"ems/core/event"
)

// Client order ids.
//
// A child order's client order id is the session prefix followed by the core's OrderID in
// decimal: "e7k2" + "42" = "e7k242"... with a separator letter so that the two parts never run
// together: "e7k2x42". The OrderID comes from the core's sequence, so a replay of the journal
// produces the same ids, and a retried request carries the same id: the venue refuses a duplicate
// instead of creating a second order (idempotence).
//
// The format fits every venue's rule: Binance newClientOrderId ^[a-zA-Z0-9-_]{1,36}$, OKX clOrdId
// alphanumeric up to 32, Bybit orderLinkId up to 36 of [A-Za-z0-9-_], Coinbase client_order_id
// (free text). The prefix is lowercase alphanumeric, 1 to 11 characters, so that with the
// separator and a 20-digit id it stays within 32.

// MaxPrefix is the longest client order id prefix.
const MaxPrefix = 11

// ErrPrefix is returned for an invalid client order id prefix.
var ErrPrefix = errors.New("gateway: client order id prefix must be 1 to 11 of [a-z0-9]")

// idSep separates the prefix from the order id. It is not a digit, so the id part is found by
// scanning back from the end.
const idSep = 'x'

// CheckPrefix validates a client order id prefix.
func CheckPrefix(prefix string) error {
	if len(prefix) == 0 || len(prefix) > MaxPrefix {
		return ErrPrefix
	}
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return ErrPrefix
		}
	}
	return nil
}

// AppendClientOrderID appends the client order id of order id under prefix.
// REQUIRES: CheckPrefix(prefix) == nil.
func AppendClientOrderID(dst []byte, prefix string, id event.OrderID) []byte {
	dst = append(dst, prefix...)
	dst = append(dst, idSep)
	return strconv.AppendUint(dst, uint64(id), 10)
}

// ParseClientOrderID returns the OrderID in clientID when it carries prefix; ok is false for ids
// of another session or another system (orders placed by hand).
func ParseClientOrderID(prefix string, clientID []byte) (id event.OrderID, ok bool) {
	n := len(prefix)
	if len(clientID) < n+2 || string(clientID[:n]) != prefix || clientID[n] != idSep {
		return 0, false
	}
	digits := clientID[n+1:]
	if len(digits) > 20 || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	var v uint64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return event.OrderID(v), true
}
