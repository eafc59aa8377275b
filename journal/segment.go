package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"ems/journal/internal/mfile"
)

// segment is one segment file and its mapping. Whoever holds a *segment owns
// it and must release it (close or discard) exactly once; ownership moves
// between goroutines only through a channel send or a mutex (preparer to
// writer, writer to syncer).
type segment struct {
	index uint64
	path  string
	f     *os.File
	data  []byte // the whole file, mapped MAP_SHARED
}

// close unmaps the segment and closes its file.
func (s *segment) close() error {
	err := mfile.Unmap(s.data)
	s.data = nil
	if e := s.f.Close(); err == nil {
		err = e
	}
	return err
}

// discard closes the segment and removes its file.
func (s *segment) discard() error {
	err := s.close()
	if e := os.Remove(s.path); err == nil {
		err = e
	}
	return err
}

// openSegment opens and maps the segment file at path. It does not check the
// header (see parseSegmentHeader). A file too short to hold a header is
// reported as ErrCorrupt.
func openSegment(path string, index uint64, writable, populate bool) (*segment, error) {
	flag := os.O_RDONLY
	if writable {
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal: %w", err)
	}
	if fi.Size() < segmentHeaderSize || fi.Size() > MaxSegmentSize {
		f.Close()
		return nil, corruptAt(path, 0, fmt.Sprintf("segment file of %d bytes", fi.Size()))
	}
	data, err := mfile.Map(f, int(fi.Size()), writable, populate)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal: %w", err)
	}
	return &segment{index: index, path: path, f: f, data: data}, nil
}

// openValidSegment opens segment index of dir read-only and checks its
// header, including that it names the same index.
func openValidSegment(dir string, index uint64) (*segment, segmentHeader, error) {
	path := filepath.Join(dir, segmentName(index))
	s, err := openSegment(path, index, false, true)
	if err != nil {
		return nil, segmentHeader{}, err
	}
	h, reason := parseSegmentHeader(s.data)
	if reason == "" && h.index != index {
		reason = fmt.Sprintf("header names segment %d", h.index)
	}
	if reason != "" {
		s.close()
		return nil, h, corruptAt(path, 0, reason)
	}
	return s, h, nil
}

// prepareSegment creates segment index in dir, ready for the writer: the file
// is preallocated at its full size, the header is written and synced, every
// page is prefaulted writable, and only then is the file renamed into place
// (so readers never see a half-made segment) and the directory synced. It
// never replaces an existing file.
func prepareSegment(dir *os.File, index uint64, size, createdAt int64) (seg *segment, err error) {
	path := filepath.Join(dir.Name(), segmentName(index))
	tmp := strings.TrimSuffix(path, segmentSuffix) + tmpSuffix
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var data []byte
	defer func() {
		if err != nil {
			mfile.Unmap(data)
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("journal: prepare segment %d: %w", index, err)
		}
	}()
	if err := mfile.Allocate(f, size); err != nil {
		return nil, err
	}
	if data, err = mfile.Map(f, int(size), true, false); err != nil {
		return nil, err
	}
	putSegmentHeader(data, index, size, createdAt)
	if err := mfile.Sync(data, 0, segmentHeaderSize); err != nil {
		return nil, err
	}
	mfile.Prefault(data, segmentHeaderSize)
	if err := mfile.RenameNoReplace(tmp, path); err != nil {
		return nil, err
	}
	if err := mfile.SyncDir(dir); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &segment{index: index, path: path, f: f, data: data}, nil
}

// listSegments returns the indexes of the segment files in dir, ascending.
// With removeTmp it also deletes leftover temporary files of an interrupted
// preparation (only the writer, holding the directory lock, may do that).
func listSegments(dir string, removeTmp bool) ([]uint64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("journal: %w", err)
	}
	var idx []uint64
	for _, e := range entries {
		name := e.Name()
		if i, ok := parseSegmentName(name); ok && e.Type().IsRegular() {
			idx = append(idx, i)
		} else if removeTmp && strings.HasSuffix(name, tmpSuffix) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return nil, fmt.Errorf("journal: %w", err)
			}
		}
	}
	slices.Sort(idx)
	return idx, nil
}
