package app

import (
	"context"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/roster-coalition/roster/internal/export"
	"github.com/roster-coalition/roster/internal/match"
	"github.com/roster-coalition/roster/internal/names"
	"github.com/roster-coalition/roster/internal/review"
	"github.com/roster-coalition/roster/internal/roster"
	"github.com/roster-coalition/roster/internal/store"
)

// ReviewSummary says what a rebuild of the queue did.
type ReviewSummary struct {
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

func (s ReviewSummary) String() string {
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

// ReviewInput reads the store into the review builders' input, and
// returns the last match run's ID with it. detail also reads what only a
// record's display needs (location, raw row…): roster diff prints it; the
// queue and the tallies do not.
func (a *Service) ReviewInput(ctx context.Context, opts review.Options, detail bool) (review.Input, int64, error) {
	data, err := a.store.ReadReviewInput(ctx, detail)
	if err != nil {
		return review.Input{}, 0, err
	}
	return reviewInput(data, opts), data.RunID, nil
}

// reviewInput turns what the store gives into the builders' input.
func reviewInput(data store.ReviewInput, opts review.Options) review.Input {
	in := review.Input{Records: data.Records, Members: data.Members, Decisions: data.Decisions, Fingerprint: match.Fingerprint,
		Options: opts, Pairs: make([]review.Pair, len(data.Pairs))}
	for i, p := range data.Pairs {
		in.Pairs[i] = review.Pair{A: p.A, B: p.B, Probability: p.Probability, Band: p.Band}
	}
	for _, sc := range data.Scopes {
		in.Scopes = append(in.Scopes, review.Scope{Source: sc.Source, Edition: sc.Edition, Comprehensive: sc.Comprehensive,
			Groups: sc.Groups, Cases: sc.Cases, From: sc.From, To: sc.To, Country: sc.Country})
	}
	return in
}

// RegistryNamer connects the registry's names to the name engine. A name
// cell's other names ("Aytən Qasımlı (Aytən Dalğa)") are left out of the
// canonical name; the registry lists them as aliases.
var RegistryNamer = export.Namer{
	Parse: func(r roster.Record) export.NameParts {
		var n names.Name
		main, _ := names.SplitAliases(r.Name)
		if r.Surname != "" || r.Given != "" {
			n = names.FromParts(r.Surname, r.Given, r.Patronymic)
		} else {
			n = names.Parse(main)
		}
		return export.NameParts{Surname: n.Surname, Given: n.Given, Patronymic: n.Patronymic, Gender: n.Gender,
			Attested: n.Script == "az-latn", Russian: n.Script == "ru-cyrl", Written: main}
	},
	English: names.ToEnglish,
	Russian: names.ToRussian,
}

// reviewMemoryLimit is the soft memory limit while the queue is rebuilt:
// at a million records the build holds about 2 GB at its peak, and
// without a limit the collector lets the heap grow to twice that. (At
// 1.5 GB, the limit until December 2026, the collector ran without a
// pause and the build took twice as long: 18.9 s, not 8.8 s.)
const reviewMemoryLimit = 2560 << 20

// RebuildReview rebuilds the review queue from the current clustering and
// saves it (see store.SaveReviewItems: decided items stay decided, items
// that no longer apply become stale). roster match calls it at its end
// with the zero Options: the defaults and the project's settings.
func (a *Service) RebuildReview(ctx context.Context, opts review.Options) (ReviewSummary, error) {
	data, err := a.store.ReadReviewInput(ctx, false)
	if err != nil {
		return ReviewSummary{}, err
	}
	return a.rebuildReview(ctx, opts, data)
}

// OmissionMin is the project's omission threshold: the setting
// (store.SetOmissionMin), or review.DefaultOmissionMin when none is set.
func (a *Service) OmissionMin(ctx context.Context) (int, error) {
	n, err := a.store.OmissionMin(ctx)
	if n == 0 {
		n = review.DefaultOmissionMin
	}
	return n, err
}

// rebuildReview builds the queue from data and saves it. An omission
// threshold left at zero in opts is the project's setting
// (store.SetOmissionMin), so that every rebuild, roster match's too,
// raises the same omissions.
func (a *Service) rebuildReview(ctx context.Context, opts review.Options, data store.ReviewInput) (ReviewSummary, error) {
	if opts.OmissionMinSources == 0 {
		n, err := a.OmissionMin(ctx)
		if err != nil {
			return ReviewSummary{}, err
		}
		opts.OmissionMinSources = n
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(prev, reviewMemoryLimit))
		defer debug.SetMemoryLimit(prev)
	}
	runID := data.RunID
	in := reviewInput(data, opts)
	data = store.ReviewInput{}
	kept, err := a.store.PersonNames(ctx)
	if err != nil {
		return ReviewSummary{}, err
	}
	var tally store.RegistryTally
	var changed map[string]store.PersonName
	in.Names, changed, tally = personNames(in, kept)
	if err := a.store.SaveRegistryTally(ctx, tally); err != nil {
		return ReviewSummary{}, err
	}
	if err := a.store.SavePersonNames(ctx, changed); err != nil {
		return ReviewSummary{}, err
	}
	items := review.Build(in) // in is dead from here: the records can go before the save
	st, err := a.store.SaveReviewItems(ctx, runID, items)
	if err != nil {
		return ReviewSummary{}, err
	}
	counts, err := a.store.ReviewCounts(ctx)
	if err != nil {
		return ReviewSummary{}, err
	}
	return ReviewSummary{RunID: runID, Items: st.Items, New: st.New, Kept: st.Kept, Reopened: st.Reopened, Decided: st.Decided,
		Stale: st.Stale, Open: st.Open, Counts: counts}, nil
}

// eachOnAllCores runs do(k) for k in [0, n) on every core; each worker
// gets its own do from newWorker (for what it reuses between calls).
func eachOnAllCores(n int, newWorker func() func(k int)) {
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := newWorker()
			for k := w; k < n; k += workers {
				do(k)
			}
		}()
	}
	wg.Wait()
}

// personNames computes what the queue shows of each person beside the
// review items: the canonical name (the registry's: see
// export.CanonicalName), and the registry's tally (a person counts in
// every group one of their records gives, "" for none). A name is kept
// with a hash of the spellings it came from: only the persons whose
// spellings changed since (kept) are parsed again, on all cores; changed
// returns their names, to keep.
func personNames(in review.Input, kept map[string]store.PersonName) (names map[string]string, changed map[string]store.PersonName,
	tally store.RegistryTally) {
	// Each person's records, by index. The memberships usually come in
	// the order of the records (as the store reads them); else by lookup.
	pidx := map[string]int32{}
	var order []string
	var recs [][]int32
	add := func(pid string, i int) {
		k, ok := pidx[pid]
		if !ok {
			k = int32(len(order))
			pidx[pid] = k
			order = append(order, pid)
			recs = append(recs, nil)
		}
		recs[k] = append(recs[k], int32(i))
	}
	j := 0
	for i := range in.Records {
		r := &in.Records[i]
		if j < len(in.Members) {
			if m := &in.Members[j]; m.Ref == r.Ref && m.Edition == r.Edition && m.Source == r.Source {
				if m.PersonID != "" {
					add(m.PersonID, i)
				}
				j++
			}
		}
	}
	if j < len(in.Members) {
		pidx, order, recs = map[string]int32{}, nil, nil
		at := make(map[[3]string]int, len(in.Records))
		for i, r := range in.Records {
			at[[3]string{r.Source, r.Edition, r.Ref}] = i
		}
		for _, m := range in.Members {
			if i, ok := at[[3]string{m.Source, m.Edition, m.Ref}]; ok && m.PersonID != "" {
				add(m.PersonID, i)
			}
		}
	}
	computed := make([]string, len(order))
	hashes := make([]int64, len(order))
	eachOnAllCores(len(order), func() func(k int) {
		var rs []roster.Record
		h := fnv.New64a()
		return func(k int) {
			hashes[k] = spellingHash(h, in.Records, recs[k])
			if p, ok := kept[order[k]]; ok && p.Spellings == hashes[k] {
				return
			}
			rs = rs[:0]
			for _, i := range recs[k] {
				rs = append(rs, in.Records[i])
			}
			computed[k] = export.CanonicalName(rs, RegistryNamer)
		}
	})
	out := make(map[string]string, len(order))
	changed = map[string]store.PersonName{}
	t := store.RegistryTally{Persons: len(order), Groups: map[string]int{}}
	var groups []string
	for k, pid := range order {
		if computed[k] != "" {
			out[pid] = computed[k]
			changed[pid] = store.PersonName{Spellings: hashes[k], Name: computed[k]}
		} else {
			out[pid] = kept[pid].Name
		}
		groups = groups[:0]
		for _, i := range recs[k] {
			if g := in.Records[i].Group; !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
		for _, g := range groups {
			t.Groups[g]++
		}
	}
	return out, changed, t
}

// spellingHash hashes what a person's canonical name depends on: each
// record's name fields, in record order (FNV-1a: the same in every run, as
// the hashes kept in the database need).
func spellingHash(h hash.Hash64, recs []roster.Record, idx []int32) int64 {
	h.Reset()
	for _, i := range idx {
		r := &recs[i]
		for _, f := range [...]string{r.Name, r.Surname, r.Given, r.Patronymic} {
			io.WriteString(h, f)
			h.Write([]byte{0x1f})
		}
		h.Write([]byte{0x1e})
	}
	return int64(h.Sum64())
}
