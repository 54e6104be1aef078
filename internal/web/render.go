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
	"decideURL": func(id int64, q string) string { return withQuery(fmt.Sprintf("/items/%d/decide", id), q) },
	"undoURL":   func(id int64, q string) string { return withQuery(fmt.Sprintf("/items/%d/undo", id), q) },
	"join":      strings.Join,
}

func recordURL(ref string) string { return "/record?ref=" + url.QueryEscape(ref) }

var kindLabels = map[string]string{
	roster.KindMatch:        "Doubtful match",
	roster.KindDuplicate:    "Duplicate in one list",
	roster.KindConflict:     "Conflicting facts",
	roster.KindOmission:     "Omission",
	roster.KindGroupGap:     "Group gap",
	roster.KindUnknownGroup: "Unknown group label",
	roster.KindChange:       "Edition change",
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
	roster.VerdictSame:      "Same person",
	roster.VerdictDifferent: "Different people",
	roster.VerdictUnsure:    "Unsure",
	roster.VerdictDismiss:   "Dismissed",
}

func verdictLabel(v string) string {
	if l, ok := verdictLabels[v]; ok {
		return l
	}
	return v
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
	p := page{Title: title, Page: name, User: sess.User, CSRF: sess.CSRF, Data: data, Search: r.URL.Query().Get("q")}
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
