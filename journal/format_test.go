package journal

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
)

var update = flag.Bool("update", false, "rewrite testdata/segment_v1.txt from the writer's output")

// goldenRecords are the records of testdata/segment_v1.txt.
var goldenRecords = []struct {
	typ     uint16
	seq     uint64
	ts      int64
	payload string
}{
	{1, 1, 1_700_000_000_000_000_001, "hello"},
	{2, 2, 1_700_000_000_000_000_002, ""},
	{3, 3, 1_700_000_000_000_000_003, "ABCDEFGH"},
	{0x0102, 10, -5, "thirteen byte"},
}

// writeGolden writes the golden records into a fresh journal and returns the
// bytes of its only segment.
func writeGolden(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	w := mustOpen(t, dir, Options{SegmentSize: MinSegmentSize, Clock: func() int64 { return 1_700_000_000_000_000_000 }})
	for _, r := range goldenRecords {
		if err := w.Append(r.typ, r.seq, r.ts, []byte(r.payload)); err != nil {
			t.Fatal(err)
		}
	}
	mustClose(t, w)
	b, err := os.ReadFile(filepath.Join(dir, segmentName(0)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hexdump renders the non-zero part of a segment as offset, 16 hex bytes and
// their ASCII, then a line for the zeros up to the end of the file.
func hexdump(b []byte) string {
	end := (lastNonZero(b, 0) + 15) &^ 15
	var sb strings.Builder
	fmt.Fprintf(&sb, "# segment file, %d bytes; format diagram in format.go\n", len(b))
	for off := 0; off < end; off += 16 {
		line := b[off : off+16]
		fmt.Fprintf(&sb, "%06x ", off)
		for i, c := range line {
			if i == 8 {
				sb.WriteByte(' ')
			}
			fmt.Fprintf(&sb, " %02x", c)
		}
		sb.WriteString("  |")
		for _, c := range line {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			sb.WriteByte(c)
		}
		sb.WriteString("|\n")
	}
	fmt.Fprintf(&sb, "%06x  zero to the end\n", end)
	return sb.String()
}

// TestGoldenSegment pins the on-disk format: the writer's bytes for a fixed
// set of records must match testdata/segment_v1.txt (regenerate with
// go test -run TestGoldenSegment -update, and review the diff).
func TestGoldenSegment(t *testing.T) {
	got := hexdump(writeGolden(t))
	path := filepath.Join("testdata", "segment_v1.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("segment bytes differ from %s:\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestDecodeGolden reads the golden segment back from its hex dump.
func TestDecodeGolden(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("testdata", "segment_v1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	seg := make([]byte, MinSegmentSize)
	for _, line := range strings.Split(string(text), "\n") {
		if line == "" || line[0] == '#' || strings.Contains(line, "zero to the end") {
			continue
		}
		var off int
		fmt.Sscanf(line[:6], "%x", &off)
		fields := strings.Fields(line[7:strings.Index(line, "|")])
		for i, f := range fields {
			fmt.Sscanf(f, "%x", &seg[off+i])
		}
	}
	path := filepath.Join(t.TempDir(), segmentName(0))
	if err := os.WriteFile(path, seg, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.hdr.createdAt != 1_700_000_000_000_000_000 || r.hdr.baseSeq != 1 {
		t.Fatalf("header %+v", r.hdr)
	}
	for _, want := range goldenRecords {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec.Type != want.typ || rec.Seq != want.seq || rec.Timestamp != want.ts || string(rec.Payload) != want.payload {
			t.Fatalf("record %+v, want %+v", rec, want)
		}
	}
	if _, err := r.Next(); err.Error() != "EOF" {
		t.Fatalf("after the golden records: %v", err)
	}
}

// TestRecordLayout checks the bytes of records at the edges of padding and
// size against the diagram in format.go.
func TestRecordLayout(t *testing.T) {
	max := MaxPayload(MinSegmentSize)
	tests := []struct {
		name string
		n    int
		size int
		pad  int
	}{
		{"empty", 0, 32, 0},
		{"one byte", 1, 40, 7},
		{"seven bytes", 7, 40, 1},
		{"one word", 8, 40, 0},
		{"word and a byte", 9, 48, 7},
		{"64 bytes", 64, 96, 0},
		{"largest", max, MinSegmentSize - segmentHeaderSize - sealSize, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w := mustOpen(t, dir, smallOptions(MinSegmentSize))
			payload := bytes.Repeat([]byte{0xa5}, tt.n)
			if err := w.Append(0x1234, 0x0102030405060708, -2, payload); err != nil {
				t.Fatal(err)
			}
			mustClose(t, w)
			seg, err := os.ReadFile(filepath.Join(dir, segmentName(0)))
			if err != nil {
				t.Fatal(err)
			}
			rec := seg[segmentHeaderSize:]
			le := binary.LittleEndian
			size := int(le.Uint32(rec))
			if size != tt.size || size != recordSize(tt.n) {
				t.Fatalf("length %d, want %d", size, tt.size)
			}
			if typ := le.Uint16(rec[4:]); typ != 0x1234 {
				t.Errorf("type %#x", typ)
			}
			if flags := le.Uint16(rec[6:]); int(flags) != tt.pad {
				t.Errorf("flags %#x, want pad %d", flags, tt.pad)
			}
			if seq := le.Uint64(rec[8:]); seq != 0x0102030405060708 {
				t.Errorf("sequence %#x", seq)
			}
			if ts := int64(le.Uint64(rec[16:])); ts != -2 {
				t.Errorf("timestamp %d", ts)
			}
			if !bytes.Equal(rec[24:24+tt.n], payload) {
				t.Errorf("payload differs")
			}
			for i, c := range rec[24+tt.n : size-8] {
				if c != 0 {
					t.Errorf("pad byte %d is %#x", i, c)
				}
			}
			sum := le.Uint64(rec[size-8:])
			if want := xxhash.Sum64(rec[:size-8]); sum != want {
				t.Errorf("checksum %#x, xxhash64 of the record is %#x", sum, want)
			}
			if want := recordChecksum(rec[:size]); sum != want {
				t.Errorf("checksum %#x, recordChecksum gives %#x", sum, want)
			}
			if lastNonZero(seg, segmentHeaderSize+size) != segmentHeaderSize+size {
				t.Errorf("bytes after the record are not zero")
			}
		})
	}
}

func TestSegmentNames(t *testing.T) {
	tests := []struct {
		index uint64
		name  string
	}{
		{0, "00000000000000000000.seg"},
		{42, "00000000000000000042.seg"},
		{1<<64 - 1, "18446744073709551615.seg"},
	}
	for _, tt := range tests {
		if got := segmentName(tt.index); got != tt.name {
			t.Errorf("segmentName(%d) = %s", tt.index, got)
		}
		if got, ok := parseSegmentName(tt.name); !ok || got != tt.index {
			t.Errorf("parseSegmentName(%s) = %d, %v", tt.name, got, ok)
		}
	}
	for _, bad := range []string{"", "0.seg", "0000000000000000000x.seg", "00000000000000000000.seg.tmp", "00000000000000000000.log", "99999999999999999999.seg"} {
		if _, ok := parseSegmentName(bad); ok {
			t.Errorf("parseSegmentName(%q) accepted", bad)
		}
	}
}
