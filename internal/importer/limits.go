package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// Limits bound what one file may hold. A file over a limit is refused
// with an *Error naming the file, the row and the column, before the
// costly steps (header detection, parsing, names) see it, so that no
// accepted file can make an import or a later match use more than a few
// times its usual memory. A zero field takes its default.
type Limits struct {
	FileBytes int64 // the file as read (default 256 MB)
	Unzipped  int64 // XLSX and DOCX: all parts together, uncompressed, as the archive declares them; PDF: all compressed streams, inflated (default 512 MB)
	Rows      int   // rows or entries in one file (default 2,000,000)
	Columns   int   // columns of one row, up to its last non-empty cell (default 1,000)
	RowBytes  int   // one row or entry as read (default 1 MB)
	CellBytes int   // one cell or field value (default 64 KB)
	NameBytes int   // one name cell: name, surname, given name or patronymic (default 4 KB)
	JSONDepth int   // nesting of JSON arrays and objects (default 32)
}

// DefaultLimits returns the limits an import applies unless told
// otherwise.
func DefaultLimits() Limits {
	return Limits{
		FileBytes: 256 << 20,
		Unzipped:  512 << 20,
		Rows:      2_000_000,
		Columns:   1000,
		RowBytes:  1 << 20,
		CellBytes: 64 << 10,
		NameBytes: 4 << 10,
		JSONDepth: 32,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.FileBytes, d.FileBytes)
	orDefault(&l.Unzipped, d.Unzipped)
	orDefault(&l.Rows, d.Rows)
	orDefault(&l.Columns, d.Columns)
	orDefault(&l.RowBytes, d.RowBytes)
	orDefault(&l.CellBytes, d.CellBytes)
	orDefault(&l.NameBytes, d.NameBytes)
	orDefault(&l.JSONDepth, d.JSONDepth)
	return l
}

func orDefault[T int | int64](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// LimitKeys names the limits Set understands, in the order the help
// lists them.
var LimitKeys = []string{"file", "unzipped", "rows", "columns", "row", "cell", "name", "json-depth"}

// Set changes one limit from a KEY=VALUE spec (the import command's
// --limit): sizes take a KB, MB or GB suffix (1 KB = 1024 bytes), counts
// are plain numbers.
func (l *Limits) Set(spec string) error {
	k, v, ok := strings.Cut(spec, "=")
	k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
	if !ok || v == "" || !slices.Contains(LimitKeys, k) {
		return fmt.Errorf("limit %q: want KEY=VALUE with KEY one of %s", spec, strings.Join(LimitKeys, ", "))
	}
	var n int64
	var err error
	want := "a positive size in bytes, with an optional KB, MB or GB"
	switch k {
	case "rows", "columns", "json-depth":
		n, err = strconv.ParseInt(strings.ReplaceAll(v, "_", ""), 10, 64)
		want = "a positive whole number"
	default:
		n, err = parseSize(v)
	}
	if err != nil || n <= 0 {
		return fmt.Errorf("limit %q: want %s", spec, want)
	}
	small := func(x int64) int { return int(min(x, 1<<40)) }
	switch k {
	case "file":
		l.FileBytes = n
	case "unzipped":
		l.Unzipped = n
	case "rows":
		l.Rows = small(n)
	case "columns":
		l.Columns = small(n)
	case "row":
		l.RowBytes = small(n)
	case "cell":
		l.CellBytes = small(n)
	case "name":
		l.NameBytes = small(n)
	case "json-depth":
		l.JSONDepth = small(n)
	}
	return nil
}

// parseSize reads 4096, 4KB, 4 KiB, 64K, 256MB, 1GB.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	switch {
	case strings.HasSuffix(t, "K"):
		mult, t = 1<<10, strings.TrimSuffix(t, "K")
	case strings.HasSuffix(t, "M"):
		mult, t = 1<<20, strings.TrimSuffix(t, "M")
	case strings.HasSuffix(t, "G"):
		mult, t = 1<<30, strings.TrimSuffix(t, "G")
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a number of bytes with an optional KB, MB or GB", s)
	}
	return n * mult, nil
}

// FormatSize writes a byte count the way limits are written: 4 KB,
// 64 KB, 1 MB, 256 MB, 1.5 GB (1 KB = 1024 bytes).
func FormatSize(n int64) string {
	const k = 1 << 10
	switch {
	case n < k:
		return fmt.Sprintf("%d bytes", n)
	case n < k*k:
		return trimUnit(float64(n)/k, "KB")
	case n < k*k*k:
		return trimUnit(float64(n)/(k*k), "MB")
	}
	return trimUnit(float64(n)/(k*k*k), "GB")
}

func trimUnit(x float64, unit string) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + unit
}

// group3 writes 2000000 as 2,000,000.
func group3(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// overSize is the message for a value over a size limit.
func overSize(what string, n, limit int64, key string) string {
	return fmt.Sprintf("%s is %s, over the limit of %s (--limit %s=SIZE raises it)", what, FormatSize(n), FormatSize(limit), key)
}

// isNameField: the fields whose values the names engine parses.
func isNameField(f roster.Field) bool {
	switch f {
	case roster.FieldName, roster.FieldSurname, roster.FieldGiven, roster.FieldPatronymic:
		return true
	}
	return false
}

// headerRows is how far down findHeader looks for the header.
const headerRows = 50

// checkShape refuses a table with too many rows, or a row with too many
// columns (up to its last non-empty cell), before its header is looked
// for: header detection classifies every cell of the first rows.
func checkShape(file string, rows []tabRow, loc string, lim Limits) error {
	n := 0
	for _, r := range rows {
		w := len(r.cells)
		for w > 0 && r.cells[w-1] == "" {
			w--
		}
		if w > lim.Columns {
			return &Error{File: file, Row: r.line, Column: "#" + strconv.Itoa(lim.Columns+1),
				Msg: fmt.Sprintf("the %s has %s columns, over the limit of %s (--limit columns=N raises it)", loc, group3(w), group3(lim.Columns))}
		}
		if w > 0 {
			// The header and lines above it are rows too: the exact count
			// of entries is checked once they are read (fromEntries).
			if n++; n > lim.Rows+headerRows {
				return &Error{File: file, Row: r.line, Msg: fmt.Sprintf("more than %s rows, over the limit (--limit rows=N raises it)", group3(lim.Rows))}
			}
		}
	}
	return nil
}

// checkCells refuses a cell, or a row as read, over its size limit. cm
// says which columns hold names (their limit is NameBytes); cols names
// the columns in messages.
func checkCells(file string, rows []tabRow, cols []string, cm columnMap, lim Limits) error {
	for _, r := range rows {
		total := 0
		for i, c := range r.cells {
			total += len(c)
			if len(c) <= lim.NameBytes {
				continue
			}
			if i < len(cm.fields) && isNameField(cm.fields[i]) {
				return &Error{File: file, Row: r.line, Column: columnName(cols, i), Msg: overSize("the name", int64(len(c)), int64(lim.NameBytes), "name")}
			}
			if len(c) > lim.CellBytes {
				return &Error{File: file, Row: r.line, Column: columnName(cols, i), Msg: overSize("the cell", int64(len(c)), int64(lim.CellBytes), "cell")}
			}
		}
		if n := max(total, len(r.raw)); n > lim.RowBytes {
			return &Error{File: file, Row: r.line, Msg: overSize("the row", int64(n), int64(lim.RowBytes), "row")}
		}
	}
	return nil
}

// checkEntry applies the cell, name and row limits to one entry of any
// format (documents too).
func checkEntry(file string, row int, e roster.RawEntry, col func(roster.Field) string, lim Limits) error {
	if len(e.Raw) > lim.RowBytes {
		return &Error{File: file, Row: row, Msg: overSize("the entry", int64(len(e.Raw)), int64(lim.RowBytes), "row")}
	}
	for _, f := range roster.Fields {
		v, ok := e.Fields[f]
		if !ok || len(v) <= lim.NameBytes {
			continue
		}
		if isNameField(f) {
			return &Error{File: file, Row: row, Column: col(f), Msg: overSize("the name", int64(len(v)), int64(lim.NameBytes), "name")}
		}
		if len(v) > lim.CellBytes {
			return &Error{File: file, Row: row, Column: col(f), Msg: overSize("the value", int64(len(v)), int64(lim.CellBytes), "cell")}
		}
	}
	return nil
}

// checkZip refuses an XLSX or DOCX archive whose parts would inflate
// beyond lim.Unzipped, from the sizes the archive declares and before
// inflating anything (archive/zip then refuses to inflate a part beyond
// its declared size, so a lying header cannot get round it). A file that
// is not a ZIP archive at all gets an error that says so.
func checkZip(file string, data []byte, kind string, lim Limits) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("unreadable %s file: not a valid ZIP archive, damaged or truncated (%v)", kind, err)}
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.Unzipped) {
			return nil, &Error{File: file, Msg: fmt.Sprintf("the %s archive would inflate to more than %s (part %s alone is %s), over the limit (--limit unzipped=SIZE raises it); nothing was inflated",
				kind, FormatSize(lim.Unzipped), f.Name, FormatSize(int64(min(f.UncompressedSize64, 1<<62))))}
		}
	}
	return zr, nil
}

// checkJSONDepth refuses JSON nested deeper than lim.JSONDepth (a list of
// people needs three or four levels), naming the line, before a decoder
// recurses into it.
func checkJSONDepth(file string, b []byte, lim Limits) error {
	// A JSON string decodes to at least a sixth of its bytes (\u0259):
	// one over six times the cell limit is over it once decoded.
	maxStr := 6 * int64(max(lim.CellBytes, lim.NameBytes))
	depth, line := 0, 1
	inStr, esc := false, false
	strStart, strLine := 0, 0
	for i, c := range b {
		if inStr && int64(i-strStart) > maxStr {
			j := bytes.IndexByte(b[i:], '"')
			n := int64(len(b) - strStart)
			if j >= 0 {
				n = int64(i + j - strStart)
			}
			return &Error{File: file, Row: 0, Msg: fmt.Sprintf("line %d: a JSON string of at least %s, over the limit of %s for a value (--limit cell=SIZE raises it)",
				strLine, FormatSize(n), FormatSize(int64(lim.CellBytes)))}
		}
		switch {
		case c == '\n':
			line++
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr, strStart, strLine = true, i, line
		case c == '[' || c == '{':
			if depth++; depth > lim.JSONDepth {
				return &Error{File: file, Msg: fmt.Sprintf("line %d: JSON nested more than %d levels deep, over the limit (--limit json-depth=N raises it): expected an array of objects", line, lim.JSONDepth)}
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// checkLongLines refuses, before decoding, a text file with a physical
// line longer than twice the row limit: whatever its encoding, such a
// line holds more than RowBytes of text, so the precise checks after
// parsing would refuse it too, but only after copying it several times.
func checkLongLines(file string, data []byte, lim Limits) error {
	limit := 2 * int64(lim.RowBytes)
	line := 1
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			i = len(data)
		}
		if int64(i) > limit {
			return &Error{File: file, Row: line, Msg: fmt.Sprintf("the line is %s, over the limit of %s for a row (--limit row=SIZE raises it)",
				FormatSize(int64(i)), FormatSize(int64(lim.RowBytes)))}
		}
		data = data[min(i+1, len(data)):]
		line++
	}
	return nil
}

// checkPDF refuses a PDF whose compressed streams would inflate beyond
// lim.Unzipped, all streams together, before the PDF library inflates
// any of them (it would inflate each into memory, with no bound). A PDF
// declares no sizes to trust, so each stream that starts as zlib data is
// inflated here into a count, and inflated again while what comes out is
// itself zlib data (a stream compressed twice), up to the limit and no
// further.
func checkPDF(file string, data []byte, lim Limits) error {
	var total int64
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], []byte("stream"))
		if i < 0 {
			break
		}
		at := off + i
		start := at + len("stream")
		off = start
		if bytes.HasSuffix(data[:at], []byte("end")) {
			continue // endstream
		}
		// The keyword is followed by CRLF or LF, then the data.
		if start < len(data) && data[start] == '\r' {
			start++
		}
		if start >= len(data) || data[start] != '\n' {
			continue // the word inside some other text
		}
		start++
		end := bytes.Index(data[start:], []byte("endstream"))
		if end < 0 {
			end = len(data) - start
		}
		total += inflatedSize(data[start:start+end], lim.Unzipped-total+1)
		if total > lim.Unzipped {
			return &Error{File: file, Msg: fmt.Sprintf("the PDF's compressed streams would inflate to more than %s (the stream at byte %d passes it), over the limit (--limit unzipped=SIZE raises it)",
				FormatSize(lim.Unzipped), at)}
		}
		off = start + end
	}
	return nil
}

// inflatedSize is how many bytes b inflates to, up to max, when it is
// zlib data (through every layer of zlib inside it, up to four); 0 when
// it is not compressed.
func inflatedSize(b []byte, max int64) int64 {
	var r io.Reader = bytes.NewReader(b)
	for depth := 0; depth < 4; depth++ {
		br := bufio.NewReader(r)
		h, err := br.Peek(2)
		if err != nil || !isZlibHeader(h) {
			if depth == 0 {
				return 0
			}
			r = br
			break
		}
		zr, err := zlib.NewReader(br)
		if err != nil {
			if depth == 0 {
				return 0
			}
			r = br
			break
		}
		r = zr
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(r, max))
	return n
}

// isZlibHeader reports whether h starts a zlib stream (RFC 1950: deflate
// with a window of at most 32 KB, and a header check that divides by 31).
func isZlibHeader(h []byte) bool {
	cmf, flg := h[0], h[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}
