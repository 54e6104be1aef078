package cli

import (
	"context"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/web"
)

// The web UI's privacy marks (web.Privacy), through the same use-cases as
// roster privacy.

func (b webBackend) PersonPrivacy(ctx context.Context, id string) (web.PersonPrivacy, error) {
	ms, err := app.New(b.s, nil).Marks(ctx)
	if err != nil {
		return web.PersonPrivacy{}, err
	}
	pp, ok := ms.Person(id)
	if !ok {
		return web.PersonPrivacy{}, nil
	}
	return web.PersonPrivacy{Private: true, How: pp.String(), Reason: pp.Mark.Reason, AskedBy: pp.Mark.AskedBy, By: pp.Mark.By,
		At: pp.Mark.At}, nil
}

func (b webBackend) MarkPerson(ctx context.Context, id, reason, askedBy, by string) error {
	_, err := app.New(b.s, nil).MarkPrivate(ctx, app.PrivacyRequest{PersonID: id, Reason: reason, AskedBy: askedBy, By: by})
	return err
}

func (b webBackend) UnmarkPerson(ctx context.Context, id, reason, by string) error {
	_, err := app.New(b.s, nil).UnmarkPrivate(ctx, app.PrivacyRequest{PersonID: id, Reason: reason, By: by})
	return err
}

func (b webBackend) Policy(ctx context.Context, a audience.Audience) (audience.Policy, error) {
	return app.New(b.s, nil).Policy(ctx, a)
}
