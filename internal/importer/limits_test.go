package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/faults/bomb"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/xuri/excelize/v2"
)

// TestLimits: a file over a limit is refused with an *Error naming the
// file, row and column and the limit (issue 16, point 1). Before the
// limits these files imported (the giant name) or cost their size in
// memory and time (the million columns, the deep JSON).
func TestLimits(t *testing.T) {
	big := func(n int) string { return strings.Repeat("Mammadov ", n/9+1)[:n] }
	wide := "Full name" + strings.Repeat(",x", 1_000_000) + "\nAli Karimov" + strings.Repeat(",", 1_000_000) + "\n"
	tests := []struct {
		name string
		file string
		data string
		lim  Limits
		row  int
		col  string
		msg  string
	}{
		{"name cell", "n.csv", "Full name,Year of birth\nAli Karimov,1985\n\"" + big(5000) + "\",1990\n", Limits{}, 3, "Full name",
			"the name is 4.9 KB, over the limit of 4 KB (--limit name=SIZE raises it)"},
		{"split name cell", "n.csv", "Surname,Given name\nKarimov,Ali\nKarimov," + big(4097) + "\n", Limits{}, 3, "Given name", "the name is 4 KB, over the limit of 4 KB"},
		{"other cell", "c.csv", "Full name,Remarks\nAli Karimov," + big(70_000) + "\n", Limits{}, 2, "Remarks", "the cell is 68.4 KB, over the limit of 64 KB (--limit cell=SIZE raises it)"},
		{"unrecognised column", "c.csv", "Full name,Whatever\nAli Karimov," + big(70_000) + "\n", Limits{}, 2, "Whatever", "the cell is 68.4 KB"},
		{"row", "r.csv", "Full name,A,B\nAli Karimov," + big(600_000) + "," + big(600_000) + "\n", Limits{CellBytes: 700_000}, 2, "", "the row is 1.1 MB, over the limit of 1 MB (--limit row=SIZE raises it)"},
		{"a million columns", "w.csv", wide, Limits{}, 1, "#1001", "the line has 1,000,001 columns, over the limit of 1,000"},
		{"rows", "r.csv", "Full name\nA B\nC D\nE F\nG H\n", Limits{Rows: 3}, 5, "", "more than 3 rows, over the limit (--limit rows=N raises it)"},
		{"file", "f.csv", "Full name\nA B\n", Limits{FileBytes: 10}, 0, "", "the file is 14 bytes, over the limit of 10 bytes (--limit file=SIZE raises it)"},
		{"json name", "j.json", `[{"name": "A B"}, {"name": "` + big(5000) + `"}]`, Limits{}, 2, "name", "the name is 4.9 KB"},
		{"json depth", "d.json", "[\n" + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "]", Limits{}, 0, "",
			"line 2: JSON nested more than 32 levels deep, over the limit (--limit json-depth=N raises it)"},
		{"json keys", "k.json", `[{"name": "A B", "k1": 1, "k2": 2, "k3": 3}]`, Limits{Columns: 3}, 1, "", "more than 3 different keys"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			res, err := Read(tc.file, []byte(tc.data), Options{Limits: tc.lim})
			if err == nil {
				t.Fatalf("no error; %d records", len(res.Records))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if e.File != tc.file || e.Row != tc.row || e.Column != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error = %v\nwant row %d column %q msg ~%q", err, tc.row, tc.col, tc.msg)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("refused after %v", d)
			}
		})
	}
}

// TestLimitsAllowUsualFiles: the defaults leave room for what real lists
// hold (a long name with its aliases, a case description, many rows).
func TestLimitsAllowUsualFiles(t *testing.T) {
	var b strings.Builder
	b.WriteString("Full name,Year of birth,Notes\n")
	for range 5000 {
		b.WriteString("Məmmədov Əli Həsən oğlu (Əli Məmmədli; Али Мамедов),1985,\"" + strings.Repeat("Arrested at home. ", 200) + "\"\n")
	}
	res := mustRead(t, "ok.csv", []byte(b.String()), Options{})
	if len(res.Records) != 5000 {
		t.Fatalf("%d records", len(res.Records))
	}
}

// TestGiantCellRefusedFast: a 50 MB name cell (the file) is
// refused in well under a second, naming the limit, in CSV and JSON.
func TestGiantCellRefusedFast(t *testing.T) {
	giant := strings.Repeat("Ə", 25<<20)
	tests := []struct{ file, data, want string }{
		{"giant.csv", "Full name,Year of birth\n\"" + giant + "\",1985\n", "giant.csv:2: the line is 50 MB, over the limit of 1 MB for a row (--limit row=SIZE raises it)"},
		{"giant.json", "[\n{\"name\": \"" + giant + "\"}]", "giant.json: line 2: a JSON string of at least 50 MB, over the limit of 64 KB for a value (--limit cell=SIZE raises it)"},
		{"giant.txt", "1. Məmmədov Əli\n2. " + giant + "\n", "giant.txt:2: the line is 50 MB"},
	}
	for _, tc := range tests {
		data := []byte(tc.data)
		start := time.Now()
		_, err := Read(tc.file, data, Options{})
		d := time.Since(start)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("err = %v\nwant %s", err, tc.want)
		}
		if d > time.Second {
			t.Errorf("%s refused after %v, want < 1 s", tc.file, d)
		}
		t.Logf("%s: 50 MB cell refused in %v", tc.file, d)
	}
}

func TestSetLimit(t *testing.T) {
	var l Limits
	for _, s := range []string{"name=8KB", "cell=1MB", "file=1GB", "rows=5_000_000", "columns=20", "row=2 MiB", "unzipped=100M", "json-depth=8"} {
		if err := l.Set(s); err != nil {
			t.Fatalf("Set(%q): %v", s, err)
		}
	}
	want := Limits{FileBytes: 1 << 30, Unzipped: 100 << 20, Rows: 5_000_000, Columns: 20, RowBytes: 2 << 20, CellBytes: 1 << 20, NameBytes: 8 << 10, JSONDepth: 8}
	if l != want {
		t.Errorf("limits = %+v, want %+v", l, want)
	}
	for _, s := range []string{"name", "name=", "names=4KB", "name=-1", "rows=1KB", "cell=lots"} {
		if err := l.Set(s); err == nil {
			t.Errorf("Set(%q): no error", s)
		}
	}
}

// zipBomb is an OOXML package (kind xlsx or docx) whose part inflates to
// 1 GB of zeros; with lie, the archive declares the part as 1 KB.
func zipBomb(t *testing.T, kind, part string, lie bool) []byte {
	t.Helper()
	size := uint64(bomb.Size)
	if lie {
		size = 1 << 10
	}
	b, err := bomb.OOXML(map[string]string{"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}[kind], part, size)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestZipBombs: an XLSX or DOCX whose parts would inflate to 1 GB is
// refused from the sizes the archive declares, without inflating it
// (measured: the allocations stay far below the bomb); a part that lies
// about its size is stopped by archive/zip at the declared size.
func TestZipBombs(t *testing.T) {
	zipBomb(t, "xlsx", "x", false) // deflate the zeros outside the measurement
	tests := []struct {
		name, file, part string
		lie              bool
		msg              string
	}{
		{"xlsx sheet", "b.xlsx", "xl/worksheets/sheet1.xml", false, "the XLSX archive would inflate to more than 512 MB (part xl/worksheets/sheet1.xml alone is 1 GB), over the limit (--limit unzipped=SIZE raises it); nothing was inflated"},
		{"xlsx workbook", "b.xlsx", "xl/workbook.xml", false, "the XLSX archive would inflate to more than 512 MB"},
		{"docx document", "b.docx", "word/document.xml", false, "the DOCX archive would inflate to more than 512 MB"},
		{"docx lying", "b.docx", "word/document.xml", true, "unreadable DOCX document"},
		{"xlsx lying", "b.xlsx", "xl/workbook.xml", true, "XLSX"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := zipBomb(t, strings.TrimPrefix(tc.file[1:], "."), tc.part, tc.lie)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := Read(tc.file, data, Options{})
			d := time.Since(start)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want ~%q", err, tc.msg)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			if alloc > 64<<20 || d > 2*time.Second {
				t.Errorf("refused after %v and %d MB of allocations: inflated?", d, alloc>>20)
			}
			t.Logf("%s: refused in %v, %.1f MB allocated: %v", tc.name, d, float64(alloc)/(1<<20), err)
		})
	}
}

// TestPDFBombs: a PDF whose content stream inflates to 600 MB of zeros,
// compressed once or twice, is refused before the PDF library inflates
// it into memory: the check counts what the streams inflate to and stops
// at the limit. A stream under the limit passes the check (and the PDF is
// then refused for having no text).
func TestPDFBombs(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		limits Limits
		msg    string
	}{
		{"once", bomb.PDF(600<<20, false), Limits{}, "b.pdf: the PDF's compressed streams would inflate to more than 512 MB (the stream at byte "},
		{"twice", bomb.PDF(600<<20, true), Limits{}, "b.pdf: the PDF's compressed streams would inflate to more than 512 MB"},
		{"under a lower limit", bomb.PDF(8<<20, false), Limits{Unzipped: 4 << 20}, "would inflate to more than 4 MB"},
		{"under the limit", bomb.PDF(8<<20, true), Limits{}, "no text layer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := Read("b.pdf", tc.data, Options{Limits: tc.limits})
			d := time.Since(start)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want ~%q", err, tc.msg)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("%d MB allocated: inflated into memory?", alloc>>20)
			}
			t.Logf("%s (%d KB): refused in %v: %v", tc.name, len(tc.data)>>10, d, err)
		})
	}
}

// TestXLSXColumnsStreamed: a sheet with a value in column XFD on every
// row is refused at its first row; styled empty cells out there (which
// Excel writes) do not count as columns.
func TestXLSXColumnsStreamed(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Full name", "Year of birth"})
	for r := 2; r <= 50; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		f.SetSheetRow("Sheet1", cell, &[]any{"Ali Karimov", 1985})
	}
	style, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetCellStyle("Sheet1", "XFD1", "XFD50", style)
	var ok bytes.Buffer
	f.Write(&ok)
	res := mustRead(t, "styled.xlsx", ok.Bytes(), Options{})
	if len(res.Records) != 49 {
		t.Fatalf("%d records", len(res.Records))
	}
	for r := 2; r <= 50; r++ {
		cell, _ := excelize.CoordinatesToCellName(16384, r)
		f.SetCellValue("Sheet1", cell, "x")
	}
	var wide bytes.Buffer
	f.Write(&wide)
	_, err := Read("wide.xlsx", wide.Bytes(), Options{})
	if err == nil || !strings.Contains(err.Error(), `wide.xlsx:2: column "#1001": the row has 16,384 columns, over the limit of 1,000`) {
		t.Fatalf("err = %v", err)
	}
}

// TestJunkXLSX: a file named .xlsx that is not a workbook says what it
// is instead of "unreadable XLSX workbook: EOF" (issue 16, point 6).
func TestJunkXLSX(t *testing.T) {
	empty := func(names ...string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, n := range names {
			w, _ := zw.Create(n)
			io.WriteString(w, "hello")
		}
		zw.Close()
		return b.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty zip", empty(), "a ZIP archive without xl/workbook.xml: expected an Excel .xlsx file"},
		{"other zip", empty("hello.txt"), "a ZIP archive without xl/workbook.xml"},
		{"docx", empty("word/document.xml"), "a Word document (DOCX), not a workbook"},
		{"truncated", []byte("PK\x03\x04junkjunk"), "unreadable XLSX file: not a valid ZIP archive, damaged or truncated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("junk.xlsx", tc.data, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "EOF") {
				t.Fatalf("err = %v, want ~%q", err, tc.msg)
			}
		})
	}
}

// TestDuplicateHeaders: two columns that read as one field are an error
// naming both (issue 16, point 4) unless --map decides.
func TestDuplicateHeaders(t *testing.T) {
	data := []byte("Last name,First name,Birth year,Birth year\nKarimov,Ali,1985,1986\n")
	_, err := Read("dup.csv", data, Options{})
	want := `dup.csv:1: columns "Birth year" (#3) and "Birth year" (#4) both read as birth: say which to use with --map birth=#3 or --map birth=#4`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	res := mustRead(t, "dup.csv", data, Options{Map: map[roster.Field]string{roster.FieldBirth: "#4"}})
	if got := res.Records[0].BirthYear; got != 1986 {
		t.Errorf("with --map birth=#4: birth year %d, want 1986", got)
	}
	// Synonyms count too; a more confident column still wins quietly.
	if _, err := Read("s.csv", []byte("Surname,Last name,Given name\nKarimov,Karimov,Ali\n"), Options{}); err == nil ||
		!strings.Contains(err.Error(), `columns "Surname" (#1) and "Last name" (#2) both read as surname`) {
		t.Errorf("synonyms: err = %v", err)
	}
	// JSON objects that spell a key two ways are merged, not refused.
	mustRead(t, "m.json", []byte(`[{"name": "Ali Karimov"}, {"Name": "Leyla Hasanova"}]`), Options{})
}
