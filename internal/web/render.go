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

	"github.com/roster-coalition/roster/internal/i18n"
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
	Langs  []langChoice // the header's language form
	Here   string       // where the language form comes back to
}

// funcs are the templates' functions that do not depend on the language.
var funcs = template.FuncMap{
	"fmtTime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"recordURL": recordURL,
	"personURL": func(id string) string { return "/persons/" + url.PathEscape(id) },
	"itemURL": func(id int64, q string) string {
		return withQuery(fmt.Sprintf("/items/%d", id), q)
	},
	"decideURL": func(id int64, q string) string { return withQuery(fmt.Sprintf("/items/%d/decide", id), q) },
	"undoURL":   func(id int64, q string) string { return withQuery(fmt.Sprintf("/items/%d/undo", id), q) },
	"join":      strings.Join,
	"add":       func(a, b int) int { return a + b - 1 },
	"isAdmin":   func(role string) bool { return role == roleAdmin },
	"link":      link,
	"strong":    markup("strong"),
	"em":        markup("em"),
	"kbd":       markup("kbd"),
	"code":      markup("code"),
}

// langFuncs are the templates' functions in one language: the printer's
// (t, n, int, decimal, date), th, and the domain's words.
func langFuncs(p *i18n.Printer) template.FuncMap {
	fm := template.FuncMap{
		"lang":       func() string { return string(p.Lang) },
		"th":         th(p),
		"kindLabel":  func(k string) string { return kindLabel(p, k) },
		"groupLabel": func(g string) string { return groupLabel(p, g) },
		"groupNames": func(gs []string) string { return groupNames(p, gs) },
		"kindList": func(ks []string) string {
			out := make([]string, len(ks))
			for i, k := range ks {
				out[i] = kindLabel(p, k)
			}
			return strings.Join(out, p.T("format.list"))
		},
		"verdictLabel": func(v string) string { return verdictLabel(p, v) },
		"fieldLabel":   func(f string) string { return fieldLabel(p, f) },
		"roleLabel":    func(r string) string { return roleLabel(p, r) },
		"stateLabel":   func(s string) string { return stateLabel(p, s) },
		"actionLabel":  func(a string) string { return actionLabel(p, a) },
		"linkLabel":    func(l string) string { return linkLabel(p, l) },
		"statusLabel":  func(s string) string { return statusLabel(p, s) },
		"eventLabel":   func(e string) string { return eventLabel(p, e) },
		"scriptLabel":  func(s string) string { return scriptLabel(p, s) },
		"scopeText":    func(sc ScopeInfo) string { return scopeText(p, sc) },
		"pct":          p.Percent,
		"num":          func(f float64) string { return p.Decimal(f, 2) },
		"signed": func(f float64) string {
			if f >= 0 {
				return "+" + p.Decimal(f, 2)
			}
			return p.Decimal(f, 2)
		},
	}
	for k, f := range p.Funcs() {
		fm[k] = f
	}
	return fm
}

func recordURL(ref string) string { return "/record?ref=" + url.QueryEscape(ref) }

// verdictKeys are the keyboard shortcuts of the verdicts.
var verdictKeys = map[string]string{
	roster.VerdictSame: "s", roster.VerdictDifferent: "d", roster.VerdictUnsure: "u", roster.VerdictDismiss: "x",
	roster.VerdictConfirm: "c", roster.VerdictNotOmission: "n", roster.VerdictOutOfScope: "o", roster.VerdictComprehensive: "a",
	roster.VerdictMap: "m",
}

// parseTemplates parses the pages once per language, each with the
// functions of its printer.
func parseTemplates(printers map[i18n.Lang]*i18n.Printer) (map[i18n.Lang]map[string]*pageTemplate, error) {
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[i18n.Lang]map[string]*pageTemplate{}
	for l, p := range printers {
		base, err := template.New("base").Funcs(funcs).Funcs(langFuncs(p)).ParseFS(assets, "templates/layout.html")
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		out[l] = map[string]*pageTemplate{}
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".html")
			if name == "layout" {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(assets, f)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", f, err)
			}
			out[l][name] = &pageTemplate{t}
		}
	}
	return out, nil
}

// render writes a page in the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	pr := s.printerFor(r)
	pt, ok := s.pages[pr.Lang][name]
	if !ok {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	sess := sessionFrom(r.Context())
	p := page{Title: title, Page: name, User: sess.User, Role: sess.Role, CSRF: sess.CSRF, Data: data, Search: r.URL.Query().Get("q"),
		Langs: langChoices(pr.Lang), Here: here(r)}
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
		http.Error(w, pr.T("web.error.internal"), http.StatusInternalServerError)
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
	s.render(w, r, code, "error", statusText(s.printerFor(r), code), struct {
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
