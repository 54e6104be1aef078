package importer

import (
	"fmt"
	"strings"
)

// tabRow is one row of a table as read: its cells, the physical line (or
// sheet row / element number) where it starts, and its raw text.
type tabRow struct {
	cells []string
	line  int
	raw   string
}

// csvError is a malformed-quote fault found while splitting rows.
type csvError struct {
	line  int // line where the row (or quoted field) starts
	field int // 0-based field index
	msg   string
}

// splitCSV splits text into rows. It follows RFC 4180 with a configurable
// delimiter: quoted fields may hold delimiters, doubled quotes and line
// breaks; a quote inside an unquoted field is kept as text. Line breaks
// are \n, \r\n or a lone \r. Each row's raw text is the exact physical
// line(s) without the final line break. It stops after max rows (max ≤ 0:
// no limit) or at the first malformed quote.
func splitCSV(text string, delim byte, max int) ([]tabRow, *csvError) {
	var rows []tabRow
	line := 1
	i, n := 0, len(text)
	var sb strings.Builder
	for i < n && (max <= 0 || len(rows) < max) {
		start, startLine := i, line
		var cells []string
		for {
			// Skip spaces before an opening quote (not before plain text).
			j := i
			for j < n && text[j] == ' ' && delim != ' ' {
				j++
			}
			if j < n && text[j] == '"' {
				qline := line
				i = j + 1
				sb.Reset()
				closed := false
				for i < n {
					c := text[i]
					if c == '"' {
						if i+1 < n && text[i+1] == '"' {
							sb.WriteByte('"')
							i += 2
							continue
						}
						i++
						closed = true
						break
					}
					if c == '\n' || c == '\r' && (i+1 >= n || text[i+1] != '\n') {
						line++
					}
					// Take the whole run up to the next quote at once.
					k := i + 1
					for k < n && text[k] != '"' && text[k] != '\n' && text[k] != '\r' {
						k++
					}
					sb.WriteString(text[i:k])
					i = k
				}
				if !closed {
					return rows, &csvError{line: qline, field: len(cells), msg: "malformed quote: a quoted field is never closed (expected a closing \")"}
				}
				k := i
				for k < n && (text[k] == ' ' || text[k] == '\t' && delim != '\t') {
					k++
				}
				if k < n && text[k] != delim && text[k] != '\n' && text[k] != '\r' {
					return rows, &csvError{line: line, field: len(cells), msg: fmt.Sprintf("malformed quote: unexpected %q after a closing quote (expected %s or the end of the line; double a quote inside a quoted field)", text[k], delimName(delim))}
				}
				i = k
				cells = append(cells, sb.String())
			} else {
				k := i
				for k < n && text[k] != delim && text[k] != '\n' && text[k] != '\r' {
					k++
				}
				cells = append(cells, text[i:k])
				i = k
			}
			if i < n && text[i] == delim {
				i++
				continue
			}
			break
		}
		end := i
		if i < n {
			if text[i] == '\r' {
				i++
			}
			if i < n && text[i] == '\n' && (i == end || text[i-1] == '\r') {
				i++
			}
			line++
		}
		rows = append(rows, tabRow{cells: cells, line: startLine, raw: text[start:end]})
	}
	return rows, nil
}

func delimName(d byte) string {
	switch d {
	case '\t':
		return "a tab"
	case ',':
		return "a comma"
	case ';':
		return "a semicolon"
	case '|':
		return "a pipe"
	}
	return fmt.Sprintf("%q", d)
}

// sniffDelimiter picks the delimiter (semicolon, comma, tab, pipe) that
// splits the first rows into the most rows of one consistent width > 1.
func sniffDelimiter(text string) byte {
	sample := text
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	best, bestScore, bestWidth := byte(','), 0, 0
	for _, d := range []byte{';', ',', '\t', '|'} {
		rows, _ := splitCSV(sample, d, 60)
		counts := map[int]int{}
		for _, r := range rows {
			if len(r.cells) > 1 {
				counts[len(r.cells)]++
			}
		}
		width, freq := 0, 0
		for w, c := range counts {
			if c > freq || c == freq && w > width {
				width, freq = w, c
			}
		}
		if freq > bestScore || freq == bestScore && freq > 0 && width > bestWidth {
			best, bestScore, bestWidth = d, freq, width
		}
	}
	return best
}

// readDelimited reads a CSV or TSV file.
func readDelimited(file string, data []byte, format string, opts Options, tax *Taxonomy) (*parsed, error) {
	text, enc, err := decodeText(file, data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, &Error{File: file, Msg: "empty file: expected a header row and records"}
	}
	delim := byte('\t')
	if format == "csv" {
		delim = sniffDelimiter(text)
		if delim == '\t' {
			format = "tsv"
		}
	}
	rows, cerr := splitCSV(text, delim, 0)
	p, err := readTable(file, rows, tableOpts{width: true, loc: "line"}, opts, tax)
	if cerr != nil {
		if e, ok := asError(err); ok && e.Row > 0 && e.Row < cerr.line {
			return nil, err
		}
		col := ""
		if p != nil && p.headerRow > 0 && cerr.line > p.headerRow {
			col = columnName(p.columns, cerr.field)
		}
		return nil, &Error{File: file, Row: cerr.line, Column: col, Msg: cerr.msg}
	}
	if err != nil {
		return nil, err
	}
	p.format, p.encoding = format, enc
	p.delimiter = string(delim)
	p.notes = append([]string{fmt.Sprintf("read as %s, %s, delimiter %s, header on line %d", strings.ToUpper(format), enc, delimName(delim), p.headerRow)}, p.notes...)
	return &p.parsed, nil
}
