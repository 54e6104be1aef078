package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/roster"
)

// Privacy keeps the privacy marks (the same log as roster privacy) and
// gives the audience filter of a page.
type Privacy interface {
	// PersonPrivacy says whether a person is private now, and why.
	PersonPrivacy(ctx context.Context, id string) (PersonPrivacy, error)
	MarkPerson(ctx context.Context, id, reason, askedBy, by string) error
	UnmarkPerson(ctx context.Context, id, reason, by string) error
	// Policy is the filter of an audience under the marks in force.
	Policy(ctx context.Context, a audience.Audience) (audience.Policy, error)
}

// PersonPrivacy is a person's privacy, for the person page.
type PersonPrivacy struct {
	Private bool
	// How a mark reaches the person: "" marked themselves, "merged" (a
	// mark on MarkedID, merged into this person), "split" (split from a
	// person marked as MarkedID).
	Via      string
	MarkedID string
	Reason   string
	AskedBy  string
	By       string
	At       string
}

// role is the session's role. Accounts have no roles yet: every account
// is an analyst until Config.Role says otherwise (the team-review issue
// brings admin, analyst and viewer).
func (s *Server) role(sess Session) string {
	if s.cfg.Role != nil {
		return s.cfg.Role(sess)
	}
	return audience.RoleAnalyst
}

// pageAudience is the audience a page is shown for: ?audience= when the
// role may ask for it (a viewer never gets internal), else the role's
// default (analysts and admins work on the internal view, viewers see the
// coalition's).
func (s *Server) pageAudience(r *http.Request) (audience.Audience, error) {
	role := s.role(sessionFrom(r.Context()))
	want := r.URL.Query().Get("audience")
	if want == "" {
		return defaultAudience(role), nil
	}
	a, err := audience.Parse(want)
	if err != nil {
		return "", err
	}
	return a, audience.Allow(role, a)
}

// defaultAudience is a role's audience when it asks for none: analysts
// and admins work on the internal view, viewers see the coalition's.
func defaultAudience(role string) audience.Audience {
	if role == audience.RoleAnalyst || role == audience.RoleAdmin {
		return audience.Internal
	}
	return audience.Coalition
}

// pagePolicy is the audience filter of a page; without Privacy (no marks
// to read) only the internal view exists.
func (s *Server) pagePolicy(r *http.Request) (audience.Policy, error) {
	a, err := s.pageAudience(r)
	if err != nil {
		return audience.Policy{}, err
	}
	if s.cfg.Privacy == nil {
		if a != audience.Internal {
			return audience.Policy{}, msg(roster.EINVALID, "web.error.no-marks.internal")
		}
		return audience.Policy{Audience: a}, nil
	}
	return s.cfg.Privacy.Policy(r.Context(), a)
}

// viewPolicy is the audience filter of the pages that show records
// beside other things (an item, a person, the queue's titles, search):
// the role's default audience, analysts and admins the internal view,
// viewers the coalition's (?audience= is the record page's). It never
// hides a person's name: no audience these pages serve is public.
func (s *Server) viewPolicy(r *http.Request) (audience.Policy, error) {
	a := defaultAudience(s.role(sessionFrom(r.Context())))
	if s.cfg.Privacy == nil || a == audience.Internal {
		return audience.Policy{Audience: a}, nil
	}
	return s.cfg.Privacy.Policy(r.Context(), a)
}

// hideConflictValues takes the disputed values out of a conflict item's
// title ("… lists disagree on birth year (ipm: 1985; cdr: 1986)") when
// the policy hides that field of some list.
func hideConflictValues(policy audience.Policy, it *roster.ReviewItem) {
	if it.Kind != roster.KindConflict {
		return
	}
	parts := strings.SplitN(it.Key, ":", 4) // conflict:PERSON:FIELD:values
	if len(parts) < 3 || !policy.HidesAnywhere(audience.FieldOfName(parts[2])) {
		return
	}
	const on = ": lists disagree on "
	if i := strings.Index(it.Title, on); i >= 0 {
		if j := strings.Index(it.Title[i:], " ("); j >= 0 {
			it.Title = it.Title[:i+j]
		}
	}
	it.Key = strings.Join(parts[:3], ":")
}

// hideTitleValues takes the values of private fields out of the items'
// titles, for the reader of the request (see viewPolicy).
func (s *Server) hideTitleValues(r *http.Request, items []roster.ReviewItem) error {
	policy, err := s.viewPolicy(r)
	if err != nil || !policy.Hiding() {
		return err
	}
	for i := range items {
		hideConflictValues(policy, &items[i])
	}
	return nil
}

// personPrivacy is what the person page shows of the person's privacy
// (nil without Privacy).
func (s *Server) personPrivacy(ctx context.Context, id string) *PersonPrivacy {
	if s.cfg.Privacy == nil {
		return nil
	}
	pp, err := s.cfg.Privacy.PersonPrivacy(ctx, id)
	if err != nil {
		s.cfg.Log.Error("person privacy", "err", err)
		return nil
	}
	return &pp
}

// markPrivate marks or unmarks a person private (POST
// /persons/{id}/privacy: action, reason, asked_by), under the session's
// name; viewers may not.
func (s *Server) markPrivate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sess := sessionFrom(r.Context())
	if s.cfg.Privacy == nil {
		s.fail(w, r, msg(roster.ENOTFOUND, "web.error.no-marks"))
		return
	}
	if role := s.role(sess); role != audience.RoleAnalyst && role != audience.RoleAdmin {
		s.fail(w, r, msg(roster.EFORBIDDEN, "web.error.mark-role", roleLabel(s.printerFor(r), role)))
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		s.fail(w, r, msg(roster.EINVALID, "web.error.no-reason"))
		return
	}
	var err error
	switch r.PostFormValue("action") {
	case audience.ActionMark:
		err = s.cfg.Privacy.MarkPerson(r.Context(), id, reason, strings.TrimSpace(r.PostFormValue("asked_by")), sess.User)
	case audience.ActionUnmark:
		err = s.cfg.Privacy.UnmarkPerson(r.Context(), id, reason, sess.User)
	default:
		err = msg(roster.EINVALID, "web.error.privacy-action", r.PostFormValue("action"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/persons/"+id, http.StatusSeeOther)
}
