// Package journal is the system's memory-mapped, segmented, append-only log:
// every event the core sees or emits is appended here, in order, so that a
// trading day can be read back and replayed exactly.
//
// # Layout
//
// A journal is a directory of fixed-size segment files
// (DIR/00000000000000000000.seg, ...). A record is a little-endian,
// 8-byte-aligned header (length, type, flags, sequence, timestamp), the
// payload padded to 8 bytes, and an xxhash64 checksum over both. The byte
// diagrams are at the top of format.go. Types, sequences and timestamps are
// the caller's: the journal never reads a clock on the append path, and it
// requires sequences to strictly increase.
//
// # Writing
//
// [Open] returns the journal's single [Writer]. [Writer.Append] copies a
// payload into the mapped segment, checksums it and publishes it by storing
// the length word last, with a release store (a plain MOV on amd64, STLR on
// arm64: every byte of the record is visible before the length). It does not
// allocate, make a system call or take a lock. [Writer.Claim] and [Writer.Commit] do the same
// without the copy: the caller builds the payload in place.
//
// When a record does not fit, the writer seals the segment and continues in
// the next one. That segment was created ahead of time by a background
// preparer goroutine: preallocated with fallocate(2) (a later store never
// meets a full disk), header written and synced, every page touched for
// writing (so stores take no page fault), renamed into place and the
// directory synced. The roll itself is a channel receive, a 32-byte seal and
// a hand-off of the old segment to a background syncer, which msyncs,
// unmaps and closes it. If the writer fills segments faster than the preparer
// makes them, the roll waits.
//
// # Goroutines and ownership
//
//	goroutine         owns                                    runs
//	writer (caller)   Writer, active segment, records         Append, Claim, Commit, Sync, Close
//	preparer          the next segment until handed over      fallocate, header, prefault, rename
//	syncer            segments left behind by rolls           msync, munmap, close; FlushInterval msync
//	reader (any)      its Reader and its read-only mappings   Next
//
// # Durability
//
// A record survives a crash of the process once Append (or Commit) has
// returned: it is in the shared mapping, that is, in the kernel's page cache,
// which outlives the process. It survives a power loss or kernel crash only
// once a later [Writer.Sync] has returned (msync MS_SYNC, on Linux an
// fdatasync of the written range), or the next sync of the background
// flusher (Options.FlushInterval) has completed, or a roll has moved past
// its segment and the syncer has synced it. Close syncs.
//
// Records appended without a Sync may reach the disk in any order, page by
// page. After a power loss the journal may therefore end with a torn tail: a
// record whose length word reached the disk but not all of its bytes, or
// bytes without a length word. [Open] finds it, zeroes it and reports it
// ([Writer.Recovery]); appending continues after the last intact record.
// Damage followed by intact records (in the same segment or a later one) is
// not a torn tail: Open, [Reader.Next] and [Verify] report it as
// [ErrCorrupt] with the segment file and offset, and nothing is skipped or
// truncated. The two are told apart by looking for an intact record after
// the damage. A power loss can produce that case too, when a later page
// reached the disk before an earlier one; the operator decides what to do
// (the journal never drops a record that verifies).
//
// # Reading
//
// [OpenReader] reads a directory (following seals from segment to segment)
// or one segment file, verifying every checksum; [Reader.Next] returns a view
// into the mapping and does not allocate. [OpenTail] does the same while the
// writer runs, in the same process or another: it returns [ErrNoData] at the
// end of what has been published and sees new records on the next call.
// Records become visible only once complete. [Verify] checks a whole journal
// and [Stats] summarises one.
//
// # When not to use it
//
// The journal is for one writer appending small-to-medium records at a high
// rate on one Linux host. It is not a database: there is no index, no
// deletion (retire old segments by moving whole files), no compaction, and
// seeking means reading from the start of a segment. A record must fit in one
// segment. It is not a replication protocol. It relies on Linux semantics
// (fallocate, msync as fdatasync, renameat2, flock) and on a local file
// system with a page cache: not NFS, not a FUSE file system. Segment files
// must not be truncated while mapped (readers would get SIGBUS). Do not use
// it for bulk data of unbounded size, or where every record must be durable
// before the call returns: pair Append with Sync for that and pay the disk's
// latency.
package journal
