// Package mfile maps files into memory and moves their bytes to stable
// storage: preallocation, shared mappings, prefaulting, range syncs and
// directory syncs. It knows nothing of what the bytes mean.
//
// It is Linux-specific (fallocate(2), msync(2) semantics, renameat2(2)).
package mfile

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Allocate reserves size bytes of disk for f and sets its length to size.
// Bytes not yet written read as zero. It uses fallocate(2) so that a later
// write into a mapping never fails for lack of space, and falls back to
// ftruncate(2) on file systems without fallocate (blocks are then allocated on
// first write, and a full disk shows up as SIGBUS).
func Allocate(f *os.File, size int64) error {
	err := unix.Fallocate(int(f.Fd()), 0, 0, size)
	if err == nil {
		return nil
	}
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOSYS) {
		return f.Truncate(size)
	}
	return fmt.Errorf("fallocate %s: %w", f.Name(), err)
}

// Map maps the first size bytes of f with MAP_SHARED, so stores reach the
// page cache shared by every process mapping the file. writable adds
// PROT_WRITE. populate asks the kernel to map every page now (MAP_POPULATE);
// for a shared writable mapping that maps pages read-only, so a writer
// prefaults with [Prefault] instead.
//
// REQUIRES: size > 0 and size <= the file's length (touching a page past the
// end of the file raises SIGBUS).
func Map(f *os.File, size int, writable, populate bool) ([]byte, error) {
	prot := unix.PROT_READ
	if writable {
		prot |= unix.PROT_WRITE
	}
	flags := unix.MAP_SHARED
	if populate {
		flags |= unix.MAP_POPULATE
	}
	b, err := unix.Mmap(int(f.Fd()), 0, size, prot, flags)
	if err != nil {
		return nil, fmt.Errorf("mmap %s: %w", f.Name(), err)
	}
	return b, nil
}

// Unmap releases a mapping made by Map. Unmapping does not lose data: dirty
// pages stay in the page cache until written back. b must not be used after.
func Unmap(b []byte) error {
	if b == nil {
		return nil
	}
	return unix.Munmap(b)
}

// Sync writes the dirty pages of b overlapping [from, to) to disk and waits
// for them (msync(2) with MS_SYNC). On Linux that is an fdatasync(2) of the
// file range, which also commits the metadata needed to read it back (the
// file's length, block allocation).
//
// REQUIRES: b is a whole mapping from Map; 0 <= from <= to <= len(b).
func Sync(b []byte, from, to int) error {
	if to <= from {
		return nil
	}
	start := from &^ (os.Getpagesize() - 1)
	return unix.Msync(b[start:to], unix.MS_SYNC)
}

// Prefault makes every page of b from offset from onwards resident and
// writable, so that later stores into them take no page fault. Each page is
// touched with an atomic add of zero: a write access that leaves the content
// unchanged, so it is safe on pages holding data. Reading alone
// (MAP_POPULATE, MADV_WILLNEED) would leave a shared file mapping's pages
// write-protected and the first store would still fault.
//
// The touched pages become dirty; the kernel may write them back (zeros)
// before they are used, and a page written back is write-protected again.
//
// REQUIRES: no other goroutine or process writes b[from:] meanwhile.
func Prefault(b []byte, from int) {
	ps := os.Getpagesize()
	for i := from &^ (ps - 1); i < len(b); i += ps {
		atomic.AddUint32((*uint32)(unsafe.Pointer(&b[i])), 0)
	}
}

// AdviseSequential tells the kernel that b will be read front to back
// (MADV_SEQUENTIAL: aggressive readahead, early reclaim behind the reader).
// It is advice only; errors are ignored.
func AdviseSequential(b []byte) {
	if len(b) > 0 {
		_ = unix.Madvise(b, unix.MADV_SEQUENTIAL)
	}
}

// RenameNoReplace renames from to to, failing with an error matching
// os.ErrExist when to already exists. Where the file system lacks
// renameat2(RENAME_NOREPLACE) it checks for to first (not atomic).
func RenameNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	if err == nil {
		return nil
	}
	if errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("rename %s: %w", to, os.ErrExist)
	}
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) {
		return fmt.Errorf("rename %s to %s: %w", from, to, err)
	}
	if _, err := os.Lstat(to); err == nil {
		return fmt.Errorf("rename %s: %w", to, os.ErrExist)
	}
	return os.Rename(from, to)
}

// SyncDir fsyncs the directory d so that files created, renamed or removed in
// it survive a power loss.
func SyncDir(d *os.File) error {
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", d.Name(), err)
	}
	return nil
}

// LockDir opens the directory dir and takes an exclusive, non-blocking
// flock(2) on it. The lock is held until the returned file is closed or the
// process exits (a killed process releases it too). It returns an error
// matching ErrLocked when another open file description holds the lock.
func LockDir(dir string) (*os.File, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(d.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		d.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("flock %s: %w", dir, err)
	}
	return d, nil
}

// ErrLocked reports a directory already locked by LockDir.
var ErrLocked = errors.New("directory locked")

// SyncFile fdatasyncs the file at path: its dirty pages written by any
// process reach the disk.
func SyncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Fdatasync(int(f.Fd())); err != nil {
		return fmt.Errorf("fdatasync %s: %w", path, err)
	}
	return nil
}
