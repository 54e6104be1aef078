package importer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/roster-coalition/roster/internal/roster"
)

// tableOpts says how strictly a reader's rows are laid out.
type tableOpts struct {
	width bool   // every data row must have as many fields as the header (CSV/TSV)
	loc   string // word for Location: "line", "row", "element"
	// headerOnly: the header is rows[0] (JSON keys), never a later row.
	headerOnly bool
	// merge: a column that lost its field to another column fills the
	// field where the winner is empty (JSON objects with differing keys).
	merge bool
}

// tableResult is a parsed table plus what error reporting needs.
type tableResult struct {
	parsed
	columns []string // header text per column
}

// columnName is the header text of column i, or "#N" when it has none.
func columnName(cols []string, i int) string {
	if i >= 0 && i < len(cols) && trimValue(cols[i]) != "" {
		return trimValue(cols[i])
	}
	return "#" + strconv.Itoa(i+1)
}

// readTable finds the header among rows and turns the rows below it into
// raw entries. On error it still returns what it knows of the header
// (non-nil when a header was found).
func readTable(file string, rows []tabRow, to tableOpts, opts Options, tax *Taxonomy) (*tableResult, error) {
	if err := checkShape(file, rows, to.loc, opts.Limits.withDefaults()); err != nil {
		return nil, err
	}
	cand := rows
	if to.headerOnly && len(rows) > 0 {
		cand = rows[:1]
	}
	hi, cm := findHeader(cand, opts.Map)
	if hi < 0 {
		if len(rows) == 0 || allBlank(rows) {
			return nil, &Error{File: file, Msg: "empty file: expected a header row and records"}
		}
		if f, want := missingOverride(cand, opts.Map); f != "" {
			return nil, &Error{File: file, Column: want, Msg: fmt.Sprintf("--map %s=%s: no such column in the first rows", f, want)}
		}
		return nil, &Error{File: file, Msg: "no name column: expected a header row with a name column (e.g. \"Soyadı, adı, atasının adı\", \"ФИО\", \"Full name\", or \"Surname\"/\"Given name\"), or --map name=HEADER"}
	}
	hdr := rows[hi]
	if err := checkCells(file, rows, hdr.cells, cm, opts.Limits.withDefaults()); err != nil {
		return nil, err
	}
	tr := &tableResult{columns: hdr.cells}
	if !to.merge {
		if err := duplicateColumns(file, hdr, cm); err != nil {
			return tr, err
		}
	}
	tr.headerRow = hdr.line
	for _, c := range hdr.cells {
		if c = trimValue(c); c != "" {
			tr.parsed.columns = append(tr.parsed.columns, c)
		}
	}
	tr.headers = map[roster.Field]string{}
	for f, want := range opts.Map {
		if _, ok := overrideColumn(hdr.cells, want); !ok {
			return tr, &Error{File: file, Row: hdr.line, Column: want, Msg: fmt.Sprintf("--map %s=%s: no such column in the header", f, want)}
		}
	}
	var unused []string
	for i, f := range cm.fields {
		if f == roster.FieldAlias && tr.headers[f] != "" {
			tr.headers[f] += ", " + trimValue(hdr.cells[i]) // several alias columns
		} else if f != "" {
			tr.headers[f] = trimValue(hdr.cells[i])
		} else if h := trimValue(hdr.cells[i]); h != "" {
			unused = append(unused, strconv.Quote(h))
		}
	}
	if len(unused) > 0 {
		tr.notes = append(tr.notes, "columns not recognised (kept in the raw row only): "+strings.Join(unused, ", "))
	}
	if hi > 0 {
		tr.notes = append(tr.notes, fmt.Sprintf("%d %s(s) above the header skipped", hi, to.loc))
	}
	cols := map[roster.Field]string{}
	for f, h := range tr.headers {
		cols[f] = h
	}
	width := len(hdr.cells)
	// Trailing empty header cells (a trailing delimiter) do not count.
	for width > 0 && trimValue(hdr.cells[width-1]) == "" && cm.fields[width-1] == "" {
		width--
	}
	heading := ""
	ord := 0
	for _, r := range rows[hi+1:] {
		if blankRow(r.cells) {
			continue
		}
		if to.width {
			if len(r.cells) < width {
				return tr, &Error{File: file, Row: r.line, Column: columnName(hdr.cells, len(r.cells)),
					Msg: fmt.Sprintf("missing: the row has %d fields, the header has %d", len(r.cells), width)}
			}
			for j := width; j < len(r.cells); j++ {
				if trimValue(r.cells[j]) != "" {
					return tr, &Error{File: file, Row: r.line, Column: columnName(hdr.cells, j),
						Msg: fmt.Sprintf("unexpected field %q: the row has %d fields, the header has %d", clip(r.cells[j]), len(r.cells), width)}
				}
			}
		}
		// A row with a single group heading ("II. Jurnalistlər") sets the
		// group of the rows below it.
		if isTotalRow(r.cells) {
			tr.notes = append(tr.notes, fmt.Sprintf("%s %d: total line skipped: %q", to.loc, r.line, clip(squeeze(strings.Join(r.cells, " ")))))
			continue
		}
		if h, ok := headingRow(r.cells, cm, tax); ok {
			heading = h
			tr.notes = append(tr.notes, fmt.Sprintf("%s %d: group heading %q", to.loc, r.line, h))
			continue
		}
		ord++
		e := roster.RawEntry{
			Row:      ord,
			Line:     r.line,
			Location: fmt.Sprintf("%s %d", to.loc, r.line),
			Raw:      r.raw,
			Fields:   map[roster.Field]string{},
			Columns:  cols,
		}
		for i, f := range cm.fields {
			if f == "" || i >= len(r.cells) {
				continue
			}
			if f == roster.FieldAlias && trimValue(e.Fields[f]) != "" {
				// Several alias columns: their names in column order.
				if v := trimValue(r.cells[i]); v != "" {
					e.Fields[f] += "; " + v
				}
				continue
			}
			e.Fields[f] = r.cells[i]
		}
		if to.merge {
			for i, f := range cm.alts {
				if f != "" && i < len(r.cells) && trimValue(e.Fields[f]) == "" && trimValue(r.cells[i]) != "" {
					e.Fields[f] = r.cells[i]
				}
			}
		}
		if heading != "" && trimValue(e.Fields[roster.FieldGroup]) == "" {
			e.Fields[roster.FieldGroup] = heading
		}
		tr.entries = append(tr.entries, e)
	}
	return tr, nil
}

// headingRow reports whether a row is a group heading: one non-empty cell,
// not a number, that the taxonomy maps or that starts with a numbering.
func headingRow(cells []string, cm columnMap, tax *Taxonomy) (string, bool) {
	val, n, col := "", 0, -1
	for i, c := range cells {
		if v := trimValue(c); v != "" {
			val, col = v, i
			n++
		}
	}
	if n != 1 || !strings.ContainsFunc(val, unicode.IsLetter) {
		return "", false
	}
	if rest := stripNumbering(val); rest != val && rest != "" {
		return val, true
	}
	inName := false
	if col < len(cm.fields) {
		switch cm.fields[col] {
		case roster.FieldName, roster.FieldSurname, roster.FieldGiven, roster.FieldPatronymic:
			inName = true
		}
	}
	// In a name column only an exact label counts: a lone name is a person.
	if inName {
		return val, tax.exactKey(val) != ""
	}
	if _, ok := tax.Map(val); ok {
		return val, true
	}
	return "", false
}

// isTotalRow: a footer such as "Cəmi: 35 nəfər", "Всего 35", "Total: 35"
// — one non-empty cell (or a label and a number) starting with a total word.
func isTotalRow(cells []string) bool {
	var vals []string
	for _, c := range cells {
		if v := trimValue(c); v != "" {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 || len(vals) > 2 {
		return false
	}
	f := strings.Fields(fold(vals[0]))
	if len(f) == 0 {
		return false
	}
	switch f[0] {
	case "cemi", "yekun", "всего", "итого", "total", "totals":
	default:
		return false
	}
	if len(vals) == 2 {
		_, err := strconv.Atoi(strings.Fields(vals[1] + " x")[0])
		return err == nil
	}
	return true
}

func allBlank(rows []tabRow) bool {
	for _, r := range rows {
		if !blankRow(r.cells) {
			return false
		}
	}
	return true
}

// missingOverride returns an override whose column appears in none of the
// first rows.
func missingOverride(rows []tabRow, ov map[roster.Field]string) (roster.Field, string) {
	for _, f := range roster.Fields {
		want, ok := ov[f]
		if !ok {
			continue
		}
		found := false
		for i := 0; i < len(rows) && i < 50; i++ {
			if _, ok := overrideColumn(rows[i].cells, want); ok {
				found = true
				break
			}
		}
		if !found {
			return f, want
		}
	}
	return "", ""
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// duplicateColumns refuses a header where two columns read as one field
// equally well ("Birth year" twice, "Surname" and "Last name"): taking
// either silently could import the wrong values. --map settles it.
func duplicateColumns(file string, hdr tabRow, cm columnMap) error {
	for _, d := range cm.dups {
		i, j := d[0], d[1]
		f := cm.fields[i]
		if f == "" || f != cm.alts[j] {
			continue // the pair lost the field to a better column
		}
		a, b := columnName(hdr.cells, i), columnName(hdr.cells, j)
		return &Error{File: file, Row: hdr.line, Msg: fmt.Sprintf("columns %q (#%d) and %q (#%d) both read as %s: say which to use with --map %s=#%d or --map %s=#%d",
			a, i+1, b, j+1, f, f, i+1, f, j+1)}
	}
	return nil
}
