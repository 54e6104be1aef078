// Package web is the analysts' review UI: a small net/http server that
// renders html/template pages, with every asset (CSS, one vanilla JS file
// for the keyboard shortcuts) embedded in the binary. Nothing is loaded
// from elsewhere and the Content-Security-Policy forbids it.
//
// # Dependencies
//
// The package defines the small interfaces it needs — Queue, Users and
// Registry — and internal/webstore wires the store and the use-cases into
// them. It imports only the domain vocabulary (roster), the name engine
// (names), the review rules (review: verdicts, why a pair is queued) and
// the standard library.
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
//   - Served over TLS (roster serve --tls-cert), every response carries
//     Strict-Transport-Security and the session cookie is Secure.
//   - Decisions are made under the session's user name; the item's version
//     travels in the form, so a decision made meanwhile by someone else is
//     reported (409), never overwritten.
//   - Roles are checked on every request: a viewer reads, an analyst also
//     decides, an admin also manages accounts, scopes and settings (403
//     otherwise; the store checks again).
//   - Failed logins lock a name for a while, counted in the database, so
//     a restart forgets nothing.
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

	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
)

//go:embed templates static
var assets embed.FS

// QueueFilter selects review items. State is "", "open", "decided",
// "stale" or "all" ("" means open).
type QueueFilter struct {
	Kind, Source, Group, State string
	AssignedTo                 string // items assigned to this analyst for a second look
	SecondLook                 bool   // items someone answered unsure to
	// Voter hides the items this analyst already decided in a blind
	// double review (the server sets it to the analyst looking).
	Voter string
}

// QueuePage is one page of the queue, read through an index from a
// cursor (keyset pagination).
type QueuePage struct {
	Items []roster.ReviewItem
	More  bool // items follow, in the direction read
	// First and Last are the cursors of the first and last items: the
	// previous page is read backward from First, the next after Last.
	First, Last string
}

// AuditEntry is one line of the audit log (decisions, votes, undos,
// assignments, scopes and settings from the CLI and the UI alike).
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string // decide | undo | vote | assign | scope | config
	Verdict    string
	Reason     string
	Detail     string // JSON: the records or item concerned
	DecisionID int64
	ItemID     int64
}

// Outcome is what deciding an item did.
type Outcome struct {
	Outcome      string // decided | unsure | voted | agreed | disagreed
	DecisionID   int64
	Verdict, By  string
	Adjudication int64 // the adjudication item opened on a disagreement
}

// Vote is an analyst's own blind decision, waiting for a second one.
type Vote struct {
	Verdict, Reason string
	At              time.Time
}

// Stats is the analysts' agreement (blind double review) and pace.
type Stats struct {
	DoubleReview []string
	ByKind       []review.AgreementRow
	ByPair       []review.AgreementRow
	Analysts     []review.Throughput
	Pending      int
}

// Queue is the review queue.
type Queue interface {
	// ReviewPage reads up to n items of the filter after the cursor (or,
	// backward, the n before it); "" is the start of the queue.
	ReviewPage(ctx context.Context, f QueueFilter, cursor string, n int, backward bool) (QueuePage, error)
	ReviewItem(ctx context.Context, id int64) (roster.ReviewItem, error)
	// Neighbours returns the items before and after an item in the
	// filter's order (0 when none).
	Neighbours(ctx context.Context, f QueueFilter, it roster.ReviewItem) (prev, next int64, err error)
	ReviewCounts(ctx context.Context) (map[string]int, error)
	// DecideItem records a verdict on the item at the given version; it
	// returns an ECONFLICT error when the item changed meanwhile.
	DecideItem(ctx context.Context, id, version int64, verdict, reason, by string) (Outcome, error)
	AssignItem(ctx context.Context, id int64, to, by string) error
	UndoItem(ctx context.Context, id int64, by string) error
	// AuditPage returns up to n entries before the entry ID before (0:
	// the newest), newest first, of one actor or all; more says older
	// entries follow.
	AuditPage(ctx context.Context, actor string, before int64, n int) (entries []AuditEntry, more bool, err error)
	ItemDecisions(ctx context.Context, itemID int64) ([]AuditEntry, error)
	// AuditAbout returns the entries about the items or the decisions,
	// oldest first.
	AuditAbout(ctx context.Context, itemIDs, decisionIDs []int64) ([]AuditEntry, error)
	// ItemsAbout returns the items about a person or naming one of the
	// records (full references) in a pair, at most limit.
	ItemsAbout(ctx context.Context, personID string, refs []string, limit int) ([]roster.ReviewItem, error)
	// MyVote returns user's own pending vote on the item's round.
	MyVote(ctx context.Context, it roster.ReviewItem, user string) (Vote, bool, error)
	DoubleReviewKinds(ctx context.Context) ([]string, error)
	SetDoubleReview(ctx context.Context, by string, kinds []string) error
	Stats(ctx context.Context) (Stats, error)
}

// Session is a logged-in analyst.
type Session struct {
	User      string
	Role      string // viewer | analyst | admin
	CSRF      string
	ExpiresAt time.Time
	Lang      string // the language the user chose (az, ru, en); "" = none: Accept-Language decides
}

// Account is a user as the admin page lists it.
type Account struct {
	Name     string
	Role     string
	Sessions int
}

// SessionInfo is a live session as the admin page lists it.
type SessionInfo struct {
	ID        string
	User      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Users authenticates analysts and keeps their sessions and the login
// lockout (in the database: a restart forgets neither).
type Users interface {
	// CheckPassword returns nil when the password is the user's.
	CheckPassword(ctx context.Context, name, password string) error
	// CreateSession returns a new random token (for the cookie) and the session.
	CreateSession(ctx context.Context, user string) (token string, s Session, err error)
	// Session returns the live session of a token (ENOTFOUND otherwise).
	Session(ctx context.Context, token string) (Session, error)
	DeleteSession(ctx context.Context, token string) error
	// LoginLocked says how long logins for a name stay refused.
	LoginLocked(ctx context.Context, name string) (time.Duration, error)
	LoginFailed(ctx context.Context, name string) error
	LoginSucceeded(ctx context.Context, name string) error
	Accounts(ctx context.Context) ([]Account, error)
	SetRole(ctx context.Context, by, name, role string) error
	Sessions(ctx context.Context, user string) ([]SessionInfo, error)
	RevokeSessions(ctx context.Context, by, user, id string) (int, error)
	// SetLang keeps the user's language of the UI ("" to follow the
	// browser again).
	SetLang(ctx context.Context, user, lang string) error
}

// SourceInfo is a source and its editions, oldest first.
type SourceInfo struct {
	Slug     string
	Title    string
	Editions []EditionInfo
	Scope    *ScopeInfo // the latest edition's declared scope, nil when none
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

// ScopeInfo is what a list declares it covers.
type ScopeInfo struct {
	Source, Edition string
	Comprehensive   bool
	Groups, Cases   []string
	From, To        string
	Country, Note   string
	SetBy           string
}

// PersonEvent is one line of a person ID's history (created, merged-into…).
type PersonEvent struct {
	At      time.Time
	Run     int64
	Event   string
	OtherID string
}

// PersonSummary is a person in the list of persons.
type PersonSummary struct {
	ID      string
	Name    string // a record's name as written
	Records int
	Lists   int
}

// NameHit is a record a name search found, with its person.
type NameHit struct {
	Record   roster.Record
	PersonID string
}

// Tally is the unified registry's persons per group.
type Tally struct {
	Persons int
	Groups  map[string]int
}

// Registry reads the lists and the current clustering.
type Registry interface {
	Sources(ctx context.Context) ([]SourceInfo, error)
	// Tally is the registry's persons per group (ok false before the
	// first match).
	Tally(ctx context.Context) (t Tally, ok bool, err error)
	FindRecord(ctx context.Context, ref roster.RecordRef) (roster.Record, error)
	// PersonOf returns the person a record is in ("" for none).
	PersonOf(ctx context.Context, ref roster.RecordRef) (string, error)
	// Person returns one person (ENOTFOUND when unknown) and its ID's history.
	Person(ctx context.Context, id string) (roster.Person, []PersonEvent, error)
	// PersonsPage returns up to n active persons after the person ID
	// after ("" from the first), by ID.
	PersonsPage(ctx context.Context, after string, n int) ([]PersonSummary, bool, error)
	// DecisionsAbout returns the decisions in force naming one of the
	// records (full references), oldest first.
	DecisionsAbout(ctx context.Context, refs []string) ([]roster.Decision, error)
	// SearchNames returns up to limit records whose names the index
	// matches with the query, whether more matched, and how many records
	// are not indexed yet.
	SearchNames(ctx context.Context, q string, limit int) (hits []NameHit, more bool, unindexed int, err error)
	// PersonNames returns the registry's canonical names (Azerbaijani
	// Latin, as the last rebuild of the queue computed them) of the
	// persons it knows among ids.
	PersonNames(ctx context.Context, ids []string) (map[string]string, error)
	SetScope(ctx context.Context, by string, sc ScopeInfo) error
	ClearScope(ctx context.Context, by, source, edition string) error
}

// Config is what a Server needs.
type Config struct {
	Queue    Queue
	Users    Users
	Registry Registry
	// Privacy keeps the privacy marks (nil: the person page has no
	// privacy form, and pages have only the internal view).
	Privacy Privacy
	// Role gives a session's role (admin, analyst, viewer); nil: every
	// account is an analyst.
	Role func(Session) string
	// Health checks the database for /healthz (nil: always healthy).
	Health func(context.Context) error
	Log    *slog.Logger // nil: slog.Default()
	Now    func() time.Time
}

// Server is the review UI's http.Handler.
type Server struct {
	cfg      Config
	printers map[i18n.Lang]*i18n.Printer
	pages    map[i18n.Lang]map[string]*pageTemplate // by language and name
	static   fs.FS
	handler  http.Handler

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
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, static: static, names: map[nameKey]parsedName{}}
	s.printers = s.newPrinters()
	if s.pages, err = parseTemplates(s.printers); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the UI.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static := http.FileServerFS(s.static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", static))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", s.auth(s.logout))
	mux.Handle("POST /lang", s.auth(s.setLang))

	mux.Handle("GET /{$}", s.auth(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
	}))
	mux.Handle("GET /queue", s.auth(s.queuePage))
	mux.Handle("GET /items/{id}", s.auth(s.itemPage))
	mux.Handle("POST /items/{id}/decide", s.auth(s.need(roleAnalyst, s.decide)))
	mux.Handle("POST /items/{id}/undo", s.auth(s.need(roleAnalyst, s.undo)))
	mux.Handle("POST /items/{id}/assign", s.auth(s.need(roleAnalyst, s.assign)))
	mux.Handle("GET /persons", s.auth(s.personsPage))
	mux.Handle("GET /persons/{id}", s.auth(s.personPage))
	mux.Handle("POST /persons/{id}/privacy", s.auth(s.markPrivate))
	mux.Handle("GET /record", s.auth(s.recordPage))
	mux.Handle("GET /sources", s.auth(s.sourcesPage))
	mux.Handle("POST /sources/{slug}/scope", s.auth(s.need(roleAdmin, s.setScope)))
	mux.Handle("GET /search", s.auth(s.searchPage))
	mux.Handle("GET /audit", s.auth(s.auditPage))
	mux.Handle("GET /stats", s.auth(s.statsPage))
	mux.Handle("GET /admin", s.auth(s.need(roleAdmin, s.adminPage)))
	mux.Handle("POST /admin/role", s.auth(s.need(roleAdmin, s.setRole)))
	mux.Handle("POST /admin/revoke", s.auth(s.need(roleAdmin, s.revoke)))
	mux.Handle("POST /admin/double", s.auth(s.need(roleAdmin, s.setDouble)))

	mux.Handle("GET /api/queue", s.auth(s.apiQueue))
	mux.Handle("GET /api/items/{id}", s.auth(s.apiItem))
	mux.Handle("GET /api/counts", s.auth(s.apiCounts))
	mux.Handle("/", s.auth(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, msg(roster.ENOTFOUND, "web.error.no-page", r.URL.Path))
	}))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, s.printerFor(r).T("web.error.cross-origin"))
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
		if r.TLS != nil { // served over HTTPS: browsers must never fall back to plain HTTP
			hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
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
	case roster.EFORBIDDEN:
		return http.StatusForbidden
	default:
		return http.StatusInternalServerError
	}
}

// userMessage is what the analyst is told about err, in their language:
// the UI's own message, the domain's (in English), or a generic line for
// internal errors (which go to the server's log).
func (s *Server) userMessage(r *http.Request, err error) string {
	if status(err) == http.StatusInternalServerError {
		s.cfg.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		return s.printerFor(r).T("web.error.internal")
	}
	return message(s.printerFor(r), err)
}

// fail answers a request with the page for err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.renderError(w, r, status(err), s.userMessage(r, err))
}
