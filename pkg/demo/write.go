package demo

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// accountsHeader and repsHeader are the header rows of the CSV files
// Dataset writes (without the line end).
const (
	accountsHeader = "id,name,state,region,lat,lon,revenue,workload"
	repsHeader     = "id,name,state,region,home_lat,home_lon,capacity"
)

// WriteAccountsCSV writes the accounts as CSV: the header
// "id,name,state,region,lat,lon,revenue,workload", then one row per account in id order, coordinates with 5 decimals,
// revenue in whole dollars, workload with 1 decimal, "\n" line ends.
func (d *Dataset) WriteAccountsCSV(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(accountsHeader + "\n")
	var row []byte
	for i := range d.Accounts {
		a := &d.Accounts[i]
		row = appendField(row[:0], a.ID)
		row = append(row, ',')
		row = appendField(row, a.Name)
		row = appendAccountNumbers(row, a)
		if _, err := bw.Write(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendAccountNumbers appends the rest of an account's row after its
// name: ",state,region,lat,lon,revenue,workload\n".
func appendAccountNumbers(row []byte, a *Account) []byte {
	row = append(row, ',')
	row = append(row, a.State...)
	row = append(row, ',')
	row = append(row, a.Region...)
	row = append(row, ',')
	row = strconv.AppendFloat(row, a.Lat, 'f', 5, 64)
	row = append(row, ',')
	row = strconv.AppendFloat(row, a.Lon, 'f', 5, 64)
	row = append(row, ',')
	row = strconv.AppendFloat(row, a.Revenue, 'f', 0, 64)
	row = append(row, ',')
	row = strconv.AppendFloat(row, a.Workload, 'f', 1, 64)
	return append(row, '\n')
}

// WriteRepsCSV writes the reps as CSV: the header
// "id,name,state,region,home_lat,home_lon,capacity", then one row per rep in id order, home coordinates with 5 decimals, capacity as 1 or
// 0.5, "\n" line ends.
func (d *Dataset) WriteRepsCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(repsHeader + "\n")
	var row []byte
	for i := range d.Reps {
		r := &d.Reps[i]
		row = appendField(row[:0], r.ID)
		row = append(row, ',')
		row = appendField(row, r.Name)
		row = append(row, ',')
		row = appendField(row, r.State)
		row = append(row, ',')
		row = appendField(row, r.Region)
		row = append(row, ',')
		row = strconv.AppendFloat(row, r.HomeLat, 'f', 5, 64)
		row = append(row, ',')
		row = strconv.AppendFloat(row, r.HomeLon, 'f', 5, 64)
		row = append(row, ',')
		row = strconv.AppendFloat(row, r.Capacity, 'g', -1, 64)
		row = append(row, '\n')
		if _, err := bw.Write(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendField appends s as a CSV field, quoted (RFC 4180) only when it
// needs to be. Generated names never need it; a Dataset built or edited by
// hand might.
func appendField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") && !strings.HasPrefix(s, " ") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
