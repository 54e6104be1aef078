package match

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
)

// Made-up people from common name parts; no real person is meant.
var (
	genSurnames = []string{"Məmmədov", "Əliyev", "Hüseynov", "Həsənov", "Quliyev", "İsmayılov", "Abbasov", "Cəfərov",
		"Rəhimov", "Kərimov", "Bayramov", "Nəsirov", "Orucov", "Vəliyev", "Qasımov", "Səfərov", "Zeynalov", "Mustafayev",
		"Babayev", "Sadıqov", "Aslanov", "Musayev", "Əhmədov", "Novruzov", "Rzayev", "Paşayev", "Salmanov", "Şükürov",
		"Tağıyev", "Yusifov", "Qurbanov", "Nağıyev", "Hacıyev", "Əsgərov", "Fərzəliyev", "Sultanov", "Heydərov", "Bağırov"}
	genGiven = []string{"Əli", "Elvin", "Rəşad", "Tural", "Orxan", "Vüqar", "Elnur", "Kamran", "Fuad", "İlqar", "Anar",
		"Nicat", "Ramil", "Səbuhi", "Tofiq", "Emin", "Bəxtiyar", "Cavid", "Həsən", "Hüseyn", "Murad", "Rövşən", "Şahin",
		"Zaur", "Elçin", "Nurlan", "Ceyhun", "Rəhim", "Əkbər", "Fərid", "Samir", "Taleh", "Vüsal", "Namiq", "Ruslan"}
)

// genRecords makes n persons listed by up to five sources, each source
// with its own spelling route, and returns the records and the true
// person of each.
func genRecords(persons int, seed uint64) ([]roster.Record, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	zipf := func(n int) int { // common names much more often
		x := rng.Float64()
		return int(float64(n) * x * x)
	}
	var recs []roster.Record
	var truth []int
	refs := map[string]int{}
	for p := 0; p < persons; p++ {
		sur := genSurnames[zipf(len(genSurnames))]
		giv := genGiven[zipf(len(genGiven))]
		pat := genGiven[rng.IntN(len(genGiven))]
		born := 1950 + rng.IntN(55)
		grp := roster.Groups[rng.IntN(len(roster.Groups))]
		for s, src := range []string{"aaa", "bbb", "ccc", "ddd", "eee"} {
			if rng.Float64() > 0.6 {
				continue
			}
			full := sur + " " + giv + " " + pat + " oğlu"
			var name string
			switch s {
			case 0:
				name = full
			case 1:
				name = names.ToRussian(full)
			case 2:
				name = names.ToEnglish(giv) + " " + strings.ToUpper(names.ToEnglish(sur))
			case 3:
				name = sur + " " + giv
			case 4:
				name = names.ToEnglish(full)
			}
			r := roster.Record{Source: src, Edition: "2025-01-01", Name: name, Group: grp}
			if rng.Float64() < 0.85 {
				r.BirthYear = born
				if rng.Float64() < 0.03 {
					r.BirthYear++
				}
			}
			refs[src]++
			r.Ref = fmt.Sprint(refs[src])
			r.Row = refs[src]
			r.ID = int64(len(recs) + 1)
			recs = append(recs, r)
			truth = append(truth, p)
		}
	}
	return recs, truth
}
