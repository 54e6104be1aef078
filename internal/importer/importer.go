// Package importer reads the organisations' lists — CSV/TSV (UTF-8, UTF-8
// with BOM, UTF-16 with or without BOM, Windows-1251), XLSX and JSON, and through the
// docs package DOCX, PDF, HTML, text and Markdown — and turns each row or
// entry into a roster.Record. It is pure: bytes in, records out.
//
// Every format produces roster.RawEntry values (raw field values keyed by
// canonical field); fromEntries turns them into records the same way for
// every format: trimming, building the name, parsing birth and arrest dates
// and mapping the group label through a Taxonomy.
//
// Headers are recognised in Azerbaijani, Russian and English without a map
// (Options.Map overrides); the header row need not be the first row.
//
// Structural faults (unreadable file, unknown encoding, no name column, a
// malformed quote, a row with the wrong number of fields, an empty name) are
// returned as *Error naming the file, row and column. Values that do not
// parse (a year "19x5") are Warnings; Options.Strict turns them into an
// *Error.
package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Options controls Read.
type Options struct {
	Format   string                  // "", "csv", "tsv", "xlsx", "json", "docx", "pdf", "html", "txt", "md"; "" = by extension, then by sniffing
	Sheet    string                  // XLSX sheet name; "" = first
	Map      map[roster.Field]string // field -> header text overrides (--map field=Header); "#3" names the third column
	Strict   bool                    // warnings become errors
	Taxonomy *Taxonomy               // nil = DefaultTaxonomy()
	Limits   Limits                  // zero fields: DefaultLimits()
}

// Error is a structural fault in an input file. Error() reads
// `FILE:ROW: column "X": what was expected`; the column part is omitted
// when there is none, and ROW 0 means the whole file. ROW is the physical
// line for CSV/TSV (where the row starts), the sheet row for XLSX and the
// 1-based element number for JSON (the line, for JSON that does not
// parse; the message names the element).
//
// An *Error unwraps to a *roster.Error with code roster.EINVALID, so
// roster.ErrorCode reports "invalid".
type Error struct {
	File   string
	Row    int
	Column string
	Msg    string
}

func (e *Error) Error() string { return location(e.File, e.Row, e.Column) + e.Msg }

// Unwrap lets roster.ErrorCode classify the fault as invalid input.
func (e *Error) Unwrap() error { return &roster.Error{Code: roster.EINVALID, Message: e.Error()} }

// Warning is a value that did not parse; the record keeps its raw row and
// the field is left empty.
type Warning struct {
	File   string
	Row    int
	Column string
	Msg    string
}

// String reads `FILE:ROW: column "X": message`.
func (w Warning) String() string { return location(w.File, w.Row, w.Column) + w.Msg }

func location(file string, row int, col string) string {
	var b strings.Builder
	b.WriteString(file)
	if row > 0 { // row 0 is the whole file
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(row))
	}
	b.WriteString(": ")
	if col != "" {
		b.WriteString("column ")
		b.WriteString(strconv.Quote(col))
		b.WriteString(": ")
	}
	return b.String()
}

// Result is what Read found in one file.
type Result struct {
	File      string // base name
	SHA256    string // hex of data
	Format    string // csv, tsv, xlsx, json, ...
	Encoding  string // text formats: utf-8, utf-8-bom, utf-16le, utf-16be, windows-1251
	Delimiter string // CSV/TSV: the field separator used
	Sheet     string // XLSX: the sheet read
	HeaderRow int    // tabular formats: the row (line) the header was found on
	Records   []roster.Record
	Warnings  []Warning
	Groups    map[string]int          // records per group key ("" for unmapped or none)
	Unmapped  []string                // distinct raw group labels that mapped to no key
	Headers   map[roster.Field]string // which header each field was read from
	Columns   []string                // tabular formats: every header cell as written (also those mapped to no field)
	Notes     []string                // anything else a dry run should show
}

// parsed is what a format reader hands to fromEntries.
type parsed struct {
	format    string
	encoding  string
	delimiter string
	sheet     string
	headerRow int
	entries   []roster.RawEntry
	headers   map[roster.Field]string
	columns   []string
	notes     []string
}

// Read reads one list. name is used for the extension and in messages
// (its base name only). A structural fault returns a nil *Result and an
// *Error.
func Read(name string, data []byte, opts Options) (*Result, error) {
	file := filepath.Base(name)
	if name == "" {
		file = "-"
	}
	tax := opts.Taxonomy
	if tax == nil {
		tax = DefaultTaxonomy()
	}
	opts.Taxonomy = tax
	opts.Limits = opts.Limits.withDefaults()
	if int64(len(data)) > opts.Limits.FileBytes {
		return nil, &Error{File: file, Msg: overSize("the file", int64(len(data)), opts.Limits.FileBytes, "file")}
	}
	for f := range opts.Map {
		if !validField(f) {
			return nil, &Error{File: file, Msg: fmt.Sprintf("map: unknown field %q (want one of %s)", f, fieldList())}
		}
	}

	format, err := detectFormat(file, data, opts.Format)
	if err != nil {
		return nil, err
	}
	switch format {
	case "csv", "tsv", "txt", "md":
		if err := checkLongLines(file, data, opts.Limits); err != nil {
			return nil, err
		}
	}
	var p *parsed
	switch format {
	case "csv", "tsv":
		p, err = readDelimited(file, data, format, opts, tax)
	case "xlsx":
		p, err = readXLSX(file, data, opts, tax)
	case "json":
		p, err = readJSON(file, data, opts, tax)
	case "docx", "pdf", "html", "txt", "md":
		p, err = readDocument(file, data, format, opts, tax)
	default:
		return nil, &Error{File: file, Msg: fmt.Sprintf("format %q is not supported (want csv, tsv, xlsx, json, docx, pdf, html, txt or md)", format)}
	}
	if err != nil {
		return nil, err
	}

	recs, warns, err := fromEntries(file, p.entries, opts)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		// An empty list is almost always the wrong file or sheet; importing
		// it (perhaps with --replace) would silently empty the source.
		return nil, &Error{File: file, Row: p.headerRow, Msg: "no records below the header: expected at least one person"}
	}
	if opts.Strict && len(warns) > 0 {
		w := warns[0]
		msg := strings.TrimSuffix(w.Msg, "; left empty") + " (strict: warnings are errors)"
		if len(warns) > 1 {
			msg += fmt.Sprintf("; %d more warnings", len(warns)-1)
		}
		return nil, &Error{File: w.File, Row: w.Row, Column: w.Column, Msg: msg}
	}

	sum := sha256.Sum256(data)
	res := &Result{
		File:      file,
		SHA256:    hex.EncodeToString(sum[:]),
		Format:    p.format,
		Encoding:  p.encoding,
		Delimiter: p.delimiter,
		Sheet:     p.sheet,
		HeaderRow: p.headerRow,
		Records:   recs,
		Warnings:  warns,
		Groups:    map[string]int{},
		Headers:   p.headers,
		Columns:   p.columns,
		Notes:     p.notes,
	}
	if res.Headers == nil {
		res.Headers = map[roster.Field]string{}
	}
	unmapped := map[string]int{}
	for _, r := range recs {
		res.Groups[r.Group]++
		if r.Group == "" && r.GroupRaw != "" {
			if _, seen := unmapped[r.GroupRaw]; !seen {
				res.Unmapped = append(res.Unmapped, r.GroupRaw)
			}
			unmapped[r.GroupRaw]++
		}
	}
	refs := map[string]int{}
	var dups []string
	for _, r := range recs {
		refs[r.Ref]++
		if refs[r.Ref] == 2 {
			dups = append(dups, strconv.Quote(r.Ref))
		}
	}
	if len(dups) > 0 {
		if len(dups) > 5 {
			dups = append(dups[:5], "…")
		}
		res.Notes = append(res.Notes, fmt.Sprintf("the list's own references repeat (%s): the numbering restarts or has duplicates", strings.Join(dups, ", ")))
	}
	for _, u := range res.Unmapped {
		res.Notes = append(res.Notes, fmt.Sprintf("group label %q maps to no group (%d records); kept raw", u, unmapped[u]))
	}
	return res, nil
}

func validField(f roster.Field) bool {
	for _, g := range roster.Fields {
		if g == f {
			return true
		}
	}
	return false
}

func fieldList() string {
	s := make([]string, len(roster.Fields))
	for i, f := range roster.Fields {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// Formats handled by this package and, by extension, the formats a
// document reader would handle.
var extFormats = map[string]string{
	".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx",
	".json": "json", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
	".txt": "txt", ".md": "md",
}

// detectFormat picks the format: the explicit one, else the extension,
// else by sniffing the bytes.
func detectFormat(file string, data []byte, explicit string) (string, error) {
	if explicit != "" {
		f := strings.ToLower(strings.TrimPrefix(explicit, "."))
		switch f {
		case "csv", "tsv", "xlsx", "json", "docx", "pdf", "html", "txt", "md":
			return f, nil
		case "htm":
			return "html", nil
		}
		return "", &Error{File: file, Msg: fmt.Sprintf("unknown format %q (want csv, tsv, xlsx, json, docx, pdf, html, txt or md)", explicit)}
	}
	if len(data) == 0 {
		return "", &Error{File: file, Msg: "empty file: expected a list with a header row and records"}
	}
	ext := strings.ToLower(filepath.Ext(file))
	if ext == ".xls" || ext == ".doc" {
		return "", &Error{File: file, Msg: fmt.Sprintf("%s (old binary Office format) is not supported: save it as %sx or CSV", ext, ext)}
	}
	if f, ok := extFormats[ext]; ok {
		return f, nil
	}
	return sniffFormat(data), nil
}

func sniffFormat(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if bytes.Contains(data, []byte("word/")) && !bytes.Contains(data, []byte("xl/")) {
			return "docx"
		}
		return "xlsx"
	case bytes.HasPrefix(data, []byte("%PDF")):
		return "pdf"
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(data, bomUTF8), " \t\r\n")
	if len(t) > 0 {
		switch t[0] {
		case '[', '{':
			return "json"
		case '<':
			return "html"
		}
	}
	return "csv"
}

// asError returns err as an *Error when it is one.
func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
