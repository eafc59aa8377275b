package mfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestAllocateMapSync(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const size = 64 << 10
	if err := Allocate(f, size); err != nil {
		t.Fatal(err)
	}
	if fi, _ := f.Stat(); fi.Size() != size {
		t.Fatalf("size %d after Allocate, want %d", fi.Size(), size)
	}
	b, err := Map(f, size, true, false)
	if err != nil {
		t.Fatal(err)
	}
	b[size-1] = 7
	Prefault(b, 0) // must keep content
	if b[size-1] != 7 || b[0] != 0 {
		t.Fatal("Prefault changed the content")
	}
	for _, r := range [][2]int{{0, 0}, {0, 1}, {4095, 4097}, {100, size}} {
		if err := Sync(b, r[0], r[1]); err != nil {
			t.Fatalf("Sync(%d, %d): %v", r[0], r[1], err)
		}
	}
	AdviseSequential(b)
	if err := Unmap(b); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 1)
	if _, err := f.ReadAt(got, size-1); err != nil || got[0] != 7 {
		t.Fatalf("store through the mapping not in the file: %v %v", got, err)
	}
	if err := SyncFile(f.Name()); err != nil {
		t.Fatal(err)
	}
}

func TestRenameNoReplace(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := RenameNoReplace(a, b); !errors.Is(err, os.ErrExist) {
		t.Fatalf("rename onto an existing file: %v, want os.ErrExist", err)
	}
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	if err := RenameNoReplace(a, b); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(b); string(got) != a {
		t.Fatalf("renamed file holds %q", got)
	}
}

func TestLockDir(t *testing.T) {
	dir := t.TempDir()
	d, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDir(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v, want ErrLocked", err)
	}
	if err := SyncDir(d); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d, err = LockDir(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	d.Close()
}
