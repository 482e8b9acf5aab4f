package cli

import (
	"bytes"
	"context"
	"regexp"
	"runtime"
	"testing"
)

func TestVersionString(t *testing.T) {
	goPlatform := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name  string
		build BuildInfo
		want  string
	}{
		{
			name:  "release build",
			build: BuildInfo{Version: "1.2.0", Commit: "3f2a9c1d0e4b"},
			want:  "territory 1.2.0 (3f2a9c1d0e4b) " + goPlatform,
		},
		{
			name:  "release build with date",
			build: BuildInfo{Version: "1.2.0", Commit: "3f2a9c1d0e4b", Date: "2026-03-01T10:00:00Z"},
			want:  "territory 1.2.0 (3f2a9c1d0e4b, 2026-03-01T10:00:00Z) " + goPlatform,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.build.resolve().String(); got != tt.want {
				t.Errorf("version = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersionFallback checks a build without ldflags: a test binary has no
// module version or VCS revision, so the placeholders show.
func TestVersionFallback(t *testing.T) {
	v := BuildInfo{}.resolve()
	if v.Version == "" || v.Commit == "" {
		t.Errorf("resolve() = %+v: version and commit must not be empty", v)
	}
}

func TestRunVersion(t *testing.T) {
	var out bytes.Buffer
	env := Env{Out: &out, Err: &bytes.Buffer{}}
	if err := runVersion(context.Background(), env, &versionOptions{Build: BuildInfo{Version: "0.1.0", Commit: "abc"}}); err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`^territory 0\.1\.0 \(abc\) go\S+ \w+/\w+\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("territory version printed %q, want a match for %s", out.String(), want)
	}
}
