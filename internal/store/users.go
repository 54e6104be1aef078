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

// User is an analyst account (without its password hash).
type User struct {
	Name      string
	CreatedAt time.Time
	Sessions  int // sessions that have not expired
}

// Session is a logged-in analyst's session.
type Session struct {
	User      string
	CSRF      string
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

// AddUser creates an analyst account. It refuses, with ECONFLICT, a name
// that exists, and with EINVALID a bad name or a password shorter than
// MinPasswordLen.
func (s *Store) AddUser(ctx context.Context, name, password string) error {
	if err := checkUserName(name); err != nil {
		return err
	}
	h, err := hashPassword(name, password)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return roster.Errorf(roster.ECONFLICT, "user %s already exists", name)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users(name, password_hash, created_at) VALUES(?,?,?)`, name, string(h), s.now())
		return err
	})
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
// analyst made stay in the audit log under their name.
func (s *Store) RemoveUser(ctx context.Context, name string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
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

// Users lists the accounts by name, with their live sessions.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.name, u.created_at,
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
		if err := rows.Scan(&u.Name, &at, &u.Sessions); err != nil {
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
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = ?`, user).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return roster.Errorf(roster.ENOTFOUND, "no user %s", user)
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
	err := s.db.QueryRowContext(ctx, `SELECT x.user, x.csrf, x.expires_at FROM sessions x JOIN users u ON u.name = x.user
		WHERE x.token_hash = ? AND x.expires_at > ?`, TokenHash(token), s.now()).Scan(&sess.User, &sess.CSRF, &exp)
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
