package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/roster-coalition/roster/internal/roster"
)

// Scope is what a source's list (every edition, or one edition) means to
// cover. A scope that is declared and restricts nothing says the list is
// comprehensive.
type Scope struct {
	Source  string
	Edition string // "" for every edition without its own scope
	// Comprehensive is set by confirming the list covers everyone
	// (within the restrictions below, if any).
	Comprehensive bool
	Groups        []string // group keys; none = every group
	Cases         []string // case names; none = every case
	From, To      string   // arrests in this period (YYYY, YYYY-MM or YYYY-MM-DD); "" = open
	Country       string   // where the persons are held; "" = anywhere
	Note          string
	SetBy         string
	SetAt         time.Time
}

// Restricts reports whether the scope limits what the list covers.
func (sc Scope) Restricts() bool {
	return len(sc.Groups) > 0 || len(sc.Cases) > 0 || sc.From != "" || sc.To != "" || sc.Country != ""
}

// Check checks a scope before it is saved.
func (sc Scope) Check() error {
	if sc.Source == "" {
		return roster.Errorf(roster.EINVALID, "a scope needs a source")
	}
	for _, g := range sc.Groups {
		if !roster.IsGroup(g) {
			return roster.Errorf(roster.EINVALID, "group %q: want one of %s", g, strings.Join(roster.Groups, ", "))
		}
	}
	for _, d := range []string{sc.From, sc.To} {
		if d != "" && !isPartialDate(d) {
			return roster.Errorf(roster.EINVALID, "date %q: want YYYY, YYYY-MM or YYYY-MM-DD", d)
		}
	}
	if sc.From != "" && sc.To != "" && sc.To < sc.From {
		return roster.Errorf(roster.EINVALID, "the period ends (%s) before it starts (%s)", sc.To, sc.From)
	}
	if !sc.Comprehensive && !sc.Restricts() {
		return roster.Errorf(roster.EINVALID, "a scope says what the list covers: give groups, cases, a period or a country, "+
			"or say it covers everyone")
	}
	return nil
}

func isPartialDate(s string) bool {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil && len(s) == len(layout) {
			return true
		}
	}
	return false
}

// SetScope declares a source's (or an edition's) scope, replacing the one
// it had; by must be an admin. The next rebuild of the queue raises
// omissions and group gaps against the list only for what it covers.
func (s *Store) SetScope(ctx context.Context, by string, sc Scope) error {
	if err := sc.Check(); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := authorize(ctx, tx, by, RoleAdmin, "set a source's scope"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sources WHERE slug = ?`, sc.Source).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return roster.Errorf(roster.ENOTFOUND, "no source %q", sc.Source)
		}
		if sc.Edition != "" {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM lists WHERE source = ? AND edition = ?`, sc.Source, sc.Edition).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return roster.Errorf(roster.ENOTFOUND, "no edition %s of %s", sc.Edition, sc.Source)
			}
		}
		return putScope(ctx, tx, sc, by, s.now())
	})
}

func putScope(ctx context.Context, tx *sql.Tx, sc Scope, by, at string) error {
	groups := slices.Clone(sc.Groups)
	slices.Sort(groups)
	cases := sc.Cases
	if cases == nil {
		cases = []string{}
	}
	cj, err := json.Marshal(cases)
	if err != nil {
		return err
	}
	comp := 0
	if sc.Comprehensive {
		comp = 1
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO scopes(source, edition, comprehensive, groups, cases, period_from, period_to, country,
		note, set_by, set_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(source, edition) DO UPDATE SET comprehensive = excluded.comprehensive, groups = excluded.groups,
			cases = excluded.cases, period_from = excluded.period_from, period_to = excluded.period_to, country = excluded.country,
			note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
		sc.Source, sc.Edition, comp, strings.Join(groups, ","), string(cj), sc.From, sc.To, sc.Country, sc.Note, by, at); err != nil {
		return fmt.Errorf("set scope: %w", err)
	}
	detail := map[string]any{"source": sc.Source, "edition": sc.Edition, "comprehensive": sc.Comprehensive, "groups": groups,
		"cases": cases, "from": sc.From, "to": sc.To, "country": sc.Country, "note": sc.Note}
	return insertAudit(ctx, tx, at, by, ActionScope, 0, 0, "", sc.Note, detail)
}

// ClearScope removes a source's (or an edition's) declared scope; by must
// be an admin.
func (s *Store) ClearScope(ctx context.Context, by, source, edition string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := authorize(ctx, tx, by, RoleAdmin, "clear a source's scope"); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM scopes WHERE source = ? AND edition = ?`, source, edition)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return roster.Errorf(roster.ENOTFOUND, "%s declares no scope%s", source, map[bool]string{true: " for edition " + edition}[edition != ""])
		}
		return insertAudit(ctx, tx, s.now(), by, ActionScope, 0, 0, "", "", map[string]any{"source": source, "edition": edition,
			"cleared": true})
	})
}

// confirmComprehensive records that a source with no scope covers
// everyone (the comprehensive verdict on its scope item). A source that
// declared a scope meanwhile keeps it.
func confirmComprehensive(ctx context.Context, tx *sql.Tx, source, by, at string) error {
	if source == "" {
		return roster.Errorf(roster.EINVALID, "the item names no source")
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM scopes WHERE source = ? AND edition = ''`, source).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return putScope(ctx, tx, Scope{Source: source, Comprehensive: true, Note: "confirmed from the review queue"}, by, at)
}

// Scopes returns every declared scope, by source and edition.
func (s *Store) Scopes(ctx context.Context) ([]Scope, error) {
	return scopes(ctx, s.db)
}

func scopes(ctx context.Context, q querier) ([]Scope, error) {
	rows, err := q.QueryContext(ctx, `SELECT source, edition, comprehensive, groups, cases, period_from, period_to, country, note,
		set_by, set_at FROM scopes ORDER BY source, edition`)
	if err != nil {
		return nil, fmt.Errorf("scopes: %w", err)
	}
	defer rows.Close()
	var out []Scope
	for rows.Next() {
		var sc Scope
		var comp int
		var groups, cases, at string
		if err := rows.Scan(&sc.Source, &sc.Edition, &comp, &groups, &cases, &sc.From, &sc.To, &sc.Country, &sc.Note, &sc.SetBy, &at); err != nil {
			return nil, err
		}
		sc.Comprehensive = comp != 0
		if groups != "" {
			sc.Groups = strings.Split(groups, ",")
		}
		if err := json.Unmarshal([]byte(cases), &sc.Cases); err != nil {
			return nil, fmt.Errorf("scope of %s: cases: %w", sc.Source, err)
		}
		if len(sc.Cases) == 0 {
			sc.Cases = nil
		}
		sc.SetAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, sc)
	}
	return out, rows.Err()
}
