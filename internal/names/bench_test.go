package names

import "testing"

var benchNames = []string{
	"Ilgar Eldar oglu MAMMADOV",
	"Галандаров Мехман Гусейн оглу",
	"Xədicə Rövşən qızı İsmayılova",
	"Sevinj Vagifgyzy",
}

// Parsing plus all keys of one name.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Parse(benchNames[i%len(benchNames)])
	}
}

// BenchmarkPrepared is the extra cost of Prepared, paid once per name by
// callers that compare a name many times.
func BenchmarkPrepared(b *testing.B) {
	ns := make([]Name, len(benchNames))
	for i, s := range benchNames {
		ns[i] = Parse(s)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = ns[i%len(ns)].Prepared()
	}
}

func BenchmarkCompare(b *testing.B) {
	x, y := Parse("Гасанов Ильхам Гусейн оглы").Prepared(), Parse("Ilham Huseyn oglu Hasanov").Prepared()
	b.ReportAllocs()
	for b.Loop() {
		_ = Compare(x, y)
	}
}

// A varied set of pairs: routes, orders, forms, missing parts.
var benchPairs = [][2]string{
	{"Гасанов Ильхам Гусейн оглы", "Ilham Huseyn oglu Hasanov"},
	{"Rauf Kərimov", "Керимов Рауф"},
	{"Elmaddin Muradov", "Muradli Elmaddin"},
	{"Xədicə Rövşən qızı İsmayılova", "Khadija Rovshanovna Ismailova"},
	{"Sevinj Vagifgyzy (Abbasova)", "Sevinc Abbasova"},
	{"Mammadov Ilgar", "Namazov Ilqar Eldar oglu"},
	{"Ulvi", "Ulviyya Hasanli Rövşən qızı"},
	{"Джафаров Теймур", "Cəfərov Teymur"},
}

func BenchmarkCompareVaried(b *testing.B) {
	var xs, ys []Name
	for _, p := range benchPairs {
		xs, ys = append(xs, Parse(p[0]).Prepared()), append(ys, Parse(p[1]).Prepared())
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(xs)
		_ = Compare(xs[k], ys[k])
	}
}

func BenchmarkCompareQuickVaried(b *testing.B) {
	var xs, ys []Name
	for _, p := range benchPairs {
		xs, ys = append(xs, Parse(p[0]).Prepared()), append(ys, Parse(p[1]).Prepared())
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(xs)
		_ = CompareQuick(xs[k], ys[k])
	}
}
