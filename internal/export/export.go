// Package export writes the unified registry and the crosswalk as CSV,
// JSON or XLSX.
//
// The crosswalk has one row per source record: which person it belongs to,
// the record's other names, how it was linked, its other fields and the
// row as imported (each only as far as the audience filter leaves it). The registry has one row
// per person: a canonical name in Azerbaijani Latin (the best-attested
// spelling among the person's records), its English and Russian forms, the
// other names the person's records give (aliases), birth year, groups,
// cases, the lists that include the person with their own references, and
// open review items.
//
// Output is deterministic: rows are sorted, there are no timestamps, and
// XLSX files carry fixed document properties, so the same input gives the
// same bytes. The package is pure: values in, bytes out through an
// io.Writer; the name engine comes in through a Namer.
package export

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/roster-coalition/roster/internal/roster"
)

// Formats.
const (
	CSV  = "csv"
	JSON = "json"
	XLSX = "xlsx"
)

// Formats lists the supported formats.
var Formats = []string{CSV, JSON, XLSX}

// Member is one record with its place in the clustering.
type Member struct {
	roster.Record
	PersonID string // "" when no match run has placed the record
	Link     string // auto | analyst | single
	Score    float64
	// OtherNames are the record's other names: its alias columns
	// (Record.Aliases) and those its name cell writes ("Aytən Qasımlı
	// (Aytən Dalğa)"). The caller fills it: reading a name cell is the
	// name engine's job.
	OtherNames []string
}

// CrosswalkRow is one record in the crosswalk.
type CrosswalkRow struct {
	PersonID  string   `json:"person_id"`
	Source    string   `json:"source"`
	Edition   string   `json:"edition"`
	RecordRef string   `json:"record_ref"`
	Name      string   `json:"name"`
	Aliases   []string `json:"aliases"` // the record's other names, sorted
	BirthYear int      `json:"birth_year,omitempty"`
	Group     string   `json:"group"`
	Score     float64  `json:"score"`
	Link      string   `json:"link"`
	// The record's other fields, as the audience may see them (the
	// audience filter empties the private ones before the rows are made).
	Case       string `json:"case,omitempty"`
	ArrestDate string `json:"arrest_date,omitempty"`
	Sentence   string `json:"sentence,omitempty"`
	Status     string `json:"status,omitempty"`
	Charges    string `json:"charges,omitempty"`
	Place      string `json:"place,omitempty"`
	Notes      string `json:"notes,omitempty"`
	Raw        string `json:"raw,omitempty"` // the row as imported (never for the public)
}

// Crosswalk makes the crosswalk rows, sorted by source, edition and the
// record's row in its file. Records not placed in a person have an empty
// person_id and link.
func Crosswalk(ms []Member) []CrosswalkRow {
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b Member) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Edition, b.Edition), cmp.Compare(a.Row, b.Row), compareRefs(a.Ref, b.Ref))
	})
	out := make([]CrosswalkRow, 0, len(ms))
	for _, m := range ms {
		g := m.Group
		if g == "" {
			g = m.GroupRaw
		}
		out = append(out, CrosswalkRow{PersonID: m.PersonID, Source: m.Source, Edition: m.Edition, RecordRef: m.Ref,
			Name: m.Name, Aliases: aliases(m), BirthYear: m.BirthYear, Group: g, Score: m.Score, Link: m.Link,
			Case: m.Case, ArrestDate: m.ArrestDate, Sentence: m.Sentence, Status: m.Status, Charges: m.Charges, Place: m.Place,
			Notes: m.Notes, Raw: m.Raw})
	}
	return out
}

// aliases are the other names of some members, sorted, never nil.
func aliases(ms ...Member) []string {
	lists := make([][]string, len(ms))
	for i, m := range ms {
		lists[i] = m.OtherNames
	}
	if out := roster.MergeAliases(lists...); out != nil {
		return out
	}
	return []string{}
}

var crosswalkHeader = []string{"person_id", "source", "edition", "record_ref", "name", "aliases", "birth_year", "group", "score", "link",
	"case", "arrest_date", "sentence", "status", "charges", "place", "notes", "raw"}

func (r CrosswalkRow) cells() []any {
	return []any{r.PersonID, r.Source, r.Edition, r.RecordRef, r.Name, strings.Join(r.Aliases, "; "), yearCell(r.BirthYear),
		r.Group, r.Score, r.Link, r.Case, r.ArrestDate, r.Sentence, r.Status, r.Charges, r.Place, r.Notes, r.Raw}
}

// NameParts is a record's name as the name engine reads it, in
// Azerbaijani Latin.
type NameParts struct {
	Surname, Given, Patronymic string
	Gender                     string // m | f | ""
	Attested                   bool   // the record itself is written in Azerbaijani Latin (not a reconstruction)
	Russian                    bool   // the record is written in Russian Cyrillic: its name is an attested Russian form
	Written                    string // the name as written without the other names in its cell; "" = the whole cell
}

// Namer is the part of the name engine the registry needs.
type Namer struct {
	Parse   func(r roster.Record) NameParts
	English func(azLatin string) string
	Russian func(azLatin string) string
}

// RegistryRow is one person in the registry.
type RegistryRow struct {
	PersonID  string   `json:"person_id"`
	Name      string   `json:"name"` // Azerbaijani Latin
	NameEN    string   `json:"name_en"`
	NameRU    string   `json:"name_ru"`
	Attested  bool     `json:"name_attested"` // the name is spelled so by at least one list (else reconstructed)
	Aliases   []string `json:"aliases"`       // other names the person's records give, sorted
	BirthYear int      `json:"birth_year,omitempty"`
	Groups    []string `json:"groups"`
	Cases     []string `json:"cases"`
	Lists     int      `json:"lists"`   // how many sources list the person
	Sources   []string `json:"sources"` // "ipm:12", or "ipm@2025-06-01:12" for a source with several editions
	Review    []string `json:"review"`  // kinds of open review items about the person
}

var registryHeader = []string{"person_id", "name", "name_en", "name_ru", "name_attested", "aliases", "birth_year", "groups", "cases",
	"lists", "sources", "review"}

func (r RegistryRow) cells() []any {
	att := "no"
	if r.Attested {
		att = "yes"
	}
	return []any{r.PersonID, r.Name, r.NameEN, r.NameRU, att, strings.Join(r.Aliases, "; "), yearCell(r.BirthYear), strings.Join(r.Groups, "; "),
		strings.Join(r.Cases, "; "), r.Lists, strings.Join(r.Sources, "; "), strings.Join(r.Review, "; ")}
}

// Registry makes one row per person, sorted by person ID. review maps a
// person ID to the kinds of its open review items (may be nil). Records
// without a person are left out.
func Registry(ms []Member, namer Namer, review map[string][]string) []RegistryRow {
	editions := map[string]map[string]bool{}
	byPerson := map[string][]Member{}
	for _, m := range ms {
		if editions[m.Source] == nil {
			editions[m.Source] = map[string]bool{}
		}
		editions[m.Source][m.Edition] = true
		if m.PersonID != "" {
			byPerson[m.PersonID] = append(byPerson[m.PersonID], m)
		}
	}
	ids := make([]string, 0, len(byPerson))
	for id := range byPerson {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]RegistryRow, 0, len(ids))
	for _, id := range ids {
		recs := byPerson[id]
		slices.SortFunc(recs, func(a, b Member) int {
			return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Edition, b.Edition), compareRefs(a.Ref, b.Ref))
		})
		row := RegistryRow{PersonID: id, Aliases: aliases(recs...), Groups: []string{}, Cases: []string{}, Review: slices.Clone(review[id])}
		if row.Review == nil {
			row.Review = []string{}
		}
		var ru string
		row.Name, row.Attested, ru = canonicalName(recs, namer)
		if namer.English != nil {
			row.NameEN = namer.English(row.Name)
		}
		// The Russian form as a Russian list writes it (Мамедов, not a
		// letter-by-letter Меммедов), else transcribed from the canonical.
		row.NameRU = ru
		if ru == "" && namer.Russian != nil {
			row.NameRU = namer.Russian(row.Name)
		}
		years := map[int]int{}
		groups := map[string]bool{}
		cases := map[string]bool{}
		sources := map[string]bool{}
		for _, r := range recs {
			if r.BirthYear > 0 {
				years[r.BirthYear]++
			}
			if r.Group != "" {
				groups[r.Group] = true
			}
			if c := strings.TrimSpace(r.Case); c != "" {
				cases[c] = true
			}
			sources[r.Source] = true
			row.Sources = append(row.Sources, roster.FormatRef(r.Source, r.Edition, r.Ref, len(editions[r.Source]) > 1))
		}
		row.BirthYear = mostCommon(years)
		for _, g := range roster.Groups {
			if groups[g] {
				row.Groups = append(row.Groups, g)
			}
		}
		for c := range cases {
			row.Cases = append(row.Cases, c)
		}
		slices.Sort(row.Cases)
		row.Lists = len(sources)
		out = append(out, row)
	}
	return out
}

// CanonicalName returns the registry's canonical name of a person from
// their records (see Registry): part by part the best-attested
// Azerbaijani-Latin spelling, else the engine's reconstruction.
func CanonicalName(recs []roster.Record, namer Namer) string {
	if len(recs) == 0 {
		return ""
	}
	ms := make([]Member, len(recs))
	for i, r := range recs {
		ms[i] = Member{Record: r}
	}
	n, _, _ := canonicalName(ms, namer)
	return n
}

// canonicalName picks, part by part, the spelling most of the person's
// Azerbaijani-Latin records use; without such records it reconstructs the
// name from the first record the engine reads best. It also returns the
// name most of the person's Russian-Cyrillic records write ("" if none).
func canonicalName(recs []Member, namer Namer) (string, bool, string) {
	if namer.Parse == nil {
		return recs[0].Name, false, ""
	}
	parsed := make([]NameParts, len(recs))
	sur, giv, pat, gen, rus := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	attested := false
	for i, r := range recs {
		p := namer.Parse(r.Record)
		parsed[i] = p
		if p.Russian {
			w := p.Written
			if w == "" {
				w = r.Name
			}
			rus[strings.Join(strings.Fields(w), " ")]++
		}
		if !p.Attested {
			continue
		}
		attested = true
		sur[p.Surname]++
		giv[p.Given]++
		if p.Patronymic != "" {
			pat[p.Patronymic]++
		}
		if p.Gender != "" {
			gen[p.Gender]++
		}
	}
	if !attested {
		for _, p := range parsed {
			sur[p.Surname]++
			giv[p.Given]++
			if p.Patronymic != "" {
				pat[p.Patronymic]++
			}
			if p.Gender != "" {
				gen[p.Gender]++
			}
		}
	}
	n := NameParts{Surname: mostCommonString(sur), Given: mostCommonString(giv), Patronymic: mostCommonString(pat), Gender: mostCommonString(gen)}
	parts := []string{}
	for _, s := range []string{n.Surname, n.Given, n.Patronymic} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if n.Patronymic != "" {
		switch n.Gender {
		case "m":
			parts = append(parts, "oğlu")
		case "f":
			parts = append(parts, "qızı")
		}
	}
	ru := mostCommonString(rus)
	if len(parts) == 0 {
		return recs[0].Name, false, ru
	}
	return strings.Join(parts, " "), attested, ru
}

// mostCommon returns the most frequent key, the smaller on a tie, 0 for none.
func mostCommon(m map[int]int) int {
	best, bestN := 0, 0
	for k, n := range m {
		if n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	return best
}

// mostCommonString returns the most frequent non-empty key; on a tie the
// longer, then the lexically smaller.
func mostCommonString(m map[string]int) string {
	best, bestN := "", 0
	for k, n := range m {
		if k == "" {
			continue
		}
		if n > bestN || n == bestN && (len(k) > len(best) || len(k) == len(best) && k < best) {
			best, bestN = k, n
		}
	}
	return best
}

// compareRefs orders references numerically when both are numbers.
func compareRefs(a, b string) int {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA == nil && errB == nil {
		return cmp.Compare(x, y)
	}
	return cmp.Compare(a, b)
}

func yearCell(y int) any {
	if y == 0 {
		return ""
	}
	return y
}

// WriteCrosswalk writes the crosswalk in format.
func WriteCrosswalk(w io.Writer, format string, rows []CrosswalkRow) error {
	cells := make([][]any, len(rows))
	for i, r := range rows {
		cells[i] = r.cells()
	}
	return write(w, format, "crosswalk", crosswalkHeader, cells, rows)
}

// WriteRegistry writes the registry in format.
func WriteRegistry(w io.Writer, format string, rows []RegistryRow) error {
	cells := make([][]any, len(rows))
	for i, r := range rows {
		cells[i] = r.cells()
	}
	return write(w, format, "registry", registryHeader, cells, rows)
}

func write(w io.Writer, format, sheet string, header []string, cells [][]any, value any) error {
	switch format {
	case CSV:
		return writeCSV(w, header, cells)
	case JSON:
		return writeJSON(w, value)
	case XLSX:
		return writeXLSX(w, sheet, header, cells)
	}
	return roster.Errorf(roster.EINVALID, "unknown export format %q (want csv, json or xlsx)", format)
}

func writeCSV(w io.Writer, header []string, cells [][]any) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(header))
	for _, row := range cells {
		for i, c := range row {
			rec[i] = cellString(c)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func cellString(c any) string {
	switch v := c.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
	return fmt.Sprint(c)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// fixedTime is the document time XLSX files carry, so that their bytes repeat.
const fixedTime = "2000-01-01T00:00:00Z"

func writeXLSX(w io.Writer, sheet string, header []string, cells [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "roster", LastModifiedBy: "roster", Title: sheet,
		Created: fixedTime, Modified: fixedTime}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	hv := make([]any, len(header))
	for i, h := range header {
		hv[i] = h
	}
	if err := sw.SetRow("A1", hv); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for i, row := range cells {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("write xlsx: row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}
