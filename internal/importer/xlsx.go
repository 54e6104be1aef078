package importer

import (
	"archive/zip"
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
	lim := opts.Limits.withDefaults()
	zr, err := checkZip(file, data, "XLSX", lim)
	if err != nil {
		return nil, err
	}
	if !zipHas(zr, "xl/workbook.xml") {
		what := "a ZIP archive without xl/workbook.xml"
		if zipHas(zr, "word/document.xml") {
			what = "a Word document (DOCX), not a workbook: import it with --format docx or as .docx"
		}
		return nil, &Error{File: file, Msg: what + ": expected an Excel .xlsx file"}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.Unzipped, UnzipXMLSizeLimit: min(lim.Unzipped, 16<<20)})
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("unreadable XLSX workbook (%v): expected an Excel .xlsx file", err)}
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
	rows, err := sheetRows(file, f, sheet, lim)
	if err != nil {
		return nil, err
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

// sheetRows reads a sheet row by row (as excelize's GetRows does, empty
// rows kept) and stops at the first row over the column or row limits,
// so that a sheet with a cell in column XFD on every row costs one row.
// Trailing empty cells (formatting without values) do not count.
func sheetRows(file string, f *excelize.File, sheet string, lim Limits) ([]tabRow, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("sheet %q: %v", sheet, err)}
	}
	defer it.Close()
	var rows []tabRow
	line, nonEmpty := 0, 0
	for it.Next() {
		line++
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &Error{File: file, Row: line, Msg: fmt.Sprintf("sheet %q: unreadable row (%v)", sheet, err)}
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) == 0 {
			rows = append(rows, tabRow{line: line})
			continue
		}
		if err := checkShape(file, []tabRow{{cells: cells, line: line}}, "row", lim); err != nil {
			return nil, err
		}
		if nonEmpty++; nonEmpty > lim.Rows+headerRows {
			return nil, &Error{File: file, Row: line, Msg: fmt.Sprintf("more than %s rows, over the limit (--limit rows=N raises it)", group3(lim.Rows))}
		}
		rows = append(rows, tabRow{cells: cells, line: line, raw: strings.Join(cells, "\t")})
	}
	if err := it.Error(); err != nil {
		return nil, &Error{File: file, Row: line, Msg: fmt.Sprintf("sheet %q: %v", sheet, err)}
	}
	// Like GetRows: no trailing empty rows.
	for len(rows) > 0 && len(rows[len(rows)-1].cells) == 0 {
		rows = rows[:len(rows)-1]
	}
	return rows, nil
}

func zipHas(zr *zip.Reader, name string) bool {
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(f.Name, "/"), name) {
			return true
		}
	}
	return false
}
