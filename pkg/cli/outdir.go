package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// outFile is one file of a command's output: its name inside the output
// directory and the function that writes its content.
type outFile struct {
	Name  string
	Mode  fs.FileMode // permissions before the umask; 0 means 0o666
	Write func(io.Writer) error
}

// tmpPattern names the temporary directory that writeDir creates beside
// the output directory.
const tmpPattern = ".territory-tmp-*"

// renameFile is os.Rename; tests replace it to make a rename fail.
var renameFile = os.Rename

// writeDir writes files into the directory dir, all or nothing.
//
// Every file is first written (and synced) into a temporary directory
// created beside dir, in the same parent, so that the final moves are
// renames within one file system. Only when all of them are written is each
// renamed into dir, which is created if needed; files in dir that are not
// among files are left alone. On any error the temporary directory is
// removed, a file already moved is put back as it was, and dir is left as
// it was before: a reader of dir never sees a half-written run.
//
// While the files are written into the temporary directory, it returns as
// soon as ctx ends (see writeFile), and ctx is checked once more just
// before the files are moved into dir. An interrupt before that leaves dir as it was and
// removes the temporary directory; the moves themselves are a handful of
// renames that are not interrupted, so that dir never holds a mix of two
// runs.
func writeDir(ctx context.Context, dir string, files []outFile) (err error) {
	dir = filepath.Clean(dir)
	exists := false
	switch fi, err := os.Stat(dir); {
	case err == nil && !fi.IsDir():
		return fmt.Errorf("write %s: not a directory", dir)
	case err == nil:
		exists = true
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if exists {
		for _, f := range files {
			if fi, err := os.Lstat(filepath.Join(dir, f.Name)); err == nil && fi.IsDir() {
				return fmt.Errorf("write %s: is a directory", filepath.Join(dir, f.Name))
			}
		}
	}

	parent := filepath.Dir(dir)
	created, err := mkdirAll(parent)
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, tmpPattern)
	if err != nil {
		removeEmptyDirs(parent, created)
		return fmt.Errorf("write %s: %w", dir, err)
	}
	defer func() {
		// After a successful commit tmp holds at most the replaced files;
		// after a rename of the whole directory it is gone.
		_ = os.RemoveAll(tmp)
		if err != nil {
			removeEmptyDirs(parent, created)
		}
	}()

	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeFile(ctx, filepath.Join(tmp, f.Name), f); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("write %s: %w", filepath.Join(dir, f.Name), err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if !exists {
		// A new directory: one rename puts all of it in place at once.
		// MkdirTemp made it private; give it a directory's usual mode.
		if err := os.Chmod(tmp, 0o755); err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
		if err := renameFile(tmp, dir); err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
		return nil
	}
	return commitFiles(dir, tmp, files)
}

// commitFiles moves the files written into tmp into the existing directory
// dir, one rename each. The files they replace are first moved aside into
// tmp, so that a failure part way can put everything back.
func commitFiles(dir, tmp string, files []outFile) (err error) {
	backup := filepath.Join(tmp, ".replaced")
	if err := os.Mkdir(backup, 0o700); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	type moved struct {
		name     string
		replaced bool // the old file is in backup
	}
	var done []moved
	defer func() {
		if err == nil {
			return
		}
		for i := len(done) - 1; i >= 0; i-- {
			m := done[i]
			target := filepath.Join(dir, m.name)
			if m.replaced {
				_ = renameFile(filepath.Join(backup, m.name), target)
			} else {
				_ = os.Remove(target)
			}
		}
	}()
	for _, f := range files {
		target := filepath.Join(dir, f.Name)
		m := moved{name: f.Name}
		if _, err := os.Lstat(target); err == nil {
			if err := renameFile(target, filepath.Join(backup, f.Name)); err != nil {
				return fmt.Errorf("write %s: %w", target, err)
			}
			m.replaced = true
		}
		if err := renameFile(filepath.Join(tmp, f.Name), target); err != nil {
			if m.replaced {
				_ = renameFile(filepath.Join(backup, f.Name), target)
			}
			return fmt.Errorf("write %s: %w", target, err)
		}
		done = append(done, m)
	}
	return nil
}

// writeFile creates path and writes f's content into it, synced to disk.
// It returns as soon as ctx ends, even while f.Write computes what it will
// write (a workbook is built in memory first): the file is then closed, so
// that the abandoned write fails and the caller can remove the file.
func writeFile(ctx context.Context, path string, f outFile) error {
	mode := f.Mode
	if mode == 0 {
		mode = 0o666
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	err = interruptible(ctx, func() error {
		w := bufio.NewWriter(file)
		err := f.Write(w)
		if err == nil {
			err = w.Flush()
		}
		if err == nil {
			err = file.Sync()
		}
		return err
	})
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	return err
}

// mkdirAll creates dir and any missing parents, and returns the topmost
// directory it created ("" when dir existed), so that a failed run can
// remove what it made.
func mkdirAll(dir string) (created string, err error) {
	for d := dir; ; {
		if _, err := os.Stat(d); err == nil {
			break
		}
		created = d
		up := filepath.Dir(d)
		if up == d {
			break
		}
		d = up
	}
	if created == "" {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return created, nil
}

// removeEmptyDirs removes dir and its parents up to and including top,
// the directories mkdirAll created, as long as they are empty.
func removeEmptyDirs(dir, top string) {
	if top == "" {
		return
	}
	for d := dir; ; d = filepath.Dir(d) {
		if os.Remove(d) != nil || d == top || filepath.Dir(d) == d {
			return
		}
	}
}
