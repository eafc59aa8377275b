package binance

import (
	"errors"

	"github.com/valyala/fastjson"

	"ems/core/book"
	"ems/feed"
)

// ErrLevel reports a level that is not a [price, quantity] pair of decimal strings.
var ErrLevel = errors.New("binance: level is not a [price, quantity] pair of strings")

// Level returns the price and quantity text of one level, a JSON array ["0.35270000",
// "9602.00000000"] as in a depthUpdate's "b"/"a" and a REST snapshot's "bids"/"asks". Extra
// elements are ignored. The slices alias the parsed message and are valid until its parser parses
// again.
func Level(l *fastjson.Value) (px, qty []byte, err error) {
	pair, err := l.Array()
	if err != nil || len(pair) < 2 {
		return nil, nil, ErrLevel
	}
	px, err = pair[0].StringBytes()
	if err != nil {
		return nil, nil, ErrLevel
	}
	qty, err = pair[1].StringBytes()
	if err != nil {
		return nil, nil, ErrLevel
	}
	return px, qty, nil
}

// ApplyLevels sets every level of levels (a JSON array of levels, see Level) on side of r, in
// order; a quantity of zero deletes the level. It stops at the first bad level and returns its
// error, the levels before it staying set. A nil levels (the field is absent) sets nothing.
// REQUIRES: r.Begin was called for the message being applied.
func ApplyLevels(r *feed.Replica, side book.Side, levels *fastjson.Value) error {
	if levels == nil {
		return nil
	}
	arr, err := levels.Array()
	if err != nil {
		return ErrLevel
	}
	for _, l := range arr {
		px, qty, err := Level(l)
		if err != nil {
			return err
		}
		if err := r.SetText(side, px, qty); err != nil {
			return err
		}
	}
	return nil
}
