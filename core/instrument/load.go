package instrument

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/cespare/xxhash/v2"
)

// Instrument file format (JSON, UTF-8; part of the project's configuration contract):
//
//	{
//	  "version": "1.0",                        required, free text, recorded with the hash
//	  "instruments": [                         required, non-empty; ids 1..N in this order
//	    {
//	      "name":  "BTC-USDT",                 BASE-QUOTE | BASE-QUOTE-PERP | BASE-QUOTE-<expiry>
//	      "kind":  "spot",                     spot | perpetual | future
//	      "base":  "BTC", "quote": "USDT",     [A-Z0-9]{1,16}
//	      "listings": [                        required, non-empty, at most one per venue
//	        {
//	          "venue":  "okx",                 binance | binance-usdm | okx | bybit | coinbase | kraken,
//	                                           one that trades the kind (VenueHas)
//	          "symbol": "BTC-USDT",            the venue's symbol, printable ASCII, 1..32 bytes
//	          "aliases": ["..."],              optional: other spellings of the same listing
//	          "price_scale": 1,                decimal places of prices, 0..18
//	          "qty_scale":   8,                decimal places of quantities, 0..18
//	          "tick":  "0.1",                  exact at price_scale, > 0
//	          "lot":   "0.00000001",           exact at qty_scale, > 0
//	          "min_qty": "0.00001",            exact at qty_scale, a positive multiple of lot
//	          "min_notional": "0",             quote units, exact at price_scale, >= 0 ("0": none)
//	          "contract_value": "0.01",        perpetual/future only, required there: base per 1 qty
//	          "maker_fee_bps": "8",            basis points, at most 2 decimals, |fee| <= 10000
//	          "taker_fee_bps": "10",
//	          "source":     "...",             required: where the grid and minimums come from
//	          "fee_source": "..."              required: where the fees come from
//	        }
//	      ]
//	    }
//	  ]
//	}
//
// Every decimal is a JSON string, parsed with ems/core/fixed: never a JSON number, never a float.
// Unknown fields are errors. The master's hash is xxhash64 of the file's bytes exactly as given.

// Limits of the format.
const (
	MaxSymbolLen   = 32      // bytes in a venue symbol or alias
	MaxAssetLen    = 16      // bytes in an asset code
	MaxInstruments = 1 << 20 // instruments in one file
	maxFeeBps      = 10000
)

//go:embed instruments.json
var defaultFile string

// Default returns a new Master loaded from the instrument file built into the binary
// (core/instrument/instruments.json).
func Default() (*Master, error) {
	return Parse([]byte(defaultFile))
}

// Load reads the instrument file at path and returns its Master. A read failure is the os error
// wrapped ("instrument: open ...: no such file or directory"); anything wrong with the content is
// an *Error.
func Load(path string) (*Master, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("instrument: %w", err)
	}
	return Parse(data)
}

// Parse validates the instrument file data and builds its Master. Every problem found is an
// *Error naming the instrument, venue and field; Parse stops at the first. data is not retained.
// Parse runs at start-up, never on the hot path: it allocates freely.
func Parse(data []byte) (*Master, error) {
	var f fileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fail(ErrSyntax, "", "", "", "cannot decode the file", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(ErrSyntax, "", "", "", "has data after the top-level object", nil)
	}
	if f.Version == "" {
		return nil, fail(ErrMissing, "", "", "version", "is missing", nil)
	}
	if len(f.Instruments) == 0 {
		return nil, fail(ErrMissing, "", "", "instruments", "is missing or empty", nil)
	}
	if len(f.Instruments) > MaxInstruments {
		return nil, fail(ErrTooMany, "", "", "instruments", "holds "+strconv.Itoa(len(f.Instruments))+
			" entries, more than "+strconv.Itoa(MaxInstruments), nil)
	}
	b := newBuilder(f.Version, xxhash.Sum64(data), f.Instruments)
	for i := range f.Instruments {
		if err := b.addInstrument(i, &f.Instruments[i]); err != nil {
			return nil, err
		}
	}
	return b.m, nil
}

// fileJSON, instrumentJSON and listingJSON mirror the file format above. Scales are pointers so
// that a missing scale is told apart from scale 0.
type fileJSON struct {
	Version     string           `json:"version"`
	Instruments []instrumentJSON `json:"instruments"`
}

type instrumentJSON struct {
	Name     string        `json:"name"`
	Kind     string        `json:"kind"`
	Base     string        `json:"base"`
	Quote    string        `json:"quote"`
	Listings []listingJSON `json:"listings"`
}

type listingJSON struct {
	Venue         string   `json:"venue"`
	Symbol        string   `json:"symbol"`
	Aliases       []string `json:"aliases"`
	PriceScale    *int     `json:"price_scale"`
	QtyScale      *int     `json:"qty_scale"`
	Tick          string   `json:"tick"`
	Lot           string   `json:"lot"`
	MinQty        string   `json:"min_qty"`
	MinNotional   string   `json:"min_notional"`
	ContractValue string   `json:"contract_value"`
	MakerFeeBps   string   `json:"maker_fee_bps"`
	TakerFeeBps   string   `json:"taker_fee_bps"`
	Source        string   `json:"source"`
	FeeSource     string   `json:"fee_source"`
}
