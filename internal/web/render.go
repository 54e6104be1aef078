package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

type pageTemplate struct{ t *template.Template }

// page is what every template gets.
type page struct {
	Title  string
	Page   string // template name, also body's data-page
	User   string
	Role   string
	CSRF   string
	Open   int // open items in the queue, for the navigation
	Search string
	Data   any
}

var funcs = template.FuncMap{
	"kindLabel":    kindLabel,
	"groupLabel":   groupLabel,
	"verdictLabel": verdictLabel,
	"fmtTime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"num": func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"signed": func(f float64) string {
		if f >= 0 {
			return fmt.Sprintf("+%.2f", f)
		}
		return fmt.Sprintf("−%.2f", -f)
	},
	"recordURL": recordURL,
	"personURL": func(id string) string { return "/persons/" + url.PathEscape(id) },
	"itemURL": func(id int64, q string) string {
		return withQuery(fmt.Sprintf("/items/%d", id), q)
	},
	"decideURL":  func(id int64, q string) string { return withQuery(fmt.Sprintf("/items/%d/decide", id), q) },
	"undoURL":    func(id int64, q string) string { return withQuery(fmt.Sprintf("/items/%d/undo", id), q) },
	"join":       strings.Join,
	"fieldLabel": fieldLabel,
	"add":        func(a, b int) int { return a + b - 1 },
	"isAdmin":    func(role string) bool { return role == roleAdmin },
}

func recordURL(ref string) string { return "/record?ref=" + url.QueryEscape(ref) }

// The words the UI uses for kinds, groups, verdicts and fields, in one
// place (a later pass moves them into the message catalogs).

var kindLabels = map[string]string{
	roster.KindMatch:        "Doubtful match",
	roster.KindDuplicate:    "Duplicate in one list",
	roster.KindConflict:     "Conflicting facts",
	roster.KindOmission:     "Omission",
	roster.KindGroupGap:     "Group gap",
	roster.KindUnknownGroup: "Unknown group label",
	roster.KindChange:       "Edition change",
	roster.KindScope:        "List scope",
	roster.KindAdjudication: "Adjudication",
}

func kindLabel(k string) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return k
}

var groupLabels = map[string]string{
	roster.GroupReligious:       "Religious believers",
	roster.GroupOpposition:      "Political opposition",
	roster.GroupJournalist:      "Journalists and bloggers",
	roster.GroupRightsDefender:  "Human-rights defenders",
	roster.GroupEthnicMinority:  "Ethnic minorities",
	roster.GroupAntiWar:         "Anti-war activists",
	roster.GroupDeportedRefugee: "Deported or refugees",
	roster.GroupLifeSentence:    "Life sentences",
	roster.GroupSoyudlu:         "Soyudlu case",
	roster.GroupImishli:         "Imishli protest",
	roster.GroupTartar:          "Tartar case",
	roster.GroupGanja:           "Ganja case",
}

func groupLabel(g string) string {
	if g == "" {
		return "unmapped"
	}
	if l, ok := groupLabels[g]; ok {
		return l
	}
	return g
}

var verdictLabels = map[string]string{
	roster.VerdictSame:          "Same person",
	roster.VerdictDifferent:     "Different people",
	roster.VerdictUnsure:        "Unsure",
	roster.VerdictDismiss:       "Dismiss",
	roster.VerdictConfirm:       "Confirm",
	roster.VerdictNotOmission:   "Not an omission",
	roster.VerdictOutOfScope:    "Out of the list's scope",
	roster.VerdictComprehensive: "The list covers everyone",
	roster.VerdictMap:           "Map to a group",
}

// verdictKeys are the keyboard shortcuts of the verdicts.
var verdictKeys = map[string]string{
	roster.VerdictSame: "s", roster.VerdictDifferent: "d", roster.VerdictUnsure: "u", roster.VerdictDismiss: "x",
	roster.VerdictConfirm: "c", roster.VerdictNotOmission: "n", roster.VerdictOutOfScope: "o", roster.VerdictComprehensive: "a",
	roster.VerdictMap: "m",
}

func verdictLabel(v string) string {
	base, grp, isMap := strings.Cut(v, ":")
	if isMap && base == roster.VerdictMap {
		return "Mapped to " + groupLabel(grp)
	}
	if l, ok := verdictLabels[v]; ok {
		return l
	}
	return v
}

// verdictHints say what a verdict means for a kind of item.
var verdictHints = map[string]string{
	roster.KindMatch + " " + roster.VerdictSame:           "the two records are one person: they will be linked",
	roster.KindMatch + " " + roster.VerdictDifferent:      "the records are two people: they will be kept apart",
	roster.KindDuplicate + " " + roster.VerdictSame:       "the list names one person twice",
	roster.KindDuplicate + " " + roster.VerdictDifferent:  "the list names two people",
	roster.KindConflict + " " + roster.VerdictConfirm:     "the lists really disagree: a list needs correcting",
	roster.KindConflict + " " + roster.VerdictDifferent:   "the two records are two people: they will be split",
	roster.KindConflict + " " + roster.VerdictDismiss:     "not a real disagreement (a spelling, a known difference)",
	roster.KindOmission + " " + roster.VerdictConfirm:     "the list should name this person: a real omission",
	roster.KindOmission + " " + roster.VerdictNotOmission: "the list does name them (under another spelling), or should not",
	roster.KindOmission + " " + roster.VerdictOutOfScope:  "the list does not mean to cover this person",
	roster.KindGroupGap + " " + roster.VerdictConfirm:     "the list really leaves this group out",
	roster.KindGroupGap + " " + roster.VerdictOutOfScope:  "the list does not mean to cover this group",
	roster.KindChange + " " + roster.VerdictConfirm:       "the change between editions is real",
	roster.KindScope + " " + roster.VerdictComprehensive:  "the list means to name every political prisoner: omissions will be raised against it",
	roster.KindScope + " " + roster.VerdictDismiss:        "the list is partial; raise nothing against it",
	roster.KindUnknownGroup + " " + roster.VerdictMap:     "the label means this group: its records take it, and later imports too",
	roster.KindUnknownGroup + " " + roster.VerdictDismiss: "leave the label unmapped",
}

func verdictHint(kind, v string) string {
	if h, ok := verdictHints[kind+" "+v]; ok {
		return h
	}
	switch v {
	case roster.VerdictUnsure:
		return "needs more research: the item stays open for a second look"
	case roster.VerdictDismiss:
		return "not a real doubt"
	}
	return ""
}

// fieldLabels name the matcher's and the payloads' fields for people.
var fieldLabels = map[string]string{
	"surname": "Surname", "given": "Given name", "patronymic": "Father's name", "birth_year": "Birth year",
	"gender": "Gender", "group": "Group", "case": "Case", "arrest_date": "Arrest date", "status": "Status",
	"same_person": "Already one person", "persons": "Persons", "person_id": "Person", "listed_by": "Listed by",
	"earlier_editions": "In earlier editions", "edition": "Edition", "source": "Source", "field": "Field",
	"values": "Values", "by_source": "By list", "label": "Label", "groups": "Groups", "others": "Other lists",
	"others_median": "Median of the other lists", "count": "This list's count", "omitted": "Omitted",
	"listed_elsewhere": "Listed under another group", "persons_total": "Persons in all", "change": "Change",
	"from": "From edition", "to": "To edition", "listed_by_others": "Listed by others", "omissions": "Omissions it would raise",
	"gaps": "Group gaps it would raise",
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return strings.ReplaceAll(f, "_", " ")
}

func parseTemplates() (map[string]*pageTemplate, error) {
	base, err := template.New("base").Funcs(funcs).ParseFS(assets, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*pageTemplate{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(assets, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		out[name] = &pageTemplate{t}
	}
	return out, nil
}

// render writes a page in the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	pt, ok := s.pages[name]
	if !ok {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	sess := sessionFrom(r.Context())
	p := page{Title: title, Page: name, User: sess.User, Role: sess.Role, CSRF: sess.CSRF, Data: data, Search: r.URL.Query().Get("q")}
	if sess.User != "" {
		if counts, err := s.cfg.Queue.ReviewCounts(r.Context()); err == nil {
			for _, n := range counts {
				p.Open += n
			}
		}
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.cfg.Log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error: see the server's log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, code, msg)
		return
	}
	s.render(w, r, code, "error", http.StatusText(code), struct {
		Code    int
		Message string
	}{code, msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func writeJSONError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func withQuery(u, q string) string {
	if q != "" {
		return u + "?" + q
	}
	return u
}
