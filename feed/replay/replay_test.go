package replay

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ems/core/book"
	"ems/feed"
)

// lineDecoder is a minimal venue: a line "SYM PX QTY" sets a bid; "junk" is foreign. It records
// the receive times it is given.
type lineDecoder struct {
	replica *feed.Replica
	recv    []int64
	anoms   feed.Anomalies
	snap    []byte
}

func (d *lineDecoder) Decode(msg []byte, recvTS int64, out *feed.Batch) error {
	d.recv = append(d.recv, recvTS)
	f := bytes.Fields(msg)
	if len(f) != 3 {
		d.anoms.Note("foreign", msg, nil)
		return feed.ErrForeign
	}
	if d.replica == nil {
		d.replica, _ = feed.NewReplica(feed.ReplicaConfig{Symbol: string(f[0])})
	}
	r := d.replica
	r.Stats.Messages++
	r.Begin(out, 0, 0, recvTS)
	if err := r.SetText(book.Bid, f[1], f[2]); err != nil {
		return err
	}
	return r.Commit()
}

func (d *lineDecoder) Books() []*feed.Replica {
	if d.replica == nil {
		return nil
	}
	return []*feed.Replica{d.replica}
}
func (d *lineDecoder) Anomalies() *feed.Anomalies                 { return &d.anoms }
func (d *lineDecoder) Requests(dst []feed.Request) []feed.Request { return dst }

type snapDecoder struct{ lineDecoder }

func (d *snapDecoder) LoadSnapshot(symbol string, body []byte, recvTS int64, out *feed.Batch) error {
	d.snap = append([]byte(nil), body...)
	d.recv = append(d.recv, recvTS)
	return nil
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunReportsAndUsesSidecarTimes(t *testing.T) {
	dir := t.TempDir()
	rec := write(t, dir, "x.jsonl", "ABC 1.5 2\n\nABC 1.25 3\njunk\n")
	write(t, dir, "x.recv_ts", "1633998512.0633569\n0\n1633998512.5\n1633998513\n")
	snap := write(t, dir, "s.jsonl", `{"lastUpdateId":1}`+"\n")
	d := &snapDecoder{}
	var out, anoms bytes.Buffer
	if err := Run(d, []string{rec}, Options{Venue: "v", Snapshot: snap, Anomalies: &anoms}, &out); err != nil {
		t.Fatal(err)
	}
	want := `{"venue":"v","symbol":"ABC","messages":2,"applied":2,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["1.5","2"],["1.25","3"]],"asks":[]}` + "\n"
	if out.String() != want {
		t.Fatalf("report\n got %s\nwant %s", out.String(), want)
	}
	// The snapshot has no sidecar: stamped by the run's own counter (0); the lines by theirs.
	wantRecv := []int64{0, 1633998512063356900, 1633998512500000000, 1633998513000000000}
	if len(d.recv) != len(wantRecv) {
		t.Fatalf("receive times %v", d.recv)
	}
	for i := range wantRecv {
		if d.recv[i] != wantRecv[i] {
			t.Fatalf("receive times %v, want %v", d.recv, wantRecv)
		}
	}
	if string(d.snap) != `{"lastUpdateId":1}` || !strings.Contains(anoms.String(), "foreign") {
		t.Fatalf("snapshot %q, anomalies %q", d.snap, anoms.String())
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "good.jsonl", "ABC 1 1\n")
	foreign := write(t, dir, "foreign.jsonl", "junk\njunk\n")
	twoLines := write(t, dir, "two.jsonl", "a\nb\n")
	for _, c := range []struct {
		name  string
		dec   feed.Decoder
		files []string
		opts  Options
		want  string
	}{
		{"no files", &lineDecoder{}, nil, Options{}, "no recording"},
		{"missing file", &lineDecoder{}, []string{filepath.Join(dir, "nope.jsonl")}, Options{}, "no such file"},
		{"foreign", &lineDecoder{}, []string{good, foreign}, Options{}, "another venue"},
		{"snapshot unsupported", &lineDecoder{}, []string{good}, Options{Venue: "v", Snapshot: good}, "--snapshot is not used by v"},
		{"snapshot of two lines", &snapDecoder{}, []string{good}, Options{Snapshot: twoLines}, "exactly one line"},
	} {
		err := Run(c.dec, c.files, c.opts, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %q", c.name, err, c.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	rec := write(t, dir, "x.jsonl", "a\n\nb\n")
	ls, err := Load(rec)
	if err != nil || len(ls) != 2 || string(ls[0].Msg) != "a" || ls[0].Recv != 1 || string(ls[1].Msg) != "b" || ls[1].Recv != 3 {
		t.Fatalf("without sidecar: %+v %v", ls, err)
	}
	write(t, dir, "x.recv_ts", "1.5\n2\n2.25\n")
	ls, err = Load(rec)
	if err != nil || len(ls) != 2 || ls[0].Recv != 1500000000 || ls[1].Recv != 2250000000 {
		t.Fatalf("with sidecar: %+v %v", ls, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.jsonl")); err == nil {
		t.Fatal("missing file loaded")
	}
}
