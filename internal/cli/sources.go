package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type sourcesOptions struct {
	*globalOptions
	Source string
	JSON   bool
	Lists  bool // one line per edition (roster lists)
}

func newSourcesCmd(g *globalOptions) *cobra.Command {
	opts := &sourcesOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "The sources (organisations) in the database, with their editions",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runSources(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.AddCommand(newSetScopeCmd(g))
	return cmd
}

func newListsCmd(g *globalOptions) *cobra.Command {
	opts := &sourcesOptions{globalOptions: g, Lists: true}
	cmd := &cobra.Command{
		Use:   "lists",
		Short: "Every edition of every list, with record counts per group",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runSources(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Source, "source", "", "only this source")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type listJSON struct {
	Source     string         `json:"source"`
	Edition    string         `json:"edition"`
	Title      string         `json:"title,omitempty"`
	ImportedAt string         `json:"imported_at"`
	Records    int            `json:"records"`
	Groups     map[string]int `json:"groups"`
	Files      []fileJSON     `json:"files"`
}

type fileJSON struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Format string `json:"format"`
	Size   int    `json:"size"`
}

func toListJSON(l store.ListSummary) listJSON {
	out := listJSON{Source: l.Source, Edition: l.Edition, Title: l.Title, ImportedAt: l.ImportedAt, Records: l.Records, Groups: l.Groups}
	for _, f := range l.Files {
		out.Files = append(out.Files, fileJSON(f))
	}
	return out
}

func runSources(ctx context.Context, opts *sourcesOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if opts.Lists {
		lists, err := s.Lists(ctx, opts.Source)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := []listJSON{}
			for _, l := range lists {
				out = append(out, toListJSON(l))
			}
			return writeJSON(opts.Stdout, out)
		}
		tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SOURCE\tEDITION\tRECORDS\tGROUPS\tFILES")
		for _, l := range lists {
			var files []string
			for _, f := range l.Files {
				files = append(files, f.Name)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", l.Source, l.Edition, l.Records, groupCounts(l.Groups), strings.Join(files, ", "))
		}
		return tw.Flush()
	}
	srcs, err := s.Sources(ctx)
	if err != nil {
		return err
	}
	scopes, err := s.Scopes(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		type scopeJSON struct {
			Edition       string   `json:"edition,omitempty"`
			Comprehensive bool     `json:"comprehensive"`
			Groups        []string `json:"groups,omitempty"`
			Cases         []string `json:"cases,omitempty"`
			From          string   `json:"from,omitempty"`
			To            string   `json:"to,omitempty"`
			Country       string   `json:"country,omitempty"`
			Note          string   `json:"note,omitempty"`
			SetBy         string   `json:"set_by"`
		}
		type srcJSON struct {
			Slug     string      `json:"source"`
			Title    string      `json:"title,omitempty"`
			Scopes   []scopeJSON `json:"scopes"`
			Editions []listJSON  `json:"editions"`
		}
		out := []srcJSON{}
		for _, x := range srcs {
			sj := srcJSON{Slug: x.Slug, Title: x.Title, Editions: []listJSON{}, Scopes: []scopeJSON{}}
			for _, sc := range scopes {
				if sc.Source == x.Slug {
					sj.Scopes = append(sj.Scopes, scopeJSON{sc.Edition, sc.Comprehensive, sc.Groups, sc.Cases, sc.From, sc.To, sc.Country,
						sc.Note, sc.SetBy})
				}
			}
			for _, l := range x.Editions {
				sj.Editions = append(sj.Editions, toListJSON(l))
			}
			out = append(out, sj)
		}
		return writeJSON(opts.Stdout, out)
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tEDITIONS\tLATEST\tRECORDS\tSCOPE\tGROUPS")
	for _, x := range srcs {
		var eds []string
		for _, l := range x.Editions {
			eds = append(eds, l.Edition)
		}
		latest := x.Editions[len(x.Editions)-1]
		scope := "not declared"
		for _, sc := range scopes {
			if sc.Source == x.Slug && (sc.Edition == "" || sc.Edition == latest.Edition) {
				scope = describeScope(sc)
				if sc.Edition != "" {
					break
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", x.Slug, strings.Join(eds, " "), latest.Edition, latest.Records, scope,
			groupCounts(latest.Groups))
	}
	return tw.Flush()
}

// groupCounts renders group counts in the registry's order, unmapped last.
func groupCounts(m map[string]int) string {
	var parts []string
	for _, g := range roster.Groups {
		if n := m[g]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", g, n))
		}
	}
	for g, n := range m {
		if g != "" && !roster.IsGroup(g) {
			parts = append(parts, fmt.Sprintf("%s=%d", g, n))
		}
	}
	if n := m[""]; n > 0 {
		parts = append(parts, fmt.Sprintf("unmapped=%d", n))
	}
	return strings.Join(parts, " ")
}
