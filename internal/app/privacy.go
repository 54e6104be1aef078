package app

import (
	"context"

	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// Marks reads the privacy log and the persons' lineage and works out
// which persons and columns are private now. Without a mark the lineage
// is not read: it only carries marks (at a million records reading it
// cost every person and record page 40 ms).
func (s *Service) Marks(ctx context.Context) (audience.Marks, error) {
	log, err := s.store.PrivacyLog(ctx)
	if err != nil {
		return audience.Marks{}, err
	}
	if len(log) == 0 {
		return audience.Resolve(nil, audience.Lineage{}), nil
	}
	redirect, split, err := s.store.PersonLineage(ctx)
	if err != nil {
		return audience.Marks{}, err
	}
	marks := make([]audience.Mark, len(log))
	for i, a := range log {
		marks[i] = audience.Mark(a)
	}
	return audience.Resolve(marks, audience.Lineage{Redirect: redirect, SplitFrom: split}), nil
}

// Policy is what audience a may see under the marks in force: the filter
// every export and page passes through.
func (s *Service) Policy(ctx context.Context, a audience.Audience) (audience.Policy, error) {
	ms, err := s.Marks(ctx)
	if err != nil {
		return audience.Policy{}, err
	}
	return audience.New(a, ms), nil
}

// PrivacyRequest is a mark or unmark of a person or a column.
type PrivacyRequest struct {
	PersonID string // a person…
	Source   string // …or a column of one source ("" every source)
	Column   string
	Reason   string
	AskedBy  string
	By       string
}

// MarkPrivate marks a person or a column private. A person already
// marked by name is refused (ECONFLICT); one private through a merge or a
// split gets its own mark.
func (s *Service) MarkPrivate(ctx context.Context, r PrivacyRequest) (store.PrivacyAction, error) {
	if r.Column != "" {
		if err := audience.CheckColumn(r.Column); err != nil {
			return store.PrivacyAction{}, err
		}
	}
	ms, err := s.Marks(ctx)
	if err != nil {
		return store.PrivacyAction{}, err
	}
	if r.PersonID != "" {
		if pp, ok := ms.Person(r.PersonID); ok && pp.Via == "" {
			return store.PrivacyAction{}, roster.Errorf(roster.ECONFLICT, "%s is already private (marked by %s on %s: %s)",
				r.PersonID, pp.Mark.By, pp.Mark.At, pp.Mark.Reason)
		}
	} else if c, ok := privateColumn(ms, r.Source, r.Column); ok {
		return store.PrivacyAction{}, roster.Errorf(roster.ECONFLICT, "column %q of %s is already private (marked by %s on %s)",
			c.Column, sourceWords(c.Source), c.Mark.By, c.Mark.At)
	}
	return s.store.AddPrivacyAction(ctx, store.PrivacyAction{Action: audience.ActionMark, PersonID: r.PersonID, Source: r.Source,
		Column: r.Column, Reason: r.Reason, AskedBy: r.AskedBy, By: r.By})
}

// UnmarkPrivate makes a private person or column public again. A person
// private through a merge or a split is unmarked by name too (the
// unmark overrides the older marks that reached it). Unmarking what is
// not private is refused (EINVALID).
func (s *Service) UnmarkPrivate(ctx context.Context, r PrivacyRequest) (store.PrivacyAction, error) {
	ms, err := s.Marks(ctx)
	if err != nil {
		return store.PrivacyAction{}, err
	}
	if r.PersonID != "" {
		if _, ok := ms.Person(r.PersonID); !ok {
			return store.PrivacyAction{}, roster.Errorf(roster.EINVALID, "%s is not private", r.PersonID)
		}
	} else if _, ok := privateColumn(ms, r.Source, r.Column); !ok {
		return store.PrivacyAction{}, roster.Errorf(roster.EINVALID, "column %q of %s is not private", r.Column, sourceWords(r.Source))
	}
	return s.store.AddPrivacyAction(ctx, store.PrivacyAction{Action: audience.ActionUnmark, PersonID: r.PersonID, Source: r.Source,
		Column: r.Column, Reason: r.Reason, By: r.By})
}

func privateColumn(ms audience.Marks, source, col string) (audience.PrivateColumn, bool) {
	for _, c := range ms.Columns() {
		if c.Source == source && audience.ColumnKey(c.Column) == audience.ColumnKey(col) {
			return c, true
		}
	}
	return audience.PrivateColumn{}, false
}

func sourceWords(src string) string {
	if src == "" {
		return "every source"
	}
	return src
}
