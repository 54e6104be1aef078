package importer

import (
	"bytes"
	"fmt"
	"testing"
)

// list100k builds a 100,000-row semicolon CSV of made-up people in the
// ipm layout (title line, Azerbaijani headers, patronymics, dates).
func list100k(n int) []byte {
	surnames := []string{"Məmmədov", "Əliyev", "Həsənov", "Hüseynov", "Quliyev", "Cəfərov", "Qasımov", "Rəhimov", "Nəsirov", "Bağırov", "Kərimov", "Xəlilov", "Vəliyev", "Nəbiyev", "Zeynalov", "Paşayev"}
	givens := []string{"Elvin", "Rəşad", "Tural", "Orxan", "Kamran", "Vüsal", "Fərid", "Səbuhi", "Nicat", "Cavid", "Rüfət", "Anar", "Ramil", "Zaur", "Emil", "Elnur", "Namiq"}
	fathers := []string{"Həsən", "Rəhim", "Tahir", "Qurban", "Elman", "İsa", "Mirzə", "Yaqub", "Fikrət", "Zakir", "Nadir", "Əziz", "Əli"}
	groups := []string{"Dindarlar", "Müxalifət fəalları", "Jurnalistlər və bloggerlər", "Hüquq müdafiəçiləri", "Etnik azlıqlar",
		"Müharibə əleyhdarları", "Ömürlük məhkumlar", "Soyudlu işi", "İmişli etirazı", "Tərtər işi", "Gəncə işi", "Sahibkarlar"}
	var b bytes.Buffer
	b.Grow(n * 80)
	b.WriteString("İctimai Palata Monitorinqi — siyahı\n;;;;\nSıra №;Soyadı, adı, atasının adı;Doğum ili;Kateqoriya;Həbs tarixi\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d;%s %s %s oğlu;%d;%s;%02d.%02d.%d\n", i+1,
			surnames[i%len(surnames)], givens[(i/7)%len(givens)], fathers[(i/3)%len(fathers)],
			1950+i%55, groups[i%len(groups)], 1+i%28, 1+i%12, 2015+i%10)
	}
	return b.Bytes()
}

func BenchmarkRead100k(b *testing.B) {
	const n = 100_000
	data := list100k(n)
	tax := DefaultTaxonomy()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Read("bench.csv", data, Options{Taxonomy: tax})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Records) != n {
			b.Fatalf("%d records", len(res.Records))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
