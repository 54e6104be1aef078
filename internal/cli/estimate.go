package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/estimate"
	"github.com/roster-coalition/roster/internal/i18n"
	"github.com/roster-coalition/roster/internal/report"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

type estimateOptions struct {
	*globalOptions
	By            string
	JSON          bool
	EditionDate   string
	Criterion     string
	Interval      string
	Resamples     int
	LinkResamples int
	Seed          uint64
	KeepCopies    bool
	Models        int
	Audience      string
}

func newEstimateCmd(g *globalOptions) *cobra.Command {
	opts := &estimateOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "estimate [--by group] [--json]",
		Short: "Estimate how many persons there are in all, counting those no list has found",
		Long: `Estimate reads the current clustering (the latest edition of each source, or
the latest on or before --edition-date) and counts how many persons each
combination of lists holds. From that overlap, log-linear models (from
independence to all two-way interactions between lists) are fitted by
Poisson maximum likelihood; one is chosen by BIC (default), AIC or the
Bales–Hesketh–Silverman stepwise rule, and gives the estimate of the
persons on no list and the total with a 95% interval (profile likelihood,
or a parametric bootstrap that chooses the model again in every draw).

It prints the overlap table, the chosen model, the total with its interval,
the best models with their estimates (how much the answer depends on the
model), how much the pairs still in the review band move it (each is linked
with its match probability in 200 resamples), warnings, and what the
method assumes. An estimate is refused, with the reason, where the table
cannot identify one (fewer than two lists, a list that shares nobody with
the others). A list that is nearly a copy of another is named and counted
as part of it (--keep-copies to keep it apart).

--by group estimates each group too: a person counts in the group most of
their records give, and a list that holds nobody of a group is left out of
that group's estimate. --json prints the same with observed, estimate,
lower and upper (the 95% interval; upper is null when unbounded) at the top
level. The result is deterministic: the resamples use --seed.

Exit status: 0 ok, 1 failure (also when the overall estimate is refused), 2 usage error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runEstimate(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.By, "by", "", "also estimate per `group`")
	f.BoolVar(&opts.JSON, "json", false, "print JSON")
	f.StringVar(&opts.EditionDate, "edition-date", "", "use each source's latest edition on or before `YYYY-MM-DD`")
	f.StringVar(&opts.Criterion, "criterion", estimate.ByBIC, "choose the model by bic, aic or stepwise")
	f.StringVar(&opts.Interval, "interval", estimate.Profile, "the interval: profile or bootstrap")
	f.IntVar(&opts.Resamples, "resamples", 500, "bootstrap draws for --interval bootstrap")
	f.IntVar(&opts.LinkResamples, "link-resamples", 200, "resamples of the review-band links (0: none)")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed of the resamples")
	f.BoolVar(&opts.KeepCopies, "keep-copies", false, "do not count a list that copies another as part of it")
	f.IntVar(&opts.Models, "models", 10, "models shown in the model table")
	addAudienceFlag(cmd, &opts.Audience)
	return cmd
}

func (o *estimateOptions) estimateOptions() estimate.Options {
	lr := o.LinkResamples
	if lr <= 0 {
		lr = -1
	}
	return estimate.Options{Criterion: strings.ToLower(o.Criterion), Interval: strings.ToLower(o.Interval), Resamples: o.Resamples,
		LinkResamples: lr, Seed: o.Seed, KeepCopies: o.KeepCopies, Shown: o.Models}
}

func runEstimate(ctx context.Context, opts *estimateOptions) error {
	if opts.By != "" && opts.By != "group" {
		return usagef("--by %q: want group", opts.By)
	}
	eo := opts.estimateOptions()
	if err := eo.Check(); err != nil {
		return usageError{err}
	}
	if opts.EditionDate != "" {
		if _, err := time.Parse(time.DateOnly, opts.EditionDate); err != nil {
			return usagef("--edition-date %q: want YYYY-MM-DD", opts.EditionDate)
		}
	}
	run, err := openForAudience(ctx, opts.globalOptions, opts.Audience, "", publishFlags{}, "")
	if err != nil {
		return err
	}
	aud, policy := run.aud, run.policy
	data, err := loadEstimateData(ctx, run.s, opts.EditionDate)
	run.s.Close()
	if err != nil {
		return err
	}
	est, err := estimateAll(data, eo, opts.By == "group")
	if err != nil {
		return err
	}
	// The estimate names nobody: it counts every person, and says how
	// many of them a public export withholds.
	withheld := 0
	for _, p := range data.Persons {
		if !policy.Named(p.ID) {
			withheld++
		}
	}
	if opts.JSON {
		j := estimateJSONOf(est, i18n.New(i18n.English))
		j.Audience, j.Withheld = string(aud), withheld
		err = writeJSON(opts.Stdout, j)
	} else {
		err = writeEstimateText(opts.Stdout, est, i18n.New(i18n.English))
		if err == nil && withheld > 0 {
			_, err = fmt.Fprintf(opts.Stdout, "Private persons: %d of the %d listed are counted here and named in no public export.\n", withheld, len(data.Persons))
		}
	}
	if err != nil {
		return err
	}
	if est.Overall.Refused != nil {
		return errors.New("no estimate: " + report.Refusal(i18n.New(i18n.English), est.Overall.Refused))
	}
	return nil
}

// estimateData is what an estimate reads from the store.
type estimateData struct {
	Lists   []estimate.List   // the editions used, by source
	Persons []estimate.Person // the persons on at least one of them
	Group   map[string]string // person ID -> group key ("" unknown)
	Links   []estimate.Link   // review-band pairs between two of those persons
	AsOf    string            // the day of the last match run
}

// loadEstimateData reads the current clustering: for each source its
// latest edition (on or before editionDate when given), the persons of
// those editions and their groups, and the review-band pairs.
func loadEstimateData(ctx context.Context, s *store.Store, editionDate string) (estimateData, error) {
	run, err := s.LastRun(ctx)
	if err != nil {
		return estimateData{}, err
	}
	rows, err := s.ExportRows(ctx)
	if err != nil {
		return estimateData{}, err
	}
	pairs, err := s.ReviewBandPairs(ctx)
	if err != nil {
		return estimateData{}, err
	}
	return estimateDataOf(rows, pairs, editionDate, run.FinishedAt)
}

// estimateDataOf picks the editions and gathers the persons, their groups
// and the links.
func estimateDataOf(rows []store.ExportRow, pairs []store.BandPair, editionDate, runAt string) (estimateData, error) {
	edition := map[string]string{} // source -> the edition used
	for _, r := range rows {
		if editionDate != "" && r.Edition > editionDate {
			continue
		}
		if r.Edition > edition[r.Source] {
			edition[r.Source] = r.Edition
		}
	}
	if len(edition) == 0 {
		if editionDate != "" {
			return estimateData{}, roster.Errorf(roster.ENOTFOUND, "no edition on or before %s", editionDate)
		}
		return estimateData{}, roster.Errorf(roster.ENOTFOUND, "no lists imported yet")
	}
	d := estimateData{Group: map[string]string{}}
	if len(runAt) >= 10 {
		d.AsOf = runAt[:10]
	}
	for src, ed := range edition {
		d.Lists = append(d.Lists, estimate.List{Name: src, Edition: ed})
	}
	slices.SortFunc(d.Lists, func(a, b estimate.List) int { return strings.Compare(a.Name, b.Name) })
	on := map[string][]string{}           // person -> sources
	groups := map[string]map[string]int{} // person -> group -> records
	unplaced := 0
	byRef := map[roster.RecordRef]string{}
	for _, r := range rows {
		byRef[roster.RecordRef{Source: r.Source, Edition: r.Edition, Ref: r.Ref}] = r.PersonID
		if edition[r.Source] != r.Edition {
			continue
		}
		if r.PersonID == "" {
			unplaced++
			continue
		}
		if !slices.Contains(on[r.PersonID], r.Source) {
			on[r.PersonID] = append(on[r.PersonID], r.Source)
		}
		if groups[r.PersonID] == nil {
			groups[r.PersonID] = map[string]int{}
		}
		groups[r.PersonID][r.Group]++
	}
	if unplaced > 0 {
		return estimateData{}, roster.Errorf(roster.EINVALID, "%d records are in no person yet: run roster match first", unplaced)
	}
	for id, srcs := range on {
		slices.Sort(srcs)
		d.Persons = append(d.Persons, estimate.Person{ID: id, Lists: srcs})
		d.Group[id] = majorityGroup(groups[id])
	}
	slices.SortFunc(d.Persons, func(a, b estimate.Person) int { return strings.Compare(a.ID, b.ID) })
	for _, p := range pairs {
		a, b := byRef[p.A], byRef[p.B]
		if a == "" || b == "" || a == b || on[a] == nil || on[b] == nil {
			continue
		}
		d.Links = append(d.Links, estimate.Link{A: a, B: b, Probability: p.Probability})
	}
	return d, nil
}

// majorityGroup is the group most records give (ties: the first in the
// registry's order); "" when none gives one.
func majorityGroup(counts map[string]int) string {
	best, n := "", 0
	for _, g := range roster.Groups {
		if counts[g] > n {
			best, n = g, counts[g]
		}
	}
	return best
}

// estimates is the overall estimate and, with --by group, one per group.
type estimates struct {
	Overall estimate.Result
	Groups  []groupEstimate
	AsOf    string
}

type groupEstimate struct {
	Group string // key, or "unknown"
	estimate.Result
}

func estimateAll(d estimateData, o estimate.Options, byGroup bool) (estimates, error) {
	out := estimates{AsOf: d.AsOf}
	var err error
	out.Overall, err = estimate.Estimate(estimate.Input{Lists: d.Lists, Persons: d.Persons, Links: d.Links, Options: o})
	if err != nil {
		return out, err
	}
	if !byGroup {
		return out, nil
	}
	keys := append(slices.Clone(roster.Groups), "")
	for _, g := range keys {
		in := estimate.Input{Lists: d.Lists, Options: o}
		for _, p := range d.Persons {
			if d.Group[p.ID] == g {
				in.Persons = append(in.Persons, p)
			}
		}
		if len(in.Persons) == 0 {
			continue
		}
		for _, l := range d.Links {
			if d.Group[l.A] == g && d.Group[l.B] == g {
				in.Links = append(in.Links, l)
			}
		}
		r, err := estimate.Estimate(in)
		if err != nil {
			return out, err
		}
		key := g
		if key == "" {
			key = "unknown"
		}
		out.Groups = append(out.Groups, groupEstimate{Group: key, Result: r})
	}
	return out, nil
}

func writeEstimateText(w io.Writer, est estimates, p *i18n.Printer) error {
	r := est.Overall
	fmt.Fprintf(w, "Lists: ")
	for i, l := range r.Lists {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%s@%s (%d)", l.Name, l.Edition, r.Table.ListTotal(i))
	}
	fmt.Fprintf(w, "\nPersons on at least one list: %d\n", r.Observed)
	for _, m := range r.MergedLists {
		fmt.Fprintf(w, "Counted as part of %s: %s (a copy, see the warnings)\n", m[1], m[0])
	}
	writeOverlap(w, r.Table)
	if r.Refused != nil {
		fmt.Fprintf(w, "\n%s\n", report.Refusal(p, r.Refused))
	} else {
		fmt.Fprintf(w, "\nModel (chosen by %s): %s\n", p.T("estimate.criterion."+r.Criterion), report.ModelName(p, r.Model))
		fmt.Fprintf(w, "Estimate: %s persons in all, %d%% interval %s–%s (%s); %d listed, about %s on no list\n",
			report.Count(p, r.Estimate), int(math.Round(r.Level*100)), report.Count(p, r.Lower), report.Count(p, r.Upper),
			p.T("estimate.interval."+r.Interval), r.Observed, report.Count(p, r.Unseen))
		if r.Table.K() == 2 {
			fmt.Fprintf(w, "Two lists: the estimate is Chapman's (n1+1)(n2+1)/(m+1) − 1; the model's is Lincoln–Petersen's n1·n2/m.\n")
		}
		writeModels(w, r, p)
		if le := r.Links; le != nil && le.Pairs > 0 {
			fmt.Fprintf(w, "\nUncertain links: %d review-band pairs, %d resamples: the estimate ranges %s–%s (sd %s); with them the interval is %s–%s (they cause %s of its width)\n",
				le.Pairs, le.Resamples, report.Count(p, le.Low), report.Count(p, le.High), p.Decimal(le.SD, 1), report.Count(p, le.Lower), report.Count(p, le.Upper), p.Percent(le.Share))
		} else {
			fmt.Fprintf(w, "\nUncertain links: none in the review band\n")
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(w, "\nWarnings\n")
		for _, wn := range r.Warnings {
			fmt.Fprintf(w, "- %s\n", report.Warning(p, wn))
		}
	}
	fmt.Fprintf(w, "\nWhat the estimate assumes\n")
	for _, k := range report.Assumptions {
		fmt.Fprintf(w, "- %s\n", p.T(k))
	}
	if len(est.Groups) > 0 {
		writeGroupEstimates(w, est.Groups, p)
	}
	return nil
}

// writeOverlap prints the overlap table: one row per combination of lists
// that holds someone, largest first.
func writeOverlap(w io.Writer, t estimate.Table) {
	cells := t.Cells()
	fmt.Fprintf(w, "\nOverlap: persons by the lists that hold them (%d of %d combinations hold someone)\n", len(cells), len(t.Counts)-1)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(t.Lists, "\t")+"\tpersons\t")
	for _, c := range cells {
		var marks []string
		for i := range t.Lists {
			m := "·"
			if c.Pattern.Has(i) {
				m = "x"
			}
			marks = append(marks, m)
		}
		fmt.Fprintf(tw, "%s\t%d\t\n", strings.Join(marks, "\t"), c.Count)
	}
	tw.Flush()
}

func writeModels(w io.Writer, r estimate.Result, p *i18n.Printer) {
	by := r.Criterion
	if by == estimate.ByStepwise {
		by = estimate.ByAIC
	}
	fmt.Fprintf(w, "\nModels: the best by %s of %d fitted", strings.ToUpper(by), r.Fitted)
	if r.LeftOut > 0 {
		fmt.Fprintf(w, " (%d more have no estimate)", r.LeftOut)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tmodel\tparams\tdeviance\tAIC\tΔAIC\tBIC\tΔBIC\tunseen\ttotal\t95% interval")
	for _, c := range r.Models {
		mark := ""
		if c.Chosen {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%s\t%s–%s\n", mark, report.ModelName(p, c), c.Params, c.Deviance,
			c.AIC, c.DeltaAIC, c.BIC, c.DeltaBIC, report.Count(p, c.Unseen), report.Count(p, c.Total), report.Count(p, c.Lower), report.Count(p, c.Upper))
	}
	tw.Flush()
	fmt.Fprintln(w, "(* the chosen model; the intervals are each model's profile likelihood)")
}

func writeGroupEstimates(w io.Writer, gs []groupEstimate, p *i18n.Printer) {
	fmt.Fprintf(w, "\nBy group (a list that holds nobody of a group is left out of its estimate)\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "group\tlists\tlisted\testimate\t95% interval\tmodel\tnote")
	for _, g := range gs {
		names := make([]string, len(g.Lists))
		for i, l := range g.Lists {
			names[i] = l.Name
		}
		if g.Refused != nil {
			fmt.Fprintf(tw, "%s\t%s\t%d\t–\t–\t–\t%s\n", g.Group, strings.Join(names, " "), g.Observed, report.Refusal(p, g.Refused))
			continue
		}
		note := ""
		if n := len(g.Warnings); n > 0 {
			note = fmt.Sprintf("%d warnings (see --json)", n)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s–%s\t%s\t%s\n", g.Group, strings.Join(names, " "), g.Observed, report.Count(p, g.Estimate),
			report.Count(p, g.Lower), report.Count(p, g.Upper), report.ModelName(p, g.Model), note)
	}
	tw.Flush()
}

// The JSON form.

type estimateJSON struct {
	Audience       string              `json:"audience,omitempty"`
	Withheld       int                 `json:"withheld,omitempty"` // private persons counted but named in no public export
	Observed       int                 `json:"observed"`
	Estimate       *float64            `json:"estimate"`
	Lower          *float64            `json:"lower"`
	Upper          *float64            `json:"upper"` // null when unbounded
	UpperUnbounded bool                `json:"upper_unbounded,omitempty"`
	Unseen         *float64            `json:"unseen"`
	Level          float64             `json:"level"`
	Criterion      string              `json:"criterion"`
	Interval       string              `json:"interval"`
	Model          *modelJSON          `json:"model,omitempty"`
	Chapman        *float64            `json:"chapman,omitempty"`
	Refused        *messageJSON        `json:"refused,omitempty"`
	Lists          []estimateListJSON  `json:"lists"`
	Merged         [][2]string         `json:"merged,omitempty"`
	Overlap        []overlapJSON       `json:"overlap"`
	Models         []modelJSON         `json:"models"`
	ModelsFitted   int                 `json:"models_fitted"`
	ModelsLeftOut  int                 `json:"models_left_out"`
	Links          *linksJSON          `json:"links,omitempty"`
	Warnings       []messageJSON       `json:"warnings"`
	Assumptions    []string            `json:"assumptions,omitempty"`
	Groups         []groupEstimateJSON `json:"groups,omitempty"`
}

type groupEstimateJSON struct {
	Group string `json:"group"`
	estimateJSON
}

type estimateListJSON struct {
	Name    string `json:"name"`
	Edition string `json:"edition"`
	Persons int    `json:"persons"`
}

type overlapJSON struct {
	Lists   []string `json:"lists"`
	Persons int      `json:"persons"`
}

type modelJSON struct {
	Name         string      `json:"model"`
	Interactions [][2]string `json:"interactions"`
	Params       int         `json:"parameters"`
	Deviance     float64     `json:"deviance"`
	AIC          float64     `json:"aic"`
	BIC          float64     `json:"bic"`
	DeltaAIC     float64     `json:"delta_aic"`
	DeltaBIC     float64     `json:"delta_bic"`
	Unseen       float64     `json:"unseen"`
	Total        float64     `json:"total"`
	Lower        *float64    `json:"lower"`
	Upper        *float64    `json:"upper"`
	Chosen       bool        `json:"chosen,omitempty"`
	BestAIC      bool        `json:"best_aic,omitempty"`
	BestBIC      bool        `json:"best_bic,omitempty"`
}

type linksJSON struct {
	Pairs     int      `json:"pairs"`
	Resamples int      `json:"resamples"`
	Low       float64  `json:"low"`
	High      float64  `json:"high"`
	SD        float64  `json:"sd"`
	Share     float64  `json:"share"`
	Lower     *float64 `json:"lower"`
	Upper     *float64 `json:"upper"`
}

type messageJSON struct {
	Code    string   `json:"code"`
	Lists   []string `json:"lists,omitempty"`
	Message string   `json:"message"`
}

// num rounds to two decimals; nil for an infinite or missing value.
func num(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	v := round2(x)
	return &v
}

func modelJSONOf(c estimate.Candidate) modelJSON {
	return modelJSON{Name: c.Name, Interactions: c.Interactions, Params: c.Params, Deviance: round2(c.Deviance), AIC: round2(c.AIC),
		BIC: round2(c.BIC), DeltaAIC: round2(c.DeltaAIC), DeltaBIC: round2(c.DeltaBIC), Unseen: round2(c.Unseen),
		Total: round2(c.Total), Lower: num(c.Lower), Upper: num(c.Upper), Chosen: c.Chosen, BestAIC: c.BestAIC, BestBIC: c.BestBIC}
}

func resultJSON(r estimate.Result, p *i18n.Printer) estimateJSON {
	j := estimateJSON{Observed: r.Observed, Level: r.Level, Criterion: r.Criterion, Interval: r.Interval,
		ModelsFitted: r.Fitted, ModelsLeftOut: r.LeftOut, Merged: r.MergedLists, Lists: []estimateListJSON{}, Overlap: []overlapJSON{},
		Models: []modelJSON{}, Warnings: []messageJSON{}}
	for i, l := range r.Lists {
		j.Lists = append(j.Lists, estimateListJSON{Name: l.Name, Edition: l.Edition, Persons: r.Table.ListTotal(i)})
	}
	for _, c := range r.Table.Cells() {
		j.Overlap = append(j.Overlap, overlapJSON{Lists: c.Lists, Persons: c.Count})
	}
	for _, w := range r.Warnings {
		j.Warnings = append(j.Warnings, messageJSON{Code: w.Code, Lists: w.Lists, Message: report.Warning(p, w)})
	}
	if r.Refused != nil {
		j.Refused = &messageJSON{Code: r.Refused.Code, Lists: r.Refused.Lists, Message: report.Refusal(p, r.Refused)}
		return j
	}
	j.Estimate, j.Lower, j.Upper, j.Unseen = num(r.Estimate), num(r.Lower), num(r.Upper), num(r.Unseen)
	j.UpperUnbounded = math.IsInf(r.Upper, 1)
	m := modelJSONOf(r.Model)
	j.Model = &m
	if r.Table.K() == 2 {
		j.Chapman = num(r.Chapman)
	}
	for _, c := range r.Models {
		j.Models = append(j.Models, modelJSONOf(c))
	}
	if le := r.Links; le != nil {
		j.Links = &linksJSON{Pairs: le.Pairs, Resamples: le.Resamples, Low: round2(le.Low), High: round2(le.High), SD: round2(le.SD),
			Share: round2(le.Share), Lower: num(le.Lower), Upper: num(le.Upper)}
	}
	return j
}

func estimateJSONOf(est estimates, p *i18n.Printer) estimateJSON {
	j := resultJSON(est.Overall, p)
	for _, k := range report.Assumptions {
		j.Assumptions = append(j.Assumptions, p.T(k))
	}
	for _, g := range est.Groups {
		j.Groups = append(j.Groups, groupEstimateJSON{Group: g.Group, estimateJSON: resultJSON(g.Result, p)})
	}
	return j
}

// demoEstimate is the demo's last step: the estimate, and where the
// report goes.
func demoEstimate(ctx context.Context, g *globalOptions) error {
	w := g.Stdout
	fmt.Fprintln(w, "\n== How many are there? The estimate from the lists' overlap")
	fmt.Fprintln(w, "$ roster estimate")
	err := runEstimate(ctx, &estimateOptions{globalOptions: g, Criterion: estimate.ByBIC, Interval: estimate.Profile,
		Resamples: 500, LinkResamples: 200, Seed: 1, Models: 5})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nThe publication report: roster report --lang az|ru|en -o DIR (writes DIR/index.html)")
	return nil
}
