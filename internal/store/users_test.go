package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

func TestUsersAddCheckRemove(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.AddUser(ctx, "alice", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "alice", "another password"); roster.ErrorCode(err) != roster.ECONFLICT {
		t.Fatalf("second AddUser: err=%v, want ECONFLICT", err)
	}
	for _, tc := range []struct{ name, pw string }{
		{"bob", "short"},
		{"", "long enough password"},
		{"<script>", "long enough password"},
		{"bob", strings.Repeat("x", 73)},
	} {
		if err := s.AddUser(ctx, tc.name, tc.pw); roster.ErrorCode(err) != roster.EINVALID {
			t.Errorf("AddUser(%q, %d chars): err=%v, want EINVALID", tc.name, len(tc.pw), err)
		}
	}
	if err := s.CheckPassword(ctx, "alice", "correct horse"); err != nil {
		t.Fatalf("CheckPassword: %v", err)
	}
	errWrong := s.CheckPassword(ctx, "alice", "wrong horse")
	errNobody := s.CheckPassword(ctx, "nobody", "correct horse")
	if roster.ErrorCode(errWrong) != roster.EINVALID || errWrong.Error() != errNobody.Error() {
		t.Fatalf("wrong password %v and unknown user %v should fail alike", errWrong, errNobody)
	}
	// The hash is bcrypt, never the password.
	users, err := s.Users(ctx)
	if err != nil || len(users) != 1 || users[0].Name != "alice" {
		t.Fatalf("Users=%v, %v", users, err)
	}
	if err := s.RemoveUser(ctx, "", "alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveUser(ctx, "", "alice"); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Fatalf("RemoveUser twice: %v, want ENOTFOUND", err)
	}
	if err := s.CheckPassword(ctx, "alice", "correct horse"); err == nil {
		t.Fatal("removed user can still log in")
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.AddUser(ctx, "alice", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateSession(ctx, "nobody"); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Fatalf("session for unknown user: %v", err)
	}
	tok, sess, err := s.CreateSession(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 40 || sess.CSRF == "" || sess.CSRF == tok {
		t.Fatalf("weak tokens: %q %q", tok, sess.CSRF)
	}
	got, err := s.Session(ctx, tok)
	if err != nil || got.User != "alice" || got.CSRF != sess.CSRF {
		t.Fatalf("Session=%+v, %v", got, err)
	}
	if _, err := s.Session(ctx, store.TokenHash(tok)); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Fatalf("the stored hash must not work as a token: %v", err)
	}
	if _, err := s.Session(ctx, ""); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Fatalf("empty token: %v", err)
	}

	// Expiry.
	now := s.Now
	s.Now = func() time.Time { return now().Add(store.SessionTTL + time.Minute) }
	if _, err := s.Session(ctx, tok); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Fatalf("expired session still valid: %v", err)
	}
	s.Now = now

	// Logout, password change and removal end sessions.
	if err := s.DeleteSession(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, tok); err == nil {
		t.Fatal("session survives logout")
	}
	tok2, _, _ := s.CreateSession(ctx, "alice")
	if err := s.SetPassword(ctx, "alice", "battery staple"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, tok2); err == nil {
		t.Fatal("session survives a password change")
	}
	if err := s.CheckPassword(ctx, "alice", "battery staple"); err != nil {
		t.Fatal(err)
	}
	tok3, _, _ := s.CreateSession(ctx, "alice")
	if err := s.RemoveUser(ctx, "", "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, tok3); err == nil {
		t.Fatal("session survives user removal")
	}
}

// A user's language is kept in the database: every session of theirs
// reads it, a new one too, and only az, ru, en or "" are taken.
func TestSetLang(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.AddUser(ctx, "alice", "correct horse"); err != nil {
		t.Fatal(err)
	}
	tok, sess, err := s.CreateSession(ctx, "alice")
	if err != nil || sess.Lang != "" {
		t.Fatalf("a new session: lang %q (%v), want none chosen", sess.Lang, err)
	}
	if err := s.SetLang(ctx, "alice", "ru"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Session(ctx, tok); err != nil || got.Lang != "ru" {
		t.Errorf("the live session after SetLang: %q (%v), want ru", got.Lang, err)
	}
	if _, got, err := s.CreateSession(ctx, "alice"); err != nil || got.Lang != "ru" {
		t.Errorf("a new session after SetLang: %q (%v), want ru", got.Lang, err)
	}
	for _, bad := range []string{"de", "RU", "ru-RU", " en"} {
		if err := s.SetLang(ctx, "alice", bad); roster.ErrorCode(err) != roster.EINVALID {
			t.Errorf("SetLang(%q): %v, want EINVALID", bad, err)
		}
	}
	if err := s.SetLang(ctx, "nobody", "az"); roster.ErrorCode(err) != roster.ENOTFOUND {
		t.Errorf("SetLang of an unknown user: %v, want ENOTFOUND", err)
	}
	if err := s.SetLang(ctx, "alice", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Session(ctx, tok); got.Lang != "" {
		t.Errorf("after SetLang(\"\"): %q, want none chosen", got.Lang)
	}
}
