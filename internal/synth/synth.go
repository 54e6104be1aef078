// Package synth generates realistic competing lists of political prisoners
// with a known truth, for measuring the matcher.
//
// Made-up persons (common Azerbaijani names combined at random, a birth
// year, one of the registry's groups, a case and an arrest date) are listed
// by several made-up organisations, each with its own habits: the script and
// spelling route (Azerbaijani Latin, Russian Cyrillic, English made directly
// or through Russian, Azerbaijani typed without an Azerbaijani keyboard,
// Azerbaijani Cyrillic), the name order, split or full-name columns,
// headers and group labels in its language, the file format and encoding,
// its coverage (and a whole group it leaves out), and its error rates
// (typos, surname-form changes, birth years off by one or missing).
//
// The package is pure: Generate writes every file through a FileCreator and
// the output depends only on the Options (math/rand/v2 PCG streams seeded
// from Options.Seed). Work is linear in the number of records and files are
// written row by row, so a million records take seconds; XLSX is the one
// slow format, so a list larger than Options.XLSXMaxRows is written as CSV
// instead (the manifest says so).
//
// # An independent transliteration
//
// The spelling routes (translit.go) look like a copy of the name engine's
// transliteration in internal/names, and partly are: they are written
// apart from it on purpose. The generator renders names as the
// organisations' typists do, and the matcher is measured on what the
// generator writes; if both used one set of tables, a route the engine
// gets wrong would be written wrong by the generator too, and the
// benchmark could never show it. So synth imports nothing from names or
// match, and the two stay separate copies: a difference between them is
// something to look at, not repetition to remove.
package synth

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// File formats an organisation publishes in.
const (
	FormatCSV     = "csv"       // CSV, UTF-8, comma
	FormatCSV1251 = "csv-1251"  // CSV, Windows-1251, semicolon (Russian Excel export)
	FormatXLSX    = "xlsx"      // one sheet
	FormatJSON    = "json"      // array of objects
	FormatTSV16   = "tsv-utf16" // TSV, UTF-16LE with BOM (Excel "Unicode text")
)

// Name orders.
const (
	OrderSGP        = "surname given patronymic" // Məmmədov Əli Həsən oğlu
	OrderSG         = "surname given"            // Məmmədov Əli
	OrderGS         = "given surname"            // Əli Məmmədov
	OrderGCaps      = "given SURNAME"            // Əli MƏMMƏDOV
	OrderGPCaps     = "given patronymic SURNAME" // Əli Həsən oğlu MƏMMƏDOV
	OrderCommaSG    = "surname, given"           // Məmmədov, Əli
	OrderSplitSGP   = "split columns"            // surname | given | patronymic
	OrderSplitSG    = "split columns, no patronymic"
	defaultXLSXRows = 50000
)

// Weighted is a choice with a weight.
type Weighted struct {
	Key string  `json:"key"`
	W   float64 `json:"weight"`
}

// Org is one organisation's habits.
type Org struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Edition string `json:"edition"` // YYYY-MM; the file is <slug>-<edition>.<ext>
	Lang    string `json:"lang"`    // az | ru | en: headers, group and case labels, date style
	Format  string `json:"format"`

	Routes []Weighted `json:"routes"` // spelling routes (RouteAz, ...)
	Orders []Weighted `json:"orders"` // name orders (OrderSGP, ...)

	Coverage   float64  `json:"coverage"`              // mean share of persons listed
	OmitGroups []string `json:"omit_groups,omitempty"` // groups the list leaves out entirely

	AltRate        float64 `json:"alt_rate"`         // share of records using the less common variant of a letter or form
	TypoRate       float64 `json:"typo_rate"`        // share of records with a letter dropped, doubled or swapped
	FormChangeRate float64 `json:"form_change_rate"` // share of records with the surname in the other form (-ov ↔ -li)
	BirthMissing   float64 `json:"birth_missing"`    // share of records without a birth year
	BirthOffByOne  float64 `json:"birth_off_by_one"` // share of records with the birth year off by one
	GroupDisagree  float64 `json:"group_disagree"`   // share of records put in another group than the others use
	CaseColumn     bool    `json:"case_column"`
	ArrestColumn   bool    `json:"arrest_column"`
	ArrestMissing  float64 `json:"arrest_missing"`
	DuplicateRate  float64 `json:"duplicate_rate"` // share of persons listed twice (a within-list duplicate)
	HonorificRate  float64 `json:"honorific_rate"` // share of records with an honorific (Hacı Əli, Elmira xanım)
}

// Options configures a run.
type Options struct {
	Persons      int
	Seed         uint64
	Orgs         []Org   // nil: DefaultOrgs()
	NamesakeRate float64 // share of persons who take the full name of an earlier person (different birth year and group)
	BrotherRate  float64 // share of persons who are a brother of an earlier one (same surname and father, same case)
	XLSXMaxRows  int     // lists larger than this are written as CSV instead of XLSX; 0 means 50000
}

// DefaultOptions returns the options `roster synth` uses.
func DefaultOptions(persons int, seed uint64) Options {
	return Options{Persons: persons, Seed: seed, Orgs: DefaultOrgs(), NamesakeRate: 0.03, BrotherRate: 0.01}
}

// DefaultOrgs returns five made-up organisations with distinct habits.
func DefaultOrgs() []Org {
	return []Org{
		{
			Slug: "ipm", Title: "İnsan Hüquqları Monitorinqi", Edition: "2025-06", Lang: "az", Format: FormatCSV,
			Routes:   []Weighted{{RouteAz, 0.86}, {RouteAscii, 0.10}, {RouteAzCyrl, 0.04}},
			Orders:   []Weighted{{OrderSGP, 0.9}, {OrderSG, 0.1}},
			Coverage: 0.85, AltRate: 0.1, TypoRate: 0.02, FormChangeRate: 0.02, BirthMissing: 0.05, BirthOffByOne: 0.02,
			GroupDisagree: 0.03, CaseColumn: true, ArrestColumn: true, ArrestMissing: 0.05, DuplicateRate: 0.003, HonorificRate: 0.02,
		},
		{
			Slug: "mhm", Title: "Мониторинг прав человека", Edition: "2025-05", Lang: "ru", Format: FormatCSV1251,
			Routes:   []Weighted{{RouteRu, 1}},
			Orders:   []Weighted{{OrderSGP, 0.85}, {OrderSG, 0.10}, {OrderGS, 0.05}},
			Coverage: 0.70, AltRate: 0.25, TypoRate: 0.02, FormChangeRate: 0.02, BirthMissing: 0.10, BirthOffByOne: 0.03,
			GroupDisagree: 0.04, CaseColumn: true, ArrestColumn: true, ArrestMissing: 0.10, DuplicateRate: 0.003, HonorificRate: 0.02,
		},
		{
			Slug: "fpc", Title: "Freedom for Political Captives", Edition: "2025-07", Lang: "en", Format: FormatXLSX,
			Routes:   []Weighted{{RouteEnDirect, 0.7}, {RouteEnRuBGN, 0.2}, {RouteAscii, 0.1}},
			Orders:   []Weighted{{OrderGCaps, 0.75}, {OrderGPCaps, 0.15}, {OrderGS, 0.10}},
			Coverage: 0.60, AltRate: 0.15, TypoRate: 0.03, FormChangeRate: 0.03, BirthMissing: 0.15, BirthOffByOne: 0.03,
			GroupDisagree: 0.05, CaseColumn: false, ArrestColumn: true, ArrestMissing: 0.15, DuplicateRate: 0.002, HonorificRate: 0.01,
		},
		{
			Slug: "hrc", Title: "Human Rights Coalition Watch", Edition: "2025-04", Lang: "en", Format: FormatJSON,
			Routes:   []Weighted{{RouteEnRuICAO, 0.35}, {RouteEnRuBGN, 0.30}, {RouteEnDirect, 0.35}},
			Orders:   []Weighted{{OrderCommaSG, 0.8}, {OrderGS, 0.2}},
			Coverage: 0.55, OmitGroups: []string{roster.GroupReligious},
			AltRate: 0.2, TypoRate: 0.02, FormChangeRate: 0.02, BirthMissing: 0.20, BirthOffByOne: 0.04,
			GroupDisagree: 0.05, CaseColumn: true, ArrestColumn: false, DuplicateRate: 0.002, HonorificRate: 0.01,
		},
		{
			Slug: "azk", Title: "Azadlıq Komitəsi", Edition: "2025-06", Lang: "az", Format: FormatTSV16,
			Routes:   []Weighted{{RouteAscii, 0.7}, {RouteAz, 0.3}},
			Orders:   []Weighted{{OrderSplitSGP, 0.75}, {OrderSplitSG, 0.25}},
			Coverage: 0.65, OmitGroups: []string{roster.GroupAntiWar},
			AltRate: 0.1, TypoRate: 0.03, FormChangeRate: 0.02, BirthMissing: 0.08, BirthOffByOne: 0.03,
			GroupDisagree: 0.03, CaseColumn: true, ArrestColumn: true, ArrestMissing: 0.2, DuplicateRate: 0.003, HonorificRate: 0.01,
		},
	}
}

// Person is a made-up person: the truth behind the records.
type Person struct {
	ID         string // T-000001
	Gender     string // m | f
	Given      string // Azerbaijani Latin
	Father     string // father's given name
	Root       string // surname stem (Məmməd)
	Form       string // ov | li | zade | oglu
	BirthYear  int
	Group      string
	Case       int // index into cases, -1 for none
	ArrestY    int
	ArrestM    int
	ArrestD    int
	Visibility float64 // how widely the person is listed, in [0,1)
}

// Surname returns the person's surname in form f (ov | li | zade | oglu).
func (p *Person) surname(form string) string {
	return buildSurname(p.Root, form, p.Gender)
}

func buildSurname(root, form, gender string) string {
	r := []rune(lowerAz(root))
	last := r[len(r)-1]
	var s string
	switch form {
	case "li":
		s = root + harmonyLi(r)
	case "zade":
		s = root + "zadə"
	case "oglu":
		s = root + "oğlu"
	case "none":
		s = root // the suffix dropped (Xədicə İsmayıl)
	default:
		if isAzVowel(last) {
			s = root + "yev"
		} else {
			s = root + "ov"
		}
		if gender == "f" {
			s += "a"
		}
	}
	return s
}

// harmonyLi picks -lı/-li/-lu/-lü by the stem's last vowel.
func harmonyLi(r []rune) string {
	for i := len(r) - 1; i >= 0; i-- {
		switch r[i] {
		case 'a', 'ı':
			return "lı"
		case 'e', 'ə', 'i':
			return "li"
		case 'o', 'u':
			return "lu"
		case 'ö', 'ü':
			return "lü"
		}
	}
	return "li"
}

// FileCreator opens the named output file for writing.
type FileCreator func(name string) (io.WriteCloser, error)

// Manifest describes a generated data set.
type Manifest struct {
	Generator string         `json:"generator"`
	Seed      uint64         `json:"seed"`
	Persons   int            `json:"persons"`
	Listed    int            `json:"listed_persons"` // persons with at least one record
	Records   int            `json:"records"`
	Params    map[string]any `json:"parameters"`
	Lists     []ListInfo     `json:"lists"`
	Truth     string         `json:"truth"`
}

// ListInfo is one generated file.
type ListInfo struct {
	Org
	File       string         `json:"file"`
	Written    string         `json:"written_format"` // the format actually written (XLSX falls back to CSV when large)
	Encoding   string         `json:"encoding"`
	Records    int            `json:"records"`
	Duplicates int            `json:"duplicates"`
	ByGroup    map[string]int `json:"by_group"`
}

// Generate makes the persons, writes one file per organisation, truth.csv
// and manifest.json through create, and returns the manifest.
func Generate(opts Options, create FileCreator) (*Manifest, error) {
	if opts.Persons <= 0 {
		return nil, fmt.Errorf("synth: persons must be positive, got %d", opts.Persons)
	}
	orgs := opts.Orgs
	if orgs == nil {
		orgs = DefaultOrgs()
	}
	orgs = slices.Clone(orgs)
	slices.SortFunc(orgs, func(a, b Org) int { return cmp.Compare(a.Slug, b.Slug) })
	for i, o := range orgs {
		if i > 0 && orgs[i-1].Slug == o.Slug {
			return nil, fmt.Errorf("synth: organisation %q given twice", o.Slug)
		}
		if _, ok := writerExt[o.Format]; !ok {
			return nil, fmt.Errorf("synth: organisation %q: unknown format %q", o.Slug, o.Format)
		}
	}
	xlsxMax := opts.XLSXMaxRows
	if xlsxMax <= 0 {
		xlsxMax = defaultXLSXRows
	}
	persons := makePersons(opts)

	tf, err := create("truth.csv")
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	truth := csv.NewWriter(tf)
	_ = truth.Write([]string{"source", "edition", "record_ref", "person"})

	man := &Manifest{Generator: "roster synth", Seed: opts.Seed, Persons: opts.Persons, Truth: "truth.csv",
		Params: map[string]any{"namesake_rate": opts.NamesakeRate, "brother_rate": opts.BrotherRate, "xlsx_max_rows": xlsxMax}}
	listed := make([]bool, len(persons))
	for oi, o := range orgs {
		info, err := writeOrg(o, oi, opts.Seed, persons, xlsxMax, create, truth, listed)
		if err != nil {
			tf.Close()
			return nil, err
		}
		man.Lists = append(man.Lists, info)
		man.Records += info.Records
	}
	truth.Flush()
	if err := truth.Error(); err != nil {
		tf.Close()
		return nil, fmt.Errorf("synth: truth.csv: %w", err)
	}
	if err := tf.Close(); err != nil {
		return nil, fmt.Errorf("synth: truth.csv: %w", err)
	}
	for _, l := range listed {
		if l {
			man.Listed++
		}
	}
	return man, writeManifest(create, man)
}

// sampler draws keys by weight.
type sampler struct {
	keys []string
	cum  []float64
}

func newSampler(ws []Weighted) sampler {
	s := sampler{}
	t := 0.0
	for _, w := range ws {
		if w.W <= 0 {
			continue
		}
		t += w.W
		s.keys = append(s.keys, w.Key)
		s.cum = append(s.cum, t)
	}
	for i := range s.cum {
		s.cum[i] /= t
	}
	return s
}

func (s sampler) draw(r *rand.Rand) string {
	x := r.Float64()
	i := sort.SearchFloat64s(s.cum, x)
	if i >= len(s.keys) {
		i = len(s.keys) - 1
	}
	return s.keys[i]
}

// zipf returns a sampler over items with weight 1/(rank+1)^s.
func zipf(items []string, s float64) sampler {
	ws := make([]Weighted, len(items))
	for i, it := range items {
		ws[i] = Weighted{it, 1 / math.Pow(float64(i+1), s)}
	}
	return newSampler(ws)
}

func makePersons(opts Options) []Person {
	r := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	roots := zipf(surnameRoots, 0.9)
	males := zipf(maleGiven, 0.7)
	females := zipf(femaleGiven, 0.6)
	var gw []Weighted
	for _, g := range roster.Groups {
		gw = append(gw, Weighted{g, groupWeights[g]})
	}
	groups := newSampler(gw)
	forms := newSampler([]Weighted{{"ov", 0.79}, {"li", 0.10}, {"zade", 0.08}, {"oglu", 0.015}, {"none", 0.015}})

	ps := make([]Person, opts.Persons)
	for i := range ps {
		p := &ps[i]
		p.ID = fmt.Sprintf("T-%06d", i+1)
		p.Gender = "m"
		if r.Float64() < 0.07 {
			p.Gender = "f"
		}
		if p.Gender == "f" {
			p.Given = females.draw(r)
		} else {
			p.Given = males.draw(r)
		}
		p.Father = males.draw(r)
		p.Root = roots.draw(r)
		p.Form = forms.draw(r)
		if p.Form == "oglu" && p.Gender == "f" {
			p.Form = "ov"
		}
		p.Group = groups.draw(r)
		p.Visibility = r.Float64()
		switch x := r.Float64(); {
		case i > 10 && x < opts.NamesakeRate:
			// A namesake: the full name of an earlier person of the same
			// gender, but another father, birth year and group.
			j := r.IntN(i)
			if ps[j].Gender == p.Gender {
				p.Given, p.Root, p.Form = ps[j].Given, ps[j].Root, ps[j].Form
				for p.Group == ps[j].Group {
					p.Group = groups.draw(r)
				}
			}
		case i > 10 && x < opts.NamesakeRate+opts.BrotherRate:
			// A brother: same surname and father, arrested in the same case.
			j := r.IntN(i)
			q := ps[j]
			p.Gender = "m"
			p.Root, p.Form, p.Father, p.Group = q.Root, q.Form, q.Father, q.Group
			for p.Given == q.Given || p.Given == q.Father {
				p.Given = males.draw(r)
			}
			p.BirthYear = q.BirthYear + 1 + r.IntN(8)
			if r.IntN(2) == 0 {
				p.BirthYear = q.BirthYear - 1 - r.IntN(8)
			}
			p.Case = q.Case
			p.ArrestY, p.ArrestM, p.ArrestD = q.ArrestY, q.ArrestM, clampDay(q.ArrestD+r.IntN(3))
			continue
		}
		bg := birthByGroup[p.Group]
		p.BirthYear = clamp(bg[0]+int(math.Round(r.NormFloat64()*float64(bg[1]))), 1945, 2006)
		p.Case = -1
		var cs []int
		for ci, c := range cases {
			if c.Group == p.Group {
				cs = append(cs, ci)
			}
		}
		x := r.Float64()
		for _, ci := range cs {
			if x < cases[ci].Share {
				p.Case = ci
				break
			}
			x -= cases[ci].Share
		}
		if p.Case >= 0 && cases[p.Case].Year > 0 {
			c := cases[p.Case]
			p.ArrestY, p.ArrestM = c.Year, c.Month
			if r.IntN(3) == 0 { // arrests in a case spread over a few months
				p.ArrestM += r.IntN(4)
				if p.ArrestM > 12 {
					p.ArrestY, p.ArrestM = p.ArrestY+1, p.ArrestM-12
				}
			}
		} else if p.Group == roster.GroupLifeSentence {
			p.ArrestY, p.ArrestM = 1994+r.IntN(17), 1+r.IntN(12)
		} else {
			p.ArrestY, p.ArrestM = 2012+r.IntN(14), 1+r.IntN(12)
		}
		p.ArrestD = 1 + r.IntN(28)
		if p.ArrestY-p.BirthYear < 16 {
			p.BirthYear = p.ArrestY - 16 - r.IntN(10)
		}
	}
	return ps
}

func clamp(x, lo, hi int) int { return max(lo, min(hi, x)) }
func clampDay(d int) int      { return clamp(d, 1, 28) }

// entry is one record before it is written.
type entry struct {
	person int
	group  string
	sortK  uint64
	fields map[string]string
}

// columns returns the fields an org's file has, in order.
func columns(o Org) []string {
	cols := []string{"ref"}
	split := false
	for _, w := range o.Orders {
		if strings.HasPrefix(w.Key, "split") && w.W > 0 {
			split = true
		}
	}
	if split {
		cols = append(cols, "surname", "given", "patronymic")
	} else {
		cols = append(cols, "name")
	}
	cols = append(cols, "birth", "group")
	if o.CaseColumn {
		cols = append(cols, "case")
	}
	if o.ArrestColumn {
		cols = append(cols, "arrest")
	}
	return cols
}

func writeOrg(o Org, oi int, seed uint64, persons []Person, xlsxMax int, create FileCreator, truth *csv.Writer, listed []bool) (ListInfo, error) {
	r := rand.New(rand.NewPCG(seed, uint64(oi+1)*0x9e3779b97f4a7c15))
	routes := newSampler(o.Routes)
	orders := newSampler(o.Orders)
	omit := map[string]bool{}
	for _, g := range o.OmitGroups {
		omit[g] = true
	}
	edition := o.Edition
	info := ListInfo{Org: o, ByGroup: map[string]int{}}

	var es []entry
	for pi := range persons {
		p := &persons[pi]
		// Every org draws the same number of values per person, so one
		// org's choices do not shift with another's.
		x, dup, sk := r.Float64(), r.Float64(), r.Uint64()
		if omit[p.Group] {
			continue
		}
		if x >= o.Coverage*(0.4+1.2*p.Visibility) {
			continue
		}
		grp := p.Group
		if r.Float64() < o.GroupDisagree {
			grp = neighbourGroup(p.Group, r)
			if omit[grp] {
				grp = p.Group
			}
		}
		es = append(es, entry{person: pi, group: grp, sortK: sk, fields: renderRecord(o, p, r, routes, orders)})
		if dup < o.DuplicateRate {
			es = append(es, entry{person: pi, group: grp, sortK: sk + 1, fields: renderRecord(o, p, r, routes, orders)})
			info.Duplicates++
		}
	}
	gi := map[string]int{}
	for i, g := range roster.Groups {
		gi[g] = i
	}
	slices.SortStableFunc(es, func(a, b entry) int {
		return cmp.Or(cmp.Compare(gi[a.group], gi[b.group]), cmp.Compare(a.sortK, b.sortK), cmp.Compare(a.person, b.person))
	})

	format := o.Format
	if format == FormatXLSX && len(es) > xlsxMax {
		format = FormatCSV
	}
	info.Written = format
	info.Encoding = writerEnc[format]
	info.File = fmt.Sprintf("%s-%s.%s", o.Slug, edition, writerExt[format])
	f, err := create(info.File)
	if err != nil {
		return info, fmt.Errorf("synth: %w", err)
	}
	lang := o.Lang
	hlang := lang
	if format == FormatJSON {
		hlang = "json"
	}
	cols := columns(o)
	hdr := make([]string, len(cols))
	for i, c := range cols {
		hdr[i] = headers[hlang][c]
	}
	tw, err := newTableWriter(format, f, hdr)
	if err != nil {
		f.Close()
		return info, fmt.Errorf("synth: %s: %w", info.File, err)
	}
	row := make([]string, len(cols))
	ed := edition + "-01"
	for i, e := range es {
		ref := strconv.Itoa(i + 1)
		e.fields["ref"] = ref
		e.fields["group"] = groupLabels[e.group][langIndex(lang)]
		for ci, c := range cols {
			row[ci] = e.fields[c]
		}
		if err := tw.Row(row); err != nil {
			f.Close()
			return info, fmt.Errorf("synth: %s: %w", info.File, err)
		}
		_ = truth.Write([]string{o.Slug, ed, ref, persons[e.person].ID})
		listed[e.person] = true
		info.ByGroup[e.group]++
	}
	info.Records = len(es)
	if err := tw.Close(); err != nil {
		f.Close()
		return info, fmt.Errorf("synth: %s: %w", info.File, err)
	}
	if err := f.Close(); err != nil {
		return info, fmt.Errorf("synth: %s: %w", info.File, err)
	}
	return info, nil
}

// neighbourGroup is the group a list may put a person in instead of the
// one others use (a journalist listed as an opposition activist).
func neighbourGroup(g string, r *rand.Rand) string {
	alts := map[string][]string{
		roster.GroupJournalist:      {roster.GroupOpposition, roster.GroupRightsDefender},
		roster.GroupOpposition:      {roster.GroupJournalist, roster.GroupRightsDefender},
		roster.GroupRightsDefender:  {roster.GroupJournalist, roster.GroupOpposition},
		roster.GroupReligious:       {roster.GroupOpposition},
		roster.GroupAntiWar:         {roster.GroupOpposition},
		roster.GroupEthnicMinority:  {roster.GroupOpposition},
		roster.GroupSoyudlu:         {roster.GroupOpposition},
		roster.GroupImishli:         {roster.GroupOpposition},
		roster.GroupTartar:          {roster.GroupLifeSentence},
		roster.GroupGanja:           {roster.GroupReligious},
		roster.GroupLifeSentence:    {roster.GroupTartar},
		roster.GroupDeportedRefugee: {roster.GroupOpposition},
	}[g]
	if len(alts) == 0 {
		return g
	}
	return alts[r.IntN(len(alts))]
}

// renderRecord renders a person as one organisation writes them. It draws
// a fixed number of random values so that output stays stable when one
// habit changes.
func renderRecord(o Org, p *Person, r *rand.Rand, routes, orders sampler) map[string]string {
	route := routes.draw(r)
	order := orders.draw(r)
	alt := r.Float64() < o.AltRate
	typo, typoPart, typoPos, typoKind := r.Float64() < o.TypoRate, r.IntN(2), r.Uint64(), r.IntN(3)
	formChange := r.Float64() < o.FormChangeRate
	birthMissing, birthOff, birthSign := r.Float64() < o.BirthMissing, r.Float64() < o.BirthOffByOne, r.IntN(2)
	arrestMissing, arrestShift := r.Float64() < o.ArrestMissing, r.IntN(20)
	ogluAlt := r.IntN(4) == 0
	honorific := r.Float64() < o.HonorificRate

	form := p.Form
	if formChange {
		switch form {
		case "ov":
			form = "li"
		case "li", "none":
			form = "ov"
		}
	}
	sur := renderName(p.surname(form), route, alt)
	giv := renderName(p.Given, route, alt)
	if typo {
		if typoPart == 0 {
			sur = addTypo(sur, typoPos, typoKind)
		} else {
			giv = addTypo(giv, typoPos, typoKind)
		}
	}
	if honorific {
		if p.Gender == "f" {
			giv += " " + honorificWord("xanım", route)
		} else {
			giv = honorificWord("hacı", route) + " " + giv
		}
	}
	father := renderName(p.Father, route, alt)
	pat := patronymic(father, p.Gender, route, alt, ogluAlt)

	f := map[string]string{}
	switch order {
	case OrderSGP:
		f["name"] = sur + " " + giv + " " + pat
	case OrderSG:
		f["name"] = sur + " " + giv
	case OrderGS:
		f["name"] = giv + " " + sur
	case OrderGCaps:
		f["name"] = giv + " " + upperRoute(sur, route)
	case OrderGPCaps:
		f["name"] = giv + " " + pat + " " + upperRoute(sur, route)
	case OrderCommaSG:
		f["name"] = sur + ", " + giv
	case OrderSplitSGP, OrderSplitSG:
		f["surname"], f["given"] = sur, giv
		if order == OrderSplitSGP {
			if ogluAlt {
				f["patronymic"] = pat
			} else {
				f["patronymic"] = father
			}
		}
		f["name"] = sur + " " + giv
	}
	if !birthMissing {
		y := p.BirthYear
		if birthOff {
			y += 2*birthSign - 1
		}
		f["birth"] = strconv.Itoa(y)
	}
	if p.Case >= 0 {
		f["case"] = cases[p.Case].label(o.Lang)
	}
	if !arrestMissing && p.ArrestY > 0 {
		d := p.ArrestD
		if arrestShift == 0 { // a list that has the day wrong
			d = clampDay(d + 1)
		}
		if o.Lang == "en" {
			f["arrest"] = fmt.Sprintf("%04d-%02d-%02d", p.ArrestY, p.ArrestM, d)
		} else {
			f["arrest"] = fmt.Sprintf("%02d.%02d.%04d", d, p.ArrestM, p.ArrestY)
		}
	}
	return f
}

// honorificWord renders an honorific in a route's conventions.
func honorificWord(w, route string) string {
	switch route {
	case RouteRu:
		return map[string]string{"hacı": "Гаджи", "xanım": "ханум"}[w]
	case RouteAzCyrl:
		return map[string]string{"hacı": "Һаҹы", "xanım": "ханым"}[w]
	case RouteAz:
		return map[string]string{"hacı": "Hacı", "xanım": "xanım"}[w]
	case RouteAscii:
		return map[string]string{"hacı": "Haci", "xanım": "xanim"}[w]
	}
	return map[string]string{"hacı": "Haji", "xanım": "khanum"}[w]
}

// patronymic renders "Həsən oğlu" in a route's conventions.
func patronymic(father, gender, route string, alt, ogluAlt bool) string {
	son := gender != "f"
	var m string
	switch route {
	case RouteAz:
		m = pick(son, "oğlu", "qızı")
	case RouteAzCyrl:
		m = pick(son, "оғлу", "гызы")
	case RouteRu:
		if alt && ogluAlt {
			// Russian-style patronymic: Гасанович / Гасановна
			suf := pick(son, "ович", "овна")
			if r := []rune(father); len(r) > 0 && strings.ContainsRune("аеиоуыэюя", r[len(r)-1]) {
				suf = pick(son, "евич", "евна")
				if r[len(r)-1] == 'а' {
					father = string(r[:len(r)-1])
				}
			}
			return father + suf
		}
		m = pick(son, pick(ogluAlt, "оглу", "оглы"), "кызы")
	case RouteEnDirect:
		m = pick(son, pick(alt, "oghlu", "oglu"), pick(alt, "qizi", "gizi"))
	case RouteEnRuBGN, RouteEnRuICAO:
		m = pick(son, "ogly", "kyzy")
	case RouteAscii:
		m = pick(son, "oglu", "qizi")
	}
	return father + " " + m
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// addTypo drops, doubles or swaps one letter inside a word (never the first).
func addTypo(s string, pos uint64, kind int) string {
	r := []rune(s)
	if len(r) < 4 {
		return s
	}
	i := 1 + int(pos%uint64(len(r)-2)) // 1 .. len-2
	if r[i] == ' ' || r[i+1] == ' ' {
		return s
	}
	switch kind {
	case 0:
		return string(r[:i]) + string(r[i+1:])
	case 1:
		return string(r[:i+1]) + string(r[i:])
	default:
		r[i], r[i+1] = r[i+1], r[i]
		return string(r)
	}
}
