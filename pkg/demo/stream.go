package demo

import (
	"bufio"
	"io"
	"slices"
)

// Stream writes the files of a generated dataset without holding it: the
// same bytes as Generate(cfg) written by [Dataset.WriteAccountsCSV] and
// [Dataset.WriteRepsCSV], in memory that grows with the number of reps and
// counties but not with the number of accounts. Each account is drawn,
// written and forgotten, so a million accounts take a few megabytes rather
// than the hundred or so that a Dataset of them holds.
//
// The files can be written in either order, and each as often as wanted:
// every call starts again from the seed.
type Stream struct {
	cfg      Config
	counties []county
}

// NewStream checks cfg as Generate does and returns the Stream of its
// dataset.
func NewStream(cfg Config) (*Stream, error) {
	cfg.States = slices.Clone(cfg.States)
	counties, err := cfg.counties()
	if err != nil {
		return nil, err
	}
	return &Stream{cfg: cfg, counties: counties}, nil
}

// Config returns the configuration the stream generates.
func (s *Stream) Config() Config {
	cfg := s.cfg
	cfg.States = slices.Clone(cfg.States)
	return cfg
}

// WriteAccountsCSV writes the accounts file of Generate(s.Config()), row
// by row, through a buffer of its own.
func (s *Stream) WriteAccountsCSV(w io.Writer) error {
	rng, _ := s.cfg.reps(s.counties) // the reps are drawn first
	src := newAccountSource(rng, s.counties, s.cfg.RevenueTail)
	width := idWidth(s.cfg.Accounts)

	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(accountsHeader + "\n")
	var a Account
	row := make([]byte, 0, 128)
	for i := range s.cfg.Accounts {
		nm := src.next(&a)
		// The fields Dataset.WriteAccountsCSV writes with appendField: ids
		// and generated names never need quoting (see nameFirst).
		row = append(row[:0], 'A')
		row = appendZeroPad(row, i+1, width)
		row = append(row, ',')
		row = appendName(row, nm)
		row = appendAccountNumbers(row, &a)
		if _, err := bw.Write(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteRepsCSV writes the reps file of Generate(s.Config()).
func (s *Stream) WriteRepsCSV(w io.Writer) error {
	_, reps := s.cfg.reps(s.counties)
	return (&Dataset{Reps: reps}).WriteRepsCSV(w)
}

// StateCodes returns the two-letter codes [Config.States] accepts, sorted:
// the 50 states, DC and PR.
func StateCodes() ([]string, error) {
	all, err := loadCounties()
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, c := range all {
		codes = append(codes, c.state)
	}
	slices.Sort(codes)
	return slices.Compact(codes), nil
}
