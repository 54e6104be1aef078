package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// newReviewCmd is "roster review": the analysts' queue.
func newReviewCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "The review queue: doubtful matches, duplicates, conflicts, omissions, group gaps, changes",
		Long: `The review queue holds every doubt an analyst should settle: doubtful
matches (match), the same person twice in one list (duplicate), facts the
lists disagree on (conflict), persons other lists have and one list lacks
(omission), groups a list has none or far fewer of (group-gap), group labels
that mapped to no group (unknown-group), and who came and went between two
editions of a list (change).

roster match rebuilds the queue at its end; roster review build does it by
hand. Items keep their state across rebuilds: a decided item is not asked
again, an item that no longer applies becomes stale.`,
	}
	cmd.AddCommand(newReviewListCmd(g), newReviewShowCmd(g), newReviewDecideCmd(g), newReviewUndoCmd(g), newReviewBuildCmd(g))
	return cmd
}

// defaultActor is who decides when --by is not given: the OS user.
func defaultActor() string {
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// refFormatter formats "source@edition:ref" as the CLI shows references:
// "source:ref" when the source has a single edition.
type refFormatter map[string]int

func newRefFormatter(ctx context.Context, s *store.Store) (refFormatter, error) {
	eds, err := s.Editions(ctx)
	if err != nil {
		return nil, err
	}
	f := refFormatter{}
	for src, e := range eds {
		f[src] = len(e)
	}
	return f, nil
}

func (f refFormatter) format(full string) string {
	r, err := roster.ParseRef(full)
	if err != nil {
		return full
	}
	return roster.FormatRef(r.Source, r.Edition, r.Ref, f[r.Source] > 1)
}

func (f refFormatter) formatAll(full []string) []string {
	out := make([]string, len(full))
	for i, r := range full {
		out[i] = f.format(r)
	}
	return out
}

// reviewItemJSON is an item in --json output.
type reviewItemJSON struct {
	ID       int64           `json:"id"`
	Kind     string          `json:"kind"`
	State    string          `json:"state"`
	Title    string          `json:"title"`
	Source   string          `json:"source,omitempty"`
	Group    string          `json:"group,omitempty"`
	PersonID string          `json:"person_id,omitempty"`
	Records  []string        `json:"records"`
	Impact   float64         `json:"impact"`
	Version  int64           `json:"version"`
	Key      string          `json:"key"`
	Decision *decisionJSON   `json:"decision,omitempty"`
	Payload  json.RawMessage `json:"payload,omitempty"`
	History  []auditJSON     `json:"history,omitempty"`
}

type decisionJSON struct {
	ID      int64    `json:"id"`
	Verdict string   `json:"verdict"`
	Reason  string   `json:"reason"`
	By      string   `json:"by"`
	At      string   `json:"at"`
	Records []string `json:"records,omitempty"`
	Undone  bool     `json:"undone,omitempty"`
	ItemID  int64    `json:"item_id,omitempty"`
}

func toDecisionJSON(d roster.Decision, f refFormatter) *decisionJSON {
	out := &decisionJSON{ID: d.ID, Verdict: d.Verdict, Reason: d.Reason, By: d.By, At: d.At.UTC().Format(time.RFC3339),
		Undone: d.Undone, ItemID: d.ItemID}
	if d.A.Source != "" {
		out.Records = f.formatAll([]string{review.Key(d.A.Source, d.A.Edition, d.A.Ref), review.Key(d.B.Source, d.B.Edition, d.B.Ref)})
	}
	return out
}

func toReviewItemJSON(ctx context.Context, s *store.Store, f refFormatter, it roster.ReviewItem) (reviewItemJSON, error) {
	out := reviewItemJSON{ID: it.ID, Kind: it.Kind, State: it.State, Title: it.Title, Source: it.Source, Group: it.Group,
		PersonID: it.PersonID, Records: f.formatAll(it.Records), Impact: round2(it.Impact), Version: it.Version, Key: it.Key}
	if it.DecisionID != 0 {
		d, err := s.Decision(ctx, it.DecisionID)
		if err != nil {
			return out, err
		}
		out.Decision = toDecisionJSON(d, f)
	}
	return out, nil
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

// ---- review list

type reviewListOptions struct {
	*globalOptions
	Filter store.ReviewFilter
	Limit  int
	JSON   bool
}

func newReviewListCmd(g *globalOptions) *cobra.Command {
	opts := &reviewListOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "list [--kind K] [--source S] [--group G] [--state open|decided|stale|all] [--json]",
		Short: "List review items: open first, highest impact first",
		Example: `  roster review list
  roster review list --kind omission --source ipm
  roster review list --kind group-gap --state all --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReviewList(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Filter.Kind, "kind", "", "only this kind: "+strings.Join(roster.Kinds, ", "))
	cmd.Flags().StringVar(&opts.Filter.Source, "source", "", "only items about this source or its records")
	cmd.Flags().StringVar(&opts.Filter.Group, "group", "", "only items about this group key")
	cmd.Flags().StringVar(&opts.Filter.State, "state", "open", "open, decided, stale or all")
	cmd.Flags().IntVar(&opts.Limit, "limit", 0, "show at most N items (0: all)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func validKind(k string) bool {
	for _, x := range roster.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func runReviewList(ctx context.Context, opts *reviewListOptions) error {
	if opts.Filter.Kind != "" && !validKind(opts.Filter.Kind) {
		return usagef("--kind %q: want one of %s", opts.Filter.Kind, strings.Join(roster.Kinds, ", "))
	}
	switch opts.Filter.State {
	case "", "open", "decided", "stale", "all":
	default:
		return usagef("--state %q: want open, decided, stale or all", opts.Filter.State)
	}
	if opts.Filter.Group != "" && !roster.IsGroup(opts.Filter.Group) {
		return usagef("--group %q: want one of %s", opts.Filter.Group, strings.Join(roster.Groups, ", "))
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	items, err := s.ReviewItems(ctx, opts.Filter)
	if err != nil {
		return err
	}
	if opts.Limit > 0 && len(items) > opts.Limit {
		items = items[:opts.Limit]
	}
	f, err := newRefFormatter(ctx, s)
	if err != nil {
		return err
	}
	if opts.JSON {
		out := []reviewItemJSON{}
		for _, it := range items {
			j, err := toReviewItemJSON(ctx, s, f, it)
			if err != nil {
				return err
			}
			out = append(out, j)
		}
		return writeJSON(opts.Stdout, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(opts.Stdout, "no review items")
		return nil
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tIMPACT\tTITLE")
	for _, it := range items {
		state := it.State
		if it.DecisionID != 0 {
			if d, err := s.Decision(ctx, it.DecisionID); err == nil {
				state += " (" + d.Verdict + ")"
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.0f\t%s\n", it.ID, it.Kind, state, it.Impact, it.Title)
	}
	return tw.Flush()
}

// ---- review show

type reviewShowOptions struct {
	*globalOptions
	Item itemArg
	JSON bool
}

// itemArg is an item as named on the command line: its ID, or its content
// key ("group-gap:mhm:anti-war"), which stays the same across rebuilds.
type itemArg string

func (a itemArg) resolve(ctx context.Context, s *store.Store) (int64, error) {
	if id, err := strconv.ParseInt(strings.TrimPrefix(string(a), "#"), 10, 64); err == nil {
		if id <= 0 {
			return 0, usagef("item ID %q: want a positive number or an item key", string(a))
		}
		return id, nil
	}
	if !strings.Contains(string(a), ":") {
		return 0, usagef("item %q: want an ID or a key like group-gap:mhm:anti-war", string(a))
	}
	it, err := s.ReviewItemByKey(ctx, string(a))
	if err != nil {
		return 0, err
	}
	return it.ID, nil
}

func newReviewShowCmd(g *globalOptions) *cobra.Command {
	opts := &reviewShowOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show ID|KEY [--json]",
		Short: "Show one review item with everything needed to decide it, and its history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item = itemArg(args[0])
			return runReviewShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type auditJSON struct {
	ID         int64           `json:"id"`
	At         string          `json:"at"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Verdict    string          `json:"verdict,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	DecisionID int64           `json:"decision_id,omitempty"`
	ItemID     int64           `json:"item_id,omitempty"`
	Detail     json.RawMessage `json:"detail,omitempty"`
}

func toAuditJSON(e store.AuditEntry) auditJSON {
	out := auditJSON{ID: e.ID, At: e.At.UTC().Format(time.RFC3339), Actor: e.Actor, Action: e.Action, Verdict: e.Verdict,
		Reason: e.Reason, DecisionID: e.DecisionID, ItemID: e.ItemID}
	if json.Valid([]byte(e.Detail)) {
		out.Detail = json.RawMessage(e.Detail)
	}
	return out
}

func runReviewShow(ctx context.Context, opts *reviewShowOptions) error {
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := opts.Item.resolve(ctx, s)
	if err != nil {
		return err
	}
	it, err := s.ReviewItem(ctx, id)
	if err != nil {
		return err
	}
	f, err := newRefFormatter(ctx, s)
	if err != nil {
		return err
	}
	j, err := toReviewItemJSON(ctx, s, f, it)
	if err != nil {
		return err
	}
	if json.Valid([]byte(it.Payload)) {
		j.Payload = json.RawMessage(it.Payload)
	}
	hist, err := s.ItemDecisions(ctx, it.ID)
	if err != nil {
		return err
	}
	for _, e := range hist {
		j.History = append(j.History, toAuditJSON(e))
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, j)
	}
	w := opts.Stdout
	fmt.Fprintf(w, "item %d  %s  %s  (impact %.0f, version %d)\n", it.ID, it.Kind, it.State, it.Impact, it.Version)
	fmt.Fprintf(w, "%s\n", it.Title)
	fmt.Fprintf(w, "key      %s\n", it.Key)
	if it.Source != "" {
		fmt.Fprintf(w, "source   %s\n", it.Source)
	}
	if it.Group != "" {
		fmt.Fprintf(w, "group    %s (%s)\n", it.Group, review.GroupLabel(it.Group))
	}
	if it.PersonID != "" {
		fmt.Fprintf(w, "person   %s\n", it.PersonID)
	}
	if j.Decision != nil {
		fmt.Fprintf(w, "decided  %s by %s at %s: %s\n", j.Decision.Verdict, j.Decision.By, j.Decision.At, j.Decision.Reason)
	}
	printPayload(w, it, f)
	if len(hist) > 0 {
		fmt.Fprintln(w, "history:")
		for _, e := range hist {
			fmt.Fprintf(w, "  %s  %-6s %-8s %-9s %s\n", e.At.UTC().Format(time.RFC3339), e.Action, e.Actor, e.Verdict, e.Reason)
		}
	}
	if it.State == store.StateOpen {
		verdicts := "unsure|dismiss"
		if len(it.Records) == 2 {
			verdicts = "same|different|unsure|dismiss"
		}
		fmt.Fprintf(w, "decide:  roster review decide %d %s --reason TEXT\n", it.ID, verdicts)
	}
	return nil
}

// printPayload prints the records of an item side by side with what the
// kind adds (score and explanation, values in conflict, counts).
func printPayload(w interface{ Write([]byte) (int, error) }, it roster.ReviewItem, f refFormatter) {
	var p struct {
		Records     []review.RecordView `json:"records"`
		Record      *review.RecordView  `json:"record"`
		Probability *float64            `json:"probability"`
		Explanation json.RawMessage     `json:"explanation"`
		Others      map[string]int      `json:"others"`
		Count       *int                `json:"count"`
		Median      *float64            `json:"others_median"`
		Persons     json.RawMessage     `json:"persons"`
	}
	if err := json.Unmarshal([]byte(it.Payload), &p); err != nil {
		return
	}
	if p.Record != nil {
		p.Records = append(p.Records, *p.Record)
	}
	if p.Probability != nil {
		fmt.Fprintf(w, "score    p=%.3f\n", *p.Probability)
	}
	if len(p.Records) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RECORD\tPERSON\tNAME\tBORN\tGENDER\tGROUP\tCASE\tARRESTED\tSTATUS")
		for _, r := range p.Records {
			born := ""
			if r.BirthYear > 0 {
				born = fmt.Sprint(r.BirthYear)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.format(r.Ref), r.PersonID, r.Name, born, r.Gender,
				orRaw(r.Group, r.GroupRaw), r.Case, r.ArrestDate, r.Status)
		}
		tw.Flush()
	}
	if p.Count != nil {
		var parts []string
		for _, src := range sortedStrings(p.Others) {
			parts = append(parts, fmt.Sprintf("%s %d", src, p.Others[src]))
		}
		med := 0.0
		if p.Median != nil {
			med = *p.Median
		}
		fmt.Fprintf(w, "counts   %s %d; others: %s (median %g)\n", it.Source, *p.Count, strings.Join(parts, ", "), med)
	}
	if len(p.Explanation) > 0 && string(p.Explanation) != "null" {
		fmt.Fprintf(w, "explanation %s\n", compactJSON(p.Explanation))
	}
}

func sortedStrings[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func compactJSON(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// ---- review decide / undo

type reviewDecideOptions struct {
	*globalOptions
	Item    itemArg
	Verdict string
	Reason  string
	By      string
	Version int64
	JSON    bool
}

func newReviewDecideCmd(g *globalOptions) *cobra.Command {
	opts := &reviewDecideOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "decide ID|KEY same|different|unsure|dismiss --reason TEXT [--by NAME]",
		Short: "Decide an open review item (same/different become match constraints)",
		Long: `Decide records a verdict on an open item, with a reason and who decided, in
the append-only audit log. same and different apply to items about two
records (match, duplicate, a conflict between two lists) and become
must-link and cannot-link constraints for the next roster match. unsure
and dismiss settle any item without constraining the match.

If someone decided the item meanwhile, the command fails and names who
decided it and when; nothing is lost. --version makes the check strict:
the item must not have changed since you saw that version.`,
		Example: `  roster review decide 12 same --reason "same patronymic and case; birth year typo"
  roster review decide 31 dismiss --reason "list covers journalists only" --by alice`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item, opts.Verdict = itemArg(args[0]), args[1]
			return runReviewDecide(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Reason, "reason", "", "why (required)")
	cmd.Flags().StringVar(&opts.By, "by", defaultActor(), "who decides (default $USER)")
	cmd.Flags().Int64Var(&opts.Version, "version", -1, "the item version you saw (-1: don't check)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func checkVerdict(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return usagef("verdict %q: want %s", v, strings.Join(allowed, ", "))
}

func runReviewDecide(ctx context.Context, opts *reviewDecideOptions) error {
	if err := checkVerdict(opts.Verdict, roster.VerdictSame, roster.VerdictDifferent, roster.VerdictUnsure, roster.VerdictDismiss); err != nil {
		return err
	}
	if strings.TrimSpace(opts.Reason) == "" {
		return usagef("--reason is required: say why")
	}
	if strings.TrimSpace(opts.By) == "" {
		return usagef("--by is required when $USER is not set")
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := opts.Item.resolve(ctx, s)
	if err != nil {
		return err
	}
	d, err := s.DecideItem(ctx, id, opts.Version, opts.Verdict, opts.Reason, opts.By)
	if err != nil {
		return err
	}
	f, err := newRefFormatter(ctx, s)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, toDecisionJSON(d, f))
	}
	fmt.Fprintf(opts.Stdout, "item %d decided: %s by %s (decision %d)\n", id, d.Verdict, d.By, d.ID)
	if d.Verdict == roster.VerdictSame || d.Verdict == roster.VerdictDifferent {
		fmt.Fprintln(opts.Stdout, "run roster match to apply it")
	}
	return nil
}

type reviewUndoOptions struct {
	*globalOptions
	Item itemArg
	By   string
}

func newReviewUndoCmd(g *globalOptions) *cobra.Command {
	opts := &reviewUndoOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "undo ID|KEY [--by NAME]",
		Short: "Undo the decision on a review item and reopen it (the undo is logged)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Item = itemArg(args[0])
			return runReviewUndo(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.By, "by", defaultActor(), "who undoes (default $USER)")
	return cmd
}

func runReviewUndo(ctx context.Context, opts *reviewUndoOptions) error {
	if strings.TrimSpace(opts.By) == "" {
		return usagef("--by is required when $USER is not set")
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := opts.Item.resolve(ctx, s)
	if err != nil {
		return err
	}
	if err := s.UndoItem(ctx, id, opts.By); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "item %d reopened: its decision is undone\n", id)
	return nil
}

// ---- review build

type reviewBuildOptions struct {
	*globalOptions
	OmissionMin int
	JSON        bool
}

func newReviewBuildCmd(g *globalOptions) *cobra.Command {
	opts := &reviewBuildOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "build [--omission-min N]",
		Short: "Rebuild the queue from the current match (roster match does this at its end)",
		Long: `Build rebuilds the review queue from the current clustering. Items are
matched to the stored ones by their content key: decided items stay
decided, open items that no longer apply become stale, stale items that
apply again reopen.

An omission is a person listed in the latest editions of at least
--omission-min other sources but not in this source's latest edition. A
group gap is a group this source's latest edition lists none of while some
other source lists at least 2 and the other sources' median is at least 1,
or "far fewer": at most half the other sources' median and at least 3 below
it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReviewBuild(cmd.Context(), opts) },
	}
	cmd.Flags().IntVar(&opts.OmissionMin, "omission-min", 2, "other sources that must list a person for an omission")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runReviewBuild(ctx context.Context, opts *reviewBuildOptions) error {
	if opts.OmissionMin < 1 {
		return usagef("--omission-min %d: want 1 or more", opts.OmissionMin)
	}
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := buildReview(ctx, s, review.Options{OmissionMinSources: opts.OmissionMin})
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.Stdout, sum)
	}
	fmt.Fprintln(opts.Stdout, sum.String())
	return nil
}

// reviewSummary says what a rebuild of the queue did.
type reviewSummary struct {
	RunID    int64          `json:"run_id"`
	Items    int            `json:"items"`
	New      int            `json:"new"`
	Kept     int            `json:"kept"`
	Reopened int            `json:"reopened"`
	Decided  int            `json:"settled_by_decisions"`
	Stale    int            `json:"stale"`
	Open     int            `json:"open"`
	Counts   map[string]int `json:"open_by_kind"`
}

func (s reviewSummary) String() string {
	var parts []string
	for _, k := range roster.Kinds {
		if n := s.Counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	by := ""
	if len(parts) > 0 {
		by = ": " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("review queue: %d open%s (%d new, %d kept, %d reopened, %d settled by earlier decisions, %d stale)",
		s.Open, by, s.New, s.Kept, s.Reopened, s.Decided, s.Stale)
}

// rebuildReview rebuilds the review queue from the current clustering
// with the default options; roster match calls it at its end.
func rebuildReview(ctx context.Context, g *globalOptions, s *store.Store) (reviewSummary, error) {
	_ = g
	return buildReview(ctx, s, review.Options{})
}

// reviewInput reads the store into the review builders' input. detail
// also reads what only a record's display needs (location, raw row…):
// roster diff prints it; the queue and the tallies do not.
func reviewInput(ctx context.Context, s *store.Store, opts review.Options, detail bool) (review.Input, int64, error) {
	data, err := s.ReadReviewInput(ctx, detail)
	if err != nil {
		return review.Input{}, 0, err
	}
	in := review.Input{Records: data.Records, Members: data.Members, Decisions: data.Decisions, Fingerprint: match.Fingerprint,
		Options: opts, Pairs: make([]review.Pair, len(data.Pairs))}
	for i, p := range data.Pairs {
		in.Pairs[i] = review.Pair{A: p.A, B: p.B, Probability: p.Probability, Band: p.Band}
	}
	return in, data.RunID, nil
}

// reviewMemoryLimit is the soft memory limit while the queue is rebuilt:
// at a million records the build holds about 1.3 GB at its peak, and
// without a limit the collector lets the heap grow to twice that.
const reviewMemoryLimit = 1536 << 20

func buildReview(ctx context.Context, s *store.Store, opts review.Options) (reviewSummary, error) {
	if os.Getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(prev, reviewMemoryLimit))
		defer debug.SetMemoryLimit(prev)
	}
	in, runID, err := reviewInput(ctx, s, opts, false)
	if err != nil {
		return reviewSummary{}, err
	}
	items := review.Build(in) // in is dead from here: the records can go before the save
	st, err := s.SaveReviewItems(ctx, runID, items)
	if err != nil {
		return reviewSummary{}, err
	}
	counts, err := s.ReviewCounts(ctx)
	if err != nil {
		return reviewSummary{}, err
	}
	return reviewSummary{RunID: runID, Items: st.Items, New: st.New, Kept: st.Kept, Reopened: st.Reopened, Decided: st.Decided,
		Stale: st.Stale, Open: st.Open, Counts: counts}, nil
}

// demoReview is the demo's review step, after roster match has rebuilt
// the queue: it prints the open items by kind and the first few, and the
// tallies table.
func demoReview(ctx context.Context, g *globalOptions) error {
	s, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	w := g.Stdout
	fmt.Fprintln(w, "\n== The review queue (rebuilt by roster match)")
	counts, err := s.ReviewCounts(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tOPEN")
	for _, k := range roster.Kinds {
		fmt.Fprintf(tw, "%s\t%d\n", k, counts[k])
	}
	tw.Flush()
	fmt.Fprintln(w, "\n$ roster review list --kind group-gap")
	if err := runReviewList(ctx, &reviewListOptions{globalOptions: g, Filter: store.ReviewFilter{Kind: roster.KindGroupGap}}); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n$ roster review list --limit 8")
	if err := runReviewList(ctx, &reviewListOptions{globalOptions: g, Limit: 8}); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== Tallies: persons per group per list and in the registry")
	fmt.Fprintln(w, "$ roster export tallies --format table")
	return runTallies(ctx, &talliesOptions{globalOptions: g, Format: "table"})
}
