package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/roster"
)

// Analysts of the web UI and their sessions.
//
// Passwords are kept only as bcrypt hashes. A session is a random token
// that the browser holds in a cookie; the database keeps only the token's
// SHA-256, so a copy of the database file does not let anyone log in.
// Each session also carries a random CSRF token that the UI embeds in its
// forms and checks on every state-changing request.

// MinPasswordLen is the shortest password AddUser accepts (in characters).
const MinPasswordLen = 8

// SessionTTL is how long a session lasts after login.
const SessionTTL = 12 * time.Hour

var userNameRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$`)

// Roles, from least to most: a viewer reads (and exports nothing
// private), an analyst also decides review items, an admin also manages
// accounts, sources' scopes and the project's review settings.
const (
	RoleViewer  = "viewer"
	RoleAnalyst = "analyst"
	RoleAdmin   = "admin"
)

// Roles lists the roles from least to most.
var Roles = []string{RoleViewer, RoleAnalyst, RoleAdmin}

func roleRank(r string) int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// RoleAtLeast reports whether role has the rights of need.
func RoleAtLeast(role, need string) bool {
	return roleRank(role) >= roleRank(need) && roleRank(role) > 0
}

// User is an analyst account (without its password hash).
type User struct {
	Name      string
	Role      string
	CreatedAt time.Time
	Sessions  int // sessions that have not expired
}

// Session is a logged-in analyst's session.
type Session struct {
	User      string
	Role      string
	CSRF      string
	ExpiresAt time.Time
	Lang      string // the user's language of the web UI; "" = none chosen
}

// SessionInfo is a session as an admin sees it: an ID (the start of the
// token's hash, which is not the token), whose it is and when it ends.
type SessionInfo struct {
	ID        string
	User      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// dummyHash is compared against when a login names no existing user, so
// that a failed login takes as long whether or not the name exists.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("roster: no such user"), bcrypt.DefaultCost)
	return h
})

func checkUserName(name string) error {
	if !userNameRE.MatchString(name) {
		return roster.Errorf(roster.EINVALID, "user name %q: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

func hashPassword(name, password string) ([]byte, error) {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return nil, roster.Errorf(roster.EINVALID, "password for %s: too short (at least %d characters)", name, MinPasswordLen)
	}
	if len(password) > 72 {
		return nil, roster.Errorf(roster.EINVALID, "password for %s: too long (at most 72 bytes)", name)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// AddUser creates an analyst account (the first account of a database is
// an admin). It refuses, with ECONFLICT, a name that exists, and with
// EINVALID a bad name or a password shorter than MinPasswordLen. It
// checks no one's rights: the command line uses AddUserRole.
func (s *Store) AddUser(ctx context.Context, name, password string) error {
	return s.AddUserRole(ctx, "", name, password, "")
}

// AddUserRole creates an account with a role ("" means analyst, or admin
// for the first account). by is who asks: once the database has accounts,
// only an admin may add one ("" skips the check, for callers that made
// it).
func (s *Store) AddUserRole(ctx context.Context, by, name, password, role string) error {
	if err := checkUserName(name); err != nil {
		return err
	}
	if role != "" && roleRank(role) == 0 {
		return roster.Errorf(roster.EINVALID, "role %q: want viewer, analyst or admin", role)
	}
	h, err := hashPassword(name, password)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if by != "" {
			if err := authorize(ctx, tx, by, RoleAdmin, "add an account"); err != nil {
				return err
			}
		}
		var n, all int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE name = ?), count(*) FROM users`, name).Scan(&n, &all); err != nil {
			return err
		}
		if n > 0 {
			return roster.Errorf(roster.ECONFLICT, "user %s already exists", name)
		}
		r := role
		if r == "" {
			r = RoleAnalyst
			if all == 0 {
				r = RoleAdmin
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users(name, password_hash, created_at, role) VALUES(?,?,?,?)`, name, string(h),
			s.now(), r)
		return err
	})
}

// SetRole changes a user's role; by must be an admin. The last admin
// cannot be made anything else (someone must be able to manage the
// accounts).
func (s *Store) SetRole(ctx context.Context, by, name, role string) error {
	if roleRank(role) == 0 {
		return roster.Errorf(roster.EINVALID, "role %q: want viewer, analyst or admin", role)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := authorize(ctx, tx, by, RoleAdmin, "change a role"); err != nil {
			return err
		}
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE name = ?`, name).Scan(&old); err != nil {
			return notFound(err, "no user %s", name)
		}
		if old == RoleAdmin && role != RoleAdmin {
			if err := keepAnAdmin(ctx, tx, name); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE name = ?`, role, name)
		return err
	})
}

// keepAnAdmin refuses to take away the last admin.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, name string) error {
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND name <> ?`, name).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		return roster.Errorf(roster.ECONFLICT, "%s is the last admin: make someone else an admin first", name)
	}
	return nil
}

// Authorize checks that name may do what needs the role need ("decide
// this item", for the message). A database without accounts checks
// nothing: one person works on it from the command line. Otherwise name
// must be an account whose role is at least need (EFORBIDDEN).
func (s *Store) Authorize(ctx context.Context, name, need, what string) error {
	return authorize(ctx, s.db, name, need, what)
}

func authorize(ctx context.Context, q querier, name, need, what string) error {
	var role string
	err := q.QueryRowContext(ctx, `SELECT role FROM users WHERE name = ?`, name).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return roster.Errorf(roster.EFORBIDDEN, "%q is not an account of this database: to %s, act as an account with the %s role "+
			"(--by NAME; roster user list)", name, what, need)
	}
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	if !RoleAtLeast(role, need) {
		return roster.Errorf(roster.EFORBIDDEN, "%s is a%s %s: only %s may %s", name, article(role), role, plural(need), what)
	}
	return nil
}

func article(role string) string {
	if role == RoleAdmin || role == RoleAnalyst {
		return "n"
	}
	return ""
}

// plural names who has at least a role: "analysts and admins", "admins".
func plural(need string) string {
	switch need {
	case RoleViewer:
		return "accounts"
	case RoleAnalyst:
		return "analysts and admins"
	}
	return "admins"
}

// RoleOf returns a user's role; "" when the database has no accounts
// (anyone may do anything), ENOTFOUND when it has but name is not one.
func (s *Store) RoleOf(ctx context.Context, name string) (string, error) {
	var role string
	err := s.db.QueryRowContext(ctx, `SELECT role FROM users WHERE name = ?`, name).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return "", nil
		}
		return "", roster.Errorf(roster.ENOTFOUND, "%q is not an account of this database (roster user list)", name)
	}
	return role, err
}

// SetPassword replaces a user's password and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, name, password string) error {
	h, err := hashPassword(name, password)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, string(h), name)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return roster.Errorf(roster.ENOTFOUND, "no user %s", name)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user = ?`, name)
		return err
	})
}

// RemoveUser deletes an account and its sessions. The decisions the
// analyst made stay in the audit log under their name. by is who asks
// (an admin; "" skips the check). The last admin cannot be removed.
func (s *Store) RemoveUser(ctx context.Context, by, name string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if by != "" {
			if err := authorize(ctx, tx, by, RoleAdmin, "remove an account"); err != nil {
				return err
			}
		}
		var role string
		if err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE name = ?`, name).Scan(&role); err != nil {
			return notFound(err, "no user %s", name)
		}
		if role == RoleAdmin {
			if err := keepAnAdmin(ctx, tx, name); err != nil {
				var n int
				// The only account may go: the database is then a one-person one again.
				if e := tx.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); e != nil || n > 1 {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user = ?`, name); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM users WHERE name = ?`, name)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return roster.Errorf(roster.ENOTFOUND, "no user %s", name)
		}
		return nil
	})
}

// SetLang keeps the language a user chose for the web UI: "az", "ru" or
// "en", or "" to follow the browser's Accept-Language again. Every
// session of the user speaks it from the next request.
func (s *Store) SetLang(ctx context.Context, name, lang string) error {
	if l, ok := i18n.Parse(lang); lang != "" && (!ok || string(l) != lang) {
		return roster.Errorf(roster.EINVALID, "language %q: want az, ru or en", lang)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE users SET lang = ? WHERE name = ?`, lang, name)
		if err != nil {
			return fmt.Errorf("set language: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return roster.Errorf(roster.ENOTFOUND, "no user %s", name)
		}
		return nil
	})
}

// Users lists the accounts by name, with their live sessions.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.name, u.role, u.created_at,
		(SELECT count(*) FROM sessions x WHERE x.user = u.name AND x.expires_at > ?)
		FROM users u ORDER BY u.name`, s.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var at string
		if err := rows.Scan(&u.Name, &u.Role, &at, &u.Sessions); err != nil {
			return nil, err
		}
		u.CreatedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// errBadLogin is the one answer to a failed login: it does not say
// whether the name or the password was wrong.
func errBadLogin() error {
	return roster.Errorf(roster.EINVALID, "unknown user name or wrong password")
}

// CheckPassword verifies a user's password. A wrong name and a wrong
// password give the same EINVALID error and take the same time.
func (s *Store) CheckPassword(ctx context.Context, name, password string) error {
	var h string
	err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE name = ?`, name).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return errBadLogin()
	}
	if err != nil {
		return fmt.Errorf("check password: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(h), []byte(password)) != nil {
		return errBadLogin()
	}
	return nil
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// TokenHash is how a session token is kept in the database: the hex
// SHA-256 of the token.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession starts a session for an existing user and returns the
// token for the cookie (only its SHA-256 is stored) and the session with
// its CSRF token. Expired sessions are removed on the way.
func (s *Store) CreateSession(ctx context.Context, user string) (token string, sess Session, err error) {
	token, err = randomToken()
	if err != nil {
		return "", Session{}, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", Session{}, err
	}
	now := s.Now().UTC()
	sess = Session{User: user, CSRF: csrf, ExpiresAt: now.Add(SessionTTL).Truncate(time.Second)}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now.Format(time.RFC3339)); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT role, lang FROM users WHERE name = ?`, user).Scan(&sess.Role, &sess.Lang); err != nil {
			return notFound(err, "no user %s", user)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions(token_hash, user, csrf, created_at, expires_at) VALUES(?,?,?,?,?)`,
			TokenHash(token), user, csrf, now.Format(time.RFC3339), sess.ExpiresAt.Format(time.RFC3339))
		return err
	})
	if err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	return token, sess, nil
}

// Session returns the live session of a token, or ENOTFOUND when the
// token is unknown or expired (or its user was removed).
func (s *Store) Session(ctx context.Context, token string) (Session, error) {
	if strings.TrimSpace(token) == "" {
		return Session{}, roster.Errorf(roster.ENOTFOUND, "no session")
	}
	var sess Session
	var exp string
	err := s.db.QueryRowContext(ctx, `SELECT x.user, u.role, x.csrf, x.expires_at, u.lang FROM sessions x JOIN users u ON u.name = x.user
		WHERE x.token_hash = ? AND x.expires_at > ?`, TokenHash(token), s.now()).Scan(&sess.User, &sess.Role, &sess.CSRF, &exp, &sess.Lang)
	if err != nil {
		return Session{}, notFound(err, "no session")
	}
	sess.ExpiresAt, _ = time.Parse(time.RFC3339, exp)
	return sess, nil
}

// DeleteSession ends a session (logout). Ending an unknown session is not
// an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, TokenHash(token))
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Sessions lists the live sessions, of one user or (user "") of all, by
// user and start.
func (s *Store) Sessions(ctx context.Context, user string) ([]SessionInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT substr(token_hash, 1, 12), user, created_at, expires_at FROM sessions
		WHERE expires_at > ? AND (? = '' OR user = ?) ORDER BY user, created_at, token_hash`, s.now(), user, user)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	defer rows.Close()
	out := []SessionInfo{}
	for rows.Next() {
		var x SessionInfo
		var c, e string
		if err := rows.Scan(&x.ID, &x.User, &c, &e); err != nil {
			return nil, err
		}
		x.CreatedAt, _ = time.Parse(time.RFC3339, c)
		x.ExpiresAt, _ = time.Parse(time.RFC3339, e)
		out = append(out, x)
	}
	return out, rows.Err()
}

// RevokeSessions ends sessions at once: every session of user (id ""),
// or the one whose ID (from Sessions) is id. by must be an admin (or the
// user ending their own sessions). It returns how many ended.
func (s *Store) RevokeSessions(ctx context.Context, by, user, id string) (int, error) {
	var n int64
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if by != user {
			if err := authorize(ctx, tx, by, RoleAdmin, "end someone else's sessions"); err != nil {
				return err
			}
		}
		q, args := `DELETE FROM sessions WHERE user = ?`, []any{user}
		if id != "" {
			if len(id) < 8 || strings.Trim(id, "0123456789abcdef") != "" {
				return roster.Errorf(roster.EINVALID, "session %q: want the ID roster user sessions shows", id)
			}
			q, args = q+` AND substr(token_hash, 1, ?) = ?`, append(args, len(id), id)
		}
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, _ = r.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("revoke sessions: %w", err)
	}
	return int(n), nil
}

// Login lockout: after lockAfter failures for a name, the name is locked
// for lockFirst, doubling with each further failure up to lockMax. The
// failures are kept in the database, so a restart does not forget them.
const (
	lockAfter = 5
	lockFirst = 30 * time.Second
	lockMax   = 15 * time.Minute
	// failureRows bounds the table against a flood of made-up names.
	failureRows = 10000
)

func foldLogin(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// LoginLocked returns how long logins for name stay refused (0 when
// they are not).
func (s *Store) LoginLocked(ctx context.Context, name string) (time.Duration, error) {
	var until string
	err := s.db.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE name = ?`, foldLogin(name)).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) || until == "" {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("login lockout: %w", err)
	}
	t, err := time.Parse(time.RFC3339, until)
	if err != nil {
		return 0, nil
	}
	return max(0, t.Sub(s.Now())), nil
}

// LoginFailed counts a failed login for name and locks it once it has
// failed lockAfter times.
func (s *Store) LoginFailed(ctx context.Context, name string) error {
	now := s.Now().UTC()
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT failures FROM login_failures WHERE name = ?`, foldLogin(name)).Scan(&n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if errors.Is(err, sql.ErrNoRows) {
			// Old rows go first, then the oldest when there are too many.
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE last_at < ? OR name IN
				(SELECT name FROM login_failures ORDER BY last_at DESC LIMIT -1 OFFSET ?)`,
				now.Add(-24*time.Hour).Format(time.RFC3339), failureRows-1); err != nil {
				return err
			}
		}
		n++
		until := ""
		if n >= lockAfter {
			d := min(lockFirst<<min(n-lockAfter, 6), lockMax)
			until = now.Add(d).Format(time.RFC3339)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO login_failures(name, failures, locked_until, last_at) VALUES(?,?,?,?)
			ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_at = excluded.last_at`,
			foldLogin(name), n, until, now.Format(time.RFC3339))
		return err
	})
}

// LoginSucceeded forgets a name's failed logins.
func (s *Store) LoginSucceeded(ctx context.Context, name string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE name = ?`, foldLogin(name))
		return err
	})
}
