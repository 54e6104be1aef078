package importer

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/roster-coalition/roster/internal/importer/docs"
	"github.com/roster-coalition/roster/internal/roster"
)

// readDocument reads DOCX, PDF, HTML, text and Markdown lists through the
// docs package. Tables with a recognised name header are read like CSV
// (every such table, in document order); otherwise the document's numbered
// entries are used. The document's notes are passed on.
func readDocument(file string, data []byte, format string, opts Options, tax *Taxonomy) (*parsed, error) {
	if format == "docx" && bytes.HasPrefix(data, []byte("PK")) {
		if _, err := checkZip(file, data, "DOCX", opts.Limits.withDefaults()); err != nil {
			return nil, err
		}
	}
	if format == "pdf" {
		if err := checkPDF(file, data, opts.Limits.withDefaults()); err != nil {
			return nil, err
		}
	}
	doc, err := docs.Parse(format, data)
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("unreadable %s document: %v", strings.ToUpper(format), err)}
	}
	p := &parsed{format: format, headers: nil}
	if doc.Format != "" {
		p.format = doc.Format
	}
	// Numbered entries first (each keeps its ordinal), then the rows of
	// every table with a name header: a document with both loses neither.
	ord := len(doc.Entries)
	used := 0
	for ti, t := range doc.Tables {
		rows := make([]tabRow, len(t))
		for i, cells := range t {
			rows[i] = tabRow{cells: cells, line: i + 1, raw: strings.Join(cells, "\t")}
		}
		if hi, _ := findHeader(rows, opts.Map); hi < 0 {
			continue
		}
		loc := fmt.Sprintf("table %d row", ti+1)
		tr, err := readTable(file, rows, tableOpts{loc: loc}, opts, tax)
		if err != nil {
			return nil, err
		}
		used++
		for _, e := range tr.entries {
			ord++
			e.Row = ord
			p.entries = append(p.entries, e)
		}
		if p.headers == nil {
			p.headers = tr.headers
		}
		for _, n := range tr.notes {
			p.notes = append(p.notes, fmt.Sprintf("table %d: %s", ti+1, n))
		}
	}
	switch {
	case used > 0:
		p.notes = append([]string{fmt.Sprintf("read as %s: %d of %d table(s) with a name header", strings.ToUpper(p.format), used, len(doc.Tables))}, p.notes...)
		if len(doc.Entries) > 0 {
			p.entries = append(append([]roster.RawEntry(nil), doc.Entries...), p.entries...)
			p.notes = append(p.notes, fmt.Sprintf("also read %d numbered entries outside the tables", len(doc.Entries)))
		}
	default:
		p.entries = doc.Entries
		p.notes = append(p.notes, fmt.Sprintf("read as %s: %d entries, %d headings", strings.ToUpper(p.format), len(doc.Entries), len(doc.Headings)))
		if len(doc.Entries) == 0 && (format == "txt" || format == "md") {
			// A .txt that is really a CSV/TSV export.
			if dp, err := readDelimited(file, data, "csv", opts, tax); err == nil {
				dp.notes = append(dp.notes, "no numbered entries in the text: read it as a delimited table")
				return dp, nil
			}
		}
		if len(doc.Entries) == 0 {
			return nil, &Error{File: file, Msg: "no list found: expected numbered entries (\"17. Məmmədov Əli …\") or a table with a name column"}
		}
	}
	p.notes = append(p.notes, doc.Notes...)
	if len(doc.Unplaced) > 0 {
		p.notes = append(p.notes, fmt.Sprintf("%d line(s) neither heading nor entry (e.g. %s %q)", len(doc.Unplaced), doc.Unplaced[0].Location, clip(doc.Unplaced[0].Text)))
	}
	return p, nil
}
