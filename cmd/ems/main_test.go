package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = dispatch(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: ems COMMAND"},
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"journal"}, 2, "usage: ems journal"},
		{[]string{"journal", "frob", "x"}, 2, "unknown subcommand"},
		{[]string{"journal", "verify"}, 2, "usage: ems journal verify"},
		{[]string{"journal", "verify", "/nonexistent/journal"}, 1, "ems journal verify:"},
		{[]string{"tune"}, 2, "usage: ems tune check"},
		{[]string{"feed", "replay"}, 2, "usage: ems feed replay"},
		{[]string{"feed", "replay", "--venue", "nasdaq", "x.jsonl"}, 2, `unknown venue "nasdaq"`},
		{[]string{"feed", "replay", "--venue", "okx", "/nonexistent.jsonl"}, 1, "no such file"},
		{[]string{"feed", "replay", "--venue", "okx", "--snapshot", "demo/nknusdt_rest_depth_snapshot.jsonl", "demo/books_BTC-USDT.jsonl"}, 1, "--snapshot is not used by okx"},
		{[]string{"feed", "replay", "--venue", "okx", "demo/v1_book1000_xbtchf.jsonl"}, 1, "another venue"},
		{[]string{"run", "--source", "recorded", "--loops", "0"}, 1, "at least 1"},
		{[]string{"run", "--source", "tape"}, 1, "want sim or recorded"},
		{[]string{"sim", "--config", "/nonexistent/sim.json"}, 1, "ems sim:"},
		{[]string{"run", "--duration", "-1s"}, 1, "positive duration"},
	} {
		code, _, stderr := run(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("ems %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, stderr, c.code, c.want)
		}
	}
}

func TestFeedReplayBinance(t *testing.T) {
	code, stdout, stderr := run(t, "feed", "replay", "--venue", "binance",
		"--snapshot", "demo/nknusdt_rest_depth_snapshot.jsonl", "demo/nknusdt_ws_all_streams_arrival_order.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `{"venue":"binance","symbol":"NKNUSDT","messages":226,"applied":149,"dropped":1,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["0.3527","9602"],`
	if !strings.HasPrefix(stdout, want) || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("replay output:\n%s\nwant one line starting\n%s", stdout, want)
	}
	if !strings.Contains(stdout, `"asks":[["0.3531","152"],`) {
		t.Fatalf("best ask wrong: %s", stdout)
	}
}

// TestRunJournalTools runs the pipeline on the embedded recordings into a journal and reads it
// back with every journal tool.
func TestRunJournalTools(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "j")
	code, stdout, stderr := run(t, "run", "--source", "recorded", "--loops", "2", "--journal", dir)
	if code != 0 {
		t.Fatalf("ems run: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"books -> ring -> journal", "book errors in the core: 0", `"symbol":"BTC-USDT"`, "verified"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("ems run output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = run(t, "journal", "verify", dir)
	if code != 0 || !strings.Contains(stdout, "ok: every checksum verified") {
		t.Fatalf("verify: exit %d: %s %s", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "journal", "stats", dir)
	if code != 0 || !strings.Contains(stdout, "book_level") || !strings.Contains(stdout, "meta") {
		t.Fatalf("stats: exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = run(t, "journal", "dump", dir)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || !strings.HasPrefix(lines[0], `jseq=1 meta "instruments version=`) || !strings.Contains(lines[1], "kind=book_level") {
		t.Fatalf("dump: exit %d: first lines %q", code, lines[:2])
	}
	code, stdout, _ = run(t, "journal", "dump", "--json", dir)
	if code != 0 || !strings.HasPrefix(stdout, `{"jseq":1,"type":"meta"`) || !strings.Contains(stdout, `"event":{"kind":"book_level"`) {
		t.Fatalf("dump --json: exit %d: %.300s", code, stdout)
	}

	// Corrupt one byte in the middle of the first segment: verify must fail and name the offset.
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	data, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	data[4096+100] ^= 0xff
	if err := os.WriteFile(segs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, "journal", "verify", dir)
	if code != 1 || !strings.Contains(stderr, "offset") {
		t.Fatalf("verify of a corrupted journal: exit %d, stderr %q", code, stderr)
	}
}

func TestTuneCheck(t *testing.T) {
	code, stdout, stderr := run(t, "tune", "check")
	if code != 0 || !strings.Contains(stdout, "nothing on the host was changed") || !strings.Contains(stdout, "thread layout") {
		t.Fatalf("tune check: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestRunLive runs the default job: simulated venues on loopback, the real feeds connected to
// them through the WebSocket transport, the books and the journal. Every book must sync (a
// snapshot applied, no gap, no checksum failure) and every event must reach the journal.
func TestRunLive(t *testing.T) {
	code, stdout, stderr := run(t, "run", "--duration", "2s")
	if code != 0 {
		t.Fatalf("ems run: exit %d: %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"simulated venues (loopback)", "binance rest", "verified", "book errors in the core: 0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, " applied ") {
			if strings.Contains(line, " applied 0,") || !strings.Contains(line, "gaps 0,") || !strings.Contains(line, "/ 0 failed") {
				t.Errorf("book did not sync cleanly: %s", line)
			}
		}
	}
	if n := strings.Count(stdout, "core book before the stop"); n < 2 {
		t.Errorf("%d books reached the core, want at least 2:\n%s", n, stdout)
	}
}

func TestSimServes(t *testing.T) {
	code, stdout, stderr := run(t, "sim", "--duration", "300ms")
	if code != 0 || !strings.Contains(stdout, "binance rest         http://127.0.0.1:") || !strings.Contains(stdout, "stopped after") {
		t.Fatalf("ems sim: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
