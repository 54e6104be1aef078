package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

// CookieName is the session cookie.
const CookieName = "roster_session"

type ctxKey struct{}

// sessionFrom returns the request's session (set by auth).
func sessionFrom(ctx context.Context) Session {
	s, _ := ctx.Value(ctxKey{}).(Session)
	return s
}

// auth lets a request through only with a live session, and checks the
// CSRF token of every request that is not GET or HEAD.
func (s *Server) auth(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.session(r)
		if !ok {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				if strings.HasPrefix(r.URL.Path, "/api/") {
					writeJSONError(w, http.StatusUnauthorized, s.printerFor(r).T("web.error.log-in"))
					return
				}
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusUnauthorized, s.printerFor(r).T("web.error.session-ended"))
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, sess))
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			got := r.Header.Get("X-CSRF-Token")
			if got == "" {
				got = r.PostFormValue("csrf")
			}
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
				s.renderError(w, r, http.StatusForbidden, s.printerFor(r).T("web.error.csrf"))
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	})
}

func (s *Server) session(r *http.Request) (Session, bool) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return Session{}, false
	}
	sess, err := s.cfg.Users.Session(r.Context(), c.Value)
	if err != nil {
		if roster.ErrorCode(err) != roster.ENOTFOUND {
			s.cfg.Log.Error("session lookup failed", "err", err)
		}
		return Session{}, false
	}
	return sess, true
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/queue"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.session(r); ok {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, code int, name, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, code, "login", s.printerFor(r).T("web.login.title"), struct {
		Name, Error, Next string
	}{name, msg, safeNext(r.FormValue("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	pw := r.PostFormValue("password")
	if name == "" || pw == "" {
		s.renderLogin(w, r, http.StatusBadRequest, name, s.printerFor(r).T("web.login.empty"))
		return
	}
	wait, err := s.cfg.Users.LoginLocked(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		s.renderLogin(w, r, http.StatusTooManyRequests, name, s.printerFor(r).T("web.login.locked", wait.Round(time.Second).String()))
		return
	}
	if err := s.cfg.Users.CheckPassword(r.Context(), name, pw); err != nil {
		if roster.ErrorCode(err) != roster.EINVALID && roster.ErrorCode(err) != roster.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		if err := s.cfg.Users.LoginFailed(r.Context(), name); err != nil {
			s.fail(w, r, err)
			return
		}
		s.cfg.Log.Warn("failed login", "user", name, "remote", r.RemoteAddr)
		s.renderLogin(w, r, http.StatusUnauthorized, name, s.printerFor(r).T("web.login.wrong"))
		return
	}
	if err := s.cfg.Users.LoginSucceeded(r.Context(), name); err != nil {
		s.fail(w, r, err)
		return
	}
	tok, sess, err := s.cfg.Users.CreateSession(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// MaxAge, not Expires: the server's clock decides when a session
	// ends, and the browser's may differ.
	maxAge := int(sess.ExpiresAt.Sub(s.cfg.Now()).Seconds())
	if maxAge <= 0 {
		maxAge = 0 // a browser-session cookie; the server still ends it in time
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil, MaxAge: maxAge,
	})
	s.cfg.Log.Info("login", "user", name)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil {
		if err := s.cfg.Users.DeleteSession(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: -1,
		Secure: r.TLS != nil})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// Roles, least to most.
const (
	roleViewer  = "viewer"
	roleAnalyst = "analyst"
	roleAdmin   = "admin"
)

// roleAtLeast reports whether a role has the rights of need.
func roleAtLeast(role, need string) bool {
	rank := map[string]int{roleViewer: 1, roleAnalyst: 2, roleAdmin: 3}
	return rank[role] > 0 && rank[role] >= rank[need]
}

// need lets a request through only for a session whose role has the
// rights of role (403 otherwise); it runs inside auth.
func (s *Server) need(role string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := sessionFrom(r.Context())
		if !roleAtLeast(sess.Role, role) {
			p := s.printerFor(r)
			s.renderError(w, r, http.StatusForbidden, p.T("web.error.need."+role, sess.User, roleLabel(p, sess.Role)))
			return
		}
		h(w, r)
	}
}
