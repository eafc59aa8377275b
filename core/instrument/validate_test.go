package instrument

import (
	"errors"
	"strings"
	"testing"

	"ems/core/fixed"
)

// listingDefaults is a valid spot listing, field by field (raw JSON values), in file order.
var listingDefaults = [][2]string{
	{"venue", `"okx"`}, {"symbol", `"BTC-USDT"`}, {"price_scale", `1`}, {"qty_scale", `8`},
	{"tick", `"0.1"`}, {"lot", `"0.00000001"`}, {"min_qty", `"0.00001"`}, {"min_notional", `"0"`},
	{"maker_fee_bps", `"8"`}, {"taker_fee_bps", `"10"`}, {"source", `"s"`}, {"fee_source", `"f"`},
}

// L returns a listing object: the defaults with kv pairs applied (field, raw JSON value). A value
// of "-" removes the field; a field not among the defaults is appended.
func L(kv ...string) string {
	fields := append([][2]string(nil), listingDefaults...)
next:
	for i := 0; i+1 < len(kv); i += 2 {
		for j := range fields {
			if fields[j][0] == kv[i] {
				fields[j][1] = kv[i+1]
				continue next
			}
		}
		fields = append(fields, [2]string{kv[i], kv[i+1]})
	}
	var b strings.Builder
	b.WriteByte('{')
	for _, f := range fields {
		if f[1] == "-" {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + f[0] + `":` + f[1])
	}
	b.WriteByte('}')
	return b.String()
}

// file wraps instrument objects into a file of version "t".
func file(instruments ...string) string {
	return `{"version":"t","instruments":[` + strings.Join(instruments, ",") + `]}`
}

// inst is one instrument object with the listing objects given.
func inst(name, kind, base, quote string, listings ...string) string {
	return `{"name":"` + name + `","kind":"` + kind + `","base":"` + base + `","quote":"` + quote +
		`","listings":[` + strings.Join(listings, ",") + `]}`
}

// spot is a file holding one BTC-USDT spot instrument with the listings given.
func spot(listings ...string) string {
	return file(inst("BTC-USDT", "spot", "BTC", "USDT", listings...))
}

// perp is a file holding one BTC-USDT-PERP instrument with the listings given.
func perp(listings ...string) string {
	return file(inst("BTC-USDT-PERP", "perpetual", "BTC", "USDT", listings...))
}

func TestParseErrors(t *testing.T) {
	swap := []string{"symbol", `"BTC-USDT-SWAP"`, "qty_scale", `2`, "lot", `"0.01"`, "min_qty", `"0.01"`}
	tests := []struct {
		name  string
		file  string
		want  error
		inst  string // want Error.Instrument
		venue string // want Error.Venue
		field string // want Error.Field
		msg   string // a substring of the message
	}{
		{"malformed JSON", `{"version":`, ErrSyntax, "", "", "", "cannot decode"},
		{"unknown top-level field", `{"version":"t","extra":1,"instruments":[]}`, ErrSyntax, "", "", "", `unknown field "extra"`},
		{"unknown listing field", spot(L("tick_size", `"0.1"`)), ErrSyntax, "", "", "", `unknown field "tick_size"`},
		{"decimal as a JSON number", spot(L("tick", `0.1`)), ErrSyntax, "", "", "", "tick"},
		{"data after the object", spot(L()) + `{}`, ErrSyntax, "", "", "", "after the top-level object"},
		{"missing version", `{"instruments":[]}`, ErrMissing, "", "", "version", "version is missing"},
		{"empty instruments", `{"version":"t","instruments":[]}`, ErrMissing, "", "", "instruments", "missing or empty"},
		{"missing name", file(inst("", "spot", "BTC", "USDT", L())), ErrMissing, "#1", "", "name", "#1: name is missing"},
		{"duplicate name", file(inst("BTC-USDT", "spot", "BTC", "USDT", L()), inst("BTC-USDT", "spot", "BTC", "USDT", L("venue", `"binance"`))),
			ErrDuplicate, "BTC-USDT", "", "name", "earlier instrument"},
		{"unknown kind", file(inst("BTC-USDT", "option", "BTC", "USDT", L())), ErrUnknownKind, "BTC-USDT", "", "kind", `"option"`},
		{"missing quote", file(inst("BTC-", "spot", "BTC", "", L())), ErrMissing, "BTC-", "", "quote", "quote is missing"},
		{"lower-case asset", file(inst("btc-USDT", "spot", "btc", "USDT", L())), ErrName, "btc-USDT", "", "base", `"btc"`},
		{"name not BASE-QUOTE", file(inst("BTCUSDT", "spot", "BTC", "USDT", L())), ErrName, "BTCUSDT", "", "name", "want BTC-USDT"},
		{"perpetual without -PERP", file(inst("BTC-USDT", "perpetual", "BTC", "USDT", L())), ErrName, "BTC-USDT", "", "name", "want BTC-USDT-PERP"},
		{"future named PERP", file(inst("BTC-USDT-PERP", "future", "BTC", "USDT", L())), ErrName, "BTC-USDT-PERP", "", "name", "<expiry>"},
		{"no listings", file(inst("BTC-USDT", "spot", "BTC", "USDT")), ErrMissing, "BTC-USDT", "", "listings", "missing or empty"},
		{"unknown venue", spot(L("venue", `"ftx"`)), ErrUnknownVenue, "BTC-USDT", "ftx", "venue", `"ftx" is not one of`},
		{"perpetual on a spot venue", perp(L(append(swap, "venue", `"binance"`, "contract_value", `"1"`)...)), ErrSegment, "BTC-USDT-PERP", "binance", "venue",
			"binance has no derivatives market for a perpetual instrument"},
		{"spot on a derivatives venue", spot(L("venue", `"binance-usdm"`)), ErrSegment, "BTC-USDT", "binance-usdm", "venue", "no spot market"},
		{"missing venue", spot(L("venue", "-")), ErrMissing, "BTC-USDT", "", "venue", "venue is missing"},
		{"venue twice in one instrument", spot(L(), L("symbol", `"BTC-USDT2"`)), ErrDuplicate, "BTC-USDT", "okx", "venue", "listed twice"},
		{"duplicate symbol on one venue", file(inst("BTC-USDT", "spot", "BTC", "USDT", L()), inst("ETH-USDT", "spot", "ETH", "USDT", L())),
			ErrDuplicate, "ETH-USDT", "okx", "symbol", `"BTC-USDT" is already used by BTC-USDT in the spot segment of okx`},
		{"alias repeats the symbol", spot(L("aliases", `["BTC-USDT"]`)), ErrDuplicate, "BTC-USDT", "okx", "symbol", "already used"},
		{"alias clashes on the venue", file(inst("BTC-USDT", "spot", "BTC", "USDT", L()), inst("ETH-USDT", "spot", "ETH", "USDT", L("symbol", `"ETH-USDT"`, "aliases", `["BTC-USDT"]`))),
			ErrDuplicate, "ETH-USDT", "okx", "symbol", "already used by BTC-USDT"},
		{"missing symbol", spot(L("symbol", "-")), ErrMissing, "BTC-USDT", "okx", "symbol", "symbol is missing"},
		{"symbol with a space", spot(L("symbol", `"BTC USDT"`)), ErrName, "BTC-USDT", "okx", "symbol", "printable ASCII"},
		{"empty alias", spot(L("aliases", `[""]`)), ErrName, "BTC-USDT", "okx", "symbol", `""`},
		{"missing price_scale", spot(L("price_scale", "-")), ErrMissing, "BTC-USDT", "okx", "price_scale", "is missing"},
		{"price_scale above 18", spot(L("price_scale", `19`)), ErrScale, "BTC-USDT", "okx", "price_scale", "19 is outside 0..18"},
		{"negative qty_scale", spot(L("qty_scale", `-1`)), ErrScale, "BTC-USDT", "okx", "qty_scale", "-1"},
		{"tick finer than the scale", spot(L("tick", `"0.01"`)), ErrDecimal, "BTC-USDT", "okx", "tick", `"0.01" is not representable at price_scale 1`},
		{"lot finer than the scale", spot(L("lot", `"0.000000001"`)), ErrDecimal, "BTC-USDT", "okx", "lot", "qty_scale 8"},
		{"tick with an exponent", spot(L("tick", `"1e-1"`)), ErrDecimal, "BTC-USDT", "okx", "tick", "exponent"},
		{"missing tick", spot(L("tick", "-")), ErrMissing, "BTC-USDT", "okx", "tick", "tick is missing"},
		{"zero tick", spot(L("tick", `"0"`)), ErrNonPositive, "BTC-USDT", "okx", "tick", `"0" is not positive`},
		{"negative lot", spot(L("lot", `"-0.00000001"`)), ErrNonPositive, "BTC-USDT", "okx", "lot", "not positive"},
		{"zero min_qty", spot(L("min_qty", `"0"`)), ErrNonPositive, "BTC-USDT", "okx", "min_qty", "not positive"},
		{"min_qty off the lot", spot(L("lot", `"0.0001"`, "min_qty", `"0.00015"`)), ErrMinQty, "BTC-USDT", "okx", "min_qty",
			`"0.00015" is not a multiple of lot "0.0001"`},
		{"min_qty finer than the scale", spot(L("min_qty", `"0.000000005"`)), ErrDecimal, "BTC-USDT", "okx", "min_qty", "qty_scale 8"},
		{"missing min_notional", spot(L("min_notional", "-")), ErrMissing, "BTC-USDT", "okx", "min_notional", "is missing"},
		{"negative min_notional", spot(L("min_notional", `"-5"`)), ErrNonPositive, "BTC-USDT", "okx", "min_notional", "negative"},
		{"perpetual without contract value", perp(L(swap...)), ErrContract, "BTC-USDT-PERP", "okx", "contract_value", "missing on a perpetual"},
		{"spot with contract value", spot(L("contract_value", `"1"`)), ErrContract, "BTC-USDT", "okx", "contract_value", "spot listing"},
		{"zero contract value", perp(L(append(swap, "contract_value", `"0"`)...)), ErrNonPositive, "BTC-USDT-PERP", "okx", "contract_value", "not positive"},
		{"malformed contract value", perp(L(append(swap, "contract_value", `"0.0.1"`)...)), ErrDecimal, "BTC-USDT-PERP", "okx", "contract_value", "not a decimal"},
		{"missing maker fee", spot(L("maker_fee_bps", "-")), ErrMissing, "BTC-USDT", "okx", "maker_fee_bps", "is missing"},
		{"fee above 10000 bps", spot(L("taker_fee_bps", `"10000.01"`)), ErrFee, "BTC-USDT", "okx", "taker_fee_bps", "outside ±10000"},
		{"fee with 3 decimals", spot(L("taker_fee_bps", `"5.125"`)), ErrDecimal, "BTC-USDT", "okx", "taker_fee_bps", "fee scale 2"},
		{"missing source", spot(L("source", "-")), ErrMissing, "BTC-USDT", "okx", "source", "where the numbers come from"},
		{"missing fee_source", spot(L("fee_source", `""`)), ErrMissing, "BTC-USDT", "okx", "fee_source", "where the fees come from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.file))
			if err == nil {
				t.Fatalf("Parse accepted %s (%d instruments)", tt.file, m.Len())
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %q is not %v\nfile: %s", err, tt.want, tt.file)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error", err)
			}
			if e.Instrument != tt.inst || e.Venue != tt.venue || e.Field != tt.field {
				t.Errorf("error at (%q, %q, %q), want (%q, %q, %q)", e.Instrument, e.Venue, e.Field, tt.inst, tt.venue, tt.field)
			}
			if !strings.HasPrefix(err.Error(), "instrument: ") || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err, tt.msg)
			}
		})
	}
}

// TestParseErrorsKeepTheCause checks that a decimal error carries the fixed error beneath it.
func TestParseErrorsKeepTheCause(t *testing.T) {
	_, err := Parse([]byte(spot(L("tick", `"0.01"`))))
	if !errors.Is(err, ErrDecimal) || !errors.Is(err, fixed.ErrPrecision) {
		t.Errorf("%v: want ErrDecimal wrapping fixed.ErrPrecision", err)
	}
	_, err = Parse([]byte(spot(L("tick", `"1e-1"`))))
	if !errors.Is(err, fixed.ErrExponent) {
		t.Errorf("%v: want fixed.ErrExponent", err)
	}
}

func TestParseAccepts(t *testing.T) {
	bybitSpot := L("venue", `"bybit"`, "symbol", `"BTCUSDT"`)
	bybitPerp := L("venue", `"bybit"`, "symbol", `"BTCUSDT"`, "qty_scale", `3`, "lot", `"0.001"`,
		"min_qty", `"0.001"`, "contract_value", `"1"`, "taker_fee_bps", `"5.5"`, "maker_fee_bps", `"-0.25"`)
	tests := []struct {
		name string
		file string
	}{
		{"one symbol in two segments of a venue", file(inst("BTC-USDT", "spot", "BTC", "USDT", bybitSpot), inst("BTC-USDT-PERP", "perpetual", "BTC", "USDT", bybitPerp))},
		{"scale 0 and scale 18", spot(L("price_scale", `0`, "tick", `"1"`, "qty_scale", `18`, "lot", `"0.000000000000000001"`, "min_qty", `"1"`))},
		{"tick and lot several units", spot(L("price_scale", `2`, "tick", `"0.5"`, "lot", `"0.001"`, "min_qty", `"0.002"`))},
		{"padded decimals", spot(L("tick", `"0.10000000"`, "min_notional", `"5.00000000"`))},
		{"dated future", file(inst("BTC-USDT-260327", "future", "BTC", "USDT", L("contract_value", `"0.01"`)))},
		{"aliases", spot(L("aliases", `["XBT-USDT","BTCUSDT"]`))},
		{"same symbol on two venues", file(inst("BTC-USDT", "spot", "BTC", "USDT", L(), L("venue", `"coinbase"`)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.file)); err != nil {
				t.Fatalf("%v\nfile: %s", err, tt.file)
			}
		})
	}
}
