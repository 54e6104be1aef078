// Package web is the analysts' review UI: a small net/http server that
// renders html/template pages, with every asset (CSS, one vanilla JS file
// for the keyboard shortcuts) embedded in the binary. Nothing is loaded
// from elsewhere and the Content-Security-Policy forbids it.
//
// # Dependencies
//
// The package defines the small interfaces it needs — Queue, Users and
// Registry — and the command line wires the store into them. It imports
// only the domain vocabulary (roster), the name engine (names) and the
// standard library.
//
// # Security
//
//   - Every page and API needs a session (cookie "roster_session",
//     HttpOnly, SameSite=Strict); only the token's SHA-256 is stored.
//   - Every POST but the login carries the session's CSRF token in a
//     hidden field (or the X-CSRF-Token header), checked in constant time;
//     http.CrossOriginProtection rejects cross-origin writes on top.
//   - Content-Security-Policy: default-src 'self' (no inline script or
//     style), frame-ancestors 'none'; no-store caching of pages.
//   - Decisions are made under the session's user name; the item's version
//     travels in the form, so a decision made meanwhile by someone else is
//     reported (409), never overwritten.
package web

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

//go:embed templates static
var assets embed.FS

// QueueFilter selects review items. State is "", "open", "decided",
// "stale" or "all" ("" means open).
type QueueFilter struct {
	Kind, Source, Group, State string
}

// AuditEntry is one line of the audit log (decisions and undos from the
// CLI and the UI alike).
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string // decide | undo
	Verdict    string
	Reason     string
	Detail     string // JSON: the records or item concerned
	DecisionID int64
	ItemID     int64
}

// Queue is the review queue.
type Queue interface {
	ReviewItems(ctx context.Context, f QueueFilter) ([]roster.ReviewItem, error)
	ReviewItem(ctx context.Context, id int64) (roster.ReviewItem, error)
	ReviewCounts(ctx context.Context) (map[string]int, error)
	// DecideItem records a verdict on the item at the given version; it
	// returns an ECONFLICT error when the item changed meanwhile.
	DecideItem(ctx context.Context, id, version int64, verdict, reason, by string) (roster.Decision, error)
	UndoItem(ctx context.Context, id int64, by string) error
	Audit(ctx context.Context) ([]AuditEntry, error)
	ItemDecisions(ctx context.Context, itemID int64) ([]AuditEntry, error)
}

// Session is a logged-in analyst.
type Session struct {
	User      string
	Role      string // viewer | analyst | admin
	CSRF      string
	ExpiresAt time.Time
}

// Users authenticates analysts and keeps their sessions.
type Users interface {
	// CheckPassword returns nil when the password is the user's.
	CheckPassword(ctx context.Context, name, password string) error
	// CreateSession returns a new random token (for the cookie) and the session.
	CreateSession(ctx context.Context, user string) (token string, s Session, err error)
	// Session returns the live session of a token (ENOTFOUND otherwise).
	Session(ctx context.Context, token string) (Session, error)
	DeleteSession(ctx context.Context, token string) error
}

// SourceInfo is a source and its editions, oldest first.
type SourceInfo struct {
	Slug     string
	Title    string
	Editions []EditionInfo
}

// EditionInfo is one edition of a source's list.
type EditionInfo struct {
	Edition    string
	Title      string
	ImportedAt string
	Records    int
	Groups     map[string]int // records per group key; "" = unmapped
	Files      []string
}

// PersonEvent is one line of a person ID's history (created, merged-into…).
type PersonEvent struct {
	At      time.Time
	Run     int64
	Event   string
	OtherID string
}

// Registry reads the lists and the current clustering.
type Registry interface {
	Sources(ctx context.Context) ([]SourceInfo, error)
	AllRecords(ctx context.Context) ([]roster.Record, error)
	FindRecord(ctx context.Context, ref roster.RecordRef) (roster.Record, error)
	// Persons returns the active persons with their members (none before
	// the first match run).
	Persons(ctx context.Context) ([]roster.Person, error)
	// Person returns one person (ENOTFOUND when unknown) and its ID's history.
	Person(ctx context.Context, id string) (roster.Person, []PersonEvent, error)
	// Decisions returns the decisions in force (not undone), oldest first.
	Decisions(ctx context.Context) ([]roster.Decision, error)
}

// Config is what a Server needs.
type Config struct {
	Queue    Queue
	Users    Users
	Registry Registry
	Log      *slog.Logger // nil: slog.Default()
	Now      func() time.Time
}

// Server is the review UI's http.Handler.
type Server struct {
	cfg     Config
	pages   map[string]*pageTemplate
	static  fs.FS
	handler http.Handler
	limiter *loginLimiter

	namesMu sync.Mutex
	names   map[nameKey]parsedName // parsed record names, for search
}

// New returns the UI's handler.
func New(cfg Config) (*Server, error) {
	if cfg.Queue == nil || cfg.Users == nil || cfg.Registry == nil {
		return nil, errors.New("web: Queue, Users and Registry are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, pages: pages, static: static, limiter: newLoginLimiter(cfg.Now), names: map[nameKey]parsedName{}}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the UI.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static := http.FileServerFS(s.static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", static))
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", s.auth(s.logout))

	mux.Handle("GET /{$}", s.auth(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
	}))
	mux.Handle("GET /queue", s.auth(s.queuePage))
	mux.Handle("GET /items/{id}", s.auth(s.itemPage))
	mux.Handle("POST /items/{id}/decide", s.auth(s.decide))
	mux.Handle("POST /items/{id}/undo", s.auth(s.undo))
	mux.Handle("GET /persons/{id}", s.auth(s.personPage))
	mux.Handle("GET /record", s.auth(s.recordPage))
	mux.Handle("GET /sources", s.auth(s.sourcesPage))
	mux.Handle("GET /search", s.auth(s.searchPage))
	mux.Handle("GET /audit", s.auth(s.auditPage))

	mux.Handle("GET /api/queue", s.auth(s.apiQueue))
	mux.Handle("GET /api/items/{id}", s.auth(s.apiItem))
	mux.Handle("GET /api/counts", s.auth(s.apiCounts))
	mux.Handle("/", s.auth(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, roster.Errorf(roster.ENOTFOUND, "no page %s", r.URL.Path))
	}))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "cross-origin request refused")
	}))
	return securityHeaders(cop.Handler(mux))
}

// csp is the Content-Security-Policy of every response.
const csp = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.ServeHTTP(w, r)
	})
}

// status maps a domain error code to an HTTP status.
func status(err error) int {
	switch roster.ErrorCode(err) {
	case roster.EINVALID:
		return http.StatusBadRequest
	case roster.ENOTFOUND:
		return http.StatusNotFound
	case roster.ECONFLICT:
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}

// userMessage is what the analyst is told about err: the domain message,
// or a generic line for internal errors (which go to the server's log).
func (s *Server) userMessage(r *http.Request, err error) string {
	if status(err) == http.StatusInternalServerError {
		s.cfg.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		return "internal error: see the server's log"
	}
	return err.Error()
}

// fail answers a request with the page for err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.renderError(w, r, status(err), s.userMessage(r, err))
}
