package cli

import (
	"cmp"
	"context"
	"strings"

	"github.com/roster-coalition/roster/internal/app"
	"github.com/roster-coalition/roster/internal/audience"
	"github.com/roster-coalition/roster/internal/importer"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// privateColumns resolves --private-column against the files read: a
// field name (notes) stays a field; a header the importer read into a
// field ("Qeydlər" → notes) marks that field; a header that maps to no
// field ("Phone") is marked as written, since its values live only in the
// rows as imported. A name no file has is a usage error (a typo must not
// leave a column public); a file without a header row (a document) only
// gets a warning.
func privateColumns(opts *importOptions, results []*importer.Result) ([]string, error) {
	var out []string
	add := func(c string) {
		for _, x := range out {
			if audience.ColumnKey(x) == audience.ColumnKey(c) {
				return
			}
		}
		out = append(out, c)
	}
	for _, col := range opts.Private {
		col = strings.TrimSpace(col)
		if err := audience.CheckColumn(col); err != nil {
			return nil, usagef("--private-column: %v", err)
		}
		if f, ok := audience.FieldOf(col); ok {
			add(string(f))
			continue
		}
		found := false
		for _, res := range results {
			if f, ok := headerField(res, col); ok {
				if err := audience.CheckColumn(string(f)); err != nil {
					return nil, usagef("--private-column %q is read as the %s: %v", col, f, err)
				}
				add(string(f))
				found = true
				continue
			}
			for _, h := range res.Columns {
				if audience.ColumnKey(h) == audience.ColumnKey(col) {
					add(h)
					found = true
				}
			}
			if len(res.Columns) == 0 {
				opts.warnf("%s has no header row: column %q is marked private, and the rows as imported stay inside the coalition", res.File, col)
				add(col)
				found = true
			}
		}
		if !found {
			var cols []string
			for _, res := range results {
				cols = append(cols, res.Columns...)
			}
			return nil, usagef("--private-column %q: no such column in %s (columns: %s)", col, results[0].File, strings.Join(cols, ", "))
		}
	}
	return out, nil
}

// headerField is the field a header was read into, if any.
func headerField(res *importer.Result, header string) (roster.Field, bool) {
	for f, h := range res.Headers {
		for _, one := range strings.Split(h, ", ") { // several alias columns
			if audience.ColumnKey(one) == audience.ColumnKey(header) {
				return f, true
			}
		}
	}
	return "", false
}

// markPrivateColumns marks the columns private for the source (those
// already private are left as they are).
func markPrivateColumns(ctx context.Context, opts *importOptions, s *store.Store, cols []string) error {
	if len(cols) == 0 {
		return nil
	}
	svc := app.New(s, opts.Now)
	for _, c := range cols {
		_, err := svc.MarkPrivate(ctx, app.PrivacyRequest{Source: opts.Source, Column: c, Reason: "marked private at import",
			By: cmp.Or(defaultActor(), "roster import")})
		if err != nil && roster.ErrorCode(err) != roster.ECONFLICT {
			return err
		}
	}
	opts.warnf("private for %s: %s (see roster privacy list)", opts.Source, strings.Join(cols, ", "))
	return nil
}
