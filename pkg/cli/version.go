package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// BuildInfo identifies the build. Release builds set it through -ldflags
// -X on the main package's variables; a build by `go install` leaves them
// empty, and the module version and VCS revision recorded by the Go
// toolchain are used instead (see resolve).
type BuildInfo struct {
	Version string // "1.2.0"
	Commit  string // VCS revision
	Date    string // build date, RFC 3339
}

// versionInfo is a BuildInfo with every field known, plus the toolchain.
type versionInfo struct {
	BuildInfo
	GoVersion, Platform string
}

// String is the one-line version: "territory 1.2.0 (3f2a9c1d) go1.26.0 linux/amd64".
func (v versionInfo) String() string {
	commit := v.Commit
	if v.Date != "" {
		commit += ", " + v.Date
	}
	return fmt.Sprintf("territory %s (%s) %s %s", v.Version, commit, v.GoVersion, v.Platform)
}

// resolve fills what the linker did not set from the build information
// the Go toolchain embeds: the main module's version ("v1.2.0" for `go
// install ...@v1.2.0`) and the vcs.revision setting of a build in a
// checkout.
func (b BuildInfo) resolve() versionInfo {
	v := versionInfo{BuildInfo: b, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok {
		if v.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version = info.Main.Version
		}
		var revision, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if v.Commit == "" && revision != "" {
			v.Commit = shortRevision(revision)
			if modified == "true" {
				v.Commit += "-dirty"
			}
		}
	}
	if v.Version == "" {
		v.Version = "devel"
	}
	if v.Commit == "" {
		v.Commit = "unknown"
	}
	return v
}

func shortRevision(r string) string {
	if len(r) > 12 {
		return r[:12]
	}
	return r
}

// versionOptions holds the settings of `territory version`.
type versionOptions struct {
	Build BuildInfo
}

func newVersionCmd(env Env, build BuildInfo, runF func(context.Context, *versionOptions) error) *cobra.Command {
	opts := &versionOptions{Build: build}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of territory",
		Long: `Print the version of territory, the revision it was built from, the Go
version and the platform, on one line:

  territory 1.2.0 (3f2a9c1d0e4b) go1.26.0 linux/amd64

Release builds carry the version they were released as; a build by
'go install ...@VERSION' shows the module version, and a build in a
checkout the revision.

` + exitCodesHelp,
		Example: `  territory version`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runVersion(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().SortFlags = false
	return cmd
}

func runVersion(_ context.Context, env Env, opts *versionOptions) error {
	_, err := fmt.Fprintln(env.Out, opts.Build.resolve())
	return err
}
