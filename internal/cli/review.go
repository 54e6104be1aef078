package cli

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

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
	cmd.AddCommand(newReviewListCmd(g), newReviewShowCmd(g), newReviewDecideCmd(g), newReviewUndoCmd(g), newReviewBuildCmd(g),
		newReviewAssignCmd(g), newReviewConfigCmd(g), newReviewStatsCmd(g))
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

// addByFlag adds --by to a command that records who did something (who
// decides, who undoes): by default the OS user.
func addByFlag(cmd *cobra.Command, by *string, who string) {
	cmd.Flags().StringVar(by, "by", defaultActor(), who+" (default $USER)")
}

// checkBy is the usage check of --by: every decision and undo is made by
// someone.
func checkBy(by string) error {
	if strings.TrimSpace(by) == "" {
		return usagef("--by is required when $USER is not set")
	}
	return nil
}

// decisionArgs are what every decision names: the verdict (an argument),
// why (--reason) and who (--by).
type decisionArgs struct {
	Verdict string
	Reason  string
	By      string
}

// addFlags adds --reason and --by to a command that decides.
func (d *decisionArgs) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&d.Reason, "reason", "", "why (required)")
	addByFlag(cmd, &d.By, "who decides")
}

// check is the usage check of a decision: one of the allowed verdicts, a
// reason and who made it.
func (d decisionArgs) check(allowed ...string) error {
	if !slices.Contains(allowed, d.Verdict) {
		return usagef("verdict %q: want %s", d.Verdict, strings.Join(allowed, ", "))
	}
	return d.checkReasonBy()
}

// checkAny is check for an item's decision, whose kind (read later)
// says which verdicts apply: any verdict of some kind passes here.
func (d decisionArgs) checkAny() error {
	ok := false
	for _, k := range roster.Kinds {
		ok = ok || roster.VerdictAllowed(k, true, d.Verdict)
	}
	if !ok {
		return usagef("verdict %q: want same, different, unsure, dismiss, confirm, not-omission, out-of-scope, comprehensive "+
			"or map:GROUP (roster review decide --help says which kind takes which)", d.Verdict)
	}
	return d.checkReasonBy()
}

func (d decisionArgs) checkReasonBy() error {
	if strings.TrimSpace(d.Reason) == "" {
		return usagef("--reason is required: say why")
	}
	if n := utf8.RuneCountInString(d.Reason); n > roster.MaxReason {
		return usagef("--reason is %d characters long; the audit log keeps at most %d: shorten it (cite a longer note instead)",
			n, roster.MaxReason)
	}
	return checkBy(d.By)
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

// decisionOutput is a decision as the deciding commands print it, with
// its records as the CLI shows references.
func decisionOutput(ctx context.Context, s *store.Store, d roster.Decision) (*decisionJSON, error) {
	f, err := newRefFormatter(ctx, s)
	if err != nil {
		return nil, err
	}
	return toDecisionJSON(d, f), nil
}

// toReviewItemJSON is an item as --json prints it; d is the decision that
// settles it (nil when it has none).
func toReviewItemJSON(f refFormatter, it roster.ReviewItem, d *roster.Decision) reviewItemJSON {
	out := reviewItemJSON{ID: it.ID, Kind: it.Kind, State: it.State, Title: it.Title, Source: it.Source, Group: it.Group,
		PersonID: it.PersonID, Records: f.formatAll(it.Records), Impact: round2(it.Impact), Version: it.Version, Key: it.Key}
	if d != nil {
		out.Decision = toDecisionJSON(*d, f)
	}
	return out
}

// itemDecisions returns the decisions that settle the given items, by
// ID, read in one query (none when no item is decided).
func itemDecisions(ctx context.Context, s *store.Store, items []roster.ReviewItem) (map[int64]roster.Decision, error) {
	out := map[int64]roster.Decision{}
	if !slices.ContainsFunc(items, func(it roster.ReviewItem) bool { return it.DecisionID != 0 }) {
		return out, nil
	}
	all, err := s.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range all {
		out[d.ID] = d
	}
	for _, it := range items {
		if _, ok := out[it.DecisionID]; it.DecisionID != 0 && !ok {
			return nil, roster.Errorf(roster.ENOTFOUND, "no decision %d", it.DecisionID)
		}
	}
	return out, nil
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

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
