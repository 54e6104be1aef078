package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type setScopeOptions struct {
	*globalOptions
	Source  string
	Edition string
	All     bool
	Groups  []string
	Cases   []string
	From    string
	To      string
	Country string
	Note    string
	Clear   bool
	By      string
}

func newSetScopeCmd(g *globalOptions) *cobra.Command {
	opts := &setScopeOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "set-scope SOURCE [--edition E] (--all | --groups G,... | --cases C | --from D | --to D | --country C) [--by NAME]",
		Short: "Declare what a source's list covers (all groups, some groups, some cases, a period, a country)",
		Long: `Set-scope declares what a source's list means to cover, so that the review
queue raises omissions and group gaps against it only for the persons (and
groups) it covers. A list covering only journalists is not asked about
anti-war activists, one covering the arrests of 2024 not about 2022's.

A source with no scope declared raises no omission or group gap at all:
the queue asks once (an item of kind scope) whether it means to cover
everyone; --all (or the comprehensive verdict on that item) says it does.

The restrictions combine: a person is covered when a record of theirs is
in one of the groups, in one of the cases (case names fold and nest:
"Abzas Media" is "the Abzas Media case"), and arrested in the period (the
earliest known arrest); a person about whom the lists say nothing on a
restricted point is not covered. --country leaves out only persons a
record places in another country. --edition sets the scope of one edition
(the source's scope applies to editions without their own). --clear
removes a scope. Only admins set scopes; the change is in the audit log.
Run roster review build (or roster match) to rebuild the queue with it.
` + exitHelp,
		Example: `  roster sources set-scope ipm --all
  roster sources set-scope cpj --groups journalist,rights-defender --from 2023-01-01
  roster sources set-scope abz --cases "Abzas Media" --note "a campaign list for one case"
  roster sources set-scope cpj --clear`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			return runSetScope(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Edition, "edition", "", "only this edition (`YYYY-MM-DD`)")
	f.BoolVar(&opts.All, "all", false, "the list means to cover everyone (within the other flags, if any)")
	f.StringSliceVar(&opts.Groups, "groups", nil, "group keys the list covers: "+strings.Join(roster.Groups, ", "))
	f.StringArrayVar(&opts.Cases, "cases", nil, "a case the list covers (repeat for several)")
	f.StringVar(&opts.From, "from", "", "arrests on or after `DATE` (YYYY, YYYY-MM or YYYY-MM-DD)")
	f.StringVar(&opts.To, "to", "", "arrests on or before `DATE`")
	f.StringVar(&opts.Country, "country", "", "persons held in this country (a name or a code: az, ru, ge, tr…)")
	f.StringVar(&opts.Note, "note", "", "why, for the record")
	f.BoolVar(&opts.Clear, "clear", false, "remove the declared scope")
	addByFlag(cmd, &opts.By, "who sets it (an admin)")
	return cmd
}

func (o *setScopeOptions) scope() store.Scope {
	return store.Scope{Source: o.Source, Edition: o.Edition, Comprehensive: o.All, Groups: o.Groups, Cases: o.Cases,
		From: o.From, To: o.To, Country: o.Country, Note: o.Note}
}

func runSetScope(ctx context.Context, opts *setScopeOptions) error {
	if err := checkBy(opts.By); err != nil {
		return err
	}
	sc := opts.scope()
	if opts.Clear {
		if sc.Comprehensive || sc.Restricts() {
			return usagef("--clear takes no other scope flag")
		}
	} else if err := sc.Check(); err != nil {
		return usageError{err}
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if opts.Clear {
		if err := s.ClearScope(ctx, opts.By, opts.Source, opts.Edition); err != nil {
			return err
		}
		fmt.Fprintf(opts.Stdout, "%s: scope cleared; run roster review build to rebuild the queue\n", scopeName(opts.Source, opts.Edition))
		return nil
	}
	if err := s.SetScope(ctx, opts.By, sc); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "%s covers %s; run roster review build to rebuild the queue\n", scopeName(opts.Source, opts.Edition),
		describeScope(sc))
	return nil
}

func scopeName(source, edition string) string {
	if edition == "" {
		return source
	}
	return source + "@" + edition
}

// describeScope says what a scope covers, in words.
func describeScope(sc store.Scope) string {
	if !sc.Restricts() {
		return "everyone"
	}
	var parts []string
	if len(sc.Groups) > 0 {
		parts = append(parts, "the groups "+strings.Join(sc.Groups, ", "))
	}
	if len(sc.Cases) > 0 {
		parts = append(parts, "the cases "+strings.Join(quoteAll(sc.Cases), ", "))
	}
	switch {
	case sc.From != "" && sc.To != "":
		parts = append(parts, "arrests from "+sc.From+" to "+sc.To)
	case sc.From != "":
		parts = append(parts, "arrests from "+sc.From)
	case sc.To != "":
		parts = append(parts, "arrests up to "+sc.To)
	}
	if sc.Country != "" {
		parts = append(parts, "persons held in "+sc.Country)
	}
	return strings.Join(parts, "; ")
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// parseScopeSpec reads import's --scope: "all", or restrictions joined by
// ";": groups=G,G;cases=C|C;from=D;to=D;country=C.
func parseScopeSpec(spec string) (store.Scope, error) {
	var sc store.Scope
	spec = strings.TrimSpace(spec)
	if spec == "all" {
		sc.Comprehensive = true
		return sc, nil
	}
	for _, part := range strings.Split(spec, ";") {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return sc, usagef("--scope %q: want all, or groups=G,G;cases=C|C;from=DATE;to=DATE;country=C", spec)
		}
		switch k {
		case "groups":
			sc.Groups = strings.Split(v, ",")
		case "cases":
			sc.Cases = strings.Split(v, "|")
		case "from":
			sc.From = v
		case "to":
			sc.To = v
		case "country":
			sc.Country = v
		default:
			return sc, usagef("--scope %q: %q is not groups, cases, from, to or country", spec, k)
		}
	}
	return sc, nil
}
