package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/roster-coalition/roster/internal/roster"
)

// ---- persons (a list, page by page) ----

const personsPageSize = 100

func (s *Server) personsPage(w http.ResponseWriter, r *http.Request) {
	after := strings.TrimSpace(r.URL.Query().Get("after"))
	list, more, err := s.cfg.Registry.PersonsPage(r.Context(), after, personsPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next := ""
	if more && len(list) > 0 {
		next = "/persons?after=" + list[len(list)-1].ID
	}
	ids := make([]string, len(list))
	for i, x := range list {
		ids[i] = x.ID
	}
	canon, err := s.cfg.Registry.PersonNames(r.Context(), ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.printerFor(r)
	rows := make([]personRow, len(list))
	for i, x := range list {
		rows[i] = personRow{PersonSummary: x, Names: nameIn(p.Lang, canon[x.ID], s.russianOf(x.Name), x.Name)}
	}
	s.render(w, r, http.StatusOK, "persons", p.T("web.persons.title"), struct {
		Persons []personRow
		Next    string
		Paged   bool
	}{rows, next, after != ""})
}

// personRow is a person in the list, with the name in the interface's
// script.
type personRow struct {
	PersonSummary
	Names personName
}

// russianOf is a record's name when it is written in Russian Cyrillic
// (the person's Russian spelling), else "".
func (s *Server) russianOf(name string) string {
	if s.parseRecordName(roster.Record{Name: name}).Script == "ru-cyrl" {
		return name
	}
	return ""
}

// ---- agreement and pace ----

func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.Queue.Stats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stats", s.printerFor(r).T("web.stats.title"), st)
}

// ---- admin: accounts, sessions, the review settings ----

type adminView struct {
	Accounts []Account
	Sessions []SessionInfo
	Roles    []string
	Kinds    []option // the kinds that may be double reviewed, those that are selected
	Done     string
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	accounts, err := s.cfg.Users.Accounts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sessions, err := s.cfg.Users.Sessions(ctx, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	double, err := s.cfg.Queue.DoubleReviewKinds(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.printerFor(r)
	v := adminView{Accounts: accounts, Sessions: sessions, Roles: []string{roleViewer, roleAnalyst, roleAdmin},
		Done: r.URL.Query().Get("done")}
	for _, k := range roster.Kinds {
		if k == roster.KindAdjudication || k == roster.KindScope {
			continue
		}
		v.Kinds = append(v.Kinds, option{Value: k, Label: kindLabel(p, k), Selected: slices.Contains(double, k)})
	}
	s.render(w, r, http.StatusOK, "admin", p.T("web.admin.title"), v)
}

func (s *Server) setRole(w http.ResponseWriter, r *http.Request) {
	name, role := r.PostFormValue("name"), r.PostFormValue("role")
	if err := s.cfg.Users.SetRole(r.Context(), sessionFrom(r.Context()).User, name, role); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin?done=role", http.StatusSeeOther)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	if _, err := s.cfg.Users.RevokeSessions(r.Context(), sessionFrom(r.Context()).User, r.PostFormValue("name"),
		r.PostFormValue("session")); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin?done=revoked", http.StatusSeeOther)
}

func (s *Server) setDouble(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Queue.SetDoubleReview(r.Context(), sessionFrom(r.Context()).User, r.PostForm["kinds"]); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin?done=double", http.StatusSeeOther)
}
