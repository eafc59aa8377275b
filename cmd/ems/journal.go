package main

import (
	"bufio"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"ems/core/event"
	"ems/journal"
)

// runJournal implements `ems journal dump|stats|verify [--json] PATH`.
func runJournal(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: ems journal dump|stats|verify [--json] PATH  (a journal directory or one segment file)")
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("ems journal "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "dump: one JSON object per line")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "usage: ems journal %s [--json] PATH\n", sub)
		return 2
	}
	path := fs.Arg(0)
	var err error
	switch sub {
	case "dump":
		err = dumpJournal(path, *asJSON, stdout)
	case "stats":
		err = statsJournal(path, stdout)
	case "verify":
		err = verifyJournal(path, stdout)
	default:
		fmt.Fprintf(stderr, "ems journal: unknown subcommand %q (dump, stats, verify)\n", sub)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "ems journal %s: %v\n", sub, err)
		return 1
	}
	return 0
}

func dumpJournal(path string, asJSON bool, stdout io.Writer) error {
	r, err := journal.OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	w := bufio.NewWriterSize(stdout, 1<<16)
	defer w.Flush()
	var line []byte
	var ev event.Event
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		line = line[:0]
		switch {
		case event.IsEventRecord(rec.Type, len(rec.Payload)):
			event.FromBytes(&ev, rec.Payload)
			if asJSON {
				line = append(line, `{"jseq":`...)
				line = strconv.AppendUint(line, rec.Seq, 10)
				line = append(line, `,"event":`...)
				line = event.AppendJSON(line, &ev)
				line = append(line, '}')
			} else {
				line = appendRecordHead(line, &rec)
				line = event.AppendText(line, &ev)
			}
		case asJSON:
			line = append(line, `{"jseq":`...)
			line = strconv.AppendUint(line, rec.Seq, 10)
			line = append(line, `,"type":`...)
			line = strconv.AppendQuote(line, event.RecordName(rec.Type))
			line = append(line, `,"ts":`...)
			line = strconv.AppendInt(line, rec.Timestamp, 10)
			if rec.Type == event.RecordMeta {
				line = append(line, `,"text":`...)
				line = strconv.AppendQuote(line, string(rec.Payload))
			} else {
				line = append(line, `,"hex":"`...)
				line = hex.AppendEncode(line, rec.Payload)
				line = append(line, '"')
			}
			line = append(line, '}')
		default:
			line = appendRecordHead(line, &rec)
			line = append(line, event.RecordName(rec.Type)...)
			line = append(line, ' ')
			if rec.Type == event.RecordMeta {
				line = strconv.AppendQuote(line, string(rec.Payload))
			} else {
				line = hex.AppendEncode(line, rec.Payload)
			}
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
}

func appendRecordHead(dst []byte, rec *journal.Record) []byte {
	dst = append(dst, "jseq="...)
	dst = strconv.AppendUint(dst, rec.Seq, 10)
	dst = append(dst, ' ')
	return dst
}

func statsJournal(path string, stdout io.Writer) error {
	st, err := journal.Stats(path)
	types := make([]int, 0, len(st.ByType))
	for t := range st.ByType {
		types = append(types, int(t))
	}
	sort.Ints(types)
	fmt.Fprintf(stdout, "segments  %d\nrecords   %d\nbytes     %d (payload %d)\n", st.Segments, st.Records, st.Bytes, st.PayloadBytes)
	if st.Records > 0 {
		fmt.Fprintf(stdout, "sequence  %d .. %d\n", st.FirstSeq, st.LastSeq)
		fmt.Fprintf(stdout, "time      %s .. %s (%v)\n", fmtTS(st.FirstTime), fmtTS(st.LastTime), time.Duration(st.LastTime-st.FirstTime))
	}
	for _, t := range types {
		fmt.Fprintf(stdout, "  %-16s %d\n", event.RecordName(uint16(t)), st.ByType[uint16(t)])
	}
	return err
}

func fmtTS(ns int64) string {
	return time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000000000Z")
}

func verifyJournal(path string, stdout io.Writer) error {
	rep, err := journal.Verify(path)
	fmt.Fprintf(stdout, "segments %d, records %d, bytes %d", rep.Segments, rep.Records, rep.Bytes)
	if rep.Records > 0 {
		fmt.Fprintf(stdout, ", sequence %d .. %d", rep.FirstSeq, rep.LastSeq)
	}
	fmt.Fprintln(stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "ok: every checksum verified")
	return nil
}
