package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roster-coalition/roster/internal/store"
)

// fixtureEditions are the demo lists with the editions truth.csv uses.
var fixtureEditions = []struct{ file, source, edition string }{
	{"ipm-2025-02.csv", "ipm", "2025-02-01"},
	{"cdr-2025-04.json", "cdr", "2025-04-15"},
	{"mhm-2025-05.csv", "mhm", "2025-05-15"},
	{"fpp-2025-06.xlsx", "fpp", "2025-06-01"},
	{"ipm-2025-06.csv", "ipm", "2025-06-01"},
}

type cliHarness struct {
	t  *testing.T
	db string
}

func (h cliHarness) run(args ...string) string {
	h.t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--db", h.db}, args...)
	if code := Run(context.Background(), full, nil, &out, &errb); code != 0 {
		h.t.Fatalf("roster %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

// reviewTruth reads fixtures/lists/truth.csv: "source@edition:ref" -> person.
func reviewTruth(t *testing.T) map[string]string {
	f, err := os.Open("../../fixtures/lists/truth.csv")
	if err != nil {
		t.Skipf("no fixtures: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]+"@"+r[1]+":"+r[2]] = r[3]
	}
	return out
}

// refOf returns the reference of truth person p in source@edition.
func refOf(t *testing.T, truth map[string]string, srcEd, p string) string {
	for k, v := range truth {
		if v == p && strings.HasPrefix(k, srcEd+":") {
			return k
		}
	}
	t.Fatalf("truth has no %s in %s", p, srcEd)
	return ""
}

// personOf returns the person a record belongs to in the current clustering.
func personOf(t *testing.T, db, ref string) string {
	t.Helper()
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in, err := s.ReadReviewInput(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range in.Members {
		if m.Source+"@"+m.Edition+":"+m.Ref == ref {
			return m.PersonID
		}
	}
	t.Fatalf("%s is in no person", ref)
	return ""
}

type listedItem struct {
	ID       int64    `json:"id"`
	Kind     string   `json:"kind"`
	State    string   `json:"state"`
	Source   string   `json:"source"`
	Group    string   `json:"group"`
	PersonID string   `json:"person_id"`
	Records  []string `json:"records"`
	Title    string   `json:"title"`
	Key      string   `json:"key"`
}

func (h cliHarness) items(args ...string) []listedItem {
	h.t.Helper()
	var out []listedItem
	if err := json.Unmarshal([]byte(h.run(append([]string{"review", "list", "--json"}, args...)...)), &out); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// fullRef turns a listed reference back into source@edition:ref.
func fullRef(r string, latest map[string]string) string {
	if strings.Contains(r, "@") {
		return r
	}
	i := strings.IndexByte(r, ':')
	return r[:i] + "@" + latest[r[:i]] + r[i:]
}

// TestReviewOnFixtures runs the queue on the demo lists with planted
// disagreements (fixtures/lists/README.md) and checks every planted group
// gap and omission is flagged, with at most 10% false omission items; then
// that decisions survive a re-import, a new edition and a re-match, that
// "different" splits a person and keeps it split, and that undo restores.
func TestReviewOnFixtures(t *testing.T) {
	truth := reviewTruth(t)
	dir := t.TempDir()
	h := cliHarness{t: t, db: filepath.Join(dir, "r.db")}
	for _, f := range fixtureEditions {
		h.run("import", "../../fixtures/lists/"+f.file, "--source", f.source, "--edition", f.edition)
	}
	// Every list means to cover everyone: omissions and gaps are raised
	// against all of them.
	for _, src := range []string{"ipm", "cdr", "mhm", "fpp"} {
		h.run("sources", "set-scope", src, "--all", "--by", "tester")
	}
	h.run("match")
	h.run("review", "build")
	latest := map[string]string{"ipm": "2025-06-01", "cdr": "2025-04-15", "mhm": "2025-05-15", "fpp": "2025-06-01"}

	// Group gaps: the planted one is mhm without anti-war activists.
	gaps := map[string]bool{}
	for _, it := range h.items("--kind", "group-gap") {
		gaps[it.Source+":"+it.Group] = true
		t.Logf("gap: %s", it.Title)
	}
	if !gaps["mhm:anti-war"] {
		t.Errorf("planted group gap mhm:anti-war not flagged (got %v)", gaps)
	}

	// Omissions against the truth: false when the source's latest edition
	// does list the person.
	listedIn := map[string]bool{} // source@edition|truth person
	for k, p := range truth {
		listedIn[k[:strings.IndexByte(k, ':')]+"|"+p] = true
	}
	flagged := map[string]bool{}
	omissions := h.items("--kind", "omission")
	falseN := 0
	for _, it := range omissions {
		votes := map[string]int{}
		for _, r := range it.Records {
			votes[truth[fullRef(r, latest)]]++
		}
		best := ""
		for p, n := range votes {
			if n > votes[best] || (n == votes[best] && p < best) {
				best = p
			}
		}
		flagged[it.Source+":"+best] = true
		if listedIn[it.Source+"@"+latest[it.Source]+"|"+best] {
			falseN++
			t.Logf("false omission: %s (truth %s)", it.Title, best)
		}
	}
	planted := []string{"fpp:P10", "cdr:P15", "ipm:P20", "mhm:P21", "mhm:P22"}
	found := 0
	for _, p := range planted {
		if flagged[p] {
			found++
		} else {
			t.Errorf("planted omission %s not flagged", p)
		}
	}
	rate := float64(falseN) / float64(max(len(omissions), 1))
	t.Logf("omissions: %d items, %d of %d planted found, %d false (%.1f%%)", len(omissions), found, len(planted), falseN, 100*rate)
	if rate > 0.10 {
		t.Errorf("false omission rate %.1f%% > 10%%", 100*rate)
	}

	// Unknown labels, the birth-year conflict and the edition changes.
	for _, tc := range []struct {
		kind string
		want int
	}{{"unknown-group", 2}, {"conflict", 1}, {"change", 3}} {
		if got := len(h.items("--kind", tc.kind)); got < tc.want {
			t.Errorf("%s: %d items, want at least %d", tc.kind, got, tc.want)
		}
	}

	// An analyst decides mhm's Orxan Qasımov (b. 1987) is not ipm's (b. 1986),
	// and dismisses the anti-war gap with a reason.
	ipm06 := refOf(t, truth, "ipm@2025-06-01", "P06")
	mhm06 := refOf(t, truth, "mhm@2025-05-15", "P06")
	if personOf(t, h.db, ipm06) != personOf(t, h.db, mhm06) {
		t.Fatalf("the matcher did not link %s and %s to begin with", ipm06, mhm06)
	}
	before := personOf(t, h.db, ipm06)
	h.run("decide", ipm06, mhm06, "different", "--reason", "birth years differ, different fathers per family", "--by", "alice")
	var gapID int64
	for _, it := range h.items("--kind", "group-gap") {
		if it.Source == "mhm" && it.Group == "anti-war" {
			gapID = it.ID
		}
	}
	h.run("review", "decide", fmt.Sprint(gapID), "dismiss", "--reason", "mhm covers anti-war cases in a separate list", "--by", "bob")

	apart := func(step string, a, b string) {
		t.Helper()
		if pa, pb := personOf(t, h.db, a), personOf(t, h.db, b); pa == pb {
			t.Errorf("%s: %s and %s are both %s despite the 'different' decision", step, a, b, pa)
		}
	}
	gapDecided := func(step string) {
		t.Helper()
		for _, it := range h.items("--kind", "group-gap", "--state", "all") {
			if it.ID == gapID && it.State != "decided" {
				t.Errorf("%s: gap item %d is %s, want decided", step, gapID, it.State)
			}
		}
		for _, it := range h.items("--kind", "group-gap") {
			if it.Source == "mhm" && it.Group == "anti-war" {
				t.Errorf("%s: the dismissed gap is asked again as item %d", step, it.ID)
			}
		}
	}

	h.run("match")
	h.run("review", "build")
	apart("re-match", ipm06, mhm06)
	if got := personOf(t, h.db, ipm06); got != before {
		t.Errorf("the larger part lost the person ID: %s, want %s", got, before)
	}
	gapDecided("re-match")

	// Re-import the same file.
	h.run("import", "../../fixtures/lists/ipm-2025-06.csv", "--source", "ipm", "--edition", "2025-06-01", "--replace")
	h.run("match")
	h.run("review", "build")
	apart("re-import", ipm06, mhm06)
	gapDecided("re-import")

	// A new edition of ipm, rows reversed and renumbered.
	newEd := writeRenumbered(t, "../../fixtures/lists/ipm-2025-06.csv", filepath.Join(dir, "ipm-2025-09.csv"))
	h.run("import", newEd, "--source", "ipm", "--edition", "2025-09-01")
	h.run("match")
	h.run("review", "build")
	latest["ipm"] = "2025-09-01"
	s, err := store.Open(context.Background(), h.db)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.Records(context.Background(), "ipm", "2025-09-01")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var ipm09 string
	for _, r := range recs {
		if r.BirthYear == 1986 && strings.Contains(r.Name, "Qasımov") {
			ipm09 = "ipm@2025-09-01:" + r.Ref
		}
	}
	if ipm09 == "" {
		t.Fatal("no Qasımov b. 1986 in the new edition")
	}
	apart("new edition", ipm09, mhm06)
	gapDecided("new edition")
	t.Logf("after the new edition: %s", h.run("review", "build"))

	// Undo the 'different': the next match joins them again.
	var log []auditJSON
	decisionsLog := func() {
		t.Helper()
		var all []auditJSON
		if err := json.Unmarshal([]byte(h.run("decisions", "--json")), &all); err != nil {
			t.Fatal(err)
		}
		log = log[:0]
		for _, e := range all {
			if e.Action == "decide" || e.Action == "undo" { // not the scopes set above
				log = append(log, e)
			}
		}
	}
	decisionsLog()
	if len(log) != 2 || log[0].Verdict != "different" || log[1].Verdict != "dismiss" {
		t.Fatalf("audit log %+v", log)
	}
	h.run("decisions", "undo", fmt.Sprint(log[0].DecisionID), "--by", "alice")
	h.run("match")
	if pa, pb := personOf(t, h.db, ipm09), personOf(t, h.db, mhm06); pa != pb {
		t.Errorf("after undo: %s is %s, %s is %s; want one person", ipm09, pa, mhm06, pb)
	}
	h.run("review", "undo", fmt.Sprint(gapID), "--by", "bob")
	h.run("review", "build")
	reopened := false
	for _, it := range h.items("--kind", "group-gap") {
		reopened = reopened || it.ID == gapID
	}
	if !reopened {
		t.Errorf("gap item %d not open after undo", gapID)
	}
	decisionsLog()
	if len(log) != 4 || log[2].Action != "undo" || log[3].Action != "undo" {
		t.Errorf("audit log after undos: %+v", log)
	}
}

// writeRenumbered writes a copy of an ipm CSV with its data rows reversed
// and renumbered: a new edition whose references all changed.
func writeRenumbered(t *testing.T, from, to string) string {
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	var head, rows []string
	for _, l := range lines {
		f := strings.SplitN(l, ";", 2)
		if len(f) == 2 && f[0] != "" && strings.Trim(f[0], "0123456789") == "" {
			rows = append(rows, f[1])
		} else {
			head = append(head, l)
		}
	}
	out := append([]string{}, head...)
	for i := range rows {
		out = append(out, fmt.Sprintf("%d;%s", i+1, rows[len(rows)-1-i]))
	}
	if err := os.WriteFile(to, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}
