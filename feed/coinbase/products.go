package coinbase

import (
	"fmt"

	"ems/core/event"
	"ems/feed"
)

// bookCapacity is the number of levels per side a product's book holds outside the ladder window
// without allocating: Coinbase level2 books are full depth (thousands of levels on busy products).
const bookCapacity = 4096

// product is what a decoder knows of one Coinbase product (BTC-USD): its instrument, its scales
// and its book (one per product: level2 has no depth channels).
type product struct {
	name     string
	resolved bool  // Resolve has been asked
	err      error // non-nil: refused (unknown to Resolve and InferUnknown unset)
	id       event.InstrumentID
	scales   feed.Scales
	r        *feed.Replica // nil until the product's first book message
	lines    int64         // lines counted before the book existed
	line     uint64        // the last line counted, so a line counts once per product
	// tradePx and tradeQty are the trade scales inferred from the text when scales are unknown.
	tradePx, tradeQty uint8
}

// registry holds a decoder's products and books. Owned by the decoder's thread.
type registry struct {
	cfg      feed.Config
	byName   map[string]*product
	replicas []*feed.Replica // in first-seen order
	nextID   uint32          // the last instrument id assigned to a product Resolve did not know
	line     uint64          // the number of the message being decoded
}

func newRegistry(cfg feed.Config) registry {
	return registry{cfg: cfg, byName: make(map[string]*product)}
}

// lookup returns the product named name, resolving it on first sight; err is non-nil for a product
// the instrument master does not know when InferUnknown is unset (the same error every time).
func (g *registry) lookup(name []byte) (*product, error) {
	p := g.byName[string(name)] // no allocation: map index by string(bytes)
	if p == nil {
		p = &product{name: string(name)}
		g.byName[p.name] = p
	}
	if !p.resolved {
		p.resolved = true
		g.resolve(p)
	}
	return p, p.err
}

func (g *registry) resolve(p *product) {
	if g.cfg.Resolve != nil {
		if id, sc, ok := g.cfg.Resolve([]byte(p.name)); ok {
			p.id, p.scales = event.InstrumentID(id), sc
			return
		}
	}
	if !g.cfg.InferUnknown {
		p.err = fmt.Errorf("coinbase: unknown product %q (not in the instrument master)", p.name)
		return
	}
	g.nextID++
	p.id = event.InstrumentID(g.nextID)
}

// count counts the current line for p once.
func (g *registry) count(p *product) {
	if p.line == g.line {
		return
	}
	p.line = g.line
	if p.r != nil {
		p.r.Stats.Messages++
	} else {
		p.lines++
	}
}

// book returns p's replica, creating it on the product's first book message.
func (g *registry) book(p *product) (*feed.Replica, error) {
	if p.r != nil {
		return p.r, nil
	}
	r, err := feed.NewReplica(feed.ReplicaConfig{
		Venue:      event.VenueID(g.cfg.Venue),
		Instrument: p.id,
		Symbol:     p.name,
		Scales:     p.scales,
		Capacity:   bookCapacity,
	})
	if err != nil {
		return nil, fmt.Errorf("coinbase: %w", err)
	}
	r.Stats.Messages = p.lines
	p.r = r
	g.replicas = append(g.replicas, r)
	return r, nil
}
