package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkImport100k measures `roster import` end to end — read, decode,
// detect headers, parse dates, map groups and store in one transaction — on
// a generated 100,000-row CSV of made-up people.
//
//	go test -run '^$' -bench Import100k -benchtime 3x ./internal/cli
func BenchmarkImport100k(b *testing.B) {
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "big-2025-06.csv")
	if err := os.WriteFile(csvPath, makeCSV(100_000), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		g := &globalOptions{DB: filepath.Join(dir, fmt.Sprintf("b%d.db", i)), Stdout: io.Discard, Stderr: io.Discard,
			Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
		if err := runImport(ctx, &importOptions{globalOptions: g, Files: []string{csvPath}, Source: "big"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func makeCSV(n int) []byte {
	surnames := []string{"Məmmədov", "Əliyev", "Hüseynov", "Həsənov", "Quliyev", "Cəfərli", "Kərimova", "Nağıyeva", "Səfərzadə", "Bayramlı"}
	given := []string{"Elvin", "Rəşad", "Günel", "Tural", "Aysel", "Orxan", "Nərmin", "Kamran", "Ləman", "Vüsal"}
	fathers := []string{"Həsən", "Əli", "Rauf", "Tofiq", "Namiq", "Zaur"}
	groups := []string{"Dini fəallar", "Jurnalistlər", "Müxalifət", "Hüquq müdafiəçiləri", "Müharibə əleyhdarları"}
	var buf bytes.Buffer
	buf.WriteString("Sıra №;Soyadı, adı, atasının adı;Doğum ili;Kateqoriya;Həbs tarixi\n")
	for i := 1; i <= n; i++ {
		sx := "oğlu"
		if i%3 == 0 {
			sx = "qızı"
		}
		fmt.Fprintf(&buf, "%d;%s %s %s %s;%d;%s;%02d.%02d.20%02d\n", i, surnames[i%len(surnames)], given[(i/7)%len(given)],
			fathers[(i/3)%len(fathers)], sx, 1950+i%55, groups[i%len(groups)], 1+i%28, 1+i%12, 15+i%10)
	}
	return buf.Bytes()
}
