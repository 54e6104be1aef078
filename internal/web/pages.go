package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// recKey identifies a record across tables: source@edition:ref.
func recKey(source, edition, ref string) string { return source + "@" + edition + ":" + ref }

// ---- record (the raw row) ----

func (s *Server) recordPage(w http.ResponseWriter, r *http.Request) {
	ref, err := roster.ParseRef(r.URL.Query().Get("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	policy, err := s.pagePolicy(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.cfg.Registry.FindRecord(r.Context(), ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	personID := ""
	if persons, err := s.cfg.Registry.Persons(r.Context()); err == nil {
		personID = personIndex(persons)[recKey(rec.Source, rec.Edition, rec.Ref)]
	}
	if !policy.Named(personID) {
		s.fail(w, r, roster.Errorf(roster.ENOTFOUND, "no record %s for the %s audience", ref, policy.Audience))
		return
	}
	rec = policy.Record(rec)
	s.render(w, r, http.StatusOK, "record", "Record "+recKey(rec.Source, rec.Edition, rec.Ref), struct {
		Record   roster.Record
		Key      string
		PersonID string
	}{rec, recKey(rec.Source, rec.Edition, rec.Ref), personID})
}

// personIndex maps each member record (source@edition:ref) to its person.
func personIndex(persons []roster.Person) map[string]string {
	m := map[string]string{}
	for _, p := range persons {
		for _, x := range p.Members {
			m[recKey(x.Source, x.Edition, x.Ref)] = p.ID
		}
	}
	return m
}

// ---- person ----

type memberView struct {
	Key    string
	Found  bool
	Record roster.Record
	M      roster.Membership
}

type listing struct {
	Source   string
	Latest   string   // the source's latest edition
	In       []string // editions (with refs) that list the person
	InLatest bool
	Dropped  bool // listed before, not in the latest edition
}

type personView struct {
	Person    roster.Person
	Aliases   []string // the other names of every record, once each, sorted
	Events    []PersonEvent
	Members   []memberView
	Columns   []column
	Rows      []fieldRow
	Listings  []listing
	Decisions []roster.Decision
	Audit     []AuditEntry
	Items     []roster.ReviewItem
	Privacy   *PersonPrivacy // nil: no privacy marks kept
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	p, events, err := s.cfg.Registry.Person(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Status == "merged" && p.RedirectTo != "" && p.RedirectTo != id {
		http.Redirect(w, r, "/persons/"+p.RedirectTo+"?from="+id, http.StatusSeeOther)
		return
	}
	v := personView{Person: p, Events: events, Privacy: s.personPrivacy(ctx, p.ID)}
	mine := map[string]bool{}
	bySource := map[string][]string{}
	for _, m := range p.Members {
		k := recKey(m.Source, m.Edition, m.Ref)
		mine[k] = true
		col := s.column(r, k)
		v.Members = append(v.Members, memberView{Key: k, Found: col.Found, Record: col.Record, M: m})
		v.Columns = append(v.Columns, col)
		bySource[m.Source] = append(bySource[m.Source], m.Edition+" (#"+m.Ref+")")
	}
	v.Rows = sideBySide(v.Columns)
	var aliases [][]string
	for _, c := range v.Columns {
		aliases = append(aliases, recordAliases(c.Record))
	}
	v.Aliases = roster.MergeAliases(aliases...)
	srcs, err := s.cfg.Registry.Sources(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, src := range srcs {
		l := listing{Source: src.Slug}
		if n := len(src.Editions); n > 0 {
			l.Latest = src.Editions[n-1].Edition
		}
		l.In = bySource[src.Slug]
		sort.Strings(l.In)
		for _, m := range p.Members {
			if m.Source == src.Slug && m.Edition == l.Latest {
				l.InLatest = true
			}
		}
		l.Dropped = len(l.In) > 0 && !l.InLatest
		v.Listings = append(v.Listings, l)
	}
	// Decisions that touch the person's records, and the review items
	// about the person; then their whole history from the audit log.
	decs, err := s.cfg.Registry.Decisions(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	decIDs, itemIDs := map[int64]bool{}, map[int64]bool{}
	for _, d := range decs {
		if mine[recKey(d.A.Source, d.A.Edition, d.A.Ref)] || mine[recKey(d.B.Source, d.B.Edition, d.B.Ref)] {
			v.Decisions = append(v.Decisions, d)
			decIDs[d.ID] = true
			if d.ItemID != 0 {
				itemIDs[d.ItemID] = true
			}
		}
	}
	items, err := s.cfg.Queue.ReviewItems(ctx, QueueFilter{State: "all"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, it := range items {
		about := it.PersonID == p.ID
		for _, ref := range it.Records {
			if mine[ref] {
				about = true
			}
		}
		if about {
			v.Items = append(v.Items, it)
			itemIDs[it.ID] = true
		}
	}
	audit, err := s.cfg.Queue.Audit(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range audit {
		if decIDs[a.DecisionID] || itemIDs[a.ItemID] {
			v.Audit = append(v.Audit, a)
		}
	}
	s.render(w, r, http.StatusOK, "person", "Person "+p.ID, v)
}

// ---- audit ----

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	entries, err := s.cfg.Queue.Audit(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	entries = slices.Clone(entries)
	slices.Reverse(entries) // newest first
	actor := strings.TrimSpace(r.URL.Query().Get("actor"))
	if actor != "" {
		entries = slices.DeleteFunc(entries, func(e AuditEntry) bool { return e.Actor != actor })
	}
	const max = 1000
	more := 0
	if len(entries) > max {
		more, entries = len(entries)-max, entries[:max]
	}
	s.render(w, r, http.StatusOK, "audit", "Audit log", struct {
		Entries []AuditEntry
		Actor   string
		More    int
	}{entries, actor, more})
}

// ---- sources ----

type tallyRow struct {
	Group  string
	Label  string
	Counts []int // per source (latest edition), then the registry
	Diff   []int // source minus registry
}

type sourcesView struct {
	Sources  []SourceInfo
	Series   []string // source@latest edition…, then "registry"
	Rows     []tallyRow
	Registry bool // a clustering exists
	Persons  int
	Chart    chart
}

func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	srcs, err := s.cfg.Registry.Sources(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	persons, err := s.cfg.Registry.Persons(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := sourcesView{Sources: srcs, Registry: len(persons) > 0, Persons: len(persons)}
	// The registry's tally: a person counts in every group one of their
	// records gives.
	reg := map[string]int{}
	if len(persons) > 0 {
		recs, err := s.cfg.Registry.AllRecords(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		grp := map[string]string{}
		for _, x := range recs {
			grp[recKey(x.Source, x.Edition, x.Ref)] = x.Group
		}
		for _, p := range persons {
			seen := map[string]bool{}
			for _, m := range p.Members {
				g := grp[recKey(m.Source, m.Edition, m.Ref)]
				if !seen[g] {
					seen[g] = true
					reg[g]++
				}
			}
		}
	}
	var latest []EditionInfo
	for _, src := range srcs {
		if n := len(src.Editions); n > 0 {
			latest = append(latest, src.Editions[n-1])
			v.Series = append(v.Series, src.Slug+"@"+src.Editions[n-1].Edition)
		}
	}
	if v.Registry {
		v.Series = append(v.Series, "registry")
	}
	groups := slices.Clone(roster.Groups)
	extra := map[string]bool{}
	for _, e := range latest {
		for g := range e.Groups {
			if g != "" && !roster.IsGroup(g) {
				extra[g] = true
			}
		}
	}
	for g := range extra {
		groups = append(groups, g)
	}
	sort.Strings(groups[len(roster.Groups):])
	groups = append(groups, "")
	for _, g := range groups {
		row := tallyRow{Group: g, Label: groupLabel(g)}
		any := false
		for _, e := range latest {
			row.Counts = append(row.Counts, e.Groups[g])
			any = any || e.Groups[g] > 0
		}
		if v.Registry {
			row.Counts = append(row.Counts, reg[g])
			any = any || reg[g] > 0
			for _, e := range latest {
				row.Diff = append(row.Diff, e.Groups[g]-reg[g])
			}
		}
		if any || roster.IsGroup(g) {
			v.Rows = append(v.Rows, row)
		}
	}
	v.Chart = barChart(v.Series, v.Rows)
	s.render(w, r, http.StatusOK, "sources", "Sources", v)
}

// chart is a grouped horizontal bar chart drawn by the server as SVG
// (presentation attributes only: the CSP allows no inline style).
type chart struct {
	Width, Height float64
	LabelW        float64
	Legend        []legendItem
	Groups        []chartGroup
	Ticks         []tick
	AxisY         float64
}

type legendItem struct {
	Label  string
	Class  string
	X, Y   float64
	TextX  float64
	TextY  float64
	Series int
}

type chartGroup struct {
	Label string
	Y     float64 // label baseline
	Bars  []chartBar
	RuleY float64
}

type chartBar struct {
	X, Y, W, H float64
	Class      string
	N          int
	TextX      float64
	TextY      float64
	Title      string
}

type tick struct {
	X     float64
	Label string
}

// barChart lays the tallies out: one band per group, one bar per series.
func barChart(series []string, rows []tallyRow) chart {
	const (
		labelW  = 200.0
		plotW   = 520.0
		barH    = 12.0
		gap     = 2.0
		bandPad = 14.0
		top     = 8.0
	)
	c := chart{LabelW: labelW, Width: labelW + plotW + 60}
	max := 1
	for _, row := range rows {
		for _, n := range row.Counts {
			if n > max {
				max = n
			}
		}
	}
	scale := plotW / float64(max)
	y := top
	for _, row := range rows {
		g := chartGroup{Label: row.Label, RuleY: y - bandPad/2}
		bandH := float64(len(series))*(barH+gap) - gap
		g.Y = y + bandH/2 + 4
		for i, n := range row.Counts {
			b := chartBar{X: labelW, Y: y + float64(i)*(barH+gap), H: barH, W: float64(n) * scale, N: n,
				Class: fmt.Sprintf("s%d", i%8), Title: fmt.Sprintf("%s — %s: %d", row.Label, series[i], n)}
			if series[i] == "registry" {
				b.Class = "sreg"
			}
			b.TextX, b.TextY = b.X+b.W+4, b.Y+barH-2
			g.Bars = append(g.Bars, b)
		}
		c.Groups = append(c.Groups, g)
		y += bandH + bandPad
	}
	c.AxisY = y - bandPad/2
	step := niceStep(max)
	for n := 0; n <= max; n += step {
		c.Ticks = append(c.Ticks, tick{X: labelW + float64(n)*scale, Label: fmt.Sprint(n)})
	}
	ly := c.AxisY + 34
	x := labelW
	for i, sname := range series {
		li := legendItem{Label: sname, Class: fmt.Sprintf("s%d", i%8), X: x, Y: ly - 10, TextX: x + 16, TextY: ly, Series: i}
		if sname == "registry" {
			li.Class = "sreg"
			li.Label = "unified registry"
		}
		c.Legend = append(c.Legend, li)
		x += 16 + float64(len([]rune(li.Label)))*7.2 + 20
		if x > c.Width-120 {
			x, ly = labelW, ly+20
		}
	}
	c.Height = ly + 12
	return c
}

func niceStep(max int) int {
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 50000, 100000} {
		if max/s <= 8 {
			return s
		}
	}
	return max
}
