package synth

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var writerExt = map[string]string{
	FormatCSV: "csv", FormatCSV1251: "csv", FormatXLSX: "xlsx", FormatJSON: "json", FormatTSV16: "tsv",
}

var writerEnc = map[string]string{
	FormatCSV: "UTF-8", FormatCSV1251: "Windows-1251", FormatXLSX: "", FormatJSON: "UTF-8", FormatTSV16: "UTF-16LE with BOM",
}

// tableWriter writes a header and rows in one file format.
type tableWriter interface {
	Row([]string) error
	Close() error // flushes; does not close the underlying writer
}

func newTableWriter(format string, w io.Writer, header []string) (tableWriter, error) {
	var tw tableWriter
	switch format {
	case FormatCSV:
		tw = newCSVWriter(w, ',', nil)
	case FormatCSV1251:
		tw = newCSVWriter(w, ';', encoding.ReplaceUnsupported(charmap.Windows1251.NewEncoder()))
	case FormatTSV16:
		tw = newCSVWriter(w, '\t', unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder())
	case FormatJSON:
		tw = &jsonWriter{w: bufio.NewWriter(w), keys: header}
		return tw, nil
	case FormatXLSX:
		x, err := newXLSXWriter(w)
		if err != nil {
			return nil, err
		}
		tw = x
	default:
		return nil, fmt.Errorf("unknown format %q", format)
	}
	if err := tw.Row(header); err != nil {
		return nil, err
	}
	return tw, nil
}

type csvWriter struct {
	enc io.WriteCloser // the encoding transformer, nil for UTF-8
	buf *bufio.Writer
	c   *csv.Writer
}

func newCSVWriter(w io.Writer, comma rune, enc *encoding.Encoder) *csvWriter {
	cw := &csvWriter{}
	var out io.Writer = w
	if enc != nil {
		cw.enc = transform.NewWriter(w, enc)
		out = cw.enc
	}
	cw.buf = bufio.NewWriterSize(out, 64<<10)
	cw.c = csv.NewWriter(cw.buf)
	cw.c.Comma = comma
	cw.c.UseCRLF = comma == ';' // a Russian Excel export ends lines with CRLF
	return cw
}

func (w *csvWriter) Row(r []string) error { return w.c.Write(r) }

func (w *csvWriter) Close() error {
	w.c.Flush()
	if err := w.c.Error(); err != nil {
		return err
	}
	if err := w.buf.Flush(); err != nil {
		return err
	}
	if w.enc != nil {
		return w.enc.Close()
	}
	return nil
}

// jsonWriter writes an array of objects, one per line, keys in column
// order; empty values are left out as a JSON exporter would.
type jsonWriter struct {
	w    *bufio.Writer
	keys []string
	n    int
}

func (w *jsonWriter) Row(r []string) error {
	if w.n == 0 {
		w.w.WriteString("[\n  {")
	} else {
		w.w.WriteString(",\n  {")
	}
	w.n++
	first := true
	for i, k := range w.keys {
		if r[i] == "" {
			continue
		}
		if !first {
			w.w.WriteString(", ")
		}
		first = false
		kb, _ := json.Marshal(k)
		w.w.Write(kb)
		w.w.WriteString(": ")
		if k == "id" || k == "born" {
			w.w.WriteString(r[i]) // numbers, as a JSON exporter writes them
		} else {
			vb, _ := json.Marshal(r[i])
			w.w.Write(vb)
		}
	}
	w.w.WriteString("}")
	return nil
}

func (w *jsonWriter) Close() error {
	if w.n == 0 {
		w.w.WriteString("[]\n")
	} else {
		w.w.WriteString("\n]\n")
	}
	return w.w.Flush()
}

// xlsxWriter streams rows into one sheet and writes the workbook on Close,
// with fixed document properties so that the bytes repeat.
type xlsxWriter struct {
	w   io.Writer
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

func newXLSXWriter(w io.Writer) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "roster synth", Created: "2025-01-01T00:00:00Z", Modified: "2025-01-01T00:00:00Z"}); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	return &xlsxWriter{w: w, f: f, sw: sw}, nil
}

func (x *xlsxWriter) Row(r []string) error {
	x.row++
	vals := make([]any, len(r))
	for i, v := range r {
		vals[i] = v
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, vals)
}

func (x *xlsxWriter) Close() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if err := x.f.Write(x.w); err != nil {
		return err
	}
	return x.f.Close()
}
