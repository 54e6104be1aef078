package webstore

import (
	"context"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/web"
)

// The web UI's privacy marks (web.Privacy), through the same use-cases as
// roster privacy.

var _ web.Privacy = Backend{}

func (b Backend) PersonPrivacy(ctx context.Context, id string) (web.PersonPrivacy, error) {
	ms, err := b.app.Marks(ctx)
	if err != nil {
		return web.PersonPrivacy{}, err
	}
	pp, ok := ms.Person(id)
	if !ok {
		return web.PersonPrivacy{}, nil
	}
	return web.PersonPrivacy{Private: true, Via: pp.Via, MarkedID: pp.Mark.PersonID, Reason: pp.Mark.Reason, AskedBy: pp.Mark.AskedBy,
		By: pp.Mark.By, At: pp.Mark.At}, nil
}

func (b Backend) MarkPerson(ctx context.Context, id, reason, askedBy, by string) error {
	_, err := b.app.MarkPrivate(ctx, app.PrivacyRequest{PersonID: id, Reason: reason, AskedBy: askedBy, By: by})
	return err
}

func (b Backend) UnmarkPerson(ctx context.Context, id, reason, by string) error {
	_, err := b.app.UnmarkPrivate(ctx, app.PrivacyRequest{PersonID: id, Reason: reason, By: by})
	return err
}

func (b Backend) Policy(ctx context.Context, a audience.Audience) (audience.Policy, error) {
	return b.app.Policy(ctx, a)
}
