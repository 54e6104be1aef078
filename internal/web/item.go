package web

import (
	"encoding/json"
	"fmt"
	"github.com/roster-coalition/roster/internal/audience"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

// column is one record shown side by side.
type column struct {
	Ref     string // source@edition:ref
	Found   bool
	Record  roster.Record
	Parsed  names.Name
	Missing string // why the record could not be shown
}

// cell is one value of a side-by-side row.
type cell struct {
	Value string
	Diff  bool // differs from the other records' values
}

// fieldRow is one field across the records.
type fieldRow struct {
	Label string
	Cells []cell
	Diff  bool
}

type verdictButton struct {
	Verdict, Label, Key, Hint string
	Map                       bool // map:GROUP: a group is chosen beside it
}

// buttons are the verdicts an item of a kind offers, with what each
// means for that kind.
func buttons(p *i18n.Printer, kind string, pair bool) []verdictButton {
	var out []verdictButton
	for _, v := range roster.Verdicts(kind, pair) {
		b := verdictButton{Verdict: v, Label: buttonLabel(p, v), Key: verdictKeys[v], Hint: verdictHint(p, kind, v), Map: v == roster.VerdictMap}
		out = append(out, b)
	}
	return out
}

// adjudicationView is what an adjudication item shows: the item it
// settles and the two blind decisions that disagree.
type adjudicationView struct {
	ItemID int64
	Kind   string
	Votes  []struct {
		User, Verdict, Reason, At string
	}
	// Barred says the analyst looking voted on it (only a third analyst
	// or an admin adjudicates).
	Barred bool
}

// An item shows up to maxSideBySide records side by side, each field
// compared across them; one with more lists the first maxListed.
const (
	maxSideBySide = 8
	maxListed     = 100
)

type itemView struct {
	Item        roster.ReviewItem
	Listed      []column // the records, when too many to set side by side
	MoreRecords int      // records beyond the Listed
	Query       string   // the queue filter, carried in links and forms
	Prev, Next  int64
	Columns     []column
	Rows        []fieldRow
	Expl        explanation
	Why         string // why a pair is in the queue, in words
	Extra       []keyValue
	History     []AuditEntry
	Current     *AuditEntry // the decision in force, if decided
	Buttons     []verdictButton
	Groups      []option // for map:GROUP
	Analysts    []string // for assigning a second look
	Error       string   // a refused decision (conflict, invalid)
	Verdict     string   // what the analyst tried (kept on error)
	Reason      string
	Flash       *flash
	MaxReason   int
	// CanDecide says the analyst's role lets them decide (a viewer
	// reads); Double says the kind is under blind double review, and
	// MyVote is the analyst's own decision waiting for a second one.
	CanDecide    bool
	Double       bool
	MyVote       *Vote
	Adjudication *adjudicationView
	Scope        *scopeView
}

// scopeView is what a scope item shows: what the list would be asked.
type scopeView struct {
	Omissions int
	Gaps      []string
	Examples  []struct {
		PersonID string   `json:"person_id"`
		Name     string   `json:"name"`
		ListedBy []string `json:"listed_by"`
	}
}

func (s *Server) itemPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadItem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Flash = s.flash(r)
	s.render(w, r, http.StatusOK, "item", s.printerFor(r).T("web.item.title", v.Item.ID), v)
}

func (s *Server) loadItem(r *http.Request) (*itemView, error) {
	id, err := itemID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	it, err := s.cfg.Queue.ReviewItem(ctx, id)
	if err != nil {
		return nil, err
	}
	sess := sessionFrom(ctx)
	policy, err := s.viewPolicy(r)
	if err != nil {
		return nil, err
	}
	hideConflictValues(policy, &it)
	p := s.printerFor(r)
	f := filterFrom(r)
	v := &itemView{Item: it, Query: f.query(), MaxReason: roster.MaxReason, CanDecide: roleAtLeast(sess.Role, roleAnalyst)}
	if checkFilter(f) == nil {
		if v.Prev, v.Next, err = s.cfg.Queue.Neighbours(ctx, f, it); err != nil {
			return nil, err
		}
	}
	kind := it.Kind
	if it.Kind == roster.KindAdjudication {
		v.Adjudication = decodeAdjudication(it.Payload)
		if v.Adjudication != nil {
			kind = v.Adjudication.Kind
			for _, x := range v.Adjudication.Votes {
				v.Adjudication.Barred = v.Adjudication.Barred || (x.User == sess.User && sess.Role != roleAdmin)
			}
		}
	}
	v.Buttons = buttons(p, kind, len(it.Records) == 2)
	v.Groups = options(roster.Groups, func(g string) string { return groupLabel(p, g) }, "")
	if len(it.Records) <= maxSideBySide {
		for _, ref := range it.Records {
			v.Columns = append(v.Columns, s.column(r, ref))
		}
		s.payloadRecords(p, it.Payload, v.Columns)
		for i := range v.Columns {
			v.Columns[i].Record = policy.Record(v.Columns[i].Record)
		}
		v.Rows = sideBySide(p, v.Columns)
	} else {
		// A group gap or an unknown label names many records: listed,
		// not compared.
		for i, ref := range it.Records {
			if i == maxListed {
				v.MoreRecords = len(it.Records) - maxListed
				break
			}
			c := column{Ref: ref}
			if rr, err := roster.ParseRef(ref); err == nil {
				if rec, err := s.cfg.Registry.FindRecord(ctx, rr); err == nil {
					c.Found, c.Record = true, policy.Record(rec)
				}
			}
			v.Listed = append(v.Listed, c)
		}
	}
	v.Expl, v.Extra = decodePayload(p, it.Payload)
	if policy.Hiding() {
		// The waterfall shows the two records' values of each field, and
		// the other lines of the payload may name any field.
		for i, b := range v.Expl.Bars {
			if policy.HidesAnywhere(audience.FieldOfName(b.Key)) {
				v.Expl.Bars[i].Values = ""
			}
		}
		v.Extra = nil
	}
	if kind == roster.KindMatch || kind == roster.KindDuplicate {
		v.Why = whyPair(p, it, kind)
	}
	if it.Kind == roster.KindScope {
		v.Scope = decodeScope(it.Payload)
	}
	v.History = s.itemHistory(r, id)
	if it.State == "decided" {
		v.Current = lastDecision(v.History)
	}
	double, err := s.cfg.Queue.DoubleReviewKinds(ctx)
	if err != nil {
		return nil, err
	}
	v.Double = slices.Contains(double, it.Kind)
	if v.Double && it.State == "open" {
		if mv, ok, err := s.cfg.Queue.MyVote(ctx, it, sess.User); err != nil {
			return nil, err
		} else if ok {
			v.MyVote = &mv
		}
	}
	if v.CanDecide && it.State == "open" {
		accounts, err := s.cfg.Users.Accounts(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range accounts {
			if roleAtLeast(a.Role, roleAnalyst) {
				v.Analysts = append(v.Analysts, a.Name)
			}
		}
	}
	return v, nil
}

func decodeAdjudication(payload string) *adjudicationView {
	var p struct {
		ItemID   int64  `json:"item_id"`
		ItemKind string `json:"item_kind"`
		Votes    []struct {
			User, Verdict, Reason, At string
		} `json:"votes"`
	}
	if json.Unmarshal([]byte(payload), &p) != nil || p.ItemID == 0 {
		return nil
	}
	return &adjudicationView{ItemID: p.ItemID, Kind: p.ItemKind, Votes: p.Votes}
}

func decodeScope(payload string) *scopeView {
	var v scopeView
	var p struct {
		Omissions int      `json:"omissions"`
		Gaps      []string `json:"gaps"`
	}
	if json.Unmarshal([]byte(payload), &p) != nil || json.Unmarshal([]byte(payload), &v) != nil {
		return nil
	}
	v.Omissions, v.Gaps = p.Omissions, p.Gaps
	return &v
}

// whyPair says in words why a pair item is in the queue (see
// review.ExplainPair), from its completed payload, in p's language.
func whyPair(p *i18n.Printer, it roster.ReviewItem, kind string) string {
	var pl struct {
		Probability *float64 `json:"probability"`
		Explanation struct {
			Reason      string  `json:"reason"`
			Probability float64 `json:"probability"`
		} `json:"explanation"`
		Clusters []review.PairCluster `json:"clusters"`
	}
	if json.Unmarshal([]byte(it.Payload), &pl) != nil {
		return ""
	}
	prob := pl.Explanation.Probability
	if pl.Probability != nil {
		prob = *pl.Probability
	}
	w := review.ExplainPair(kind, pl.Explanation.Reason, prob, pl.Clusters)
	pct := "p = " + p.Decimal(w.P, 2)
	switch w.Case {
	case review.WhySameList:
		return p.T("web.why.same-list", pct)
	case review.WhyRefused:
		return p.T("web.why.refused", pct, w.Refusal)
	case review.WhyMerge:
		var why string
		switch w.Because {
		case review.BecauseShared:
			var parts []string
			for _, sh := range w.Shared {
				parts = append(parts, p.T("web.why.shared.records", sh.A, sh.B, sh.List))
			}
			why = p.T("web.why.shared", strings.Join(parts, "; "))
		case review.BecauseCannotLink:
			why = p.T("web.why.cannot-link")
		default:
			why = p.T("web.why.on-balance")
		}
		return p.T("web.why.merge", pct, describeCluster(p, w.A), describeCluster(p, w.B), why)
	}
	return p.T("web.why.band", pct)
}

// describeCluster names a person and their records: "P-000012 (ipm:12
// “Həsənov Əli”, mhm:3 “Гасанов Али”)", or the record alone.
func describeCluster(p *i18n.Printer, c review.PairCluster) string {
	if c.PersonID == "" {
		return p.T("web.why.record", c.Ref)
	}
	var recs []string
	for _, r := range c.Records {
		recs = append(recs, r.Ref+" “"+r.Name+"”")
	}
	if c.Total > len(c.Records) {
		recs = append(recs, p.N("web.why.more", c.Total-len(c.Records)))
	}
	return c.PersonID + " (" + strings.Join(recs, ", ") + ")"
}

func (s *Server) column(r *http.Request, ref string) column {
	c := column{Ref: ref}
	rr, err := roster.ParseRef(ref)
	if err != nil {
		c.Missing = message(s.printerFor(r), err)
		return c
	}
	rec, err := s.cfg.Registry.FindRecord(r.Context(), rr)
	if err != nil {
		c.Missing = s.userMessage(r, err)
		return c
	}
	c.Found, c.Record, c.Parsed = true, rec, s.parseRecordName(rec)
	return c
}

// sideBySide lays the records' fields out in rows and marks the values
// that differ between records. Name parts are compared with the name
// engine (Həsənov and Гасанов are one surname on two routes); other text
// is compared after transliteration to Latin and case folding, so
// "Абзас Медиа" and "Abzas Media" do not count as a difference.
func sideBySide(p *i18n.Printer, cols []column) []fieldRow {
	// row builds a row; differ tells whether two non-empty values differ.
	row := func(key string, f func(c column) string, differ func(i, j int, a, b string) bool) fieldRow {
		r := fieldRow{Label: p.T(key)}
		for _, c := range cols {
			v := ""
			if c.Found {
				v = strings.TrimSpace(f(c))
			}
			r.Cells = append(r.Cells, cell{Value: v})
		}
		if differ == nil {
			return r
		}
		for i := range r.Cells {
			for j := range r.Cells {
				a, b := r.Cells[i].Value, r.Cells[j].Value
				if i != j && a != "" && b != "" && differ(i, j, a, b) {
					r.Cells[i].Diff, r.Diff = true, true
				}
			}
		}
		return r
	}
	text := func(_, _ int, a, b string) bool { return foldText(a) != foldText(b) }
	cmp := map[[2]int]names.Comparison{}
	compare := func(i, j int) names.Comparison {
		if i > j {
			i, j = j, i
		}
		c, ok := cmp[[2]int{i, j}]
		if !ok {
			c = names.Compare(cols[i].Parsed, cols[j].Parsed)
			cmp[[2]int{i, j}] = c
		}
		return c
	}
	part := func(pick func(c names.Comparison) names.PartScore) func(i, j int, a, b string) bool {
		return func(i, j int, _, _ string) bool {
			switch pick(compare(i, j)).Relation {
			case "equal", "variant", "missing", "":
				return false
			}
			return true
		}
	}
	year := func(c column) string {
		if c.Record.BirthYear > 0 {
			return strconv.Itoa(c.Record.BirthYear)
		}
		return ""
	}
	group := func(c column) string {
		if c.Record.Group == "" {
			if c.Record.GroupRaw != "" {
				return p.T("web.row.unmapped", c.Record.GroupRaw)
			}
			return ""
		}
		return groupLabel(p, c.Record.Group)
	}
	rows := []fieldRow{
		row("web.row.name", func(c column) string { return c.Record.Name }, nil),
		row("web.row.aliases", func(c column) string { return strings.Join(recordAliases(c.Record), "; ") }, nil),
		row("web.row.surname", func(c column) string { return c.Parsed.Surname }, part(func(c names.Comparison) names.PartScore { return c.Surname })),
		row("web.row.given", func(c column) string { return c.Parsed.Given }, part(func(c names.Comparison) names.PartScore { return c.Given })),
		row("web.row.patronymic", func(c column) string { return c.Parsed.Patronymic }, part(func(c names.Comparison) names.PartScore { return c.Patronymic })),
		row("web.row.script", func(c column) string { return scriptLabel(p, c.Parsed.Script) }, nil),
		row("field.birth_year", year, text),
		row("field.birth_date", func(c column) string { return c.Record.BirthDate }, text),
		row("field.gender", func(c column) string { return c.Record.Gender }, text),
		row("field.group", group, text),
		row("field.group_raw", func(c column) string { return c.Record.GroupRaw }, nil),
		row("field.case", func(c column) string { return c.Record.Case }, text),
		row("field.arrest_date", func(c column) string { return c.Record.ArrestDate }, text),
		row("field.sentence", func(c column) string { return c.Record.Sentence }, text),
		row("field.status", func(c column) string { return c.Record.Status }, text),
		row("field.charges", func(c column) string { return c.Record.Charges }, text),
		row("field.place", func(c column) string { return c.Record.Place }, text),
		row("field.notes", func(c column) string { return c.Record.Notes }, nil),
	}
	// Leave out rows that are empty everywhere.
	var out []fieldRow
	for _, r := range rows {
		for _, c := range r.Cells {
			if c.Value != "" {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// recordAliases are a record's other names: those of its alias columns
// and those its name cell writes in brackets or after "also known as",
// "псевдоним", "təxəllüsü" (names.SplitAliases); sorted, once each.
func recordAliases(r roster.Record) []string {
	_, inCell := names.SplitAliases(r.Name)
	return roster.MergeAliases(r.Aliases, inCell)
}

// foldText normalises free text for comparison: Latin script, lower case,
// punctuation as space, spaces collapsed.
func foldText(s string) string {
	s = strings.ToLower(names.ToLatin(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	id, err := itemID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version < 0 {
		s.fail(w, r, msg(roster.EINVALID, "web.error.no-version"))
		return
	}
	verdict := r.PostFormValue("verdict")
	if verdict == roster.VerdictMap {
		verdict += ":" + r.PostFormValue("group")
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	assign := strings.TrimSpace(r.PostFormValue("assign"))
	f := filterFrom(r)
	ctx := r.Context()
	user := sessionFrom(ctx).User
	// Where to go next: the item after this one in the same queue, read
	// before the decision moves it.
	var next int64
	if it, err := s.cfg.Queue.ReviewItem(ctx, id); err == nil && checkFilter(f) == nil {
		_, next, _ = s.cfg.Queue.Neighbours(ctx, f, it)
	}
	if reason == "" {
		err = msg(roster.EINVALID, "web.error.no-reason")
	}
	var out Outcome
	if err == nil {
		out, err = s.cfg.Queue.DecideItem(ctx, id, version, verdict, reason, user)
	}
	if err == nil && assign != "" && verdict == roster.VerdictUnsure {
		err = s.cfg.Queue.AssignItem(ctx, id, assign, user)
	}
	if err != nil {
		code := status(err)
		if code == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		// Show the item as it is now, with what the analyst tried and why
		// it was refused; nothing they typed is lost.
		v, lerr := s.loadItem(r)
		if lerr != nil {
			s.fail(w, r, err)
			return
		}
		v.Error, v.Verdict, v.Reason = message(s.printerFor(r), err), verdict, reason
		s.render(w, r, code, "item", s.printerFor(r).T("web.item.title", id), v)
		return
	}
	s.cfg.Log.Info("decision", "item", id, "verdict", verdict, "outcome", out.Outcome, "by", user)
	q := url.Values{}
	if fq := f.query(); fq != "" {
		q, _ = url.ParseQuery(fq)
	}
	q.Set("decided", strconv.FormatInt(id, 10))
	q.Set("outcome", out.Outcome)
	if out.Adjudication != 0 {
		q.Set("adjudication", strconv.FormatInt(out.Adjudication, 10))
	}
	to := "/queue?" + q.Encode()
	switch {
	case out.Outcome == "unsure":
		// The item stays open: back to it, marked for a second look.
		to = fmt.Sprintf("/items/%d?%s", id, q.Encode())
	case next != 0:
		to = fmt.Sprintf("/items/%d?%s", next, q.Encode())
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request) {
	id, err := itemID(r)
	if err == nil {
		err = s.cfg.Queue.AssignItem(r.Context(), id, strings.TrimSpace(r.PostFormValue("assign")), sessionFrom(r.Context()).User)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, withQuery(fmt.Sprintf("/items/%d", id), filterFrom(r).query()), http.StatusSeeOther)
}

func (s *Server) undo(w http.ResponseWriter, r *http.Request) {
	id, err := itemID(r)
	if err == nil {
		err = s.cfg.Queue.UndoItem(r.Context(), id, sessionFrom(r.Context()).User)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.cfg.Log.Info("undo", "item", id, "by", sessionFrom(r.Context()).User)
	q := url.Values{}
	if fq := filterFrom(r).query(); fq != "" {
		q, _ = url.ParseQuery(fq)
	}
	q.Set("undone", strconv.FormatInt(id, 10))
	http.Redirect(w, r, fmt.Sprintf("/items/%d?%s", id, q.Encode()), http.StatusSeeOther)
}

// payloadRecords fills in, from the item's payload, records that are no
// longer in the database (replaced by a re-import since the queue was built).
func (s *Server) payloadRecords(p *i18n.Printer, payload string, cols []column) {
	missing := false
	for _, c := range cols {
		missing = missing || !c.Found
	}
	if !missing {
		return
	}
	var pl struct {
		Records []roster.RecordView `json:"records"`
	}
	if json.Unmarshal([]byte(payload), &pl) != nil {
		return
	}
	for i := range cols {
		if cols[i].Found {
			continue
		}
		for _, x := range pl.Records {
			if x.Ref != cols[i].Ref {
				continue
			}
			rec := roster.Record{Source: x.Source, Edition: x.Edition, Ref: x.RecordRef, Name: x.Name, Aliases: x.Aliases, BirthYear: x.BirthYear,
				BirthDate: x.BirthDate, Gender: x.Gender, Group: x.Group, GroupRaw: x.GroupRaw, Case: x.Case,
				ArrestDate: x.ArrestDate, Sentence: x.Sentence, Status: x.Status, Location: x.Location, Raw: x.Raw}
			cols[i].Found, cols[i].Record, cols[i].Parsed = true, rec, s.parseRecordName(rec)
			cols[i].Missing = p.T("web.sbs.from-queue")
		}
	}
}
