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

func BenchmarkCompare(b *testing.B) {
	x, y := Parse("Гасанов Ильхам Гусейн оглы"), Parse("Ilham Huseyn oglu Hasanov")
	b.ReportAllocs()
	for b.Loop() {
		_ = Compare(x, y)
	}
}
