// Package docs reads lists of political prisoners published as documents
// rather than spreadsheets: Word files (.docx), PDFs with a text layer, HTML
// pages and plain or Markdown text. Every format is first flattened to
// located lines (paragraph, page and line numbers), and one text-list parser
// (ParseText) finds group and sub-case headings, numbered entries and
// per-person blocks with labelled fields in Azerbaijani, Russian or English.
//
// The package only finds things: field values stay raw strings (dates,
// years, group labels), the importer parses and maps them. Tables found in
// DOCX and HTML files are returned as grids for the importer's own header
// detection. Whatever cannot be placed is kept (Raw, FieldNotes, Unplaced)
// so that a dry run can show it.
//
// The package does no I/O: Parse takes the file's bytes.
package docs

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/roster-coalition/roster/internal/roster"
)

// Document is what a document reader found.
type Document struct {
	Format   string            // "docx", "pdf", "html", "txt"
	Entries  []roster.RawEntry // numbered entries / person blocks in document order, raw field values
	Tables   [][][]string      // tables (DOCX, HTML, Markdown pipe tables): grids of trimmed cell texts, header row included
	Headings []Heading         // group (level 1) and sub-case (level 2) headings in document order
	Unplaced []Line            // non-empty lines that are neither headings nor part of an entry
	Notes    []string          // count mismatches and other things a dry run should report
}

// Heading is a group or sub-case heading.
type Heading struct {
	Line    int    // line/paragraph number where the heading is
	Text    string // the heading as written
	Label   string // the heading cleaned of numbering and count, e.g. "journalists and bloggers"
	Level   int    // 1 group, 2 sub-case
	Count   int    // the count announced in the heading, -1 if none
	Entries int    // entries that followed (for a group, including its sub-cases)
}

// Line is a located line of a document.
type Line struct {
	Line     int    // 1-based line/paragraph number
	Location string // "line 12", "paragraph 42", "page 3, line 7"
	Text     string
}

// Parse reads a document of the given format ("docx", "pdf", "html",
// "htm", "txt", "md"; a leading dot is ignored) and parses its list.
// It fails only on input it cannot read at all, e.g. a PDF without a text
// layer.
func Parse(format string, data []byte) (*Document, error) {
	f := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(format), "."))
	switch f {
	case "txt", "text", "md", "markdown":
		text, err := decodeText(data)
		if err != nil {
			return nil, fmt.Errorf("read %s text: %w", f, err)
		}
		return ParseText(text), nil
	case "docx":
		lines, tables, err := flattenDOCX(data)
		if err != nil {
			return nil, fmt.Errorf("read docx: %w", err)
		}
		d := parseLines(lines)
		d.Format = "docx"
		d.Tables = append(d.Tables, tables...)
		return d, nil
	case "html", "htm", "xhtml":
		lines, tables, err := flattenHTML(data)
		if err != nil {
			return nil, fmt.Errorf("read html: %w", err)
		}
		d := parseLines(lines)
		d.Format = "html"
		d.Tables = append(d.Tables, tables...)
		return d, nil
	case "pdf":
		lines, err := flattenPDF(data)
		if err != nil {
			return nil, fmt.Errorf("read pdf: %w", err)
		}
		d := parseLines(lines)
		d.Format = "pdf"
		return d, nil
	case "doc":
		return nil, fmt.Errorf("read doc: legacy Word .doc files are not supported: save the file as .docx")
	default:
		return nil, fmt.Errorf("unsupported document format %q (want docx, pdf, html, txt or md)", format)
	}
}

// ParseText parses a plain-text or Markdown list. Lines are numbered from 1
// and located as "line N".
func ParseText(text string) *Document {
	raw := splitLines(text)
	lines := make([]srcLine, len(raw))
	for i, s := range raw {
		lines[i] = srcLine{n: i + 1, loc: fmt.Sprintf("line %d", i+1), text: s}
	}
	d := parseLines(lines)
	d.Format = "txt"
	return d
}

// splitLines splits on \n, \r\n and lone \r.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n")
}

// decodeText turns the bytes of a text file into a string: UTF-8 (BOM
// dropped), UTF-16 with a BOM, else Windows-1251 when the bytes are not
// valid UTF-8.
func decodeText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		le := b[0] == 0xFF
		b = b[2:]
		if len(b)%2 != 0 {
			return "", fmt.Errorf("utf-16 text has an odd number of bytes")
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			if le {
				u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return string(utf16.Decode(u)), nil
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	s, err := charmap.Windows1251.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("text is neither utf-8 nor windows-1251: %w", err)
	}
	return string(s), nil
}
