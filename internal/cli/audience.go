package cli

import (
	"context"
	"crypto/ed25519"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// addAudienceFlag adds --audience to a command that writes an export or
// a report.
func addAudienceFlag(cmd *cobra.Command, a *string) {
	cmd.Flags().StringVar(a, "audience", string(audience.Default),
		"who it is for: public (no private person named, no private field), coalition (no private field) or internal (everything)")
}

// parseAudience reads --audience (a usage error when unknown).
func parseAudience(name string) (audience.Audience, error) {
	a, err := audience.Parse(name)
	if err != nil {
		return "", usageError{err}
	}
	return a, nil
}

// loadPolicy reads the privacy marks and returns the filter of audience
// a; the internal audience gets a warning. openForAudience has checked
// the role of --by (the web UI checks the session's role).
func loadPolicy(ctx context.Context, g *globalOptions, s *store.Store, a audience.Audience) (audience.Policy, error) {
	p, err := app.New(s, g.Now).Policy(ctx, a)
	if err != nil {
		return p, err
	}
	if a == audience.Internal {
		g.warnf("warning: audience internal: this holds every private person and field; keep it inside the coalition and never publish it")
	}
	return p, nil
}

// audienceRun is what a command that writes for an audience opens: the
// audience, the signing key (with --sign), the store and the filter.
type audienceRun struct {
	aud    audience.Audience
	key    ed25519.PrivateKey
	s      *store.Store
	policy audience.Policy
}

// openForAudience checks --audience and --manifest/--sign (reading the
// key before anything is written), then opens the store and reads the
// filter. The caller closes run.s.
func openForAudience(ctx context.Context, g *globalOptions, name, by string, pub publishFlags, out string) (*audienceRun, error) {
	aud, err := parseAudience(name)
	if err != nil {
		return nil, err
	}
	key, err := pub.check(g, out)
	if err != nil {
		return nil, err
	}
	s, err := g.openReader(ctx)
	if err != nil {
		return nil, err
	}
	// Once the database has accounts, --by names the one exporting, and
	// its role bounds the audience (a viewer never gets internal).
	if by != "" {
		role, err := s.RoleOf(ctx, by)
		if err != nil {
			s.Close()
			return nil, roster.Errorf(roster.EFORBIDDEN, "%v: exports need --by NAME of an account", err)
		}
		if role != "" {
			if err := audience.Allow(role, aud); err != nil {
				s.Close()
				return nil, err
			}
		}
	}
	policy, err := loadPolicy(ctx, g, s, aud)
	if err != nil {
		s.Close()
		return nil, err
	}
	return &audienceRun{aud: aud, key: key, s: s, policy: policy}, nil
}

// audienceRows passes export rows through the audience filter: the rows
// of persons the audience may not see named are left out (their IDs are
// returned), the others lose their private fields.
func audienceRows(p audience.Policy, rows []store.ExportRow) ([]store.ExportRow, []string) {
	return audience.Rows(p, rows, func(r *store.ExportRow) (*roster.Record, string) { return &r.Record, r.PersonID })
}

// noteWithheld tells how many persons a public export counts but does
// not name.
func noteWithheld(g *globalOptions, withheld []string) {
	if len(withheld) > 0 {
		g.warnf("%d private persons withheld: not named in this export", len(withheld))
	}
}
