package kraken

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/crc32"
	"math/big"
	"os"
	"sort"
	"strings"
	"testing"

	"ems/feed"
)

// This file holds the tests' independent reference: a book kept as the venue's text (never as
// integers), checksummed by the text rule exactly as Kraken documents it.

// checksumText applies the rule to one decimal text: remove the '.', strip leading zeros.
func checksumText(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			continue
		}
		if c == '0' && len(dst) == start {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// textChecksum is the documented checksum over text levels (asks ascending, bids descending).
func textChecksum(asks, bids [][2]string) uint32 {
	var b []byte
	for _, side := range [2][][2]string{asks, bids} {
		for i, l := range side {
			if i == ChecksumLevels {
				break
			}
			b = checksumText(b, l[0])
			b = checksumText(b, l[1])
		}
	}
	return crc32.ChecksumIEEE(b)
}

// refBook is a text book: for each side, the exact value of a price (as a rational's text) → the
// level's price and quantity text as the venue sent them.
type refBook struct {
	depth int
	bids  map[string]refLevel
	asks  map[string]refLevel
}

type refLevel struct {
	px, qty string
	v       *big.Rat
}

func newRefBook(depth int) *refBook {
	return &refBook{depth: depth, bids: map[string]refLevel{}, asks: map[string]refLevel{}}
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad decimal " + s)
	}
	return r
}

func (b *refBook) side(ask bool) map[string]refLevel {
	if ask {
		return b.asks
	}
	return b.bids
}

func (b *refBook) set(ask bool, px, qty string) {
	v := rat(px)
	k := v.RatString()
	if rat(qty).Sign() == 0 {
		delete(b.side(ask), k)
		return
	}
	b.side(ask)[k] = refLevel{px, qty, v}
}

func (b *refBook) sorted(ask bool) []refLevel {
	var ls []refLevel
	for _, l := range b.side(ask) {
		ls = append(ls, l)
	}
	sort.Slice(ls, func(i, j int) bool {
		c := ls[i].v.Cmp(ls[j].v)
		if ask {
			return c < 0
		}
		return c > 0
	})
	return ls
}

// levels returns a side's best 10 levels, best first, as text (a selection, not a full sort).
func (b *refBook) levels(ask bool) [][2]string {
	var best []refLevel
	for _, l := range b.side(ask) {
		i := len(best)
		for i > 0 && (ask && l.v.Cmp(best[i-1].v) < 0 || !ask && l.v.Cmp(best[i-1].v) > 0) {
			i--
		}
		if i < ChecksumLevels {
			best = append(best, refLevel{})
			copy(best[i+1:], best[i:])
			best[i] = l
			if len(best) > ChecksumLevels {
				best = best[:ChecksumLevels]
			}
		}
	}
	var out [][2]string
	for _, l := range best {
		out = append(out, [2]string{l.px, l.qty})
	}
	return out
}

func (b *refBook) truncate() {
	for _, ask := range []bool{false, true} {
		if len(b.side(ask)) <= b.depth {
			continue
		}
		ls := b.sorted(ask)
		for i := b.depth; i < len(ls); i++ {
			delete(b.side(ask), ls[i].v.RatString())
		}
	}
}

func (b *refBook) checksum() uint32 { return textChecksum(b.levels(true), b.levels(false)) }

// readLines returns the non-empty lines of a testdata file.
func readLines(t testing.TB, name string) [][]byte {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			lines = append(lines, append([]byte(nil), l...))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// v2Book builds a v2 book message for one symbol with numbers written as given (raw JSON number
// text) and the checksum given.
func v2Book(typ, sym string, bids, asks [][2]string, checksum uint32) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"channel":"book","type":%q,"data":[{"symbol":%q,"bids":[`, typ, sym)
	for i, l := range bids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"price":%s,"qty":%s}`, l[0], l[1])
	}
	b.WriteString(`],"asks":[`)
	for i, l := range asks {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"price":%s,"qty":%s}`, l[0], l[1])
	}
	fmt.Fprintf(&b, `],"checksum":%d,"timestamp":"2023-10-06T17:35:55.440295Z"}]}`, checksum)
	return []byte(b.String())
}

// docsSnapshot returns the levels of the docs example (bids, asks) as text.
func docsSnapshot() (bids, asks [][2]string) {
	bids = [][2]string{{"45283.5", "0.10000000"}, {"45283.4", "1.54582015"}, {"45282.1", "0.10000000"},
		{"45281.0", "0.10000000"}, {"45280.3", "1.54592586"}, {"45279.0", "0.07990000"},
		{"45277.6", "0.03310103"}, {"45277.5", "0.30000000"}, {"45277.3", "1.54602737"},
		{"45276.6", "0.15445238"}}
	asks = [][2]string{{"45285.2", "0.00100000"}, {"45286.4", "1.54571953"}, {"45286.6", "1.54571109"},
		{"45289.6", "1.54560911"}, {"45290.2", "0.15890660"}, {"45291.8", "1.54553491"},
		{"45294.7", "0.04454749"}, {"45296.1", "0.35380000"}, {"45297.5", "0.09945542"},
		{"45299.5", "0.18772827"}}
	return bids, asks
}

// refApply applies levels to ref, truncates, and returns the v2 message carrying its checksum.
func refApply(ref *refBook, typ, sym string, bids, asks [][2]string) []byte {
	if typ == "snapshot" {
		ref.bids, ref.asks = map[string]refLevel{}, map[string]refLevel{}
	}
	for _, l := range bids {
		ref.set(false, l[0], l[1])
	}
	for _, l := range asks {
		ref.set(true, l[0], l[1])
	}
	ref.truncate()
	return v2Book(typ, sym, bids, asks, ref.checksum())
}

// decodeAll feeds lines to dec, failing the test on a decode error unless allowErr.
func decodeAll(t testing.TB, dec feed.Decoder, lines [][]byte, out *feed.Batch, allowErr bool) {
	t.Helper()
	for i, l := range lines {
		if err := dec.Decode(l, int64(i+1), out); err != nil && !allowErr {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
	}
}

// trimDecimal trims a decimal text to the report's spelling (no trailing zeros, no bare '.').
func trimDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// refReport renders the reference's best 10 levels like Replica.AppendReport's bids and asks.
func refReport(ref *refBook) string {
	var b strings.Builder
	for _, ask := range []bool{false, true} {
		if ask {
			b.WriteString(`,"asks":[`)
		} else {
			b.WriteString(`"bids":[`)
		}
		for i, l := range ref.levels(ask) {
			if i == feed.ReportDepth {
				break
			}
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `[%q,%q]`, trimDecimal(l[0]), trimDecimal(l[1]))
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.String()
}

// reportBooks returns the bids/asks part of a replica's report.
func reportBooks(r *feed.Replica) string {
	rep := string(r.AppendReport(nil, "kraken"))
	return rep[strings.Index(rep, `"bids":`):]
}
