// Package report writes the publication report: one self-contained HTML
// file (inline CSS and SVG, no script, no request leaving the file) in
// Azerbaijani, Russian or English, that prints cleanly to A4.
//
// It shows the totals per group with the count on each list (the coverage
// matrix), what each list omits, the lists' overlap as an UpSet-style
// chart, the changes since each source's previous edition, the population
// estimate with its interval, model table and warnings, the method in
// plain words, and one row per person (the name in the report's script
// where Roster knows that form, the lists' own spellings, groups, lists).
// Private fields (birth dates, cases, notes, the rows as imported) are not
// in its input at all.
//
// The package is pure: values in, bytes out. The same input gives the
// same bytes.
package report

import (
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/roster-coalition/roster/internal/estimate"
	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

// Input is what a report shows.
type Input struct {
	Lang    i18n.Lang
	AsOf    string // ISO date of the last match run
	Sources []Source
	Persons []Person
	// Former are the persons only earlier editions hold: the changes name
	// them.
	Former []Person
	// Withheld are the persons counted but not named (the private persons
	// of a public report, as the audience filter left them out): for each,
	// the sources whose latest edition holds them. Every count counts them.
	Withheld [][]string
	// ChangesWithheld counts, for each of Changes, the added and the
	// removed persons the audience filter left out of it.
	ChangesWithheld [][2]int
	Tally           review.Tally  // persons per group per list (latest editions) and in the registry
	Changes         []review.Diff // each source's latest edition against its previous one
	// Estimate is the estimate over all persons, Groups one per group.
	Estimate estimate.Result
	Groups   []GroupEstimate
}

// Source is one organisation's list.
type Source struct {
	Slug     string
	Title    string
	Edition  string   // the edition used (the latest)
	Earlier  []string // earlier editions, oldest first
	Records  int      // records in the edition used
	Persons  int      // persons in the edition used
	Editions int
}

// Person is one row of the registry, without private fields.
type Person struct {
	ID string
	// Name is the canonical name in Azerbaijani Latin; NameRU and NameEN
	// its Russian and English forms.
	Name, NameRU, NameEN string
	Spellings            []string // the names as the lists write them
	Groups               []string // group keys
	Lists                []string // the sources whose latest edition holds the person
}

// GroupEstimate is the estimate for one group ("unknown" for persons
// without one).
type GroupEstimate struct {
	Group string
	estimate.Result
}

//go:embed report.html.tmpl
var pageTemplate string

//go:embed report.css
var pageCSS string

// Write writes the report as one HTML file.
func Write(w io.Writer, in Input) error {
	p := i18n.New(in.Lang)
	v := build(in, p)
	t, err := template.New("report").Funcs(p.Funcs()).Funcs(template.FuncMap{
		"inc": func(i int) int { return i + 1 },
	}).Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// view is what the template shows, in the report's language.
type view struct {
	Lang       string
	CSS        template.CSS
	AsOf       string
	Summary    summary
	Sources    []Source
	Coverage   coverage
	Omissions  []omission
	Overlap    template.HTML
	Changes    []change
	Estimate   estimateView
	Groups     []groupRow
	Method     []string
	Assume     []string
	Persons    []personRow
	Withheld   string // how many persons are counted but not named, in words ("" for none)
	ScriptName string
}

type summary struct {
	Listed, Lists   string
	Estimate, Range string
	Refused         bool
}

func build(in Input, p *i18n.Printer) view {
	v := view{Lang: string(p.Lang), CSS: template.CSS(pageCSS), AsOf: p.Date(in.AsOf), Sources: in.Sources}
	r := in.Estimate
	v.Summary = summary{Listed: p.Int(len(in.Persons) + len(in.Withheld)), Lists: p.Int(len(in.Sources)), Refused: r.Refused != nil}
	if r.Refused == nil {
		v.Summary.Estimate = Count(p, r.Estimate)
		v.Summary.Range = p.T("format.range", Count(p, r.Lower), Count(p, r.Upper))
	}
	v.Coverage = coverageOf(in, p)
	v.Omissions = omissionsOf(in, p)
	v.Overlap = upset(r.Table, p)
	v.Changes = changesOf(in, p)
	v.Estimate = estimateViewOf(r, p)
	v.Groups = groupRowsOf(in.Groups, p)
	crit := r.Criterion
	if crit == "" {
		crit = estimate.ByBIC
	}
	v.Method = []string{p.T("report.method.p1", p.T("estimate.criterion."+crit)), p.T("report.method.p2"), p.T("report.method.p3")}
	for _, k := range Assumptions {
		v.Assume = append(v.Assume, p.T(k))
	}
	v.ScriptName = p.T("report.script." + string(p.Lang))
	v.Persons = personRowsOf(in.Persons, p)
	if n := len(in.Withheld); n > 0 {
		v.Withheld = p.N("report.persons.withheld", n)
	}
	return v
}

// groupName is a group key in words.
func groupName(p *i18n.Printer, key string) string {
	if key == "" {
		key = "unknown"
	}
	return p.T("group." + key)
}

type coverage struct {
	Sources []string
	Rows    []coverageRow
}

type coverageRow struct {
	Label    string
	Total    bool
	Cells    []coverageCell
	Registry string
}

type coverageCell struct {
	Count string
	Gap   bool
	Shade template.CSS // background in proportion to the registry's count
}

func coverageOf(in Input, p *i18n.Printer) coverage {
	c := coverage{Sources: in.Tally.Sources}
	for _, row := range in.Tally.Rows {
		if row.Group != "total" && row.Registry == 0 && row.Max == 0 {
			continue
		}
		cr := coverageRow{Label: groupName(p, row.Group), Total: row.Group == "total", Registry: p.Int(row.Registry)}
		for _, src := range in.Tally.Sources {
			n := row.BySource[src]
			share := 0.0
			if row.Registry > 0 {
				share = math.Min(1, float64(n)/float64(row.Registry))
			}
			cr.Cells = append(cr.Cells, coverageCell{Count: p.Int(n), Gap: slices.Contains(row.Gaps, src),
				Shade: template.CSS(fmt.Sprintf("background:rgba(31,94,140,%.2f)", 0.08+0.5*share))})
		}
		c.Rows = append(c.Rows, cr)
	}
	return c
}

type omission struct {
	Source, Holds, Omits, ByTwo string
	Gaps                        []string
}

// omissionsOf counts, for each source, the persons the other sources'
// latest editions hold and its own does not.
func omissionsOf(in Input, p *i18n.Printer) []omission {
	var out []omission
	for _, s := range in.Sources {
		holds, omits, byTwo := 0, 0, 0
		count := func(lists []string) {
			if slices.Contains(lists, s.Slug) {
				holds++
				return
			}
			omits++
			if len(lists) >= 2 {
				byTwo++
			}
		}
		for _, per := range in.Persons {
			count(per.Lists)
		}
		for _, lists := range in.Withheld {
			count(lists)
		}
		o := omission{Source: s.Slug, Holds: p.Int(holds), Omits: p.Int(omits), ByTwo: p.Int(byTwo)}
		for _, row := range in.Tally.Rows {
			if slices.Contains(row.Gaps, s.Slug) {
				o.Gaps = append(o.Gaps, groupName(p, row.Group))
			}
		}
		out = append(out, o)
	}
	return out
}

type change struct {
	Heading string
	Added   []string
	Removed []string
	Summary string
}

func changesOf(in Input, p *i18n.Printer) []change {
	names := map[string]string{}
	for _, per := range slices.Concat(in.Persons, in.Former) {
		names[per.ID] = displayName(per, p.Lang)
	}
	entryName := func(e review.DiffEntry) string {
		if n, ok := names[e.PersonID]; ok {
			return n + " (" + e.PersonID + ")"
		}
		return e.Record.Name
	}
	var out []change
	for i, d := range in.Changes {
		var wh [2]int
		if i < len(in.ChangesWithheld) {
			wh = in.ChangesWithheld[i]
		}
		c := change{Heading: p.T("report.changes.edition", d.Source, p.Date(d.From), p.Date(d.To)),
			Summary: strings.Join([]string{p.N("report.changes.added", len(d.Added)+wh[0]), p.N("report.changes.removed", len(d.Removed)+wh[1]),
				p.N("report.changes.kept", d.Kept)}, p.T("format.list"))}
		for _, e := range d.Added {
			c.Added = append(c.Added, entryName(e))
		}
		for _, e := range d.Removed {
			c.Removed = append(c.Removed, entryName(e))
		}
		slices.Sort(c.Added)
		slices.Sort(c.Removed)
		if wh[0] > 0 {
			c.Added = append(c.Added, p.N("report.changes.withheld", wh[0]))
		}
		if wh[1] > 0 {
			c.Removed = append(c.Removed, p.N("report.changes.withheld", wh[1]))
		}
		out = append(out, c)
	}
	return out
}

type estimateView struct {
	Refused   string
	Headline  string
	Model     string
	TwoLists  bool
	Chart     template.HTML
	Forest    template.HTML
	ModelsBy  string
	Models    []modelRow
	Links     string
	Warnings  []string
	Merged    []string
	Available bool
}

type modelRow struct {
	Name, Params, AIC, BIC, Total, Range string
	Chosen                               bool
}

func estimateViewOf(r estimate.Result, p *i18n.Printer) estimateView {
	var ev estimateView
	for _, w := range r.Warnings {
		ev.Warnings = append(ev.Warnings, Warning(p, w))
	}
	if r.Refused != nil {
		ev.Refused = Refusal(p, r.Refused)
		return ev
	}
	ev.Available = true
	ev.Headline = p.T("report.estimate.headline", Count(p, r.Estimate), Count(p, r.Lower), Count(p, r.Upper), p.Int(r.Observed),
		Count(p, r.Unseen))
	ev.Model = p.T("report.estimate.model", p.T("estimate.criterion."+r.Criterion), ModelName(p, r.Model), p.T("estimate.interval."+r.Interval))
	ev.TwoLists = r.Table.K() == 2
	ev.Chart = estimateBar(r, p)
	ev.Forest = forest(r, p)
	by := r.Criterion
	if by == estimate.ByStepwise {
		by = estimate.ByAIC
	}
	ev.ModelsBy = p.T("estimate.criterion." + by)
	for _, c := range r.Models {
		ev.Models = append(ev.Models, modelRow{Name: ModelName(p, c), Params: p.Int(c.Params), AIC: p.Decimal(c.AIC, 1),
			BIC: p.Decimal(c.BIC, 1), Total: Count(p, c.Total), Range: p.T("format.range", Count(p, c.Lower), Count(p, c.Upper)),
			Chosen: c.Chosen})
	}
	if le := r.Links; le != nil && le.Pairs > 0 && le.Resamples > 0 {
		ev.Links = p.T("report.estimate.links.text", le.Pairs, le.Resamples, Count(p, le.Low), Count(p, le.High), Count(p, le.Lower),
			Count(p, le.Upper), p.Percent(le.Share))
	} else {
		ev.Links = p.T("report.estimate.links.none")
	}
	for _, m := range r.MergedLists {
		ev.Merged = append(ev.Merged, p.T("report.estimate.merged", m[0], m[1]))
	}
	return ev
}

type groupRow struct {
	Group, Lists, Listed, Estimate, Range, Note string
}

func groupRowsOf(gs []GroupEstimate, p *i18n.Printer) []groupRow {
	var out []groupRow
	for _, g := range gs {
		var lists []string
		for _, l := range g.Lists {
			lists = append(lists, l.Name)
		}
		row := groupRow{Group: groupName(p, g.Group), Lists: strings.Join(lists, " "), Listed: p.Int(g.Observed)}
		if g.Refused != nil {
			row.Estimate, row.Range, row.Note = "–", "–", Refusal(p, g.Refused)
		} else {
			row.Estimate = Count(p, g.Estimate)
			row.Range = p.T("format.range", Count(p, g.Lower), Count(p, g.Upper))
			var notes []string
			for _, w := range g.Warnings {
				if w.Code == estimate.WarnSmallOverlap || w.Code == estimate.WarnLeftOut {
					continue // too many to read in a table; the overall estimate names them
				}
				notes = append(notes, Warning(p, w))
			}
			row.Note = strings.Join(notes, " ")
		}
		out = append(out, row)
	}
	return out
}

type personRow struct {
	ID, Name  string
	Spellings string
	Groups    string
	Lists     string
}

// displayName is the person's name in the script of the language.
func displayName(per Person, l i18n.Lang) string {
	switch {
	case l == i18n.Russian && per.NameRU != "":
		return per.NameRU
	case l == i18n.English && per.NameEN != "":
		return per.NameEN
	}
	return per.Name
}

func personRowsOf(ps []Person, p *i18n.Printer) []personRow {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b Person) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]personRow, 0, len(ps))
	for _, per := range ps {
		name := displayName(per, p.Lang)
		var other []string
		for _, s := range per.Spellings {
			if s != name && !slices.Contains(other, s) {
				other = append(other, s)
			}
		}
		slices.Sort(other)
		var groups []string
		for _, g := range roster.Groups {
			if slices.Contains(per.Groups, g) {
				groups = append(groups, groupName(p, g))
			}
		}
		out = append(out, personRow{ID: per.ID, Name: name, Spellings: strings.Join(other, "; "),
			Groups: strings.Join(groups, p.T("format.list")), Lists: strings.Join(per.Lists, " ")})
	}
	return out
}
