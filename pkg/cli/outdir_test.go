package cli

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// snapshot records every file and directory under root: its path relative
// to root and, for a file, its content; "" for root itself when missing.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			got[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(path)
		got[rel] = string(b)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func textFile(name, content string) outFile {
	return outFile{Name: name, Write: func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	}}
}

func failingFile(name string) outFile {
	return outFile{Name: name, Write: func(w io.Writer) error {
		// Part of the content is written before the failure, as a real
		// writer would.
		if _, err := io.WriteString(w, "partial"); err != nil {
			return err
		}
		return errors.New("disk on fire")
	}}
}

func TestWriteDir(t *testing.T) {
	tests := []struct {
		name   string
		before map[string]string // files in base before the run
		out    string            // -o, relative to base
		files  []outFile
		want   map[string]string // everything under base after the run
	}{
		{
			name:  "new directory",
			out:   "out",
			files: []outFile{textFile("a.csv", "A\n"), textFile("b.json", "{}\n")},
			want:  map[string]string{"./": "", "out/": "", "out/a.csv": "A\n", "out/b.json": "{}\n"},
		},
		{
			name:  "missing parents are created",
			out:   "x/y/out",
			files: []outFile{textFile("a.csv", "A\n")},
			want:  map[string]string{"./": "", "x/": "", "x/y/": "", "x/y/out/": "", "x/y/out/a.csv": "A\n"},
		},
		{
			name:   "existing directory: files replaced, others left alone",
			before: map[string]string{"out/a.csv": "old\n", "out/notes.txt": "mine\n"},
			out:    "out",
			files:  []outFile{textFile("a.csv", "A\n"), textFile("b.json", "{}\n")},
			want: map[string]string{"./": "", "out/": "", "out/a.csv": "A\n", "out/b.json": "{}\n",
				"out/notes.txt": "mine\n"},
		},
		{
			name:  "trailing slash",
			out:   "out/",
			files: []outFile{textFile("a.csv", "A\n")},
			want:  map[string]string{"./": "", "out/": "", "out/a.csv": "A\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			writeTree(t, base, tt.before)
			if err := writeDir(context.Background(), filepath.Join(base, tt.out), tt.files); err != nil {
				t.Fatalf("writeDir: %v", err)
			}
			if diff := cmp.Diff(tt.want, snapshot(t, base)); diff != "" {
				t.Errorf("files after writeDir (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriteDirAtomic checks that a failure at any point leaves the output
// directory exactly as it was, and no temporary directory behind.
func TestWriteDirAtomic(t *testing.T) {
	files := []outFile{textFile("a.csv", "A\n"), failingFile("b.csv"), textFile("c.json", "{}\n")}
	tests := []struct {
		name       string
		before     map[string]string
		out        string
		files      []outFile
		failRename int // fail the n-th rename (1-based); 0: none
		wantErr    string
	}{
		{
			name:    "writer fails, new directory",
			out:     "out",
			files:   files,
			wantErr: "b.csv: disk on fire",
		},
		{
			name:    "writer fails, new parents",
			out:     "x/y/out",
			files:   files,
			wantErr: "disk on fire",
		},
		{
			name:    "writer fails, existing directory",
			before:  map[string]string{"out/a.csv": "old A\n", "out/b.csv": "old B\n", "out/notes.txt": "mine\n"},
			out:     "out",
			files:   files,
			wantErr: "disk on fire",
		},
		{
			name:   "rename fails half way, existing directory",
			before: map[string]string{"out/a.csv": "old A\n", "out/notes.txt": "mine\n"},
			out:    "out",
			files:  []outFile{textFile("a.csv", "A\n"), textFile("b.csv", "B\n"), textFile("c.json", "{}\n")},
			// renames: a.csv aside, a.csv in, b.csv in, c.json in (fails)
			failRename: 4,
			wantErr:    "c.json: rename refused",
		},
		{
			name:       "rename of the new directory fails",
			out:        "out",
			files:      []outFile{textFile("a.csv", "A\n")},
			failRename: 1,
			wantErr:    "rename refused",
		},
		{
			name:    "output is a file",
			before:  map[string]string{"out": "not a directory\n"},
			out:     "out",
			files:   []outFile{textFile("a.csv", "A\n")},
			wantErr: "not a directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			writeTree(t, base, tt.before)
			before := snapshot(t, base)
			if tt.failRename > 0 {
				n := 0
				renameFile = func(from, to string) error {
					n++
					if n == tt.failRename {
						return &os.LinkError{Op: "rename", Old: from, New: to, Err: errors.New("rename refused")}
					}
					return os.Rename(from, to)
				}
				t.Cleanup(func() { renameFile = os.Rename })
			}
			err := writeDir(context.Background(), filepath.Join(base, tt.out), tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("writeDir error = %v, want one containing %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(before, snapshot(t, base)); diff != "" {
				t.Errorf("files changed by a failed writeDir (-before +after):\n%s", diff)
			}
		})
	}
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
