package synth

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
)

// Lists built from real material, for measuring the matcher where a
// generator written beside it cannot hide its blind spots.
//
// FromMentions follows the recipe of the mentions file's README: drop
// mentions whose notes say the name is inflected (genitive, dative, …);
// collapse whitespace; for each person keep the distinct spellings in file
// order; list k holds the k-th distinct spelling of every person that has
// one, with that mention's category, case, arrest date, sentence and birth
// year. No list names a person twice, and every pair of records of one
// person is two different spellings.
//
// NamesOnly makes four lists that have nothing but a name column, each
// person in all four, through the four routes a name travels: Azerbaijani
// Latin, Russian Cyrillic, English from Azerbaijani and English through
// Russian. The spellings come from a variant table (groups of attested
// spellings, one column per route) when one is given, and from this
// package's own vocabulary and transliteration otherwise.

// inflectedNote matches a mention note saying the name is not in the
// nominative.
var inflectedNote = regexp.MustCompile(`(?i)genitive|dative|accusative|instrumental|locative|inflected`)

// Mention columns FromMentions reads, by header.
var mentionColumns = []string{"person_key", "name_as_written", "category", "case_name", "arrest_date", "sentence", "birth_year", "notes"}

// FromMentions reads a mentions table (TSV with a header holding at least
// person_key and name_as_written, plus category, case_name, arrest_date,
// sentence, birth_year and notes where present), writes the lists it
// makes as CSV files m01-<edition>.csv, m02-…, truth.csv and
// manifest.json through create, and returns the manifest. edition is a
// YYYY-MM month (default 2025-01).
func FromMentions(r io.Reader, edition string, create FileCreator) (*Manifest, error) {
	if edition == "" {
		edition = "2025-01"
	}
	cr := csv.NewReader(bufio.NewReader(r))
	cr.Comma = '\t'
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("mentions: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range mentionColumns[:2] {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("mentions: header: no column %q", need)
		}
	}
	type mention struct{ name, category, caseName, arrest, sentence, birth string }
	var order []string
	spellings := map[string][]mention{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("mentions: line %d: %w", line, err)
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		key := get("person_key")
		name := strings.Join(strings.Fields(get("name_as_written")), " ")
		if key == "" || name == "" {
			return nil, fmt.Errorf("mentions: line %d: person_key and name_as_written must not be empty", line)
		}
		if inflectedNote.MatchString(get("notes")) {
			continue
		}
		ms, seen := spellings[key]
		if !seen {
			order = append(order, key)
		}
		dup := false
		for _, m := range ms {
			if m.name == name {
				dup = true
				break
			}
		}
		if !dup {
			spellings[key] = append(ms, mention{name, get("category"), get("case_name"), get("arrest_date"), get("sentence"), get("birth_year")})
		}
	}
	lists := 0
	for _, k := range order {
		lists = max(lists, len(spellings[k]))
	}
	if lists == 0 {
		return nil, fmt.Errorf("mentions: no mention to build lists from")
	}
	header := []string{"No", "Name", "Category", "Case", "Arrest date", "Sentence", "Birth year"}
	man := &Manifest{Generator: "roster synth --from-mentions", Persons: len(order), Listed: len(order), Truth: "truth.csv",
		Params: map[string]any{"edition": edition}}
	tw, err := newTruth(create)
	if err != nil {
		return nil, err
	}
	for k := 0; k < lists; k++ {
		slug := fmt.Sprintf("m%02d", k+1)
		info := ListInfo{Org: Org{Slug: slug, Title: fmt.Sprintf("spellings no. %d of each person", k+1), Edition: edition, Lang: "mixed", Format: FormatCSV},
			File: slug + "-" + edition + ".csv", Written: FormatCSV, Encoding: "UTF-8"}
		var rows [][]string
		for _, p := range order {
			ms := spellings[p]
			if k >= len(ms) {
				continue
			}
			m := ms[k]
			ref := strconv.Itoa(len(rows) + 1)
			rows = append(rows, []string{ref, m.name, m.category, m.caseName, m.arrest, m.sentence, m.birth})
			tw.add(slug, edition+"-01", ref, p)
		}
		if err := addList(create, man, info, header, rows); err != nil {
			return nil, err
		}
	}
	return finish(create, man, tw)
}

// addList writes one list as CSV and adds it to the manifest.
func addList(create FileCreator, man *Manifest, info ListInfo, header []string, rows [][]string) error {
	if err := writeCSVFile(create, info.File, header, rows); err != nil {
		return err
	}
	info.Records = len(rows)
	man.Records += len(rows)
	man.Lists = append(man.Lists, info)
	return nil
}

// finish closes the truth file and writes the manifest.
func finish(create FileCreator, man *Manifest, tw *truthWriter) (*Manifest, error) {
	if err := tw.close(); err != nil {
		return nil, err
	}
	return man, writeManifest(create, man)
}

// NamesOnlyOptions sets up NamesOnly.
type NamesOnlyOptions struct {
	Persons int
	Seed    uint64
	Edition string // YYYY-MM (default 2025-01)
	// Variants, when not nil, is a table of attested spellings (TSV with
	// the columns group_id, type, gender, az_latin, ru_cyrillic,
	// en_from_az_latin and en_from_russian; several spellings in one cell
	// are separated by ";", alternatives of the Azerbaijani form by "/").
	// Persons are made by pairing a given-name group with a surname group
	// of a compatible gender. Without it, persons come from this package's
	// vocabulary and transliteration.
	Variants io.Reader
}

// namesOnlyRoutes are the four lists of NamesOnly: slug, route title,
// variant column, generator route, and the order the name is printed in.
var namesOnlyRoutes = []struct {
	slug, title, column, route string
	givenFirst                 bool
}{
	{"naz", "Azerbaijani Latin", "az_latin", RouteAz, false},
	{"nru", "Russian Cyrillic", "ru_cyrillic", RouteRu, false},
	{"nen", "English from Azerbaijani", "en_from_az_latin", RouteEnDirect, true},
	{"ner", "English through Russian", "en_from_russian", RouteEnRuBGN, true},
}

// NamesOnly writes four names-only lists (naz, nru, nen, ner), each person
// in all four, plus truth.csv and manifest.json, and returns the manifest.
func NamesOnly(opts NamesOnlyOptions, create FileCreator) (*Manifest, error) {
	if opts.Persons <= 0 {
		return nil, fmt.Errorf("names-only: persons must be positive, got %d", opts.Persons)
	}
	if opts.Edition == "" {
		opts.Edition = "2025-01"
	}
	r := rand.New(rand.NewPCG(opts.Seed, 0x6e616d6573))
	// spell[route][person] is the person's name as that list prints it.
	var spell [4][]string
	gen := "roster synth --names-only"
	if opts.Variants != nil {
		gen += " --variants"
		vs, err := readVariants(opts.Variants)
		if err != nil {
			return nil, err
		}
		people, err := pairVariants(vs, opts.Persons, r)
		if err != nil {
			return nil, err
		}
		for k, route := range namesOnlyRoutes {
			for _, p := range people {
				g, s := p.given.pick(route.column, r), p.surname.pick(route.column, r)
				if route.givenFirst {
					spell[k] = append(spell[k], g+" "+s)
				} else {
					spell[k] = append(spell[k], s+" "+g)
				}
			}
		}
	} else {
		so := DefaultOptions(opts.Persons, opts.Seed)
		so.NamesakeRate = 0
		for _, p := range makePersons(so) {
			for k, route := range namesOnlyRoutes {
				alt := r.IntN(5) == 0
				g, s := renderName(p.Given, route.route, alt), renderName(p.surname(p.Form), route.route, alt)
				if route.givenFirst {
					spell[k] = append(spell[k], g+" "+s)
				} else {
					spell[k] = append(spell[k], s+" "+g)
				}
			}
		}
	}
	man := &Manifest{Generator: gen, Seed: opts.Seed, Persons: opts.Persons, Listed: opts.Persons, Truth: "truth.csv",
		Params: map[string]any{"edition": opts.Edition}}
	tw, err := newTruth(create)
	if err != nil {
		return nil, err
	}
	for k, route := range namesOnlyRoutes {
		info := ListInfo{Org: Org{Slug: route.slug, Title: "names only, " + route.title, Edition: opts.Edition, Format: FormatCSV},
			File: route.slug + "-" + opts.Edition + ".csv", Written: FormatCSV, Encoding: "UTF-8"}
		// Each list in its own order, so that row numbers say nothing.
		perm := r.Perm(opts.Persons)
		rows := make([][]string, 0, opts.Persons)
		for _, p := range perm {
			ref := strconv.Itoa(len(rows) + 1)
			rows = append(rows, []string{spell[k][p]})
			tw.add(route.slug, opts.Edition+"-01", ref, fmt.Sprintf("T-%06d", p+1))
		}
		if err := addList(create, man, info, []string{"Name"}, rows); err != nil {
			return nil, err
		}
	}
	return finish(create, man, tw)
}

// variant is one group of attested spellings.
type variant struct {
	id, kind, gender string
	cols             map[string][]string // route column → spellings
}

func (v *variant) pick(column string, r *rand.Rand) string {
	ss := v.cols[column]
	if len(ss) == 0 {
		ss = v.cols["az_latin"]
	}
	return ss[r.IntN(len(ss))]
}

func readVariants(rd io.Reader) ([]variant, error) {
	cr := csv.NewReader(bufio.NewReader(rd))
	cr.Comma = '\t'
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("variants: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"type", "az_latin"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("variants: header: no column %q", need)
		}
	}
	var out []variant
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("variants: line %d: %w", line, err)
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		v := variant{id: get("group_id"), kind: get("type"), gender: get("gender"), cols: map[string][]string{}}
		if v.kind != "surname" && v.kind != "given" {
			continue
		}
		for _, route := range namesOnlyRoutes {
			cell := get(route.column)
			if route.column == "az_latin" {
				// "İbrahimov / İbrahim": the first is the main form.
				cell, _, _ = strings.Cut(cell, "/")
			}
			for _, s := range strings.Split(cell, ";") {
				if s = strings.TrimSpace(s); s != "" && !strings.HasPrefix(s, "-") {
					v.cols[route.column] = append(v.cols[route.column], s)
				}
			}
		}
		if len(v.cols["az_latin"]) == 0 {
			return nil, fmt.Errorf("variants: line %d: empty az_latin", line)
		}
		out = append(out, v)
	}
	return out, nil
}

type variantPerson struct{ given, surname *variant }

// pairVariants makes n distinct persons, each a given-name group with a
// surname group of a compatible gender ("any" fits both).
func pairVariants(vs []variant, n int, r *rand.Rand) ([]variantPerson, error) {
	var given, sur []*variant
	for i := range vs {
		switch vs[i].kind {
		case "given":
			given = append(given, &vs[i])
		case "surname":
			sur = append(sur, &vs[i])
		}
	}
	var all []variantPerson
	for _, g := range given {
		for _, s := range sur {
			if s.gender == "any" || s.gender == "" || g.gender == "" || s.gender == g.gender {
				all = append(all, variantPerson{g, s})
			}
		}
	}
	if len(all) < n {
		return nil, fmt.Errorf("variants: only %d distinct given name × surname pairs, %d persons asked", len(all), n)
	}
	perm := r.Perm(len(all))
	out := make([]variantPerson, n)
	for i := range out {
		out[i] = all[perm[i]]
	}
	return out, nil
}

// truthWriter writes truth.csv.
type truthWriter struct {
	f io.WriteCloser
	w *csv.Writer
}

func newTruth(create FileCreator) (*truthWriter, error) {
	f, err := create("truth.csv")
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"source", "edition", "record_ref", "person"})
	return &truthWriter{f, w}, nil
}

func (t *truthWriter) add(source, edition, ref, person string) {
	_ = t.w.Write([]string{source, edition, ref, person})
}

func (t *truthWriter) close() error {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		t.f.Close()
		return fmt.Errorf("synth: truth.csv: %w", err)
	}
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("synth: truth.csv: %w", err)
	}
	return nil
}

func writeCSVFile(create FileCreator, name string, header []string, rows [][]string) error {
	f, err := create(name)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	w := csv.NewWriter(f)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("synth: %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("synth: %s: %w", name, err)
	}
	return nil
}

func writeManifest(create FileCreator, man *Manifest) error {
	mf, err := create("manifest.json")
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	b, _ := json.MarshalIndent(man, "", "  ")
	b = append(b, '\n')
	if _, err := mf.Write(b); err != nil {
		mf.Close()
		return fmt.Errorf("synth: manifest.json: %w", err)
	}
	if err := mf.Close(); err != nil {
		return fmt.Errorf("synth: manifest.json: %w", err)
	}
	return nil
}
