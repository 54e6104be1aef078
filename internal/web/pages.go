package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/names"
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
	personID, err := s.cfg.Registry.PersonOf(r.Context(), roster.RecordRef{Source: rec.Source, Edition: rec.Edition, Ref: rec.Ref})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !policy.Named(personID) {
		s.fail(w, r, msg(roster.ENOTFOUND, "web.error.no-record", ref.String(), string(policy.Audience)))
		return
	}
	rec = policy.Record(rec)
	s.render(w, r, http.StatusOK, "record", s.printerFor(r).T("web.record.title", recKey(rec.Source, rec.Edition, rec.Ref)), struct {
		Record   roster.Record
		Key      string
		PersonID string
	}{rec, recKey(rec.Source, rec.Edition, rec.Ref), personID})
}

// ---- person ----

// personItems caps the review items a person page lists.
const personItems = 100

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
	Name      personName // in the interface's script, beside the lists' own spelling
	Aliases   []string   // the other names of every record, once each, sorted
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
	policy, err := s.viewPolicy(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr := s.printerFor(r)
	v := personView{Person: p, Events: events, Privacy: s.personPrivacy(ctx, p.ID)}
	mine := map[string]bool{}
	bySource := map[string][]string{}
	for _, m := range p.Members {
		k := recKey(m.Source, m.Edition, m.Ref)
		mine[k] = true
		col := s.column(r, k)
		col.Record = policy.Record(col.Record)
		v.Members = append(v.Members, memberView{Key: k, Found: col.Found, Record: col.Record, M: m})
		v.Columns = append(v.Columns, col)
		bySource[m.Source] = append(bySource[m.Source], m.Edition+" (#"+m.Ref+")")
	}
	v.Rows = sideBySide(pr, v.Columns)
	var aliases [][]string
	for _, c := range v.Columns {
		aliases = append(aliases, recordAliases(c.Record))
	}
	v.Aliases = roster.MergeAliases(aliases...)
	canon, err := s.cfg.Registry.PersonNames(ctx, []string{p.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Name = nameIn(pr.Lang, canon[p.ID], russianSpelling(v.Columns), writtenNames(v.Columns))
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
	// about the person or their records; then their history from the
	// audit log. Each read goes through an index.
	refs := make([]string, 0, len(mine))
	for k := range mine {
		refs = append(refs, k)
	}
	sort.Strings(refs)
	decs, err := s.cfg.Registry.DecisionsAbout(ctx, refs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var decIDs, itemIDs []int64
	for _, d := range decs {
		v.Decisions = append(v.Decisions, d)
		decIDs = append(decIDs, d.ID)
		if d.ItemID != 0 {
			itemIDs = append(itemIDs, d.ItemID)
		}
	}
	items, err := s.cfg.Queue.ItemsAbout(ctx, p.ID, refs, personItems)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, it := range items {
		hideConflictValues(policy, &it)
		v.Items = append(v.Items, it)
		itemIDs = append(itemIDs, it.ID)
	}
	if v.Audit, err = s.cfg.Queue.AuditAbout(ctx, itemIDs, decIDs); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "person", pr.T("web.person.title", p.ID), v)
}

// russianSpelling is the name most of the records written in Russian
// Cyrillic give (the first on a tie), "" when none is.
func russianSpelling(cols []column) string {
	n := map[string]int{}
	best := ""
	for _, c := range cols {
		if !c.Found || c.Parsed.Script != "ru-cyrl" {
			continue
		}
		w, _ := names.SplitAliases(c.Record.Name)
		w = strings.Join(strings.Fields(w), " ")
		n[w]++
		if best == "" || n[w] > n[best] {
			best = w
		}
	}
	return best
}

// writtenNames are the records' own spellings, once each, in order.
func writtenNames(cols []column) string {
	var out []string
	for _, c := range cols {
		if w, _ := names.SplitAliases(c.Record.Name); c.Found && w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, "; ")
}

// ---- audit ----

// auditPageSize is how many entries a page of the audit log shows.
const auditPageSize = 100

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	actor := strings.TrimSpace(r.URL.Query().Get("actor"))
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		var err error
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before <= 0 {
			s.fail(w, r, msg(roster.EINVALID, "web.error.entry-number", b))
			return
		}
	}
	entries, more, err := s.cfg.Queue.AuditPage(r.Context(), actor, before, auditPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	older := ""
	if more && len(entries) > 0 {
		q := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		if actor != "" {
			q.Set("actor", actor)
		}
		older = "/audit?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", s.printerFor(r).T("web.audit.title"), struct {
		Entries []AuditEntry
		Actor   string
		Older   string
		Paged   bool
	}{entries, actor, older, before != 0})
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
	Groups   []option // for the scope form
	Admin    bool     // the analyst may set scopes
}

func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	srcs, err := s.cfg.Registry.Sources(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tally, ok, err := s.cfg.Registry.Tally(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.printerFor(r)
	v := sourcesView{Sources: srcs, Registry: ok, Persons: tally.Persons, Groups: options(roster.Groups, func(g string) string { return groupLabel(p, g) }, ""),
		Admin: sessionFrom(ctx).Role == roleAdmin}
	reg := tally.Groups
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
		row := tallyRow{Group: g, Label: groupLabel(p, g)}
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
	v.Chart = barChart(v.Series, v.Rows, p.T("web.sources.registry"))
	s.render(w, r, http.StatusOK, "sources", p.T("web.sources.title"), v)
}

// scopeText says what a declared scope covers ("the groups …; arrests
// from …"), or that it covers everyone.
func scopeText(p *i18n.Printer, sc ScopeInfo) string {
	var parts []string
	if len(sc.Groups) > 0 {
		parts = append(parts, p.T("web.scope.text.groups", groupNames(p, sc.Groups)))
	}
	if len(sc.Cases) > 0 {
		parts = append(parts, p.T("web.scope.text.cases", strings.Join(sc.Cases, p.T("format.list"))))
	}
	switch {
	case sc.From != "" && sc.To != "":
		parts = append(parts, p.T("web.scope.text.from-to", sc.From, sc.To))
	case sc.From != "":
		parts = append(parts, p.T("web.scope.text.from", sc.From))
	case sc.To != "":
		parts = append(parts, p.T("web.scope.text.to", sc.To))
	}
	if sc.Country != "" {
		parts = append(parts, p.T("web.scope.text.country", sc.Country))
	}
	if len(parts) == 0 {
		return p.T("web.scope.text.everyone")
	}
	return strings.Join(parts, "; ")
}

// setScope declares (or clears) a source's scope from the sources page.
func (s *Server) setScope(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	by := sessionFrom(r.Context()).User
	var err error
	if r.PostFormValue("clear") == "1" {
		err = s.cfg.Registry.ClearScope(r.Context(), by, slug, "")
	} else {
		sc := ScopeInfo{Source: slug, Comprehensive: r.PostFormValue("all") == "1", Groups: r.PostForm["groups"],
			From: strings.TrimSpace(r.PostFormValue("from")), To: strings.TrimSpace(r.PostFormValue("to")),
			Country: strings.TrimSpace(r.PostFormValue("country")), Note: strings.TrimSpace(r.PostFormValue("note"))}
		for _, c := range strings.Split(r.PostFormValue("cases"), "\n") {
			if c = strings.TrimSpace(c); c != "" {
				sc.Cases = append(sc.Cases, c)
			}
		}
		err = s.cfg.Registry.SetScope(r.Context(), by, sc)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/sources?scoped="+url.QueryEscape(slug)+"#src-"+url.PathEscape(slug), http.StatusSeeOther)
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
	AxisTop       float64 // where the grid lines start (below the legend)
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

// barChart lays the tallies out: the legend first (above the bars, so
// that a reader meets it before a screen of bars), then one band per
// group with one bar per series, each bar labelled with its count. The
// series "registry" is the unified registry, named registryLabel.
func barChart(series []string, rows []tallyRow, registryLabel string) chart {
	const (
		plotW   = 520.0
		barH    = 12.0
		gap     = 2.0
		bandPad = 14.0
	)
	// The group labels' column is as wide as the longest label needs (at
	// about 7 px a letter), from 200 to 400 px.
	labelW := 200.0
	for _, row := range rows {
		labelW = max(labelW, min(400, float64(len([]rune(row.Label)))*7+12))
	}
	c := chart{LabelW: labelW, Width: labelW + plotW + 60}
	// The legend, in rows across the plot.
	ly := 14.0
	x := labelW
	for i, sname := range series {
		li := legendItem{Label: sname, Class: fmt.Sprintf("s%d", i%8), Series: i}
		if sname == "registry" {
			li.Class = "sreg"
			li.Label = registryLabel
		}
		w := 16 + float64(len([]rune(li.Label)))*7.2 + 20
		if x+w > c.Width && x > labelW {
			x, ly = labelW, ly+20
		}
		li.X, li.Y, li.TextX, li.TextY = x, ly-10, x+16, ly
		c.Legend = append(c.Legend, li)
		x += w
	}
	top := ly + 24
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
	c.AxisTop = top - bandPad/2
	step := niceStep(max)
	for n := 0; n <= max; n += step {
		c.Ticks = append(c.Ticks, tick{X: labelW + float64(n)*scale, Label: fmt.Sprint(n)})
	}
	c.Height = c.AxisY + 22
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
