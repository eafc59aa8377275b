package match

import (
	"errors"

	"ems/core/event"
)

// Error is a rejection with the common reason; protocol servers map it to the venue's own code
// and text. Submit, Cancel, CancelClient and Replace return an *Error for every refusal (find it
// with errors.As).
type Error struct {
	Reason event.RejectReason // why: RejectPriceFilter, RejectQtyFilter, RejectFOK, ...
	Msg    string             // what failed, without the "match: " prefix
}

// Error returns "match: " followed by Msg.
func (e *Error) Error() string { return "match: " + e.Msg }

// reject builds an *Error.
func reject(reason event.RejectReason, msg string) *Error {
	return &Error{Reason: reason, Msg: msg}
}

// Errors of New (invalid Rules or symbol).
var (
	// ErrSymbol: the symbol is empty.
	ErrSymbol = errors.New("match: empty symbol")
	// ErrRules: the rules are not usable (see Rules.Validate for the conditions).
	ErrRules = errors.New("match: invalid rules")
	// ErrHistory: SetHistory after the first order, or a limit below 1.
	ErrHistory = errors.New("match: history limit must be >= 1 and set before the first order")
)
