package importer

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/xuri/excelize/v2"
)

// readXLSX reads the first sheet (or opts.Sheet) of a workbook. Cells are
// read unformatted; a number in a birth or arrest column that looks like an
// Excel date serial (10000–80000, i.e. 1927–2119) becomes an ISO date.
// The raw row is the tab-joined cell values.
func readXLSX(file string, data []byte, opts Options, tax *Taxonomy) (p *parsed, err error) {
	defer func() {
		// excelize can panic on hostile archives; report it as a fault.
		if r := recover(); r != nil {
			p, err = nil, &Error{File: file, Msg: fmt.Sprintf("unreadable XLSX workbook (%v): expected an Excel .xlsx file", r)}
		}
	}()
	if !bytes.HasPrefix(data, []byte("PK")) {
		return nil, &Error{File: file, Msg: "not an XLSX workbook (no ZIP signature): expected an Excel .xlsx file"}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("unreadable XLSX workbook: %v", err)}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &Error{File: file, Msg: "workbook has no sheets"}
	}
	sheet := sheets[0]
	if opts.Sheet != "" {
		sheet = ""
		for _, s := range sheets {
			if s == opts.Sheet {
				sheet = s
			}
		}
		if sheet == "" {
			for _, s := range sheets {
				if fold(s) == fold(opts.Sheet) {
					sheet = s
				}
			}
		}
		if sheet == "" {
			return nil, &Error{File: file, Msg: fmt.Sprintf("no sheet %q: the workbook has %s", opts.Sheet, quoteList(sheets))}
		}
	}
	grid, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("sheet %q: %v", sheet, err)}
	}
	rows := make([]tabRow, 0, len(grid))
	for i, cells := range grid {
		rows = append(rows, tabRow{cells: cells, line: i + 1, raw: strings.Join(cells, "\t")})
	}
	tr, err := readTable(file, rows, tableOpts{loc: "row"}, opts, tax)
	if err != nil {
		return nil, err
	}
	for i := range tr.entries {
		for _, fld := range []roster.Field{roster.FieldBirth, roster.FieldArrest} {
			if v, ok := tr.entries[i].Fields[fld]; ok {
				tr.entries[i].Fields[fld] = excelSerialDate(v)
			}
		}
	}
	tr.format, tr.sheet = "xlsx", sheet
	tr.notes = append([]string{fmt.Sprintf("read as XLSX, sheet %q of %s, header on row %d", sheet, quoteList(sheets), tr.headerRow)}, tr.notes...)
	return &tr.parsed, nil
}

// excelSerialDate turns an Excel date serial into an ISO date; anything
// else is returned unchanged.
func excelSerialDate(v string) string {
	s := strings.TrimSpace(v)
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 10000 || n > 80000 {
		return v
	}
	t, err := excelize.ExcelDateToTime(n, false)
	if err != nil {
		return v
	}
	return t.Format("2006-01-02")
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
