package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type personsOptions struct {
	*globalOptions
	JSON bool
}

func newPersonsCmd(g *globalOptions) *cobra.Command {
	opts := &personsOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "persons [--json]",
		Short: "The persons of the last match, with the lists that include each",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runPersons(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type personOptions struct {
	*globalOptions
	ID   string
	JSON bool
}

func newPersonCmd(g *globalOptions) *cobra.Command {
	opts := &personOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "person ID [--json]",
		Short: "One person: every record, where it comes from and why it is linked (follows redirects)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return runPerson(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// memberJSON is a person's record in --json output.
type memberJSON struct {
	Source      string          `json:"source"`
	Edition     string          `json:"edition"`
	Ref         string          `json:"record_ref"`
	Name        string          `json:"name"`
	Aliases     []string        `json:"aliases,omitempty"` // the record's other names (alias columns and name cell)
	BirthYear   int             `json:"birth_year,omitempty"`
	Group       string          `json:"group,omitempty"`
	Link        string          `json:"link"`
	Score       float64         `json:"score"`
	Fingerprint string          `json:"fingerprint"`
	Why         json.RawMessage `json:"why,omitempty"`
}

type personJSON struct {
	ID            string       `json:"id"`
	Status        string       `json:"status"`
	RedirectsFrom []string     `json:"redirected_from,omitempty"`
	Name          string       `json:"name"`
	Aliases       []string     `json:"aliases"` // the other names of every record, once each, sorted
	Lists         []string     `json:"lists"`
	Records       []memberJSON `json:"records"`
}

// recordIndex finds records by (source, edition, ref).
type recordIndex map[[3]string]roster.Record

func loadRecordIndex(ctx context.Context, s *store.Store) (recordIndex, error) {
	recs, err := s.AllRecords(ctx)
	if err != nil {
		return nil, err
	}
	idx := recordIndex{}
	for _, r := range recs {
		idx[[3]string{r.Source, r.Edition, r.Ref}] = r
	}
	return idx, nil
}

func toPersonJSON(p roster.Person, idx recordIndex) personJSON {
	out := personJSON{ID: p.ID, Status: p.Status, Lists: []string{}, Records: []memberJSON{}}
	var aliases [][]string
	seen := map[string]bool{}
	best := -1
	for _, m := range p.Members {
		r := idx[[3]string{m.Source, m.Edition, m.Ref}]
		// The fullest reading of the name, in Azerbaijani Latin.
		n := match.ParseName(r)
		score := 0
		for _, part := range []string{n.Surname, n.Given, n.Patronymic} {
			if part != "" {
				score += 2
			}
		}
		if n.Script == "az-latn" {
			score++
		}
		if score > best {
			best, out.Name = score, names.Display(n)
		}
		if !seen[m.Source] {
			seen[m.Source] = true
			out.Lists = append(out.Lists, m.Source)
		}
		mj := memberJSON{Source: m.Source, Edition: m.Edition, Ref: m.Ref, Name: r.Name, Aliases: recordAliases(r),
			BirthYear: r.BirthYear, Group: orRaw(r.Group, r.GroupRaw), Link: m.Link, Score: m.Score, Fingerprint: m.Fingerprint}
		aliases = append(aliases, mj.Aliases)
		if json.Valid([]byte(m.Explanation)) {
			mj.Why = json.RawMessage(m.Explanation)
		}
		out.Records = append(out.Records, mj)
	}
	if out.Aliases = roster.MergeAliases(aliases...); out.Aliases == nil {
		out.Aliases = []string{}
	}
	return out
}

func runPersons(ctx context.Context, opts *personsOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ps, err := s.Persons(ctx)
	if err != nil {
		return err
	}
	idx, err := loadRecordIndex(ctx, s)
	if err != nil {
		return err
	}
	out := []personJSON{}
	for _, p := range ps {
		out = append(out, toPersonJSON(p, idx))
	}
	if opts.JSON {
		for i := range out {
			for j := range out[i].Records {
				out[i].Records[j].Why = nil
			}
		}
		return writeJSON(opts.Stdout, out)
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tBORN\tRECORDS\tLISTS")
	for _, p := range out {
		born := ""
		for _, r := range p.Records {
			if r.BirthYear != 0 {
				born = fmt.Sprint(r.BirthYear)
				break
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", p.ID, p.Name, born, len(p.Records), strings.Join(p.Lists, ","))
	}
	return tw.Flush()
}

func runPerson(ctx context.Context, opts *personOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	p, redirects, err := s.Person(ctx, opts.ID)
	if err != nil {
		return err
	}
	idx, err := loadRecordIndex(ctx, s)
	if err != nil {
		return err
	}
	out := toPersonJSON(p, idx)
	out.RedirectsFrom = redirects
	if opts.JSON {
		return writeJSON(opts.Stdout, out)
	}
	w := opts.Stdout
	for _, r := range redirects {
		fmt.Fprintf(w, "%s was merged; showing %s\n", r, p.ID)
	}
	fmt.Fprintf(w, "%s  %s  (%s)\n", out.ID, out.Name, out.Status)
	if len(out.Aliases) > 0 {
		fmt.Fprintf(w, "also known as: %s\n", strings.Join(out.Aliases, "; "))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RECORD\tNAME AS WRITTEN\tALIASES\tBORN\tGROUP\tLINK\tWHY")
	for _, m := range out.Records {
		born := ""
		if m.BirthYear != 0 {
			born = fmt.Sprint(m.BirthYear)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", roster.FormatRef(m.Source, m.Edition, m.Ref, true), m.Name,
			strings.Join(m.Aliases, "; "), born, m.Group, m.Link, whyText(m.Why))
	}
	return tw.Flush()
}

// whyText renders a membership explanation in one line.
func whyText(raw json.RawMessage) string {
	var w struct {
		Via         string            `json:"via"`
		Probability float64           `json:"probability"`
		Fields      map[string]string `json:"fields"`
		Decision    int64             `json:"decision"`
		Note        string            `json:"note"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &w) != nil {
		return ""
	}
	if w.Decision != 0 {
		return fmt.Sprintf("decision #%d: same as %s", w.Decision, w.Via)
	}
	if w.Via == "" {
		return w.Note
	}
	var parts []string
	for _, f := range []string{"surname", "given", "patronymic", "birth_year", "gender", "group", "case", "arrest_date"} {
		if v, ok := w.Fields[f]; ok {
			parts = append(parts, f+" "+v)
		}
	}
	return fmt.Sprintf("p=%.3f with %s: %s", w.Probability, w.Via, strings.Join(parts, ", "))
}
