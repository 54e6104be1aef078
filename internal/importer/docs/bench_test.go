package docs

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseDOCX400 parses a 400-entry Word list (fixtures/docs/bench-400.docx,
// Word-numbered groups and people, one narrative line each).
func BenchmarkParseDOCX400(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "docs", "bench-400.docx"))
	if err != nil {
		b.Fatal(err)
	}
	d, err := Parse("docx", data)
	if err != nil {
		b.Fatal(err)
	}
	if len(d.Entries) != 400 || len(d.Notes) != 0 {
		b.Fatalf("%d entries, notes %q", len(d.Entries), d.Notes)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Parse("docx", data); err != nil {
			b.Fatal(err)
		}
	}
}
