package kraken

import (
	"errors"
	"fmt"

	"ems/feed"
)

// Anomaly kinds, one per cause (feed.Anomalies keys).
const (
	kindBadJSON       = "bad json"
	kindForeign       = "not a kraken message"
	kindUnknownSymbol = "unknown symbol"
	kindBadBook       = "malformed book message"
	kindBadLevel      = "malformed book level"
	kindBadChecksum   = "malformed checksum"
	kindBadTrade      = "malformed trade"
	kindBadTicker     = "malformed ticker"
	kindBadDepth      = "unsupported depth"
	kindRejected      = "request rejected"
	kindVenueError    = "venue error"
	kindBook          = "book error"
)

var (
	errForeignV2    = fmt.Errorf("kraken: %w: not a Kraken WebSocket v2 message", feed.ErrForeign)
	errForeignV1    = fmt.Errorf("kraken: %w: not a Kraken WebSocket v1 message", feed.ErrForeign)
	errUnknown      = errors.New("kraken: unknown symbol (not in the instrument master)")
	errBookType     = errors.New("kraken: book message type is neither snapshot nor update")
	errNoData       = errors.New("kraken: message without a data array")
	errNoSymbol     = errors.New("kraken: data entry without a symbol")
	errChecksum     = errors.New("kraken: checksum is not an unsigned 32-bit integer")
	errFrame        = errors.New("kraken: v1 frame is not [channelID, payload..., channelName, pair]")
	errChannelDepth = errors.New("kraken: v1 book channel name is not book-<depth>")
	errPayload      = errors.New("kraken: v1 book payload is not an object of level arrays")
	errDepth        = errors.New("kraken: depth below the 10 levels the checksum covers")
	errBadTrade     = errors.New("kraken: malformed trade")
	errBadTicker    = errors.New("kraken: malformed ticker")
)
